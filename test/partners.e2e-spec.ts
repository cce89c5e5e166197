import { randomBytes } from 'node:crypto';
import { createOffice, createUser, tokenFor, type TestUser } from './support/auth';
import {
  SOME_ID,
  auditCount,
  call,
  expectProblem,
  pages,
  patchCurrent,
  pointersOf,
} from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const unique = (prefix: string) => `${prefix} ${randomBytes(4).toString('hex')}`;

describe('partners and their API clients', () => {
  let t: TestApp;
  let admin: TestUser;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, { role: 'ADMIN' });
    token = await tokenFor(t, admin);
  });
  afterAll(() => t.close());

  const post = (path: string, body: object) => call(t, token, 'post', `/api/v1${path}`, body);
  const patch = (path: string, body: object) => patchCurrent(t, token, `/api/v1${path}`, body);
  const get = (path: string) => call(t, token, 'get', `/api/v1${path}`);
  const del = (path: string) => call(t, token, 'delete', `/api/v1${path}`);

  async function partner(type = 'JOBCENTER'): Promise<string> {
    const response = await post('/partners', { name: unique('Jobcenter'), type, bundesland: 'DE-BE' });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  async function partnerCount(): Promise<number> {
    const { rows } = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM partners');
    return rows[0].count;
  }

  function clientCredentials(clientId: string, clientSecret: string) {
    return t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  }

  describe('partners', () => {
    it('creates, reads, lists and changes a partner with Location, ETag and one audit event per write', async () => {
      const name = unique('Jobcenter Berlin Mitte');
      const created = await post('/partners', { name, type: 'JOBCENTER', bundesland: 'DE-BE' });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(created.headers.location).toBe(`/api/v1/partners/${id}`);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toEqual({
        id,
        name,
        type: 'JOBCENTER',
        bundesland: 'DE-BE',
        version: 1,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
        updatedAt: expect.any(String),
      });
      const { rows } = await t.db.query(
        'SELECT name, type, bundesland, version FROM partners WHERE id = $1',
        [id],
      );
      expect(rows).toEqual([{ name, type: 'JOBCENTER', bundesland: 'DE-BE', version: 1 }]);
      expect(await auditCount(t, 'partner.create', id)).toBe(1);

      const read = await get(`/partners/${id}`);
      expect(read.headers.etag).toBe('"1"');
      expect(read.body).toEqual(created.body);

      const changed = await patch(`/partners/${id}`, { type: 'AGENTUR_FUER_ARBEIT', bundesland: null });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toMatchObject({
        id,
        name,
        type: 'AGENTUR_FUER_ARBEIT',
        bundesland: null,
        version: 2,
      });
      expect((await get(`/partners/${id}`)).body).toEqual(changed.body);
      const renamed = await patch(`/partners/${id}`, { name: `${name} (neu)` });
      expect(renamed.body).toMatchObject({ name: `${name} (neu)`, type: 'AGENTUR_FUER_ARBEIT', version: 3 });
      expect(await auditCount(t, 'partner.update', id)).toBe(2);

      // A partner working nation-wide has no Land.
      const national = await post('/partners', { name: unique('ZAB'), type: 'ZAB' });
      expect(national.status).toBe(201);
      expect(national.body.bundesland).toBeNull();
    });

    it('filters by type and pages with a cursor', async () => {
      const ids = [await partner('KAMMER'), await partner('KAMMER'), await partner('KAMMER')];
      await partner('BILDUNGSTRAEGER');
      const first = await get('/partners?type=KAMMER&limit=2');
      expect(first.status).toBe(200);
      expect(first.body.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 2));
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await get(`/partners?type=KAMMER&limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2]]);
      expect(second.body.nextCursor).toBeNull();
      expect(pointersOf(await get('/partners?type=BEHOERDE'))).toEqual(['#/type']);
    });

    it('validates, refuses mass assignment and answers 404 for unknown ids', async () => {
      const before = await partnerCount();
      expect(pointersOf(await post('/partners', {}))).toEqual(['#/name', '#/type']);
      expect(pointersOf(await post('/partners', { name: ' ', type: 'FIRMA', bundesland: 'Berlin' }))).toEqual(
        ['#/bundesland', '#/name', '#/type'],
      );
      for (const extra of [{ id: SOME_ID }, { version: 2 }, { createdAt: '2020-01-01T00:00:00Z' }]) {
        const response = await post('/partners', { name: 'Massen', type: 'SONSTIGE', ...extra });
        expect(pointersOf(response)).toEqual([`#/${Object.keys(extra)[0]}`]);
      }
      expect(await partnerCount()).toBe(before);

      const id = await partner();
      const current = (await get(`/partners/${id}`)).body;
      expect(pointersOf(await patch(`/partners/${id}`, { type: null }))).toEqual(['#/type']);
      expect(pointersOf(await patch(`/partners/${id}`, { name: 'X', version: 9 }))).toEqual(['#/version']);
      expect(pointersOf(await patch(`/partners/${id}`, {}))).toEqual(['#']);
      expect((await get(`/partners/${id}`)).body).toEqual(current);

      const missing = await get(`/partners/${SOME_ID}`);
      expectProblem(missing, 404, 'not-found');
      expect(missing.body.detail).toBe('No partner with this id.');
      expectProblem(await patch(`/partners/${SOME_ID}`, { name: 'Niemand' }), 404, 'not-found');
      expectProblem(await get('/partners/123'), 400, 'validation-error');
    });
  });

  describe('API clients', () => {
    it('shows the secret once, stores only its argon2id hash, lists without it, and revokes at once', async () => {
      const partnerId = await partner();
      const created = await post(`/partners/${partnerId}/api-clients`, { name: 'Fachverfahren' });
      expect(created.status).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clientId: expect.stringMatching(/^pc_[A-Za-z0-9_-]{22}$/),
        clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        name: 'Fachverfahren',
        createdAt: expect.any(String),
      });
      const { id, clientId, clientSecret } = created.body as {
        id: string;
        clientId: string;
        clientSecret: string;
      };
      expect(Buffer.from(clientSecret, 'base64url')).toHaveLength(32);
      expect(Buffer.from(clientId.slice(3), 'base64url')).toHaveLength(16);
      expect(await auditCount(t, 'api-client.create', id)).toBe(1);

      const { rows } = await t.db.query(
        'SELECT partner_id AS "partnerId", client_id AS "clientId", secret_hash AS "secretHash", revoked_at AS "revokedAt" FROM api_clients WHERE id = $1',
        [id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ partnerId, clientId, revokedAt: null });
      expect(rows[0].secretHash).toMatch(/^\$argon2id\$/);
      expect(rows[0].secretHash).not.toContain(clientSecret);

      // The hash is the secret's: the partner system obtains a token with it.
      const grant = await clientCredentials(clientId, clientSecret);
      expect(grant.status).toBe(200);
      const partnerToken = grant.body.access_token as string;
      expect((await t.http.get('/api/v1/auth/me').auth(partnerToken, { type: 'bearer' })).status).toBe(200);

      const list = await get(`/partners/${partnerId}/api-clients`);
      expect(list.status).toBe(200);
      expect(list.text).not.toContain(clientSecret);
      expect(list.text).not.toContain('$argon2');
      expect(list.text).not.toMatch(/secret/i);
      expect(list.body).toEqual({
        items: [
          {
            id,
            clientId,
            name: 'Fachverfahren',
            createdAt: created.body.createdAt,
            revokedAt: null,
            lastUsedAt: expect.stringMatching(/Z$/),
          },
        ],
        nextCursor: null,
      });

      const revoked = await del(`/partners/${partnerId}/api-clients/${clientId}`);
      expect(revoked.status).toBe(204);
      expect(revoked.text).toBe('');
      const after = await t.db.query('SELECT revoked_at FROM api_clients WHERE id = $1', [id]);
      expect(after.rows[0].revoked_at).toBeInstanceOf(Date);
      const listed = (await get(`/partners/${partnerId}/api-clients`)).body.items[0];
      expect(Date.parse(listed.revokedAt as string)).toBeGreaterThan(Date.now() - 60_000);
      expect(await auditCount(t, 'api-client.revoke', id)).toBe(1);

      // Revoked: no new tokens, and the token it holds stops working at once.
      const refused = await clientCredentials(clientId, clientSecret);
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('invalid_client');
      expect((await t.http.get('/api/v1/auth/me').auth(partnerToken, { type: 'bearer' })).status).toBe(401);

      // Idempotent: a second revocation answers 204 and changes nothing.
      expect((await del(`/partners/${partnerId}/api-clients/${clientId}`)).status).toBe(204);
      const again = await t.db.query('SELECT revoked_at FROM api_clients WHERE id = $1', [id]);
      expect(again.rows[0].revoked_at).toEqual(after.rows[0].revoked_at);
      expect(await auditCount(t, 'api-client.revoke', id)).toBe(1);
    });

    it('revokes by id too; unknown clients, other partners’ clients and unknown partners answer 404', async () => {
      const partnerId = await partner();
      const otherPartner = await partner();
      const first = await post(`/partners/${partnerId}/api-clients`, { name: 'Eins' });
      const foreign = await post(`/partners/${otherPartner}/api-clients`, { name: 'Fremd' });

      expectProblem(await del(`/partners/${partnerId}/api-clients/pc_unknown`), 404, 'not-found');
      expectProblem(await del(`/partners/${partnerId}/api-clients/${SOME_ID}`), 404, 'not-found');
      expectProblem(
        await del(`/partners/${partnerId}/api-clients/${foreign.body.clientId}`),
        404,
        'not-found',
      );
      expectProblem(await del(`/partners/${SOME_ID}/api-clients/${first.body.clientId}`), 404, 'not-found');
      expectProblem(await get(`/partners/${SOME_ID}/api-clients`), 404, 'not-found');
      const unknownPartner = await post(`/partners/${SOME_ID}/api-clients`, { name: 'Niemand' });
      expectProblem(unknownPartner, 404, 'not-found');
      expect(unknownPartner.text).not.toMatch(/clientSecret/);
      expectProblem(await get('/partners/nope/api-clients'), 400, 'validation-error');

      const { rows } = await t.db.query(
        'SELECT count(*)::int AS count FROM api_clients WHERE revoked_at IS NOT NULL AND partner_id = ANY($1)',
        [[partnerId, otherPartner]],
      );
      expect(rows[0].count).toBe(0);

      expect((await del(`/partners/${partnerId}/api-clients/${first.body.id}`)).status).toBe(204);
      const listed = (await get(`/partners/${partnerId}/api-clients`)).body.items;
      expect(listed).toEqual([expect.objectContaining({ id: first.body.id, revokedAt: expect.any(String) })]);
      expect((await get(`/partners/${otherPartner}/api-clients`)).body.items).toEqual([
        expect.objectContaining({ id: foreign.body.id, revokedAt: null }),
      ]);
    });

    it('validates the body, refuses mass assignment, and pages the list', async () => {
      const partnerId = await partner();
      expect(pointersOf(await post(`/partners/${partnerId}/api-clients`, {}))).toEqual(['#/name']);
      expect(pointersOf(await post(`/partners/${partnerId}/api-clients`, { name: '' }))).toEqual(['#/name']);
      for (const extra of [
        { clientId: 'pc_chosen' },
        { clientSecret: 'chosen secret' },
        { secretHash: '$argon2id$x' },
        { revokedAt: null },
        { partnerId: SOME_ID },
      ]) {
        const response = await post(`/partners/${partnerId}/api-clients`, { name: 'Massen', ...extra });
        expect(pointersOf(response)).toEqual([`#/${Object.keys(extra)[0]}`]);
      }
      expect((await get(`/partners/${partnerId}/api-clients`)).body.items).toEqual([]);

      const ids: string[] = [];
      for (const name of ['A', 'B', 'C']) {
        const response = await post(`/partners/${partnerId}/api-clients`, { name });
        ids.push(response.body.id as string);
      }
      expect(await pages(t, token, `/api/v1/partners/${partnerId}/api-clients?limit=2`)).toEqual([
        ids.slice(0, 2),
        [ids[2]],
      ]);
      const first = await get(`/partners/${partnerId}/api-clients?limit=2`);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await get(`/partners/${partnerId}/api-clients?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextCursor: null });
    });
  });

  describe('access', () => {
    const routes: [method: 'get' | 'post' | 'patch' | 'delete', path: string][] = [
      ['post', '/api/v1/partners'],
      ['get', '/api/v1/partners'],
      ['get', `/api/v1/partners/${SOME_ID}`],
      ['patch', `/api/v1/partners/${SOME_ID}`],
      ['post', `/api/v1/partners/${SOME_ID}/api-clients`],
      ['get', `/api/v1/partners/${SOME_ID}/api-clients`],
      ['delete', `/api/v1/partners/${SOME_ID}/api-clients/pc_x`],
    ];

    it('refuses coordinators and advisers on every route with 403 problem+json, and writes nothing', async () => {
      const { networkId, officeId } = await createOffice(t);
      const tokens = {
        COORDINATOR: await tokenFor(t, await createUser(t, { role: 'COORDINATOR', networkId })),
        ADVISER: await tokenFor(t, await createUser(t, { role: 'ADVISER', officeId })),
      };
      const partnerId = await partner();
      const client = await post(`/partners/${partnerId}/api-clients`, { name: 'Ziel' });
      const before = await partnerCount();
      const real = [
        ...routes,
        ['post', `/api/v1/partners/${partnerId}/api-clients`],
        ['get', `/api/v1/partners/${partnerId}/api-clients`],
        ['delete', `/api/v1/partners/${partnerId}/api-clients/${client.body.clientId}`],
        ['patch', `/api/v1/partners/${partnerId}`],
      ] as typeof routes;
      for (const [role, roleToken] of Object.entries(tokens)) {
        for (const [method, path] of real) {
          const body =
            method === 'get' || method === 'delete' ? undefined : { name: 'Verboten', type: 'ZAB' };
          const response = await call(t, roleToken, method, path, body);
          expect({
            role,
            route: `${method} ${path}`,
            status: response.status,
            type: response.body.type,
          }).toEqual({
            role,
            route: `${method} ${path}`,
            status: 403,
            type: 'urn:anker:problem:forbidden',
          });
        }
      }
      expect(await partnerCount()).toBe(before);
      expect((await get(`/partners/${partnerId}`)).body.version).toBe(1);
      const { rows } = await t.db.query(
        'SELECT count(*)::int AS count FROM api_clients WHERE partner_id = $1',
        [partnerId],
      );
      expect(rows[0].count).toBe(1);
      expect((await get(`/partners/${partnerId}/api-clients`)).body.items[0].revokedAt).toBeNull();
    });

    it('answers 401 without a token', async () => {
      for (const [method, path] of routes) {
        expect((await t.http[method](path).send({})).status).toBe(401);
      }
    });
  });
});
