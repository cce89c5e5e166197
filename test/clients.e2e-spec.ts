import { createApiClient, createUser, partnerToken, tokenFor } from './support/auth';
import { clientBody, createAdviser, registerClient, type TestAdviser } from './support/clients';
import {
  call,
  expectProblem,
  pages,
  patchCurrent,
  pointersOf,
  PROBLEM,
  SOME_ID,
} from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const CLIENTS = '/api/v1/clients';

async function clientCount(t: TestApp): Promise<number> {
  const { rows } = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM clients');
  return rows[0].count;
}

async function auditActions(t: TestApp, clientId: string): Promise<string[]> {
  const { rows } = await t.db.query<{ action: string }>(
    'SELECT action FROM audit_events WHERE client_id = $1 ORDER BY occurred_at, id',
    [clientId],
  );
  return rows.map((row) => row.action);
}

describe('clients', () => {
  let t: TestApp;
  let adviser: TestAdviser;
  let colleague: TestAdviser;
  let stranger: TestAdviser;

  beforeAll(async () => {
    t = await createTestApp();
    adviser = await createAdviser(t);
    colleague = await createAdviser(t, adviser);
    stranger = await createAdviser(t);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('registration', () => {
    it('creates a client of the adviser’s office with Location, ETag, no-store and one audit event', async () => {
      const body = clientBody();
      const response = await call(t, adviser.token, 'post', CLIENTS, body);
      expect(response.status).toBe(201);
      expect(response.headers.location).toBe(`${CLIENTS}/${response.body.id}`);
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toMatchObject({
        ...body,
        officeId: adviser.officeId,
        birthYear: 1991,
        erasedAt: null,
        version: 1,
      });
      const { rows } = await t.db.query('SELECT office_id, created_by, name_key FROM clients WHERE id = $1', [
        response.body.id,
      ]);
      expect(rows[0]).toMatchObject({ office_id: adviser.officeId, created_by: adviser.userId });
      expect(rows[0].name_key).toMatch(/^[a-z ]+$/);
      expect(await auditActions(t, response.body.id)).toEqual(['client.create']);
    });

    it('names every invalid field and stores nothing', async () => {
      const before = await clientCount(t);
      const response = await call(
        t,
        adviser.token,
        'post',
        CLIENTS,
        clientBody({
          firstName: undefined,
          gender: 'F',
          birthDate: '1991-02-30',
          nationalities: ['SY', 'QQ'],
          benefits: ['SGB_II', 'SGB_II'],
          iscedLevel: 9,
          email: 'not-an-address',
        }),
      );
      expect(pointersOf(response)).toEqual([
        '#/benefits',
        '#/birthDate',
        '#/email',
        '#/firstName',
        '#/gender',
        '#/iscedLevel',
        '#/nationalities',
      ]);
      expect(await clientCount(t)).toBe(before);
    });

    it('checks rules across fields', async () => {
      const response = await call(
        t,
        adviser.token,
        'post',
        CLIENTS,
        clientBody({ birthYear: 1990, arrivalYear: 1985, benefits: ['KEINE', 'SGB_II'] }),
      );
      expect(pointersOf(response)).toEqual(['#/arrivalYear', '#/benefits', '#/birthYear']);
    });

    it.each(['id', 'officeId', 'version', 'createdAt', 'erasedAt', 'nameKey'])(
      'refuses %s in the body (mass assignment) and stores nothing',
      async (member) => {
        const before = await clientCount(t);
        const response = await call(t, adviser.token, 'post', CLIENTS, {
          ...clientBody(),
          [member]: member === 'version' ? 7 : member === 'id' || member === 'officeId' ? SOME_ID : 'x',
        });
        expect(pointersOf(response)).toEqual([`#/${member}`]);
        expect(await clientCount(t)).toBe(before);
      },
    );
  });

  describe('duplicate detection', () => {
    it.each([
      [
        { firstName: 'Anna', lastName: 'Müller' },
        { firstName: 'Anna', lastName: 'Mueller' },
      ],
      [
        { firstName: 'Anna', lastName: 'Müller' },
        { firstName: 'Anna', lastName: 'Muller' },
      ],
      [
        { firstName: 'Dragana', lastName: 'Jovanović' },
        { firstName: 'Dragana', lastName: 'Jovanovic' },
      ],
      [
        { firstName: 'Oksana', lastName: 'Kovalenko' },
        { firstName: 'Kovalenko', lastName: 'Oksana' },
      ],
      [
        { firstName: 'Mohammed', lastName: 'Al-Hassan' },
        { firstName: 'Mohamed', lastName: 'Al Hasan' },
      ],
      [
        { firstName: 'Jürgen', lastName: 'Weiß' },
        { firstName: 'JUERGEN', lastName: 'Weiss' },
      ],
    ])('%j then %j with the same birth date → 409 duplicate-client', async (first, second) => {
      const office = await createAdviser(t);
      const existing = await registerClient(t, office.token, { ...first, birthDate: '1985-06-01' });
      const before = await clientCount(t);
      const response = await call(
        t,
        office.token,
        'post',
        CLIENTS,
        clientBody({ ...second, birthDate: '1985-06-01' }),
      );
      expectProblem(response, 409, 'duplicate-client');
      expect(response.body.candidateIds).toEqual([existing.id]);
      expect(await clientCount(t)).toBe(before);

      const anyway = await call(
        t,
        office.token,
        'post',
        `${CLIENTS}?allowDuplicate=true`,
        clientBody({ ...second, birthDate: '1985-06-01' }),
      );
      expect(anyway.status).toBe(201);
    });

    it('does not flag another birth date, another person or another office', async () => {
      const office = await createAdviser(t);
      await registerClient(t, office.token, {
        firstName: 'Anna',
        lastName: 'Müller',
        birthDate: '1985-06-01',
      });
      for (const [token, body] of [
        [office.token, { firstName: 'Anna', lastName: 'Müller', birthDate: '1985-06-02' }],
        [office.token, { firstName: 'Anna', lastName: 'Meyer', birthDate: '1985-06-01' }],
        [stranger.token, { firstName: 'Anna', lastName: 'Müller', birthDate: '1985-06-01' }],
      ] as const) {
        const response = await call(t, token, 'post', CLIENTS, clientBody(body));
        expect(response.status).toBe(201);
      }
    });
  });

  describe('search', () => {
    let hadad: { id: string };
    let namesake: { id: string };

    beforeAll(async () => {
      hadad = await registerClient(t, adviser.token, {
        firstName: 'Yasmin',
        lastName: 'Haddad-Khalil',
        birthDate: '1990-01-15',
      });
      namesake = await registerClient(t, adviser.token, {
        firstName: 'Yasmin',
        lastName: 'Haddad-Khalil',
        birthDate: '1979-09-09',
      });
      await registerClient(t, stranger.token, { firstName: 'Yasmin', lastName: 'Haddad-Khalil' });
    });

    it.each(['Jasmin Hadad Khalil', 'yasmin haddad', 'Haddad-Khalil', 'Khalil Yasmin', 'Yasmín Hadad'])(
      'finds "%s" in the own office only',
      async (name) => {
        const response = await call(t, adviser.token, 'post', `${CLIENTS}/search`, { name });
        expect(response.status).toBe(200);
        const ids = (response.body.items as { id: string }[]).map((item) => item.id);
        expect(ids).toEqual(expect.arrayContaining([hadad.id, namesake.id]));
        expect(ids).toHaveLength(2);
      },
    );

    it('ranks the client with the given birth date first and records each hit in its access log', async () => {
      const response = await call(t, adviser.token, 'post', `${CLIENTS}/search`, {
        name: 'Yasmin Haddad Khalil',
        birthDate: '1979-09-09',
      });
      expect(response.status).toBe(200);
      expect(response.body.items[0]).toMatchObject({ id: namesake.id, score: 1 });
      expect(await auditActions(t, namesake.id)).toContain('client.search');
    });

    it('answers an empty list for an unknown name, 400 for a name without letters', async () => {
      const none = await call(t, adviser.token, 'post', `${CLIENTS}/search`, { name: 'Zbigniew Xylander' });
      expect(none.body).toEqual({ items: [] });
      expect(pointersOf(await call(t, adviser.token, 'post', `${CLIENTS}/search`, { name: '1234' }))).toEqual(
        ['#/name'],
      );
    });
  });

  describe('list', () => {
    it('pages through the own office only, newest first, with filters', async () => {
      const office = await createAdviser(t);
      const ids: string[] = [];
      for (const nationality of ['SY', 'UA', 'SY', 'TR', 'SY']) {
        ids.push((await registerClient(t, office.token, { nationalities: [nationality] })).id);
      }
      await registerClient(t, stranger.token, { nationalities: ['SY'] });
      const all = await pages(t, office.token, `${CLIENTS}?limit=2`);
      expect(all.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(all.flat()).toEqual([...ids].reverse());

      const syrian = await call(t, office.token, 'get', `${CLIENTS}?nationality=SY`);
      expect((syrian.body.items as { id: string }[]).map((item) => item.id)).toEqual([
        ids[4],
        ids[2],
        ids[0],
      ]);
      const none = await call(t, office.token, 'get', `${CLIENTS}?residenceStatus=DULDUNG`);
      expect(none.body.items).toEqual([]);
      expect(pointersOf(await call(t, office.token, 'get', `${CLIENTS}?nationality=Syria&limit=0`))).toEqual([
        '#/limit',
        '#/nationality',
      ]);
      expect(await auditActions(t, ids[0])).toEqual(['client.create', 'client.list', 'client.list']);
    });
  });

  describe('read and change', () => {
    it('reads with ETag and exactly one audit event; a colleague of the office reads it too', async () => {
      const client = await registerClient(t, adviser.token);
      const response = await call(t, colleague.token, 'get', `${CLIENTS}/${client.id}`);
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual(client);
      expect(await auditActions(t, client.id)).toEqual(['client.create', 'client.read']);
    });

    it('changes members, empties optional ones with null, keeps the rest', async () => {
      const client = await registerClient(t, adviser.token);
      const response = await patchCurrent(t, adviser.token, `${CLIENTS}/${client.id}`, {
        lastName: 'Haddad-Nasser',
        email: null,
        birthDate: '1992-05-05',
        nationalities: ['SY', 'DE'],
      });
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"2"');
      expect(response.body).toMatchObject({
        firstName: client.firstName,
        lastName: 'Haddad-Nasser',
        email: null,
        birthDate: '1992-05-05',
        birthYear: 1992,
        nationalities: ['SY', 'DE'],
        version: 2,
      });
      const refused = await patchCurrent(t, adviser.token, `${CLIENTS}/${client.id}`, { firstName: null });
      expect(pointersOf(refused)).toEqual(['#/firstName']);
    });

    it('needs If-Match (428) and refuses a stale one (412 with the current ETag)', async () => {
      const client = await registerClient(t, adviser.token);
      expectProblem(
        await call(t, adviser.token, 'patch', `${CLIENTS}/${client.id}`, { city: 'Köln' }),
        428,
        'precondition-required',
      );
      await patchCurrent(t, adviser.token, `${CLIENTS}/${client.id}`, { city: 'Köln' });
      const stale = await call(
        t,
        adviser.token,
        'patch',
        `${CLIENTS}/${client.id}`,
        { city: 'Bonn' },
        { 'if-match': '"1"' },
      );
      expectProblem(stale, 412, 'precondition-failed');
      expect(stale.headers.etag).toBe('"2"');
    });

    it('50 concurrent PATCHes with one If-Match: exactly one wins', async () => {
      const client = await registerClient(t, adviser.token);
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          call(
            t,
            adviser.token,
            'patch',
            `${CLIENTS}/${client.id}`,
            { city: `Stadt ${index}` },
            { 'if-match': '"1"' },
          ),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(49);
      const { rows } = await t.db.query('SELECT version FROM clients WHERE id = $1', [client.id]);
      expect(rows[0].version).toBe(2);
    });

    it('50 concurrent POSTs with one Idempotency-Key create one client', async () => {
      const body = clientBody();
      const before = await clientCount(t);
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          call(t, adviser.token, 'post', CLIENTS, body, {
            'idempotency-key': `key-${String(body.firstName)}`,
          }),
        ),
      );
      expect(new Set(responses.map((response) => response.status))).toEqual(new Set([201]));
      expect(new Set(responses.map((response) => (response.body as { id: string }).id)).size).toBe(1);
      expect(await clientCount(t)).toBe(before + 1);
    });
  });

  describe('who may see client data', () => {
    it('coordinators, administrators and partner systems get 403 on every client route', async () => {
      const client = await registerClient(t, adviser.token);
      const coordinator = await tokenFor(
        t,
        await createUser(t, { role: 'COORDINATOR', networkId: adviser.networkId }),
      );
      const admin = await tokenFor(t, await createUser(t, { role: 'ADMIN' }));
      const partner = await partnerToken(t, await createApiClient(t));
      for (const token of [coordinator, admin, partner]) {
        for (const [method, path] of [
          ['get', CLIENTS],
          ['get', `${CLIENTS}/${client.id}`],
          ['post', `${CLIENTS}/search`],
          ['get', `${CLIENTS}/${client.id}/export`],
          ['get', `${CLIENTS}/${client.id}/access-log`],
        ] as const) {
          const response = await call(
            t,
            token,
            method,
            path,
            method === 'post' ? { name: 'Amina' } : undefined,
          );
          expectProblem(response, 403, 'forbidden');
        }
      }
      // Each refusal of a route to this client's data leaves a DENIED trace (3 roles × 3 routes with its id).
      expect(await auditActions(t, client.id)).toEqual(['client.create', ...Array(9).fill('access.denied')]);
      const { rows } = await t.db.query<{ outcome: string; resourceId: string }>(
        `SELECT DISTINCT outcome, resource_id AS "resourceId" FROM audit_events
          WHERE client_id = $1 AND action = 'access.denied' ORDER BY 2`,
        [client.id],
      );
      expect(rows).toEqual([
        { outcome: 'DENIED', resourceId: 'GET /api/v1/clients/:id' },
        { outcome: 'DENIED', resourceId: 'GET /api/v1/clients/:id/access-log' },
        { outcome: 'DENIED', resourceId: 'GET /api/v1/clients/:id/export' },
      ]);
      const listed = await call(t, admin, 'get', `/api/v1/audit-events?outcome=DENIED&clientId=${client.id}`);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toHaveLength(9);
    });

    it('another office’s adviser gets 404 for an existing client, like for an unknown id', async () => {
      const client = await registerClient(t, adviser.token);
      const foreign = await call(t, stranger.token, 'get', `${CLIENTS}/${client.id}`);
      const unknown = await call(t, stranger.token, 'get', `${CLIENTS}/${SOME_ID}`);
      expectProblem(foreign, 404, 'not-found');
      expect(foreign.body.detail).toBe(unknown.body.detail);
      expect(foreign.headers['content-type']).toBe(PROBLEM);
    });
  });
});
