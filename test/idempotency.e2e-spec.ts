import { randomUUID } from 'node:crypto';
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
});
