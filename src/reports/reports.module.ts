import { Module } from '@nestjs/common';
import { ReportRefreshJob } from './report-refresh.job';
import { ReportRollupsModule } from './report-rollups.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/**
 * Caseload, ESF+ and recognition-outcome reports (docs/reports.md). Reads only its own rollups, which
 * `ReportRollups` rebuilds from the case data (job `reports.refresh`, `npm run reports:refresh`), on
 * a small pool of its own. Depends on no feature module: the rollups are filled by SQL over their tables.
 */
@Module({
  imports: [ReportRollupsModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService, ReportRefreshJob],
  exports: [ReportRollupsModule],
})
export class ReportsModule {}
