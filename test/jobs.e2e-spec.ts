import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { JobQueue } from '../src/jobs/job-queue.service';
import {
  EverySecondJob,
  FailingJob,
  JobProbesModule,
  ProbeChange,
  RecordingJob,
  ScheduledProbeModule,
  SlowJob,
  eventually,
  sleep,
  startAnotherApp,
} from './support/job-probes';
import { createTestApp, type TestApp } from './support/test-app';

const FAST = { JOBS_POLL_INTERVAL_MS: '500' };

async function jobRows(t: TestApp, name: string) {
  const { rows } = await t.db.query<{
    id: string;
    state: string;
    data: Record<string, unknown>;
    retry_count: number;
  }>(
    `SELECT id, state::text AS state, data, retry_count FROM pgboss.job WHERE name = $1
     UNION ALL SELECT id, state::text, data, retry_count FROM pgboss.archive WHERE name = $1`,
    [name],
  );
  return rows;
}

describe('job queue', () => {
  let t: TestApp;
  let queue: JobQueue;
  let recording: RecordingJob;

  beforeAll(async () => {
    t = await createTestApp({ env: FAST, imports: [JobProbesModule] });
    queue = t.app.get(JobQueue);
    recording = t.app.get(RecordingJob);
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs a job enqueued in a transaction after it commits, and never one whose transaction rolled back', async () => {
    const change = t.app.get(ProbeChange);
    await change.enqueue('committed', {
      beforeCommit: async () => {
        // Outbox: until the commit, no other session (no worker) can see the job.
        expect(await jobRows(t, 'probe.record')).toEqual([]);
        await sleep(1_200);
        expect(recording.runs).toEqual([]);
      },
    });
    await expect(change.enqueue('rolled-back', { fail: true })).rejects.toThrow('the change fails');

    await eventually(() => recording.runs.length === 1, 10_000, 'the committed job to run');
    expect(recording.runs[0]).toMatchObject({ data: { marker: 'committed' }, attempt: 1 });
    await sleep(1_500);
    expect(recording.runs.map((run) => run.data.marker)).toEqual(['committed']);
    const rows = await jobRows(t, 'probe.record');
    expect(rows.map((row) => row.data.marker)).toEqual(['committed']);
  });

  it('drains a backlog at the speed of the handler, not one job per polling interval', async () => {
    const before = recording.runs.length;
    for (let index = 0; index < 50; index++) {
      await queue.enqueue('probe.record', { marker: `backlog-${index}` });
    }
    const started = Date.now();
    await eventually(() => recording.runs.length === before + 50, 10_000, 'the backlog to drain');
    // One job per 500 ms interval would take 25 s.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses to enqueue a job no handler declares', async () => {
    await expect(queue.enqueue('probe.unknown', {})).rejects.toThrow(
      'No job handler is named "probe.unknown"',
    );
  });

  it('reports the queue on /health/ready', async () => {
    const response = await t.http.get('/health/ready').expect(200);
    expect(response.body.details.jobs).toEqual({ status: 'up', workers: 'in-process' });
  });

  it('exports queue depth, failures and job durations on /metrics', async () => {
    await queue.enqueue('probe.fail', {});
    await eventually(() => t.app.get(FailingJob).attempts === 1, 10_000, 'the failing job to run');
    await queue.enqueue(
      'probe.record',
      { marker: 'later' },
      { startAfter: new Date(Date.now() + 3_600_000) },
    );

    const metrics = await eventually(async () => {
      const text = (await t.http.get('/metrics').expect(200)).text;
      return text.includes('job_failures_total{queue="probe.fail"} 1') ? text : undefined;
    });
    expect(metrics).toContain('job_queue_depth{queue="probe.record",state="created"} 1');
    expect(metrics).toContain(
      `job_duration_seconds_count{queue="probe.record",outcome="completed"} ${recording.runs.length}\n`,
    );
    expect(metrics).toMatch(/job_duration_seconds_count\{queue="probe\.fail",outcome="failed"\} 1\n/);
    // Not retried (retryLimit 0): failed for good.
    await eventually(async () => (await jobRows(t, 'probe.fail'))[0]?.state === 'failed');
  });
});

