import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import type { JobHandler } from './job-handler';
import { nextTick, sleepUntil } from './schedule';

type Enqueue = (handler: JobHandler, tick: string, manager: EntityManager) => Promise<unknown>;

/**
 * Runs the recurring jobs. Every process with workers sleeps until a schedule's next tick, then tries
 * to claim it (one row per job and tick in `job_schedule_ticks`); the one whose insert succeeds
 * enqueues the job in the same transaction. So each tick runs once with any number of processes, and
 * a tick at which no process was running is skipped (not caught up): the next tick comes instead.
 */
@Injectable()
export class JobScheduler {
  private readonly logger = new Logger(JobScheduler.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly claims = new Set<Promise<void>>();
  private stopped = true;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  start(handlers: JobHandler[], enqueue: Enqueue): void {
    this.stopped = false;
    for (const handler of handlers) {
      this.arm(handler, nextTick(handler.schedule!, this.timeZone, new Date()), enqueue);
    }
  }

  /** No tick is claimed after this; a claim in progress completes. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    await Promise.allSettled([...this.claims]);
  }

  private get timeZone(): string {
    return (this.config as AppConfig & { timeZone?: string }).timeZone ?? 'Europe/Berlin';
  }

  private arm(handler: JobHandler, tick: Date, enqueue: Enqueue): void {
    if (this.stopped) {
      return;
    }
    const wait = sleepUntil(tick, new Date());
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (sleepUntil(tick, new Date()) > 0) {
        // Woken early (a wait longer than one timer, or clock adjustments): sleep on.
        this.arm(handler, tick, enqueue);
        return;
      }
      const claim = this.claim(handler, tick, enqueue).finally(() => this.claims.delete(claim));
      this.claims.add(claim);
      this.arm(handler, nextTick(handler.schedule!, this.timeZone, tick), enqueue);
    }, wait);
    // A pending tick must not keep a process alive that is otherwise done.
    timer.unref();
    this.timers.add(timer);
  }

  private async claim(handler: JobHandler, tick: Date, enqueue: Enqueue): Promise<void> {
    try {
      const claimed = await this.dataSource.transaction(async (manager) => {
        const rows: unknown[] = await manager.query(
          `INSERT INTO job_schedule_ticks (job_name, tick_at) VALUES ($1, $2)
           ON CONFLICT DO NOTHING RETURNING job_name`,
          [handler.name, tick.toISOString()],
        );
        if (rows.length === 1) {
          await enqueue(handler, tick.toISOString(), manager);
        }
        return rows.length === 1;
      });
      if (claimed) {
        this.logger.log(`Scheduled ${handler.name} for ${tick.toISOString()}`);
      }
    } catch (error) {
      this.logger.error({ err: error, job: handler.name }, `Could not schedule ${handler.name}`);
    }
  }
}
