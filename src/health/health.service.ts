import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { ProblemError } from '../common/errors/problem.error';
import { MigrationsService } from '../database/migrations.service';
import { JobQueue } from '../jobs/job-queue.service';

@Injectable()
export class HealthService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly migrations: MigrationsService,
    private readonly jobs: JobQueue,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Ready when the database answers, every migration the code knows has been applied and the job queue
   * runs (its details say whether this process runs the workers).
   */
  async readiness(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 2_000 }),
        () => this.migrationsCheck(),
        () => this.jobsCheck(),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        const result = error.getResponse() as HealthCheckResult;
        throw new ProblemError('notReady', 'The service is not ready to serve requests.', {
          extensions: { checks: result.details },
          headers: { 'retry-after': String(this.config.database.retryAfterSeconds) },
        });
      }
      throw error;
    }
  }

  private async migrationsCheck() {
    const indicator = this.indicators.check('migrations');
    try {
      const pending = await this.migrations.pendingMigrations();
      return pending.length === 0 ? indicator.up() : indicator.down({ pending });
    } catch {
      return indicator.down({ message: 'The migrations table could not be read.' });
    }
  }

  private async jobsCheck() {
    const indicator = this.indicators.check('jobs');
    const { up, details } = await this.jobs.check();
    return up ? indicator.up(details) : indicator.down(details);
  }
}
