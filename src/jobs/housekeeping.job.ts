import { Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { JobHandlerProvider, type JobHandler } from './job-handler';
import { HousekeepingRepository } from './housekeeping.repository';

/** Daily at 03:15 (TIME_ZONE): deletes expired idempotency keys, old sign-in counts, expired refresh tokens and ended sessions. */
@JobHandlerProvider()
@Injectable()
export class HousekeepingJob implements JobHandler {
  readonly name = 'jobs.housekeeping';
  readonly schedule = '15 3 * * *';
  private readonly logger = new Logger(HousekeepingJob.name);

  constructor(
    private readonly repository: HousekeepingRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async handle(): Promise<void> {
    const deleted = {
      idempotencyKeys: await this.repository.deleteExpiredIdempotencyKeys(),
      signInFailures: await this.repository.deleteOldSignInFailures(
        this.config.auth.signInFailureWindowSeconds,
      ),
      refreshTokens: await this.repository.deleteExpiredRefreshTokens(),
      sessions: await this.repository.deleteEndedSessions(),
      scheduleTicks: await this.repository.deleteOldScheduleTicks(),
    };
    this.logger.log({ deleted }, 'Housekeeping done');
  }
}
