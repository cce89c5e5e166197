import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { adminToken } from './support/auth';
import { call } from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

describe('Idempotency-Key on creating POSTs', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    token = await adminToken(t);
  });
  afterAll(() => t.close());

  const count = async (sql: string, parameters: unknown[]) =>
    (await t.db.query<{ count: number }>(sql, parameters)).rows[0].count;

  it('replays the first response for a repeat and creates once', async () => {
    const key = randomUUID();
    const body = { name: 'Netzwerk Wiederholung', bundeslaender: ['DE-SN'] };
    const first = await call(t, token, 'post', '/api/v1/networks', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const again = await call(t, token, 'post', '/api/v1/networks', body, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await count('SELECT count(*)::int AS count FROM networks WHERE name = $1', [body.name])).toBe(1);
    expect(
      await count(
        "SELECT count(*)::int AS count FROM audit_events WHERE action = 'network.create' AND resource_id = $1",
        [first.body.id],
      ),
    ).toBe(1);
  });

  it('refuses the same key with another body (422) and changes nothing', async () => {
    const key = randomUUID();
    await call(
      t,
      token,
      'post',
      '/api/v1/partners',
      { name: 'Kammer A', type: 'KAMMER' },
      { 'idempotency-key': key },
    );
    const other = await call(
      t,
      token,
      'post',
      '/api/v1/partners',
      { name: 'Kammer B', type: 'KAMMER' },
      { 'idempotency-key': key },
    );
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('urn:anker:problem:unprocessable');
    expect(await count("SELECT count(*)::int AS count FROM partners WHERE name = 'Kammer B'", [])).toBe(0);
  });

  it('creates one row for 50 concurrent POSTs with one key, and all get the same answer', async () => {
    const key = randomUUID();
    const body = { name: 'Gleichzeitig angelegt', type: 'ZAB' };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(t, token, 'post', '/api/v1/partners', body, { 'idempotency-key': key }),
      ),
    );
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([201]));
    expect(new Set(responses.map((response) => response.body.id as string)).size).toBe(1);
    expect(await count('SELECT count(*)::int AS count FROM partners WHERE name = $1', [body.name])).toBe(1);
  });

  it('frees the key when the first request fails, so the corrected request can use it', async () => {
    const key = randomUUID();
    const invalid = await call(
      t,
      token,
      'post',
      '/api/v1/partners',
      { name: '', type: 'KAMMER' },
      { 'idempotency-key': key },
    );
    expect(invalid.status).toBe(400);
    const valid = await call(
      t,
      token,
      'post',
      '/api/v1/partners',
      { name: 'Korrigiert', type: 'KAMMER' },
      { 'idempotency-key': key },
    );
    expect(valid.status).toBe(201);
    expect(valid.headers['idempotent-replayed']).toBeUndefined();
  });

  it('scopes keys to the caller', async () => {
    const key = randomUUID();
    const body = { name: 'Zwei Aufrufer', type: 'SONSTIGE' };
    const other = await adminToken(t);
    const first = await call(t, token, 'post', '/api/v1/partners', body, { 'idempotency-key': key });
    const second = await call(t, other, 'post', '/api/v1/partners', body, { 'idempotency-key': key });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('refuses a malformed key with 400', async () => {
    const response = await call(
      t,
      token,
      'post',
      '/api/v1/partners',
      { name: 'x', type: 'ZAB' },
      { 'idempotency-key': 'a'.repeat(300) },
    );
    expect(response.status).toBe(400);
  });

  describe('the key, the work and the stored response are one transaction', () => {
    const partnersNamed = (name: string) =>
      count('SELECT count(*)::int AS count FROM partners WHERE name = $1', [name]);

    it('a failure after the work (storing the response) leaves nothing: the retry creates exactly one', async () => {
      const key = randomUUID();
      const body = { name: 'Fehler nach der Arbeit', type: 'KAMMER' };
      await t.db.query(`CREATE FUNCTION fail_completion() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'injected failure while storing the response'; END $$`);
      await t.db.query(`CREATE TRIGGER fail_completion BEFORE UPDATE ON idempotency_keys
        FOR EACH ROW EXECUTE FUNCTION fail_completion()`);
      try {
        const failed = await call(t, token, 'post', '/api/v1/partners', body, { 'idempotency-key': key });
        expect(failed.status).toBe(500);
        expect(await partnersNamed(body.name)).toBe(0);
        expect(await count('SELECT count(*)::int AS count FROM idempotency_keys WHERE key = $1', [key])).toBe(
          0,
        );
      } finally {
        await t.db.query('DROP TRIGGER fail_completion ON idempotency_keys');
        await t.db.query('DROP FUNCTION fail_completion()');
      }
      const retry = await call(t, token, 'post', '/api/v1/partners', body, { 'idempotency-key': key });
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      const replay = await call(t, token, 'post', '/api/v1/partners', body, { 'idempotency-key': key });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.id).toBe(retry.body.id);
      expect(await partnersNamed(body.name)).toBe(1);
    });

    it('a process killed mid-request blocks nothing: after a restart the retry runs and creates one', async () => {
      const key = randomUUID();
      const body = { name: 'Prozess abgestürzt', type: 'ZAB' };
      const port = await freePort();
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
        cwd: join(__dirname, '..'),
        env: {
          ...process.env,
          DATABASE_URL: t.config.database.url,
          PORT: String(port),
          JWT_SIGNING_KEY: t.config.auth.signingKey ?? '',
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      });
      const blocker = await t.db.connect();
      try {
        await waitForReady(`http://127.0.0.1:${port}`);
        // Hold the request inside its transaction: the key is claimed, the partner insert waits.
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE partners IN EXCLUSIVE MODE');
        const pending = fetch(`http://127.0.0.1:${port}/api/v1/partners`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify(body),
        }).catch(() => undefined);
        await waitFor(async () => (await waitingInserts()) > 0);
        child.kill('SIGKILL');
        await pending;
      } finally {
        await blocker.query('ROLLBACK');
        blocker.release();
        child.kill('SIGKILL');
      }
      // The restarted service (here: this test's app on the same database) runs the retry.
      const retry = await call(t, token, 'post', '/api/v1/partners', body, { 'idempotency-key': key });
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(await partnersNamed(body.name)).toBe(1);
    });

    async function waitingInserts(): Promise<number> {
      return count(
        `SELECT count(*)::int AS count FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO partners%'`,
        [],
      );
    }
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForReady(baseUrl: string): Promise<void> {
  await waitFor(async () => {
    try {
      return (await fetch(`${baseUrl}/health/ready`)).status === 200;
    } catch {
      return false;
    }
  }, 60_000);
}
