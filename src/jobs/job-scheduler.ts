import { Transactional } from '@nestjs-cls/transactional';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import type { JobHandler } from './job-handler';
import { JobScheduleRepository } from './job-schedule.repository';
import { nextTick, sleepUntil } from './schedule';

/** Enqueues the scheduled job; runs inside the claim's transaction. */
type Enqueue = (handler: JobHandler, tick: string) => Promise<unknown>;

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
    private readonly repository: JobScheduleRepository,
    private readonly clock: Clock,
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

  /** Ticks are read in TIME_ZONE, like every date of the application; real time, never the fixed test clock. */
  private get timeZone(): string {
    return this.clock.timeZone;
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
      if (await this.claimAndEnqueue(handler, tick, enqueue)) {
        this.logger.log(`Scheduled ${handler.name} for ${tick.toISOString()}`);
      }
    } catch (error) {
      this.logger.error({ err: error, job: handler.name }, `Could not schedule ${handler.name}`);
    }
  }

  /** The claim and the job commit together: a claimed tick always has its job, and only one has. */
  @Transactional()
  private async claimAndEnqueue(handler: JobHandler, tick: Date, enqueue: Enqueue): Promise<boolean> {
    if (!(await this.repository.claimTick(handler.name, tick))) {
      return false;
    }
    await enqueue(handler, tick.toISOString());
    return true;
  }
}