describe('recurring jobs with two processes on one database', () => {
  let t: TestApp;
  let other: NestFastifyApplication;

  beforeAll(async () => {
    t = await createTestApp({ env: FAST, imports: [ScheduledProbeModule] });
    other = await startAnotherApp(t, { env: FAST, imports: [ScheduledProbeModule] });
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it('runs each tick once', async () => {
    const runs = () => [...t.app.get(EverySecondJob).runs, ...other.get(EverySecondJob).runs];
    await eventually(() => runs().length >= 4, 20_000, 'four ticks to run');

    // Both processes claim every tick; the claims table lets one win, and the job runs once.
    const ticks = runs().map((run) => run.data.scheduledFor as string);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const tick of ticks) {
      expect(new Date(tick).getUTCMilliseconds()).toBe(0);
    }
    const { rows } = await t.db.query<{ claims: number; ticks: number }>(
      `SELECT count(*)::int AS claims, count(DISTINCT tick_at)::int AS ticks
         FROM job_schedule_ticks WHERE job_name = 'probe.every-second'`,
    );
    expect(rows[0].claims).toBe(rows[0].ticks);
    expect(rows[0].claims).toBeGreaterThanOrEqual(ticks.length);
  });
});

describe('waking workers up', () => {
  it('runs a committed job at once in any process, without waiting for the next poll', async () => {
    // Polling once a minute: only the notification can wake the workers within the test.
    const slowPolling = { JOBS_POLL_INTERVAL_MS: '60000' };
    const t = await createTestApp({ env: slowPolling, imports: [JobProbesModule] });
    const other = await startAnotherApp(t, { env: slowPolling, imports: [JobProbesModule] });
    try {
      const runs = () => t.app.get(RecordingJob).runs.length + other.get(RecordingJob).runs.length;
      await sleep(2_500);
      for (let index = 0; index < 5; index++) {
        const started = Date.now();
        await t.app.get(ProbeChange).enqueue(`wake-${index}`);
        await eventually(() => runs() === index + 1, 5_000, 'the job to run');
        expect(Date.now() - started).toBeLessThan(1_500);
      }
    } finally {
      await other.close();
      await t.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('waits for a running job to finish', async () => {
    const t = await createTestApp({ env: FAST, imports: [JobProbesModule] });
    try {
      const slow = t.app.get(SlowJob);
      await t.app.get(JobQueue).enqueue('probe.slow', { ms: 2_000 });
      await eventually(() => slow.runs.length === 1, 10_000, 'the slow job to start');

      await t.app.close();
      const closedAt = Date.now();
      expect(slow.runs[0].endedAt).toBeDefined();
      expect(slow.runs[0].endedAt!).toBeLessThanOrEqual(closedAt);
      expect(slow.runs[0].endedAt! - slow.runs[0].startedAt).toBeGreaterThanOrEqual(1_900);
      await eventually(async () => (await jobRows(t, 'probe.slow'))[0]?.state === 'completed');
    } finally {
      await t.close().catch(() => undefined);
    }
  });

  it('waits no longer than SHUTDOWN_TIMEOUT_MS, and the interrupted job is retried', async () => {
    const t = await createTestApp({
      env: { ...FAST, SHUTDOWN_TIMEOUT_MS: '2000' },
      imports: [JobProbesModule],
    });
    const slow = t.app.get(SlowJob);
    try {
      await t.app.get(JobQueue).enqueue('probe.slow', {});
      await eventually(() => slow.runs.length === 1, 10_000, 'the slow job to start');

      const started = Date.now();
      await t.app.close();
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(4_000);
      expect(slow.runs[0].endedAt).toBeUndefined();
      const [row] = await jobRows(t, 'probe.slow');
      // Marked failed at the timeout; with a retry left, another process (or the next start) runs it again.
      expect(row).toMatchObject({ state: 'retry' });
    } finally {
      slow.release();
      await t.close().catch(() => undefined);
    }
  });
});

describe('a shutdown while a worker is fetching', () => {
  it('hands the fetched job back for a retry at once, instead of leaving it active until it expires', async () => {
    const t = await createTestApp({ env: FAST, imports: [JobProbesModule] });
    const recording = t.app.get(RecordingJob);
    const locker = await t.db.connect();
    try {
      // The job table held: the workers' next fetches wait for the lock and are under way when the
      // shutdown begins; the job committed with the lock is what they return once it is released.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE pgboss.job IN ACCESS EXCLUSIVE MODE');
      await locker.query(`INSERT INTO pgboss.job (name, data) VALUES ('probe.record', '{}')`);
      await eventually(async () => {
        const { rows } = await t.db.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'anker-jobs' AND wait_event_type = 'Lock'`,
        );
        return rows[0].count > 0;
      });
      await sleep(2_500); // five polling intervals: every worker has begun a fetch since
      const closing = t.app.close();
      await sleep(500);
      await locker.query('COMMIT');
      await closing;

      expect(recording.runs).toEqual([]);
      const rows = await jobRows(t, 'probe.record');
      expect(rows).toEqual([expect.objectContaining({ state: 'retry', retry_count: 0 })]);
    } finally {
      locker.release();
      await t.close().catch(() => undefined);
    }
  });
});

describe('an API process with JOBS_IN_PROCESS=false', () => {
  it('enqueues but runs no job itself, and says so on /health/ready', async () => {
    const t = await createTestApp({ env: { ...FAST, JOBS_IN_PROCESS: 'false' }, imports: [JobProbesModule] });
    try {
      await t.app.get(JobQueue).enqueue('probe.record', { marker: 'for a worker' });
      const ready = await request(t.baseUrl).get('/health/ready').expect(200);
      expect(ready.body.details.jobs).toEqual({ status: 'up', workers: 'external' });
      await sleep(1_500);
      expect(t.app.get(RecordingJob).runs).toEqual([]);
      expect((await jobRows(t, 'probe.record')).map((row) => row.state)).toEqual(['created']);
    } finally {
      await t.close();
    }
  });
});
