import type { Logger } from '@nestjs/common';
import { Pool, type PoolConfig } from 'pg';
import type PgBoss from 'pg-boss';

/**
 * pg-boss's connections, owned by the application rather than by pg-boss. pg-boss closes its own pool
 * as soon as no handler runs, while a worker's fetch may still be under way: the jobs that fetch
 * returns are then active with no process to run them, and the statement that would hand them back
 * finds the pool closed, so they wait for their expiry (a webhook delivery a minute and more). This
 * pool counts the statements in flight, so shutdown can wait for the last fetch and its answer before
 * closing.
 */
export class JobsPool implements PgBoss.Db {
  private readonly pool: Pool;
  private inFlight = 0;
  private closed = false;

  constructor(
    config: PoolConfig,
    private readonly logger: Logger,
  ) {
    this.pool = new Pool(config);
    // An idle connection dropped by the server: the pool replaces it; without a listener it would crash.
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'A job queue connection failed'));
  }

  async executeSql(text: string, values: unknown[] = []): Promise<{ rows: unknown[] }> {
    if (this.closed) {
      // What pg-boss's own pool answers once closed, and what its callers check for: it does not
      // await completing or failing a job, so a rejection here would be unhandled. A job such a late
      // statement would have finished expires and is retried.
      this.logger.warn('A job queue statement after shutdown was dropped');
      return undefined as never;
    }
    this.inFlight += 1;
    try {
      return await this.pool.query(text, values);
    } finally {
      this.inFlight -= 1;
    }
  }

  /**
   * Resolves once no statement has been in flight at two checks in a row, or at `deadline` (epoch ms).
   * pg-boss follows a fetch with the statement that completes or fails its jobs in the same turn of the
   * event loop, so a check from a timer never falls between the two.
   */
  async settled(deadline: number, isBusy: () => boolean = () => false): Promise<void> {
    let quietChecks = 0;
    while (quietChecks < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      quietChecks = this.inFlight === 0 && !isBusy() ? quietChecks + 1 : 0;
    }
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await this.pool.end();
  }
}
