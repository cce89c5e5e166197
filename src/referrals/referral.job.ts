import { Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { JobHandlerProvider, type JobHandler } from '../jobs/job-handler';
import { ReferralService } from './referral.service';

/**
 * The daily referral job (REFERRAL_EXPIRY_CRON in TIME_ZONE, default 00:15, just after the Berlin
 * midnight): unanswered referrals past their answer-by date become ABGELAUFEN, and open referrals
 * relying on a consent whose `expiresOn` has passed are cancelled — both audited as the system, each
 * referral in a transaction of its own. A re-run finds only what is still due.
 */
@JobHandlerProvider()
@Injectable()
export class ReferralExpiryJob implements JobHandler {
  readonly name = 'referrals.expire';
  readonly schedule: string;
  readonly options = { retryLimit: 2, retryDelaySeconds: 300, expireInSeconds: 3600 };
  private readonly logger = new Logger(ReferralExpiryJob.name);

  constructor(
    private readonly referrals: ReferralService,
    @InjectConfig() config: AppConfig,
  ) {
    this.schedule = config.referrals.expiryCron;
  }

  async handle(): Promise<void> {
    const expired = await this.referrals.expireDue();
    const cancelled = await this.referrals.cancelForExpiredConsents();
    this.logger.log(`Referrals expired: ${expired}; cancelled for expired consents: ${cancelled}`);
  }
}
