import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Client, Pool, type QueryResultRow } from 'pg';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';

/**
 * The reports' own connections, apart from the transactional pool the API serves requests with:
 *
 * - a small read-only pool (REPORTS_POOL_MAX, default 2) on REPORTS_DATABASE_URL (a read replica)
 *   or else DATABASE_URL, with its own statement timeout (REPORTS_STATEMENT_TIMEOUT_MS): a burst of
 *   report requests queues here and never takes a connection an adviser's request needs;
 * - one connection to the primary for rebuilding the rollups, opened per refresh and closed after.
 */
@Injectable()
export class ReportsDatabase implements OnApplicationShutdown {
  private readonly logger = new Logger(ReportsDatabase.name);
  private pool: Pool | undefined;
  private readonly names = new Map<string, string>();

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  /** The rows of a read-only report statement, run as a named prepared statement. */
  async rows<Row extends QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.readPool().query<Row>({
      name: this.nameOf(text),
      text,
      values: values as unknown[],
    });
    return result.rows;
  }

  /**
   * Runs `work` in one transaction on a connection of its own to the primary database. Read committed
   * whatever the server's default: each statement reads what was committed before it, so the change
   * count a rebuild records first never runs ahead of the data it then reads.
   */
  async onPrimary<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({
      connectionString: this.primaryUrl(),
      application_name: 'anker-reports-refresh',
    });
    client.on('error', (error) => this.logger.warn({ err: error }, 'Report refresh connection error'));
    await client.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end().catch(() => undefined);
  }

  private readPool(): Pool {
    if (!this.pool) {
      const { poolMax, statementTimeoutMs } = this.config.reports;
      this.pool = new Pool({
        connectionString: this.config.reports.databaseUrl ?? this.primaryUrl(),
        max: poolMax,
        application_name: 'anker-reports',
        // Reports only read; a replica refuses writes anyway, the primary is told so.
        options: `-c statement_timeout=${statementTimeoutMs} -c default_transaction_read_only=on`,
        idleTimeoutMillis: 30_000,
      });
      this.pool.on('error', (error) => this.logger.warn({ err: error }, 'Report pool connection error'));
    }
    return this.pool;
  }

  /** DATABASE_URL, or the embedded PostgreSQL's URL filled in at start-up. */
  private primaryUrl(): string {
    const url = this.config.database.url;
    if (!url) {
      throw new Error('Reports need a resolved database URL (see bootstrap).');
    }
    return url;
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `r${createHash('sha1').update(text).digest('base64url')}`;
      this.names.set(text, name);
    }
    return name;
  }
}
