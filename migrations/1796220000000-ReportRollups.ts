import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rollups the reports read (src/reports/report-rollups.repository.ts fills them; docs/reports.md
 * defines every measure). They hold no names, birth dates, contact data or free text: ids of the
 * counted records (for exact distinct counts), office and network, dates and the statistical codes.
 * A report never reads `consultations`, `recognition_cases`, `enrolments` or `referrals` itself.
 *
 * - `report_client_months`: one row per client × office × month with consultations (voided ones left
 *   out): a bit per day of the month with any consultation, and the days of the first and follow-up
 *   consultations. Distinct clients and consultation counts stay exact for any period of whole days.
 * - `report_participants`: one row per client with a first consultation (Erstberatung): the day of
 *   entry and the ESF+ profile at entry (age band input, employment, ISCED, third-country national).
 * - `report_cases`, `report_enrolments`, `report_referrals`: one row per case / enrolment / referral
 *   with the dates and codes the measures need, the grouping attributes resolved.
 * - `report_rollup_state`: when the rollups were last rebuilt (the reports' `dataAsOf`).
 */
export class ReportRollups1796220000000 implements MigrationInterface {
  name = 'ReportRollups1796220000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_client_months" (
                "client_id" uuid NOT NULL,
                "month" date NOT NULL,
                "office_id" uuid NOT NULL,
                "network_id" uuid NOT NULL,
                "gender" text NOT NULL,
                "residence_status" text,
                "country_of_training" text,
                "days" integer NOT NULL,
                "first_days" smallint array NOT NULL,
                "follow_days" smallint array NOT NULL,
                CONSTRAINT "report_client_months_pk" PRIMARY KEY ("client_id", "month", "office_id")
            )
        `);
    await queryRunner.query(
      'CREATE INDEX "report_client_months_network_idx" ON "report_client_months" ("network_id", "month")',
    );
    await queryRunner.query(
      'CREATE INDEX "report_client_months_office_idx" ON "report_client_months" ("office_id", "month")',
    );
    await queryRunner.query(
      'CREATE INDEX "report_client_months_month_idx" ON "report_client_months" ("month")',
    );
    await queryRunner.query(`
            CREATE TABLE "report_participants" (
                "client_id" uuid NOT NULL,
                "office_id" uuid NOT NULL,
                "network_id" uuid NOT NULL,
                "entry_on" date NOT NULL,
                "gender" text NOT NULL,
                "residence_status" text,
                "country_of_training" text,
                "age_at_entry" smallint,
                "employment_status" text,
                "isced_level" smallint,
                "third_country" boolean,
                CONSTRAINT "report_participants_pk" PRIMARY KEY ("client_id")
            )
        `);
    await queryRunner.query(
      'CREATE INDEX "report_participants_network_idx" ON "report_participants" ("network_id", "entry_on")',
    );
    await queryRunner.query(
      'CREATE INDEX "report_participants_office_idx" ON "report_participants" ("office_id", "entry_on")',
    );
    await queryRunner.query(
      'CREATE INDEX "report_participants_entry_idx" ON "report_participants" ("entry_on")',
    );
    await queryRunner.query(`
            CREATE TABLE "report_cases" (
                "case_id" uuid NOT NULL,
                "office_id" uuid NOT NULL,
                "network_id" uuid NOT NULL,
                "kldb" text NOT NULL,
                "kldb_group" text NOT NULL,
                "country_of_training" text,
                "gender" text NOT NULL,
                "residence_status" text,
                "regulated" boolean NOT NULL,
                "fast_track" boolean NOT NULL,
                "submitted_on" date,
                "documents_complete_on" date,
                "first_decided_on" date,
                "first_outcome" text,
                "processing_days" integer,
                "decision_due_on" date,
                "ended_on" date,
                CONSTRAINT "report_cases_pk" PRIMARY KEY ("case_id")
            )
        `);
    await queryRunner.query('CREATE INDEX "report_cases_network_idx" ON "report_cases" ("network_id")');
    await queryRunner.query('CREATE INDEX "report_cases_office_idx" ON "report_cases" ("office_id")');
    await queryRunner.query(`
            CREATE TABLE "report_enrolments" (
                "enrolment_id" uuid NOT NULL,
                "office_id" uuid NOT NULL,
                "network_id" uuid NOT NULL,
                "kldb" text,
                "kldb_group" text,
                "country_of_training" text,
                "gender" text NOT NULL,
                "residence_status" text,
                "regulated" boolean,
                "fast_track" boolean,
                "status" text NOT NULL,
                "started_on" date,
                "ended_on" date,
                CONSTRAINT "report_enrolments_pk" PRIMARY KEY ("enrolment_id")
            )
        `);
    await queryRunner.query(
      'CREATE INDEX "report_enrolments_network_idx" ON "report_enrolments" ("network_id")',
    );
    await queryRunner.query(
      'CREATE INDEX "report_enrolments_office_idx" ON "report_enrolments" ("office_id")',
    );
    await queryRunner.query(`
            CREATE TABLE "report_referrals" (
                "referral_id" uuid NOT NULL,
                "office_id" uuid NOT NULL,
                "network_id" uuid NOT NULL,
                "partner_type" text NOT NULL,
                "kldb" text,
                "kldb_group" text,
                "country_of_training" text,
                "gender" text NOT NULL,
                "residence_status" text,
                "regulated" boolean,
                "fast_track" boolean,
                "sent_on" date NOT NULL,
                "answer" text NOT NULL,
                CONSTRAINT "report_referrals_answer_check" CHECK (answer IN ('ACCEPTED', 'DECLINED', 'EXPIRED', 'OPEN', 'CANCELLED')),
                CONSTRAINT "report_referrals_pk" PRIMARY KEY ("referral_id")
            )
        `);
    await queryRunner.query(
      'CREATE INDEX "report_referrals_network_idx" ON "report_referrals" ("network_id", "sent_on")',
    );
    await queryRunner.query(
      'CREATE INDEX "report_referrals_office_idx" ON "report_referrals" ("office_id", "sent_on")',
    );
    await queryRunner.query(`
            CREATE TABLE "report_rollup_state" (
                "name" text NOT NULL,
                "refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "duration_ms" integer NOT NULL,
                "row_count" bigint NOT NULL,
                CONSTRAINT "report_rollup_state_pk" PRIMARY KEY ("name")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "report_rollup_state"');
    await queryRunner.query('DROP TABLE "report_referrals"');
    await queryRunner.query('DROP TABLE "report_enrolments"');
    await queryRunner.query('DROP TABLE "report_cases"');
    await queryRunner.query('DROP TABLE "report_participants"');
    await queryRunner.query('DROP TABLE "report_client_months"');
  }
}
