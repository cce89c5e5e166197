import { adminToken } from './support/auth';
import { PROBLEM, call } from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

/** Optimistic concurrency on every PATCH: If-Match with the ETag, 428 without, 412 when stale. */
describe('If-Match on changes', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    token = await adminToken(t);
  });
  afterAll(() => t.close());

  async function createNetwork(name: string): Promise<{ id: string; etag: string }> {
    const response = await call(t, token, 'post', '/api/v1/networks', { name, bundeslaender: ['DE-HH'] });
    expect(response.status).toBe(201);
    return { id: response.body.id as string, etag: response.headers.etag };
  }

  it('needs If-Match (428) and changes nothing without it', async () => {
    const { id, etag } = await createNetwork('Ohne If-Match');
    expect(etag).toBe('"1"');
    const response = await call(t, token, 'patch', `/api/v1/networks/${id}`, { name: 'Geändert' });
    expect(response.status).toBe(428);
    expect(response.headers['content-type']).toBe(PROBLEM);
    expect(response.body.type).toBe('urn:anker:problem:precondition-required');
    const { rows } = await t.db.query('SELECT name, version FROM networks WHERE id = $1', [id]);
    expect(rows).toEqual([{ name: 'Ohne If-Match', version: 1 }]);
  });

  it('refuses a stale version with 412 and the current ETag, and accepts the current one', async () => {
    const { id } = await createNetwork('Veraltet');
    const first = await call(
      t,
      token,
      'patch',
      `/api/v1/networks/${id}`,
      { name: 'Erste Änderung' },
      { 'if-match': '"1"' },
    );
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"2"');

    const stale = await call(
      t,
      token,
      'patch',
      `/api/v1/networks/${id}`,
      { name: 'Verlorene Änderung' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.headers.etag).toBe('"2"');
    expect(stale.body.type).toBe('urn:anker:problem:precondition-failed');

    const malformed = await call(
      t,
      token,
      'patch',
      `/api/v1/networks/${id}`,
      { name: 'x' },
      { 'if-match': '*' },
    );
    expect(malformed.status).toBe(412);

    const { rows } = await t.db.query('SELECT name, version FROM networks WHERE id = $1', [id]);
    expect(rows).toEqual([{ name: 'Erste Änderung', version: 2 }]);
    const audits = await t.db.query(
      "SELECT count(*)::int AS count FROM audit_events WHERE action = 'network.update' AND resource_id = $1",
      [id],
    );
    expect(audits.rows[0].count).toBe(1);
  });

  it.each([
    ['/api/v1/networks', 'network'],
    ['/api/v1/partners', 'partner'],
  ])('lets exactly one of 50 concurrent PATCHes with the same If-Match win (%s)', async (collection) => {
    const body = collection.endsWith('networks')
      ? { name: `Gleichzeitig ${collection}`, bundeslaender: ['DE-HB'] }
      : { name: 'Gleichzeitig', type: 'KAMMER' };
    const created = await call(t, token, 'post', collection, body);
    expect(created.status).toBe(201);
    const path = `${collection}/${created.body.id as string}`;
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        call(t, token, 'patch', path, { name: `Version ${index}` }, { 'if-match': created.headers.etag }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(49);
    const table = collection.endsWith('networks') ? 'networks' : 'partners';
    const { rows } = await t.db.query(`SELECT version FROM ${table} WHERE id = $1`, [created.body.id]);
    expect(rows[0].version).toBe(2);
  });

  it('answers 404 for an unknown id whatever the If-Match', async () => {
    const response = await call(
      t,
      token,
      'patch',
      '/api/v1/networks/5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61',
      { name: 'Niemand' },
      { 'if-match': '"1"' },
    );
    expect(response.status).toBe(404);
  });
});
