import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `referrals.change_xid`: the id of the transaction that inserted or last changed the row
 * (`pg_current_xact_id()`, an xid8, stored as bigint), set before every insert and update. The partner
 * sync pages by (change_xid, id) and returns only rows whose transaction id is below the xmin of the
 * current snapshot (every such transaction has ended), so a row of a transaction that commits late is
 * held back instead of being skipped by a cursor that moved past it.
 */
const CHANGE_XID = `
  CREATE FUNCTION referrals_set_change_xid() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    NEW.change_xid := pg_current_xact_id()::text::bigint;
    RETURN NEW;
  END
  $$`;

/** The expiry job's scan: referrals still waiting for an answer, by answer-by date. */
const EXPIRY_INDEX = `CREATE INDEX "referrals_expiry_idx" ON "referrals" ("due_by", "id") WHERE status = 'GESENDET'`;

export class Referrals1796200000000 implements MigrationInterface {
  name = 'Referrals1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "referrals" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "client_id" uuid NOT NULL,
                "office_id" uuid NOT NULL,
                "partner_id" uuid NOT NULL,
                "consent_id" uuid NOT NULL,
                "recognition_case_id" uuid,
                "reason" text NOT NULL,
                "data_categories" text array NOT NULL,
                "message" text,
                "due_by" date NOT NULL,
                "status" text NOT NULL,
                "sent_on" date NOT NULL,
                "answered_on" date,
                "closed_on" date,
                "decline_reason" text,
                "outcome" text,
                "decision" jsonb,
                "cancel_reason" text,
                "change_xid" bigint NOT NULL,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "referrals_categories_check" CHECK (cardinality(data_categories) > 0),
                CONSTRAINT "referrals_status_check" CHECK (
                    status IN (
                        'GESENDET',
                        'ANGENOMMEN',
                        'ABGELEHNT',
                        'ERLEDIGT',
                        'STORNIERT',
                        'ABGELAUFEN'
                    )
                ),
                CONSTRAINT "PK_ea9980e34f738b6252817326c08" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "referrals_recognition_case_idx" ON "referrals" ("recognition_case_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "referrals_consent_idx" ON "referrals" ("consent_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "referrals_client_idx" ON "referrals" ("client_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "referrals_partner_sync_idx" ON "referrals" ("partner_id", "change_xid", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "referrals_office_created_idx" ON "referrals" ("office_id", "created_at", "id")
        `);
    await queryRunner.query(EXPIRY_INDEX);
    await queryRunner.query(CHANGE_XID);
    await queryRunner.query(`
      CREATE TRIGGER referrals_change_xid BEFORE INSERT OR UPDATE ON referrals
         FOR EACH ROW EXECUTE FUNCTION referrals_set_change_xid()`);
    await queryRunner.query(`
            CREATE TABLE "referral_history" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "referral_id" uuid NOT NULL,
                "from_status" text,
                "to_status" text NOT NULL,
                "occurred_on" date NOT NULL,
                "actor_kind" text NOT NULL,
                "actor_id" uuid,
                "actor_role" text,
                "payload" jsonb NOT NULL DEFAULT '{}',
                "reason" text,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                CONSTRAINT "referral_history_actor_check" CHECK (actor_kind IN ('user', 'partner', 'system')),
                CONSTRAINT "PK_a09e5fca033f189bd757a535e9f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "referral_history_referral_idx" ON "referral_history" ("referral_id", "recorded_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "referrals"
            ADD CONSTRAINT "FK_ded3e1ecf04edc5cc2ce6a76aae" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "referrals"
            ADD CONSTRAINT "FK_f198b91354643fcf16290eb60bc" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "referrals"
            ADD CONSTRAINT "FK_01b50ed733693a4b307e5282920" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "referrals"
            ADD CONSTRAINT "FK_c8c8f479864d43b9fe0233065a4" FOREIGN KEY ("consent_id") REFERENCES "consents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "referrals"
            ADD CONSTRAINT "FK_7b94148c67a63dfd54012578d15" FOREIGN KEY ("recognition_case_id") REFERENCES "recognition_cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "referral_history"
            ADD CONSTRAINT "FK_e41b2796f48fe6d8f240d0835c3" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "referral_history" DROP CONSTRAINT "FK_e41b2796f48fe6d8f240d0835c3"
        `);
    await queryRunner.query(`
            ALTER TABLE "referrals" DROP CONSTRAINT "FK_7b94148c67a63dfd54012578d15"
        `);
    await queryRunner.query(`
            ALTER TABLE "referrals" DROP CONSTRAINT "FK_c8c8f479864d43b9fe0233065a4"
        `);
    await queryRunner.query(`
            ALTER TABLE "referrals" DROP CONSTRAINT "FK_01b50ed733693a4b307e5282920"
        `);
    await queryRunner.query(`
            ALTER TABLE "referrals" DROP CONSTRAINT "FK_f198b91354643fcf16290eb60bc"
        `);
    await queryRunner.query(`
            ALTER TABLE "referrals" DROP CONSTRAINT "FK_ded3e1ecf04edc5cc2ce6a76aae"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."referral_history_referral_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "referral_history"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."referrals_office_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."referrals_partner_sync_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."referrals_client_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."referrals_consent_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."referrals_recognition_case_idx"
        `);
    await queryRunner.query('DROP TRIGGER referrals_change_xid ON referrals');
    await queryRunner.query('DROP FUNCTION referrals_set_change_xid()');
    await queryRunner.query('DROP INDEX "public"."referrals_expiry_idx"');
    await queryRunner.query(`
            DROP TABLE "referrals"
        `);
  }
}
