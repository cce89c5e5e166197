import { JOB_QUEUE_SCHEMA } from '../database/runtime-privileges';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { Db } from '../common/database/db';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { MetricsService, type QueueDepth } from '../metrics/metrics.service';
import { JobHandlers, type JobHandler } from './job-handler';
import { JobScheduler } from './job-scheduler';
import { JobsPool } from './jobs-pool';
import { retryOnDeadlock } from './retry-deadlock';

/** pg-boss keeps its tables in this schema, created by a migration (see migrations/…-JobQueueAndRetention.ts). */
export const JOBS_SCHEMA = JOB_QUEUE_SCHEMA;

/**
 * Enqueuing notifies this channel (delivered when the transaction commits); processes with workers
 * listen and fetch at once instead of at their next poll. Polling stays the fallback.
 */
const WAKE_UP_CHANNEL = 'anker_jobs';

/** Connections of the queue's own pool (polling, completion, maintenance), per process. */
const JOBS_POOL_MAX = 4;

/** How pg-boss runs a statement in someone else's transaction. */
export interface SqlExecutor {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface EnqueueOptions {
  /** Not before this instant. */
  startAfter?: Date;
}

export type JobQueueState = 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/**
 * The durable job queue on the application's PostgreSQL (pg-boss). Every process can enqueue; the
 * processes that run workers (the API with JOBS_IN_PROCESS=true, and `npm run worker`) also run each
 * job handler's worker, the schedules and pg-boss's maintenance (retrying jobs whose process died).
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private boss: PgBoss | undefined;
  private state: JobQueueState = 'stopped';
  private lastError: string | undefined;
  private readonly workerIds = new Map<string, string[]>();
  private listener: Client | undefined;
  private pool: JobsPool | undefined;
  /** Handler runs in progress in this process: shutdown waits for them (bounded). */
  private readonly running = new Set<Promise<void>>();

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly handlers: JobHandlers,
    private readonly scheduler: JobScheduler,
    private readonly metrics: MetricsService,
    private readonly db: Db,
  ) {}

  /** Whether this process runs the workers and schedules (or only enqueues). */
  get runsWorkers(): boolean {
    return this.config.jobs.inProcess;
  }

  get status(): { state: JobQueueState; workers: 'in-process' | 'external'; error?: string } {
    return {
      state: this.state,
      workers: this.runsWorkers ? 'in-process' : 'external',
      ...(this.lastError ? { error: this.lastError } : {}),
    };
  }

  /** After every module's init, i.e. after the migrations have run. */
  async onApplicationBootstrap(): Promise<void> {
    const url = this.config.database.url;
    if (!url) {
      throw new Error('JobQueue needs a resolved database URL (see bootstrap).');
    }
    this.state = 'starting';
    const pool = new JobsPool(
      { connectionString: url, max: JOBS_POOL_MAX, application_name: 'anker-jobs' },
      this.logger,
    );
    this.pool = pool;
    const boss = new PgBoss({
      db: pool,
      schema: JOBS_SCHEMA,
      // The schema comes from a migration; pg-boss only checks that its version matches.
      migrate: false,
      // Recurring jobs are ours (JobScheduler): exactly one claim per tick, in the configured time zone.
      schedule: false,
      supervise: this.runsWorkers,
      maintenanceIntervalSeconds: this.config.jobs.maintenanceIntervalSeconds,
    });
    boss.on('error', (error: Error) => {
      this.lastError = error.message;
      this.logger.error({ err: error }, 'Job queue error');
    });
    this.boss = boss;
    try {
      await boss.start();
      for (const handler of this.handlers.all()) {
        await this.declareQueue(boss, handler);
      }
      if (this.runsWorkers) {
        for (const handler of this.handlers.all()) {
          const workers = Math.max(1, handler.options?.concurrency ?? 1);
          const ids: string[] = [];
          for (let index = 0; index < workers; index += 1) {
            let workerId = '';
            workerId = await boss.work<object>(
              handler.name,
              {
                pollingIntervalSeconds: this.config.jobs.pollIntervalMs / 1000,
                batchSize: 1,
                includeMetadata: true,
              },
              async ([job]) => {
                // pg-boss waits a polling interval after every fetch; after a job, look again at once,
                // so a backlog drains at the speed of the handler rather than one job per interval.
                boss.notifyWorker(workerId);
                await this.run(handler, job);
              },
            );
            ids.push(workerId);
          }
          this.workerIds.set(handler.name, ids);
        }
        await this.listen(url);
        this.scheduler.start(
          this.handlers.all().filter((handler) => handler.schedule !== undefined),
          (handler, tick) => this.enqueue(handler.name, { scheduledFor: tick }),
        );
      }
    } catch (error) {
      this.state = 'failed';
      await this.listener?.end().catch(() => undefined);
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      await pool.close().catch(() => undefined);
      throw new Error(`The job queue could not start: ${(error as Error).message}`, { cause: error });
    }
    this.metrics.setQueueDepthSource(() => this.depth());
    this.state = 'running';
    this.logger.log(
      this.runsWorkers
        ? `Job queue running ${this.handlers.all().length} job handlers in this process`
        : 'Job queue: enqueue only (JOBS_IN_PROCESS=false; workers run in `npm run worker`)',
    );
  }

  /**
   * Adds a job for `name`'s handler, in the transaction of the calling service method when there is
   * one (transactional outbox): the job exists if and only if that transaction commits, and no worker
   * sees it before. Outside a transaction it is added at once.
   */
  async enqueue(name: string, data: object, options: EnqueueOptions = {}): Promise<string> {
    if (!this.handlers.get(name)) {
      throw new Error(`No job handler is named "${name}".`);
    }
    const boss = this.requireBoss();
    const db = this.executor;
    const id = await boss.send(name, data, {
      ...(options.startAfter ? { startAfter: options.startAfter } : {}),
      db,
    });
    if (id === null) {
      throw new Error(`The job "${name}" was not enqueued.`);
    }
    if (!options.startAfter) {
      await db.executeSql('SELECT pg_notify($1, $2)', [WAKE_UP_CHANNEL, name]);
    }
    return id;
  }

  /** Waiting and running jobs by queue, across all processes (for `/metrics`). */
  async depth(): Promise<QueueDepth[]> {
    try {
      const rows = await this.requireBoss()
        .getDb()
        .executeSql(
          `SELECT name AS queue, state::text AS state, count(*)::int AS count
           FROM ${JOBS_SCHEMA}.job WHERE state IN ('created', 'retry', 'active') GROUP BY 1, 2`,
          [],
        );
      return rows.rows as QueueDepth[];
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not count the queued jobs');
      return [];
    }
  }

  /** For readiness: the queue's schema answers with the version this code expects. */
  async check(): Promise<{ up: boolean; details: Record<string, unknown> }> {
    if (this.state !== 'running' || !this.boss) {
      return { up: false, details: { ...this.status } };
    }
    try {
      await this.boss.getDb().executeSql(`SELECT version FROM ${JOBS_SCHEMA}.version`, []);
      return { up: true, details: { workers: this.status.workers } };
    } catch {
      return { up: false, details: { ...this.status, message: 'The job tables could not be read.' } };
    }
  }

  /**
   * Graceful shutdown: no new jobs are fetched, schedules stop, running jobs may finish within
   * SHUTDOWN_TIMEOUT_MS (less a second for the rest of the shutdown). Jobs still running then are
   * marked failed and retried by another process or the next start.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    if (!boss || this.state === 'stopped') {
      return;
    }
    this.state = 'stopping';
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.scheduler.stop();
    const deadline = Date.now() + Math.max(this.config.http.shutdownTimeoutMs - 1_000, 1_000);
    await boss.stop({ graceful: true, wait: true, timeout: deadline - Date.now() });
    // pg-boss resolves once no handler runs, not once its worker loops have ended: a fetch under way
    // returns its jobs after that, and a handler fetched in that moment (or still running past the
    // timeout) would outlive the queue. Within the same bound, wait until the jobs fetched are handed
    // back and the handlers have ended, then close the connections.
    await this.pool?.settled(deadline, () => this.running.size > 0);
    await this.pool?.close();
    this.state = 'stopped';
  }

  /** One connection per process LISTENs for enqueued jobs; lost, it reconnects (polling covers the gap). */
  private async listen(url: string): Promise<void> {
    const client = new Client({ connectionString: url, application_name: 'anker-jobs-listener' });
    const reconnect = () => {
      if (this.listener !== client) {
        return;
      }
      this.listener = undefined;
      setTimeout(() => {
        if (this.state === 'running') {
          void this.listen(url).catch((error: Error) =>
            this.logger.warn({ err: error }, 'Could not listen for new jobs; polling'),
          );
        }
      }, 1_000).unref();
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    client.on('notification', (message) => {
      for (const workerId of message.payload ? (this.workerIds.get(message.payload) ?? []) : []) {
        this.boss?.notifyWorker(workerId);
      }
    });
    this.listener = client;
    await client.connect();
    await client.query(`LISTEN ${WAKE_UP_CHANNEL}`);
  }

  private async declareQueue(boss: PgBoss, handler: JobHandler): Promise<void> {
    const options = {
      name: handler.name,
      retryLimit: handler.options?.retryLimit ?? 2,
      retryDelay: handler.options?.retryDelaySeconds ?? 30,
      retryBackoff: handler.options?.retryBackoff ?? false,
      expireInSeconds: handler.options?.expireInSeconds ?? 900,
    };
    // Creating is a no-op for an existing queue; updating applies changed options of the handler.
    // Replicas starting together may deadlock here (one partition per queue): the victim retries.
    await retryOnDeadlock(async () => {
      await boss.createQueue(handler.name, options);
      await boss.updateQueue(handler.name, options);
    });
  }

  private async run(handler: JobHandler, job: PgBoss.JobWithMetadata<object>): Promise<void> {
    if (this.state !== 'running') {
      // Fetched in the moment the queue stopped: failing the attempt hands it back for a retry (as
      // pg-boss does with every job still active at shutdown), instead of starting work now.
      throw new Error('The job queue is stopping; the job will be retried.');
    }
    const attempt = this.attempt(handler, job);
    this.running.add(attempt);
    try {
      await attempt;
    } finally {
      this.running.delete(attempt);
    }
  }

  private async attempt(handler: JobHandler, job: PgBoss.JobWithMetadata<object>): Promise<void> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      await handler.handle(job.data, { id: job.id, attempt: job.retryCount + 1 });
      this.metrics.observeJob(handler.name, 'completed', seconds());
    } catch (error) {
      this.metrics.observeJob(handler.name, 'failed', seconds());
      this.logger.error(
        { err: error, job: handler.name, jobId: job.id, attempt: job.retryCount + 1 },
        `Job ${handler.name} failed`,
      );
      throw error;
    }
  }

  /** pg-boss's statements through `Db`: in the current transaction, if any. */
  private readonly executor: SqlExecutor = {
    executeSql: async (text, values) => ({ rows: await this.db.rows(text, values) }),
  };

  private requireBoss(): PgBoss {
    if (!this.boss || this.state === 'failed') {
      throw new Error('The job queue is not running.');
    }
    return this.boss;
  }
}
