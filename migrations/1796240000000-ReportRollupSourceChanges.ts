import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `report_rollup_state.source_changes`: PostgreSQL's count of rows inserted, updated and deleted in the
 * tables the rollups are built from, read when the last rebuild started. The scheduled rebuild is
 * skipped while the count (and the month whose stocks are held) is the same: nothing to rebuild.
 */
export class ReportRollupSourceChanges1796240000000 implements MigrationInterface {
  name = 'ReportRollupSourceChanges1796240000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "report_rollup_state" ADD "source_changes" numeric');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "report_rollup_state" DROP COLUMN "source_changes"');
  }
}
