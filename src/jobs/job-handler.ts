import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/**
 * A kind of background job. A module adds one by declaring a provider
 *
 *     @JobHandlerProvider()
 *     @Injectable()
 *     export class ReferralExpiryJob implements JobHandler<{ referralId: string }> {
 *       readonly name = 'referrals.expire';
 *       async handle(data) { … }
 *     }
 *
 * and enqueues it with `JobQueue.enqueue('referrals.expire', data)` inside the transaction of the
 * change that causes it. Nothing in `src/jobs` changes for a new job.
 */
export interface JobHandler<Data = unknown> {
  /** Queue name, `<module>.<job>` (letters, digits, `.`, `-`, `_`). */
  readonly name: string;
  /**
   * A cron expression (in TIME_ZONE) to run the job on a schedule with `{}` as data, or `undefined`.
   * Each tick runs once, whatever the number of processes.
   */
  readonly schedule?: string;
  readonly options?: JobOptions;
  /**
   * Does the work. Throwing fails the attempt; it is retried up to `retryLimit` times. A job may run
   * more than once (a process killed mid-run is retried), so handlers must be idempotent.
   */
  handle(data: Data, job: JobInfo): Promise<void>;
}

export interface JobOptions {
  /** Retries after a failed attempt (default 2). */
  retryLimit?: number;
  /** Seconds before a retry (default 30); doubled each time with `retryBackoff`. */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /**
   * An attempt still running after this many seconds counts as dead (its process was killed) and is
   * retried (default 900; at most 86399). Choose well above the job's longest run.
   */
  expireInSeconds?: number;
  /**
   * Jobs of this handler run at the same time in each process with workers (default 1). For jobs that
   * mostly wait (HTTP calls to other systems), so one slow job does not hold up the others.
   */
  concurrency?: number;
}

export interface JobInfo {
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** Marks a provider as a job handler (see `JobHandler`). */
export const JobHandlerProvider = DiscoveryService.createDecorator<void>();

const JOB_NAME = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;

/** Every `JobHandler` provider of the application, found at start-up. */
@Injectable()
export class JobHandlers implements OnModuleInit {
  private handlers = new Map<string, JobHandler>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const found = this.discovery
      .getProviders({ metadataKey: JobHandlerProvider.KEY })
      .map((wrapper) => wrapper.instance as JobHandler);
    this.handlers = new Map();
    for (const handler of found) {
      if (!JOB_NAME.test(handler.name)) {
        throw new Error(`Job name "${handler.name}" must look like "module.job" (lower case).`);
      }
      if (this.handlers.has(handler.name)) {
        throw new Error(`Two job handlers are named "${handler.name}".`);
      }
      this.handlers.set(handler.name, handler);
    }
  }

  all(): JobHandler[] {
    return [...this.handlers.values()].sort((left, right) => left.name.localeCompare(right.name));
  }

  get(name: string): JobHandler | undefined {
    return this.handlers.get(name);
  }
}
