import { MigrationInterface, QueryRunner } from 'typeorm';

/** Recognition cases with their transition history and substantial differences. */
export class RecognitionCases1795340000001 implements MigrationInterface {
  name = 'RecognitionCases1795340000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "recognition_cases" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "client_id" uuid NOT NULL,
                "office_id" uuid NOT NULL,
                "qualification_id" uuid,
                "kldb" text NOT NULL,
                "occupation_title" text NOT NULL,
                "regulated" boolean NOT NULL,
                "legal_basis" text NOT NULL,
                "procedure_kind" text NOT NULL,
                "authority_partner_id" uuid,
                "fast_track" boolean NOT NULL DEFAULT false,
                "applied_from_abroad" boolean NOT NULL DEFAULT false,
                "follow_up_of" uuid,
                "fees_eur" numeric(10, 2),
                "funding" text array NOT NULL DEFAULT '{}',
                "status" text NOT NULL,
                "outcome" text,
                "submitted_on" date,
                "documents_requested_on" date,
                "documents_complete_on" date,
                "decided_on" date,
                "first_decided_on" date,
                "appeal_filed_on" date,
                "extended_until" date,
                "suspended_days" integer NOT NULL DEFAULT '0',
                "suspended_since" date,
                "receipt_confirmation_due_on" date,
                "decision_due_on" date,
                "processing_days" integer,
                "eu_qualification" boolean NOT NULL DEFAULT false,
                "notes" text,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "recognition_cases_suspended_days_check" CHECK (suspended_days >= 0),
                CONSTRAINT "recognition_cases_procedure_kind_check" CHECK (
                    procedure_kind IN (
                        'GLEICHWERTIGKEIT',
                        'ZEUGNISBEWERTUNG_ZAB',
                        'BERUFSZULASSUNG'
                    )
                ),
                CONSTRAINT "recognition_cases_outcome_check" CHECK (
                    outcome IS NULL
                    OR outcome IN (
                        'VOLLE_GLEICHWERTIGKEIT',
                        'TEILWEISE_GLEICHWERTIGKEIT',
                        'AUFLAGE_AUSGLEICHSMASSNAHME',
                        'KEINE_GLEICHWERTIGKEIT',
                        'ABLEHNUNG_FORMAL',
                        'GLEICHWERTIG_NACH_AUSGLEICH',
                        'ZAB_BESCHEINIGUNG'
                    )
                ),
                CONSTRAINT "recognition_cases_status_check" CHECK (
                    status IN (
                        'IN_VORBEREITUNG',
                        'BEANTRAGT',
                        'UNVOLLSTAENDIG',
                        'IN_PRUEFUNG',
                        'GEHEMMT',
                        'BESCHIEDEN',
                        'AUSGLEICH_LAUFEND',
                        'RECHTSBEHELF',
                        'ABGESCHLOSSEN',
                        'ZURUECKGENOMMEN',
                        'OHNE_BESCHEID_BEENDET'
                    )
                ),
                CONSTRAINT "PK_69d109e84498c3a01979441e4d8" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "recognition_cases_client_idx" ON "recognition_cases" ("client_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "recognition_cases_office_status_due_idx" ON "recognition_cases" ("office_id", "status", "decision_due_on")
        `);
    await queryRunner.query(`
            CREATE INDEX "recognition_cases_office_created_idx" ON "recognition_cases" ("office_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "recognition_case_history" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "case_id" uuid NOT NULL,
                "from_status" text,
                "to_status" text NOT NULL,
                "occurred_on" date NOT NULL,
                "actor_id" uuid NOT NULL,
                "actor_role" text NOT NULL,
                "payload" jsonb NOT NULL DEFAULT '{}',
                "note" text,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                CONSTRAINT "PK_69a2ae7f3ff0fdbde109e2f7d7f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "recognition_case_history_case_idx" ON "recognition_case_history" ("case_id", "recorded_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "substantial_differences" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "case_id" uuid NOT NULL,
                "description" text,
                "compensation_options" text array NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b92c14761dc3f8d097cf91e7555" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "substantial_differences_case_idx" ON "substantial_differences" ("case_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD CONSTRAINT "FK_06b348774ad8abebd3feef8a09e" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD CONSTRAINT "FK_6a768fb7229e14af07ef322d359" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD CONSTRAINT "FK_63f60715ef57d5470c799c6b28e" FOREIGN KEY ("qualification_id") REFERENCES "client_qualifications"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD CONSTRAINT "FK_1522e87fc6255ab4a6203ea31ef" FOREIGN KEY ("authority_partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD CONSTRAINT "FK_b7ff858d82b3d56a497286b38ea" FOREIGN KEY ("follow_up_of") REFERENCES "recognition_cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_case_history"
            ADD CONSTRAINT "FK_689493868fef661156fb529b292" FOREIGN KEY ("case_id") REFERENCES "recognition_cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_case_history"
            ADD CONSTRAINT "FK_1f0f714aebfaee72701848b2978" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "substantial_differences"
            ADD CONSTRAINT "FK_e8586050f55ca356a17fbec0cc6" FOREIGN KEY ("case_id") REFERENCES "recognition_cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Partial index TypeORM cannot compare: `overdue=true` and `dueBefore` look only at cases under
    // examination, so they are range scans over this office's slice of it.
    await queryRunner.query(
      `CREATE INDEX "recognition_cases_examined_due_idx" ON "recognition_cases" ("office_id", "decision_due_on") WHERE status = 'IN_PRUEFUNG'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."recognition_cases_examined_due_idx"');
    await queryRunner.query(`
            ALTER TABLE "substantial_differences" DROP CONSTRAINT "FK_e8586050f55ca356a17fbec0cc6"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_case_history" DROP CONSTRAINT "FK_1f0f714aebfaee72701848b2978"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_case_history" DROP CONSTRAINT "FK_689493868fef661156fb529b292"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP CONSTRAINT "FK_b7ff858d82b3d56a497286b38ea"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP CONSTRAINT "FK_1522e87fc6255ab4a6203ea31ef"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP CONSTRAINT "FK_63f60715ef57d5470c799c6b28e"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP CONSTRAINT "FK_6a768fb7229e14af07ef322d359"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP CONSTRAINT "FK_06b348774ad8abebd3feef8a09e"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."substantial_differences_case_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "substantial_differences"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."recognition_case_history_case_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "recognition_case_history"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."recognition_cases_office_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."recognition_cases_office_status_due_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."recognition_cases_client_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "recognition_cases"
        `);
  }
}
