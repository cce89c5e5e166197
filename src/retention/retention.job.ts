import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { JobHandlerProvider, type JobHandler } from '../jobs/job-handler';
import { RetentionService } from './retention.service';

/** The daily retention run (RETENTION_CRON in TIME_ZONE; off with RETENTION_ENABLED=false). */
@JobHandlerProvider()
@Injectable()
export class RetentionJob implements JobHandler {
  readonly name = 'retention.run';
  readonly schedule: string | undefined;
  // A run erases client by client; a retry (after a crash) finds only the clients still due.
  readonly options = { retryLimit: 1, retryDelaySeconds: 300, expireInSeconds: 4 * 3600 };

  constructor(
    private readonly retention: RetentionService,
    @InjectConfig() config: AppConfig,
  ) {
    this.schedule = config.retention.enabled ? config.retention.cron : undefined;
  }

  async handle(): Promise<void> {
    await this.retention.run('SCHEDULE');
  }
}
