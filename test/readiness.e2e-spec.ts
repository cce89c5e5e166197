import { createTestApp, type TestApp } from './support/test-app';
import { TEST_ENV, withAdminClient } from './support/test-database';

describe('readiness follows the database and the migrations', () => {
  let t: TestApp;
  const adminUrl = () => process.env[TEST_ENV.adminUrl] as string;

  beforeAll(async () => {
    t = await createTestApp({ env: { DB_POOL_ACQUIRE_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => {
    await withAdminClient(adminUrl(), (client) =>
      client.query(`ALTER DATABASE ${client.escapeIdentifier(t.databaseName)} WITH ALLOW_CONNECTIONS true`),
    );
    await t.close();
  });

  it('is not ready while the database refuses connections, and ready again when it is back', async () => {
    await t.http.get('/health/ready').expect(200);

    await withAdminClient(adminUrl(), async (client) => {
      await client.query(
        `ALTER DATABASE ${client.escapeIdentifier(t.databaseName)} WITH ALLOW_CONNECTIONS false`,
      );
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        t.databaseName,
      ]);
    });

    const down = await t.http.get('/health/ready').expect(503);
    expect(down.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(down.headers['retry-after']).toBe(String(t.config.database.retryAfterSeconds));
    expect(down.body).toMatchObject({
      type: 'urn:anker:problem:not-ready',
      status: 503,
      checks: { database: { status: 'down' } },
    });
    await t.http.get('/health/live').expect(200);

    await withAdminClient(adminUrl(), (client) =>
      client.query(`ALTER DATABASE ${client.escapeIdentifier(t.databaseName)} WITH ALLOW_CONNECTIONS true`),
    );
    const up = await t.http.get('/health/ready').expect(200);
    expect(up.body.details).toEqual({
      database: { status: 'up' },
      migrations: { status: 'up' },
      jobs: { status: 'up', workers: 'in-process' },
    });
  });

  it('is not ready while a migration the code knows is not applied', async () => {
    const { rows } = await t.db.query<{ id: number; timestamp: string; name: string }>(
      'SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1',
    );
    const latest = rows[0];
    await t.db.query('DELETE FROM migrations WHERE id = $1', [latest.id]);
    try {
      const response = await t.http.get('/health/ready').expect(503);
      expect(response.body.checks.migrations).toEqual({ status: 'down', pending: [latest.name] });
      expect(response.body.checks.database).toEqual({ status: 'up' });
      // A state, not a fault: one warning without a stack trace (probes ask every few seconds).
      const logged = t
        .logLines()
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter(
          (entry) =>
            entry.requestId === response.headers['x-request-id'] && entry.msg !== 'request completed',
        );
      expect(logged).toEqual([expect.objectContaining({ level: 'warn', status: 503, msg: 'Not ready' })]);
      expect(JSON.stringify(logged)).not.toContain('stack');
    } finally {
      await t.db.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
        latest.id,
        latest.timestamp,
        latest.name,
      ]);
    }
    await t.http.get('/health/ready').expect(200);
  });
});
