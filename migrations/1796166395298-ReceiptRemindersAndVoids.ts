import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17. Recognition cases: the day the authority confirmed receipt, the reminder date (the
 * calendar end before the move to a working day), the Land whose holidays count, the adviser's
 * "recognised in an EU/EEA/CH state" and the confirmation of a follow-up for another occupation;
 * `eu_qualification` goes — the cap is derived from the qualification's country whenever needed. The
 * partial index for the deadline lists also covers GEHEMMT (a case suspended after its period expired
 * stays overdue). Consultations: voiding (who, when, why). Existing cases keep their stored deadlines
 * until their next change recomputes them.
 */
export class ReceiptRemindersAndVoids1796166395298 implements MigrationInterface {
  name = 'ReceiptRemindersAndVoids1796166395298';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP COLUMN "eu_qualification"
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations"
            ADD "voided_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations"
            ADD "voided_by" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations"
            ADD "void_reason" text
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD "follow_up_other_occupation" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD "receipt_confirmed_on" date
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD "decision_reminder_on" date
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD "deadline_bundesland" text
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD "recognised_in_eu_eea_ch" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations"
            ADD CONSTRAINT "FK_ee047f167883bad01b747b737ad" FOREIGN KEY ("voided_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query('DROP INDEX "public"."recognition_cases_examined_due_idx"');
    await queryRunner.query(
      `CREATE INDEX "recognition_cases_examined_due_idx" ON "recognition_cases" ("office_id", "decision_due_on") WHERE status IN ('IN_PRUEFUNG', 'GEHEMMT')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."recognition_cases_examined_due_idx"');
    await queryRunner.query(
      `CREATE INDEX "recognition_cases_examined_due_idx" ON "recognition_cases" ("office_id", "decision_due_on") WHERE status = 'IN_PRUEFUNG'`,
    );
    await queryRunner.query(`
            ALTER TABLE "consultations" DROP CONSTRAINT "FK_ee047f167883bad01b747b737ad"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP COLUMN "recognised_in_eu_eea_ch"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP COLUMN "deadline_bundesland"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP COLUMN "decision_reminder_on"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP COLUMN "receipt_confirmed_on"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases" DROP COLUMN "follow_up_other_occupation"
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations" DROP COLUMN "void_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations" DROP COLUMN "voided_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations" DROP COLUMN "voided_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "recognition_cases"
            ADD "eu_qualification" boolean NOT NULL DEFAULT false
        `);
  }
}
