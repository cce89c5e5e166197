import { Transactional } from '@nestjs-cls/transactional';
import { Injectable, Module, type ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { createApp } from '../../src/app.setup';
import { createRootLogger } from '../../src/common/logging/logger';
import { loadConfig } from '../../src/config/config';
import { JobHandlerProvider, type JobHandler, type JobInfo } from '../../src/jobs/job-handler';
import { JobQueue } from '../../src/jobs/job-queue.service';
import type { TestApp } from './test-app';

/** What a probe job saw: its data and attempt, when it started and ended. */
export interface ProbeRun {
  data: Record<string, unknown>;
  attempt: number;
  startedAt: number;
  endedAt?: number;
}

/** Records every run; `probe.record` in the tests. */
@JobHandlerProvider()
@Injectable()
export class RecordingJob implements JobHandler<Record<string, unknown>> {
  readonly name = 'probe.record';
  readonly runs: ProbeRun[] = [];

  handle(data: Record<string, unknown>, job: JobInfo): Promise<void> {
    this.runs.push({ data, attempt: job.attempt, startedAt: Date.now(), endedAt: Date.now() });
    return Promise.resolve();
  }
}

/** Always fails, never retried. */
@JobHandlerProvider()
@Injectable()
export class FailingJob implements JobHandler {
  readonly name = 'probe.fail';
  readonly options = { retryLimit: 0 };
  attempts = 0;

  handle(): Promise<void> {
    this.attempts += 1;
    return Promise.reject(new Error('probe job fails on purpose'));
  }
}

/** Runs until `release()` (or `data.ms` milliseconds), to have a job in flight. */
@JobHandlerProvider()
@Injectable()
export class SlowJob implements JobHandler<{ ms?: number }> {
  readonly name = 'probe.slow';
  readonly options = { retryLimit: 1, retryDelaySeconds: 0 };
  readonly runs: ProbeRun[] = [];
  private releases: (() => void)[] = [];

  async handle(data: { ms?: number }, job: JobInfo): Promise<void> {
    const run: ProbeRun = { data, attempt: job.attempt, startedAt: Date.now() };
    this.runs.push(run);
    await new Promise<void>((resolve) => {
      this.releases.push(resolve);
      if (data.ms !== undefined) {
        setTimeout(resolve, data.ms);
      }
    });
    run.endedAt = Date.now();
  }

  release(): void {
    for (const release of this.releases.splice(0)) {
      release();
    }
  }
}

/** Scheduled every second (six-field cron). */
@JobHandlerProvider()
@Injectable()
export class EverySecondJob implements JobHandler<{ scheduledFor: string }> {
  readonly name = 'probe.every-second';
  readonly schedule = '* * * * * *';
  readonly runs: ProbeRun[] = [];

  handle(data: { scheduledFor: string }, job: JobInfo): Promise<void> {
    this.runs.push({ data, attempt: job.attempt, startedAt: Date.now(), endedAt: Date.now() });
    return Promise.resolve();
  }
}

/** A service method that enqueues in its transaction, like a module's change would. */
@Injectable()
export class ProbeChange {
  constructor(private readonly queue: JobQueue) {}

  /** Enqueues `probe.record`; `beforeCommit` runs inside the transaction; `fail` rolls it back. */
  @Transactional()
  async enqueue(
    marker: string,
    options: { fail?: boolean; beforeCommit?: () => Promise<void> } = {},
  ): Promise<void> {
    await this.queue.enqueue('probe.record', { marker });
    await options.beforeCommit?.();
    if (options.fail) {
      throw new Error('the change fails');
    }
  }
}

@Module({ providers: [RecordingJob, FailingJob, SlowJob, ProbeChange] })
export class JobProbesModule {}

@Module({ providers: [EverySecondJob] })
export class ScheduledProbeModule {}

/**
 * Another process on the test's database: a second application instance with its own pools and
 * workers (what a second replica or `npm run worker` would be).
 */
export async function startAnotherApp(
  t: TestApp,
  options: { env?: Record<string, string>; imports?: ModuleMetadata['imports']; url?: string } = {},
): Promise<NestFastifyApplication> {
  const config = loadConfig({
    LOG_LEVEL: 'info',
    PORT: '0',
    JWT_SIGNING_KEY: randomBytes(32).toString('base64url'),
    ...options.env,
    DATABASE_URL: options.url ?? t.config.database.url!,
  });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  __resetOutOfContextForTests();
  const app = await createApp({
    config,
    logger: createRootLogger(config.logLevel, sink),
    imports: options.imports,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

/** Polls `condition` every 100 ms until it holds, or fails after `timeoutMs`. */
export async function eventually<T>(
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
