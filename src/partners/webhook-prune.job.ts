import { Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { JobHandlerProvider, type JobHandler } from '../jobs/job-handler';
import { WebhookRepository } from './webhook.repository';

/** Messages deleted per statement, so that one run never holds many locks at once. */
const BATCH = 5_000;

/**
 * Daily at 03:45 (TIME_ZONE): deletes the events older than WEBHOOK_RETENTION_DAYS whose deliveries are
 * all finished (delivered or dead-lettered), with their deliveries and attempts. A delivery still
 * pending keeps its event.
 */
@JobHandlerProvider()
@Injectable()
export class WebhookPruneJob implements JobHandler {
  readonly name = 'webhooks.prune';
  readonly schedule = '45 3 * * *';
  private readonly logger = new Logger(WebhookPruneJob.name);

  constructor(
    private readonly repository: WebhookRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async handle(): Promise<void> {
    let messages = 0;
    for (;;) {
      const deleted = await this.repository.deleteFinishedMessages(this.config.webhooks.retentionDays, BATCH);
      messages += deleted;
      if (deleted < BATCH) {
        break;
      }
    }
    this.logger.log({ deleted: { webhookMessages: messages } }, 'Old webhook events deleted');
  }
}
