import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { JobQueue } from '../src/jobs/job-queue.service';
import { jobQueueGrants } from '../src/database/runtime-privileges';
import { JobProbesModule, RecordingJob, eventually, startAnotherApp } from './support/job-probes';
import { createTestApp, type TestApp } from './support/test-app';
import { TEST_ENV, withAdminClient } from './support/test-database';

/**
 * The pgboss schema belongs to whoever ran the migrations. A runtime role that owns nothing, with
 * the grants of `jobQueueGrants`, runs the queue: it creates the queues of new job handlers (through
 * the SECURITY DEFINER `create_queue`), enqueues, fetches and completes jobs.
 */
describe('the job queue under a runtime role that owns nothing', () => {
  const role = `anker_jobs_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let t: TestApp;
  let app: NestFastifyApplication | undefined;

  beforeAll(async () => {
    t = await createTestApp();
    await t.db.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await t.db.query(`GRANT CONNECT ON DATABASE ${t.databaseName} TO ${role}`);
    await t.db.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await t.db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    for (const statement of jobQueueGrants(role)) {
      await t.db.query(statement);
    }
  });
  afterAll(async () => {
    await app?.close();
    await t.close();
    await withAdminClient(process.env[TEST_ENV.adminUrl] as string, (client) =>
      client.query(`DROP ROLE IF EXISTS ${role}`),
    );
  });

  it('creates queues, runs jobs and owns nothing', async () => {
    const url = new URL(t.config.database.url!);
    url.username = role;
    url.password = password;
    // A handler whose queue does not exist yet: the restricted role creates it at start-up.
    app = await startAnotherApp(t, {
      url: url.toString(),
      env: { JOBS_POLL_INTERVAL_MS: '500' },
      imports: [JobProbesModule],
    });
    await app.get(JobQueue).enqueue('probe.record', { marker: 'restricted' });
    await eventually(() => app!.get(RecordingJob).runs.length === 1, 15_000, 'the job to run');

    const { rows } = await t.db.query<{ owned: number; queues: number }>(
      `SELECT (SELECT count(*)::int FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1) AS owned,
              (SELECT count(*)::int FROM pgboss.queue WHERE name = 'probe.record') AS queues`,
      [role],
    );
    expect(rows[0]).toEqual({ owned: 0, queues: 1 });
    const denied = await t.db
      .query(`SET ROLE ${role}; CREATE TABLE pgboss.intruder (id int)`)
      .then(() => 'created')
      .catch((error: { code?: string }) => error.code);
    await t.db.query('RESET ROLE');
    expect(denied).toBe('42501');
  });
});
