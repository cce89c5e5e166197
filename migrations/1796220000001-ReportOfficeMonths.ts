import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reports' fast path (docs/reports.md, "The office-month rollup"): one row per office × month with
 * every additive caseload measure as a column, rebuilt from the fine rollups in the same transaction.
 *
 * - `clients_counselled`: distinct clients with a consultation at the office in the month (exact per
 *   office × month only; not additive across offices or months).
 * - `cases_open_at_end`, `cases_overdue_at_end`: the stock on the month's last day, for the months that
 *   had ended when the rollups were rebuilt (`report_rollup_state.stock_through`); 0 for later months.
 * - `processing_days`: the processing days of the cases first decided at the office in the month
 *   (medians and P75 are computed over the unnested arrays of the selected rows).
 */
export class ReportOfficeMonths1796220000001 implements MigrationInterface {
  name = 'ReportOfficeMonths1796220000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_office_months" (
                "office_id" uuid NOT NULL,
                "month" date NOT NULL,
                "network_id" uuid NOT NULL,
                "clients_counselled" integer NOT NULL DEFAULT 0,
                "consultations_first" integer NOT NULL DEFAULT 0,
                "consultations_follow_up" integer NOT NULL DEFAULT 0,
                "new_clients" integer NOT NULL DEFAULT 0,
                "cases_opened" integer NOT NULL DEFAULT 0,
                "cases_decided" integer NOT NULL DEFAULT 0,
                "decided_full_equivalence" integer NOT NULL DEFAULT 0,
                "decided_partial_equivalence" integer NOT NULL DEFAULT 0,
                "decided_compensation_measure" integer NOT NULL DEFAULT 0,
                "decided_no_equivalence" integer NOT NULL DEFAULT 0,
                "decided_formal_rejection" integer NOT NULL DEFAULT 0,
                "decided_zab_statement" integer NOT NULL DEFAULT 0,
                "processing_days" integer array NOT NULL DEFAULT '{}',
                "cases_open_at_end" integer NOT NULL DEFAULT 0,
                "cases_overdue_at_end" integer NOT NULL DEFAULT 0,
                "enrolments_started" integer NOT NULL DEFAULT 0,
                "enrolments_completed" integer NOT NULL DEFAULT 0,
                "enrolments_failed" integer NOT NULL DEFAULT 0,
                "enrolments_dropped" integer NOT NULL DEFAULT 0,
                "referrals_sent" integer NOT NULL DEFAULT 0,
                "referrals_sent_jobcenter" integer NOT NULL DEFAULT 0,
                "referrals_sent_agentur_fuer_arbeit" integer NOT NULL DEFAULT 0,
                "referrals_sent_kammer" integer NOT NULL DEFAULT 0,
                "referrals_sent_anerkennungsstelle" integer NOT NULL DEFAULT 0,
                "referrals_sent_zab" integer NOT NULL DEFAULT 0,
                "referrals_sent_bildungstraeger" integer NOT NULL DEFAULT 0,
                "referrals_sent_auslaenderbehoerde" integer NOT NULL DEFAULT 0,
                "referrals_sent_migrationsberatung" integer NOT NULL DEFAULT 0,
                "referrals_sent_arbeitgeber" integer NOT NULL DEFAULT 0,
                "referrals_sent_sonstige" integer NOT NULL DEFAULT 0,
                "referrals_accepted" integer NOT NULL DEFAULT 0,
                "referrals_declined" integer NOT NULL DEFAULT 0,
                "referrals_expired" integer NOT NULL DEFAULT 0,
                CONSTRAINT "report_office_months_pk" PRIMARY KEY ("office_id", "month")
            )
        `);
    await queryRunner.query(
      'CREATE INDEX "report_office_months_network_idx" ON "report_office_months" ("network_id", "month")',
    );
    await queryRunner.query(
      'CREATE INDEX "report_office_months_month_idx" ON "report_office_months" ("month")',
    );
    await queryRunner.query('ALTER TABLE "report_rollup_state" ADD "stock_through" date');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "report_rollup_state" DROP COLUMN "stock_through"');
    await queryRunner.query('DROP TABLE "report_office_months"');
  }
}
