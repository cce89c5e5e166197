import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { JobQueue } from '../src/jobs/job-queue.service';
import { eventually } from './support/job-probes';
import { createTestApp, type TestApp } from './support/test-app';

/** `npm run worker` as a real process on the test's database. */
function startWorker(t: TestApp): {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'src', 'scripts', 'worker.ts')],
    {
      cwd: join(__dirname, '..'),
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: t.config.database.url,
        JWT_SIGNING_KEY: randomBytes(32).toString('base64url'),
        LOG_LEVEL: 'info',
        JOBS_POLL_INTERVAL_MS: '500',
        JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
        // Whatever the API says: the worker runs the workers.
        JOBS_IN_PROCESS: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

async function housekeepingJob(t: TestApp, id: string) {
  const { rows } = await t.db.query<{ state: string; retry_count: number }>(
    `SELECT state::text AS state, retry_count FROM pgboss.job WHERE id = $1
     UNION ALL SELECT state::text, retry_count FROM pgboss.archive WHERE id = $1`,
    [id],
  );
  return rows[0];
}

async function insertOldIdempotencyKey(t: TestApp, key: string): Promise<void> {
  await t.db.query(
    `INSERT INTO idempotency_keys (principal, key, operation, request_hash, created_at)
     VALUES ('user:probe', $1, 'POST /api/v1/probe', 'hash', now() - interval '25 hours')`,
    [key],
  );
}

async function idempotencyKeys(t: TestApp): Promise<number> {
  const { rows } = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM idempotency_keys');
  return rows[0].count;
}

describe('npm run worker next to an API with JOBS_IN_PROCESS=false', () => {
  jest.setTimeout(180_000);
  let t: TestApp;
  let worker: ReturnType<typeof startWorker> | undefined;

  beforeAll(async () => {
    t = await createTestApp({ env: { JOBS_IN_PROCESS: 'false' } });
  });
  afterAll(async () => {
    if (worker && worker.process.exitCode === null) {
      worker.process.kill('SIGTERM');
      await worker.exited;
    }
    await t.close();
  });

  it('runs the jobs the API enqueues, and stops gracefully on SIGTERM', async () => {
    worker = startWorker(t);
    await eventually(() => worker!.output().includes('Anker worker running'), 90_000, 'the worker to start');
    await insertOldIdempotencyKey(t, 'old-1');

    const id = await t.app.get(JobQueue).enqueue('jobs.housekeeping', {});
    await eventually(async () => (await housekeepingJob(t, id))?.state === 'completed', 20_000, 'the job');
    expect(await idempotencyKeys(t)).toBe(0);

    worker.process.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('Stopped');
  });

  it('retries a job whose process was killed mid-run once the worker is back', async () => {
    worker = startWorker(t);
    await eventually(() => worker!.output().includes('Anker worker running'), 90_000, 'the worker to start');
    await insertOldIdempotencyKey(t, 'old-2');

    // Holding a lock the job needs keeps it running while its process is killed.
    const blocker = await t.db.connect();
    let id: string;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE idempotency_keys IN ACCESS EXCLUSIVE MODE');
      id = await t.app.get(JobQueue).enqueue('jobs.housekeeping', {});
      await eventually(
        async () => (await housekeepingJob(t, id))?.state === 'active',
        20_000,
        'the job to start',
      );
      worker.process.kill('SIGKILL');
      await worker.exited;
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    expect(await housekeepingJob(t, id)).toMatchObject({ state: 'active', retry_count: 0 });

    // The job's expiry (15 minutes for housekeeping) passes: it counts as dead from now on.
    await t.db.query(`UPDATE pgboss.job SET started_on = now() - interval '1 hour' WHERE id = $1`, [id]);
    worker = startWorker(t);
    await eventually(
      async () => (await housekeepingJob(t, id))?.state === 'retry',
      90_000,
      'the restarted worker to find the dead job',
    );
    // … and its retry delay (30 s) passes too.
    await t.db.query(`UPDATE pgboss.job SET start_after = now() WHERE id = $1`, [id]);
    await eventually(
      async () => (await housekeepingJob(t, id))?.state === 'completed',
      90_000,
      'the job to be retried and complete',
    );
    expect(await housekeepingJob(t, id)).toMatchObject({ state: 'completed', retry_count: 1 });
  });
});
