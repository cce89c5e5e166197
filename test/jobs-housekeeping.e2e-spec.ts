import { randomBytes } from 'node:crypto';
import { JobQueue } from '../src/jobs/job-queue.service';
import { createUser } from './support/auth';
import { eventually } from './support/job-probes';
import { createTestApp, type TestApp } from './support/test-app';

async function count(t: TestApp, sql: string): Promise<number> {
  const { rows } = await t.db.query<{ count: number }>(sql);
  return rows[0].count;
}

describe('housekeeping job', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { SIGN_IN_FAILURE_WINDOW_SECONDS: '900', JOBS_POLL_INTERVAL_MS: '500' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('deletes what has served its purpose and keeps the rest', async () => {
    const user = await createUser(t, { role: 'ADMIN' });
    await t.db.query(
      `INSERT INTO idempotency_keys (principal, key, operation, request_hash, created_at) VALUES
         ('user:probe', 'old', 'POST /api/v1/probe', 'h', now() - interval '25 hours'),
         ('user:probe', 'fresh', 'POST /api/v1/probe', 'h', now() - interval '23 hours')`,
    );
    await t.db.query(
      `INSERT INTO sign_in_limits (key, failures, window_started_at) VALUES
         ('account:old@example.org', 3, now() - interval '16 minutes'),
         ('account:fresh@example.org', 3, now() - interval '14 minutes')`,
    );
    const session = '0b0e9c8e-3a1f-4c55-9d0e-1b2a3c4d5e6f';
    const ended = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
    await t.db.query(
      `INSERT INTO sessions (id, user_id, created_at) VALUES ($1, $3, now()), ($2, $3, now() - interval '40 days')`,
      [session, ended, user.id],
    );
    const token = () => randomBytes(16).toString('hex');
    await t.db.query(
      `INSERT INTO refresh_tokens (session_id, token_hash, expires_at, used_at) VALUES
         ($1, $3, now() - interval '1 minute', NULL),
         ($1, $4, now() - interval '1 minute', now() - interval '2 days'),
         ($1, $5, now() + interval '1 day', now() - interval '1 hour'),
         ($1, $6, now() + interval '1 day', NULL),
         ($2, $7, now() - interval '10 days', NULL)`,
      [session, ended, token(), token(), token(), token(), token()],
    );
    await t.db.query(
      `INSERT INTO job_schedule_ticks (job_name, tick_at) VALUES
         ('probe.old', now() - interval '8 days'), ('probe.fresh', now() - interval '6 days')`,
    );

    const id = await t.app.get(JobQueue).enqueue('jobs.housekeeping', {});
    await eventually(async () => {
      const { rows } = await t.db.query<{ state: string }>(
        `SELECT state::text AS state FROM pgboss.job WHERE id = $1`,
        [id],
      );
      return rows[0]?.state === 'completed';
    });

    expect(await count(t, `SELECT count(*)::int AS count FROM idempotency_keys WHERE key = 'old'`)).toBe(0);
    expect(await count(t, `SELECT count(*)::int AS count FROM idempotency_keys WHERE key = 'fresh'`)).toBe(1);
    expect(
      await count(t, `SELECT count(*)::int AS count FROM sign_in_limits WHERE key LIKE 'account:old%'`),
    ).toBe(0);
    expect(
      await count(t, `SELECT count(*)::int AS count FROM sign_in_limits WHERE key LIKE 'account:fresh%'`),
    ).toBe(1);
    // Expired tokens go, used or not; a used token that has not expired stays (replaying it revokes the session).
    const { rows } = await t.db.query<{ expired: boolean; used: boolean }>(
      `SELECT expires_at < now() AS expired, used_at IS NOT NULL AS used FROM refresh_tokens
        WHERE session_id = $1 ORDER BY used`,
      [session],
    );
    expect(rows).toEqual([
      { expired: false, used: false },
      { expired: false, used: true },
    ]);
    // A session whose refresh tokens have all expired is gone; one with live tokens stays.
    expect(
      (
        await t.db.query<{ id: string }>('SELECT id FROM sessions WHERE id = ANY($1::uuid[])', [
          [session, ended],
        ])
      ).rows,
    ).toEqual([{ id: session }]);
    expect(
      await count(t, `SELECT count(*)::int AS count FROM job_schedule_ticks WHERE job_name LIKE 'probe.%'`),
    ).toBe(1);
  });
});
