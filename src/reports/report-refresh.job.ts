import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { JobHandlerProvider, type JobHandler } from '../jobs/job-handler';
import { ReportRollups } from './report-rollups';

/**
 * Rebuilds the report rollups on REPORTS_REFRESH_CRON (off with REPORTS_REFRESH_ENABLED=false) when a
 * source table has changed since the last rebuild.
 */
@JobHandlerProvider()
@Injectable()
export class ReportRefreshJob implements JobHandler {
  readonly name = 'reports.refresh';
  readonly schedule: string | undefined;
  // A rebuild replaces everything: a retry after a crash simply rebuilds again.
  readonly options = { retryLimit: 1, retryDelaySeconds: 60, expireInSeconds: 3600 };

  constructor(
    private readonly rollups: ReportRollups,
    @InjectConfig() config: AppConfig,
  ) {
    this.schedule = config.reports.refreshEnabled ? config.reports.refreshCron : undefined;
  }

  async handle(): Promise<void> {
    await this.rollups.refreshIfChanged();
  }
}
