import { Module } from '@nestjs/common';
import { ReportRollups } from './report-rollups';
import { ReportRollupsRepository } from './report-rollups.repository';
import { ReportsDatabase } from './reports-database';

/**
 * The report rollups and the reports' connections, without HTTP: what `ReportsModule` builds on and
 * what `npm run reports:refresh` (or a seed command) needs to rebuild them.
 */
@Module({
  providers: [ReportsDatabase, ReportRollupsRepository, ReportRollups],
  exports: [ReportsDatabase, ReportRollups],
})
export class ReportRollupsModule {}
