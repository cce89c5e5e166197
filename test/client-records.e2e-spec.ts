import { randomUUID } from 'node:crypto';
import { calendarDate } from '../src/common/time/clock';
import type { Response } from 'supertest';
import { createAdviser, registerClient, type TestAdviser } from './support/clients';
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
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CURRENT_YEAR = new Date().getUTCFullYear();

/** A day relative to today (UTC), `YYYY-MM-DD`. */
function day(offsetDays: number): string {
  return calendarDate(new Date(Date.now() + offsetDays * 86_400_000), 'Europe/Berlin');
}

const TABLES = ['client_qualifications', 'consents', 'consultations'] as const;
type RecordTable = (typeof TABLES)[number];

const qualificationBody = (overrides: Record<string, unknown> = {}) => ({
  kind: 'HOCHSCHULABSCHLUSS',
  titleOriginal: 'Магістр медсестринства',
  titleDe: 'Master Pflegewissenschaft',
  country: 'UA',
  yearAwarded: 2012,
  durationMonths: 48,
  experienceMonths: 36,
  ...overrides,
});

const consentBody = (overrides: Record<string, unknown> = {}) => ({
  purpose: 'BERATUNG',
  givenOn: '2026-03-01',
  method: 'SCHRIFTLICH',
  ...overrides,
});

const consultationBody = (overrides: Record<string, unknown> = {}) => ({
  heldOn: '2026-03-10',
  durationMinutes: 60,
  channel: 'PERSOENLICH',
  topics: ['ANERKENNUNG_INFO', 'REFERENZBERUF'],
  ...overrides,
});

describe('client records: qualifications, consents, consultations', () => {
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

  const base = (clientId: string, collection: string) => `${CLIENTS}/${clientId}/${collection}`;

  async function newClient(): Promise<string> {
    return newClientOf(adviser);
  }

  async function newClientOf(owner: TestAdviser): Promise<string> {
    return (await registerClient(t, owner.token)).id;
  }

  async function count(table: RecordTable, clientId: string): Promise<number> {
    const { rows } = await t.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${table} WHERE client_id = $1`,
      [clientId],
    );
    return rows[0].count;
  }

  /**
   * Every row of the client's records and the whole audit log, to show that a refused call changed
   * nothing. Refused accesses add `DENIED` audit events (asserted apart); nothing else may change.
   */
  async function snapshot(): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    for (const table of ['clients', ...TABLES, 'audit_events', 'idempotency_keys']) {
      const withoutDenials = table === 'audit_events' ? ` WHERE r.outcome <> 'DENIED'` : '';
      const { rows } = await t.db.query<{ digest: string | null }>(
        `SELECT md5(string_agg(r::text, '|' ORDER BY r::text)) AS digest FROM ${table} r${withoutDenials}`,
      );
      result[table] = rows[0].digest ?? 'empty';
    }
    return result;
  }

  interface AuditedEvent {
    action: string;
    resourceType: string;
    resourceId: string;
    clientId: string;
    actorId: string;
    outcome: string;
  }

  /** The audit events the request with this response recorded. */
  async function eventsOf(response: Response): Promise<AuditedEvent[]> {
    const requestId = response.headers['x-request-id'];
    expect(requestId).toMatch(UUID);
    const { rows } = await t.db.query<AuditedEvent>(
      `SELECT action, resource_type AS "resourceType", resource_id AS "resourceId", client_id AS "clientId",
              actor_id AS "actorId", outcome
         FROM audit_events WHERE request_id = $1`,
      [requestId],
    );
    return rows;
  }

  async function expectAudited(
    response: Response,
    action: string,
    resourceType: string,
    resourceId: string,
    clientId: string,
    actor: TestAdviser = adviser,
  ): Promise<void> {
    expect(await eventsOf(response)).toEqual([
      { action, resourceType, resourceId, clientId, actorId: actor.userId, outcome: 'SUCCESS' },
    ]);
  }

  /** Every audit event about the client as text: nothing of the personal values may be in there. */
  async function auditText(clientId: string): Promise<string> {
    const { rows } = await t.db.query<{ row: string }>(
      'SELECT a::text AS row FROM audit_events a WHERE client_id = $1',
      [clientId],
    );
    expect(rows.length).toBeGreaterThan(0);
    return rows.map((row) => row.row).join('\n');
  }

  async function create(clientId: string, collection: string, body: object): Promise<Response> {
    const response = await call(t, adviser.token, 'post', base(clientId, collection), body);
    expect(response.status).toBe(201);
    return response;
  }

  describe('qualifications', () => {
    it('creates one with Location, ETag, no-store, the complete body and one audit event', async () => {
      const clientId = await newClient();
      const body = qualificationBody();
      const response = await call(t, adviser.token, 'post', base(clientId, 'qualifications'), body);
      expect(response.status).toBe(201);
      const id = response.body.id as string;
      expect(response.headers.location).toBe(`${CLIENTS}/${clientId}/qualifications/${id}`);
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        clientId,
        ...body,
        version: 1,
        createdAt: expect.stringMatching(INSTANT),
        updatedAt: expect.stringMatching(INSTANT),
      });
      const { rows } = await t.db.query(
        `SELECT client_id, kind, title_original, title_de, country, year_awarded, duration_months,
                experience_months, version FROM client_qualifications WHERE id = $1`,
        [id],
      );
      expect(rows).toEqual([
        {
          client_id: clientId,
          kind: 'HOCHSCHULABSCHLUSS',
          title_original: body.titleOriginal,
          title_de: body.titleDe,
          country: 'UA',
          year_awarded: 2012,
          duration_months: 48,
          experience_months: 36,
          version: 1,
        },
      ]);
      await expectAudited(response, 'qualification.create', 'qualification', id, clientId);

      const minimal = await create(clientId, 'qualifications', {
        kind: 'BERUFSAUSBILDUNG',
        titleOriginal: '  Elektriker  ',
        country: 'TR',
      });
      expect(minimal.body).toMatchObject({
        titleOriginal: 'Elektriker',
        titleDe: null,
        yearAwarded: null,
        durationMonths: null,
        experienceMonths: null,
      });

      const read = await call(t, adviser.token, 'get', response.headers.location);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.headers['cache-control']).toBe('no-store');
      expect(read.body).toEqual(response.body);
      await expectAudited(read, 'qualification.read', 'qualification', id, clientId);

      const text = await auditText(clientId);
      for (const value of [body.titleOriginal, body.titleDe, 'Elektriker']) {
        expect(text).not.toContain(value);
      }
    });

    it('lists them oldest first, page by page, with one audit event per page', async () => {
      const clientId = await newClient();
      const ids: string[] = [];
      for (const country of ['UA', 'SY', 'TR']) {
        ids.push(
          (await create(clientId, 'qualifications', qualificationBody({ country }))).body.id as string,
        );
      }
      const other = await newClient();
      await create(other, 'qualifications', qualificationBody());

      const first = await call(t, adviser.token, 'get', `${base(clientId, 'qualifications')}?limit=2`);
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.body.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 2));
      expect(first.body.items[0]).toMatchObject({
        clientId,
        country: 'UA',
        titleOriginal: expect.any(String),
      });
      await expectAudited(first, 'qualification.list', 'client', clientId, clientId);
      expect(await pages(t, adviser.token, `${base(clientId, 'qualifications')}?limit=2`)).toEqual([
        ids.slice(0, 2),
        [ids[2]],
      ]);

      expect(
        pointersOf(await call(t, adviser.token, 'get', `${base(clientId, 'qualifications')}?limit=0`)),
      ).toEqual(['#/limit']);
      const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url');
      expect(
        pointersOf(
          await call(t, adviser.token, 'get', `${base(clientId, 'qualifications')}?cursor=${forged}`),
        ),
      ).toEqual(['#/cursor']);
    });

    it('changes one with If-Match: 428 without, 412 when stale, members left out stay, null empties', async () => {
      const clientId = await newClient();
      const created = await create(clientId, 'qualifications', qualificationBody());
      const path = created.headers.location;

      const without = await call(t, adviser.token, 'patch', path, { titleDe: 'Pflegefachkraft' });
      expectProblem(without, 428, 'precondition-required');
      const stale = await call(
        t,
        adviser.token,
        'patch',
        path,
        { titleDe: 'Pflegefachkraft' },
        { 'if-match': '"7"' },
      );
      expectProblem(stale, 412, 'precondition-failed');
      expect(stale.headers.etag).toBe('"1"');
      expect((await eventsOf(without)).concat(await eventsOf(stale))).toEqual([]);
      expect((await call(t, adviser.token, 'get', path)).body).toEqual(created.body);

      const changed = await call(
        t,
        adviser.token,
        'patch',
        path,
        { titleDe: 'Pflegefachkraft', yearAwarded: null, experienceMonths: 0 },
        { 'if-match': '"1"' },
      );
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toEqual({
        ...created.body,
        titleDe: 'Pflegefachkraft',
        yearAwarded: null,
        experienceMonths: 0,
        version: 2,
        updatedAt: expect.stringMatching(INSTANT),
      });
      await expectAudited(changed, 'qualification.update', 'qualification', created.body.id, clientId);
      const { rows } = await t.db.query(
        'SELECT title_de, year_awarded, experience_months, title_original, version FROM client_qualifications WHERE id = $1',
        [created.body.id],
      );
      expect(rows).toEqual([
        {
          title_de: 'Pflegefachkraft',
          year_awarded: null,
          experience_months: 0,
          title_original: created.body.titleOriginal,
          version: 2,
        },
      ]);
      // the old version is stale now
      expectProblem(
        await call(t, adviser.token, 'patch', path, { titleDe: 'x' }, { 'if-match': '"1"' }),
        412,
        'precondition-failed',
      );
    });

    it('names every invalid member, on create and change, and stores nothing', async () => {
      const clientId = await newClient();
      const path = base(clientId, 'qualifications');
      expect(pointersOf(await call(t, adviser.token, 'post', path, {}))).toEqual([
        '#/country',
        '#/kind',
        '#/titleOriginal',
      ]);
      expect(
        pointersOf(
          await call(t, adviser.token, 'post', path, {
            kind: 'DIPLOM',
            titleOriginal: 'x'.repeat(301),
            titleDe: '   ',
            country: 'XX',
            yearAwarded: 1899,
            durationMonths: 0,
            experienceMonths: -1,
          }),
        ),
      ).toEqual([
        '#/country',
        '#/durationMonths',
        '#/experienceMonths',
        '#/kind',
        '#/titleDe',
        '#/titleOriginal',
        '#/yearAwarded',
      ]);
      expect(
        pointersOf(
          await call(
            t,
            adviser.token,
            'post',
            path,
            qualificationBody({ yearAwarded: CURRENT_YEAR + 1, durationMonths: 241, experienceMonths: 721 }),
          ),
        ),
      ).toEqual(['#/durationMonths', '#/experienceMonths', '#/yearAwarded']);
      expect(
        (await call(t, adviser.token, 'post', path, qualificationBody({ yearAwarded: CURRENT_YEAR }))).status,
      ).toBe(201);
      expect(await count('client_qualifications', clientId)).toBe(1);

      const created = await create(clientId, 'qualifications', qualificationBody());
      const one = created.headers.location;
      expect(pointersOf(await patchCurrent(t, adviser.token, one, {}))).toEqual(['#']);
      expect(
        pointersOf(
          await patchCurrent(t, adviser.token, one, { kind: null, titleOriginal: null, country: null }),
        ),
      ).toEqual(['#/country', '#/kind', '#/titleOriginal']);
      expect(pointersOf(await patchCurrent(t, adviser.token, one, { yearAwarded: 1800 }))).toEqual([
        '#/yearAwarded',
      ]);
      expect((await call(t, adviser.token, 'get', one)).body).toEqual(created.body);
    });

    it.each([
      ['id', SOME_ID],
      ['clientId', SOME_ID],
      ['version', 7],
      ['createdAt', '2020-01-01T00:00:00Z'],
      ['updatedAt', '2020-01-01T00:00:00Z'],
    ])('refuses %s in the body (mass assignment) and changes nothing', async (member, value) => {
      const clientId = await newClient();
      const created = await create(clientId, 'qualifications', qualificationBody());
      const before = await snapshot();
      const post = await call(t, adviser.token, 'post', base(clientId, 'qualifications'), {
        ...qualificationBody(),
        [member]: value,
      });
      expect(pointersOf(post)).toEqual([`#/${member}`]);
      const patch = await call(
        t,
        adviser.token,
        'patch',
        created.headers.location,
        { titleDe: 'Neu', [member]: value },
        { 'if-match': '"1"' },
      );
      expect(pointersOf(patch)).toEqual([`#/${member}`]);
      expect(await snapshot()).toEqual(before);
    });

    it('deletes one with If-Match (204), for good and audited', async () => {
      const clientId = await newClient();
      const created = await create(clientId, 'qualifications', qualificationBody());
      const path = created.headers.location;
      expectProblem(await call(t, adviser.token, 'delete', path), 428, 'precondition-required');
      const stale = await call(t, adviser.token, 'delete', path, undefined, { 'if-match': '"2"' });
      expectProblem(stale, 412, 'precondition-failed');
      expect(stale.headers.etag).toBe('"1"');
      expect(await count('client_qualifications', clientId)).toBe(1);

      const deleted = await call(t, adviser.token, 'delete', path, undefined, { 'if-match': '"1"' });
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect(await count('client_qualifications', clientId)).toBe(0);
      await expectAudited(deleted, 'qualification.delete', 'qualification', created.body.id, clientId);
      expectProblem(await call(t, adviser.token, 'get', path), 404, 'not-found');
      expectProblem(
        await call(t, adviser.token, 'delete', path, undefined, { 'if-match': '"1"' }),
        404,
        'not-found',
      );
    });
  });

  describe('consents', () => {
    let partnerId: string;

    beforeAll(async () => {
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO partners (name, type) VALUES ('Jobcenter Berlin Mitte', 'JOBCENTER') RETURNING id`,
      );
      partnerId = rows[0].id;
    });

    it('records a consent with Location, ETag, status and one audit event', async () => {
      const clientId = await newClient();
      const response = await call(
        t,
        adviser.token,
        'post',
        base(clientId, 'consents'),
        consentBody({ expiresOn: '2028-02-29' }),
      );
      expect(response.status).toBe(201);
      const id = response.body.id as string;
      expect(response.headers.location).toBe(`${CLIENTS}/${clientId}/consents/${id}`);
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        clientId,
        purpose: 'BERATUNG',
        partnerId: null,
        partnerType: null,
        dataCategories: [],
        givenOn: '2026-03-01',
        method: 'SCHRIFTLICH',
        expiresOn: '2028-02-29',
        withdrawnAt: null,
        status: 'ACTIVE',
        active: true,
        version: 1,
        createdAt: expect.stringMatching(INSTANT),
        updatedAt: expect.stringMatching(INSTANT),
      });
      await expectAudited(response, 'consent.create', 'consent', id, clientId);

      const read = await call(t, adviser.token, 'get', response.headers.location);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.headers['cache-control']).toBe('no-store');
      expect(read.body).toEqual(response.body);
      await expectAudited(read, 'consent.read', 'consent', id, clientId);
    });

    it('shares with one partner or a partner type, for named data categories only', async () => {
      const clientId = await newClient();
      const toPartner = await create(
        clientId,
        'consents',
        consentBody({
          purpose: 'WEITERGABE_PARTNER',
          partnerId,
          dataCategories: ['STAMMDATEN', 'QUALIFIKATION'],
          method: 'ELEKTRONISCH',
        }),
      );
      expect(toPartner.body).toMatchObject({
        purpose: 'WEITERGABE_PARTNER',
        partnerId,
        partnerType: null,
        dataCategories: ['STAMMDATEN', 'QUALIFIKATION'],
        status: 'ACTIVE',
      });
      const toType = await create(
        clientId,
        'consents',
        consentBody({ purpose: 'WEITERGABE_PARTNER', partnerType: 'KAMMER', dataCategories: ['VERFAHREN'] }),
      );
      expect(toType.body).toMatchObject({
        partnerId: null,
        partnerType: 'KAMMER',
        dataCategories: ['VERFAHREN'],
      });
      const { rows } = await t.db.query(
        'SELECT partner_id, partner_type, data_categories FROM consents WHERE client_id = $1 ORDER BY created_at',
        [clientId],
      );
      expect(rows).toEqual([
        { partner_id: partnerId, partner_type: null, data_categories: ['STAMMDATEN', 'QUALIFIKATION'] },
        { partner_id: null, partner_type: 'KAMMER', data_categories: ['VERFAHREN'] },
      ]);
    });

    it('refuses what breaks the consent rules, naming the member, and stores nothing', async () => {
      const clientId = await newClient();
      const path = base(clientId, 'consents');
      const post = (body: object) => call(t, adviser.token, 'post', path, body);
      const sharing = { purpose: 'WEITERGABE_PARTNER', dataCategories: ['KONTAKT'] };

      expect(pointersOf(await post({}))).toEqual(['#/givenOn', '#/method', '#/purpose']);
      expect(
        pointersOf(
          await post({
            purpose: 'WERBUNG',
            givenOn: '2026-02-30',
            method: 'FAX',
            expiresOn: 'morgen',
            partnerId: 'jobcenter',
            partnerType: 'BANK',
            dataCategories: ['KONTAKT', 'KONTAKT'],
          }),
        ),
      ).toEqual([
        '#/dataCategories',
        '#/expiresOn',
        '#/givenOn',
        '#/method',
        '#/partnerId',
        '#/partnerType',
        '#/purpose',
      ]);
      expect(pointersOf(await post(consentBody(sharing)))).toEqual(['#/partnerId']);
      expect(
        pointersOf(await post(consentBody({ ...sharing, partnerId, partnerType: 'JOBCENTER' }))),
      ).toEqual(['#/partnerType']);
      expect(pointersOf(await post(consentBody({ ...sharing, partnerId, dataCategories: [] })))).toEqual([
        '#/dataCategories',
      ]);
      expect(
        pointersOf(await post(consentBody({ purpose: 'WEITERGABE_PARTNER', partnerType: 'ZAB' }))),
      ).toEqual(['#/dataCategories']);
      expect(pointersOf(await post(consentBody({ partnerId })))).toEqual(['#/partnerId']);
      expect(pointersOf(await post(consentBody({ purpose: 'NACHBEFRAGUNG', partnerType: 'ZAB' })))).toEqual([
        '#/partnerType',
      ]);
      expect(
        pointersOf(await post(consentBody({ purpose: 'ESF_MONITORING', dataCategories: ['KONTAKT'] }))),
      ).toEqual(['#/dataCategories']);
      expect(pointersOf(await post(consentBody({ givenOn: day(1) })))).toEqual(['#/givenOn']);
      expect(pointersOf(await post(consentBody({ expiresOn: '2026-03-01' })))).toEqual(['#/expiresOn']);
      expect(pointersOf(await post(consentBody({ expiresOn: '2026-02-01' })))).toEqual(['#/expiresOn']);

      const unknownPartner = await post(consentBody({ ...sharing, partnerId: SOME_ID }));
      expectProblem(unknownPartner, 422, 'unprocessable');
      expect(unknownPartner.body.detail).toContain('partnerId');
      expect(await count('consents', clientId)).toBe(0);
      expect((await post(consentBody({ givenOn: day(0) }))).status).toBe(201);
    });

    it.each([
      ['id', SOME_ID],
      ['clientId', SOME_ID],
      ['version', 7],
      ['createdAt', '2020-01-01T00:00:00Z'],
      ['withdrawnAt', '2020-01-01T00:00:00Z'],
      ['status', 'ACTIVE'],
    ])('refuses %s in the body (mass assignment) and changes nothing', async (member, value) => {
      const clientId = await newClient();
      const created = await create(clientId, 'consents', consentBody());
      const before = await snapshot();
      expect(
        pointersOf(
          await call(t, adviser.token, 'post', base(clientId, 'consents'), {
            ...consentBody(),
            [member]: value,
          }),
        ),
      ).toEqual([`#/${member}`]);
      expect(
        pointersOf(
          await call(
            t,
            adviser.token,
            'post',
            `${created.headers.location}/withdraw`,
            { [member]: value },
            { 'if-match': '"1"' },
          ),
        ),
      ).toEqual([`#/${member}`]);
      expect(await snapshot()).toEqual(before);
    });

    it('is evidence: no PATCH and no DELETE', async () => {
      const clientId = await newClient();
      const created = await create(clientId, 'consents', consentBody());
      const before = await snapshot();
      const path = created.headers.location;
      expectProblem(
        await call(t, adviser.token, 'patch', path, { method: 'ELEKTRONISCH' }, { 'if-match': '"1"' }),
        404,
        'not-found',
      );
      expectProblem(
        await call(t, adviser.token, 'delete', path, undefined, { 'if-match': '"1"' }),
        404,
        'not-found',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('withdraws with If-Match: status and active follow, a second withdrawal is a conflict', async () => {
      const clientId = await newClient();
      const created = await create(clientId, 'consents', consentBody());
      const path = created.headers.location;

      expectProblem(await call(t, adviser.token, 'post', `${path}/withdraw`), 428, 'precondition-required');
      const stale = await call(t, adviser.token, 'post', `${path}/withdraw`, {}, { 'if-match': '"2"' });
      expectProblem(stale, 412, 'precondition-failed');
      expect(stale.headers.etag).toBe('"1"');
      expect((await call(t, adviser.token, 'get', path)).body).toMatchObject({
        status: 'ACTIVE',
        active: true,
      });

      const before = Date.now();
      const withdrawn = await call(t, adviser.token, 'post', `${path}/withdraw`, undefined, {
        'if-match': '"1"',
      });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.headers.etag).toBe('"2"');
      expect(withdrawn.headers['cache-control']).toBe('no-store');
      expect(withdrawn.body).toEqual({
        ...created.body,
        withdrawnAt: expect.stringMatching(INSTANT),
        status: 'WITHDRAWN',
        active: false,
        version: 2,
        updatedAt: expect.stringMatching(INSTANT),
      });
      expect(Math.abs(Date.parse(withdrawn.body.withdrawnAt as string) - before)).toBeLessThan(60_000);
      await expectAudited(withdrawn, 'consent.withdraw', 'consent', created.body.id, clientId);
      expect((await call(t, adviser.token, 'get', path)).body).toEqual(withdrawn.body);

      for (const etag of ['"2"', '"1"']) {
        const again = await call(t, adviser.token, 'post', `${path}/withdraw`, {}, { 'if-match': etag });
        expectProblem(again, 409, 'conflict');
        expect(await eventsOf(again)).toEqual([]);
      }
      const { rows } = await t.db.query(
        'SELECT version, withdrawn_at IS NOT NULL AS withdrawn FROM consents WHERE id = $1',
        [created.body.id],
      );
      expect(rows).toEqual([{ version: 2, withdrawn: true }]);
    });

    it('takes a back-dated withdrawal day, not in the future and not before it was given', async () => {
      const clientId = await newClient();
      const created = await create(clientId, 'consents', consentBody());
      const path = `${created.headers.location}/withdraw`;
      const withdraw = (body: object) => call(t, adviser.token, 'post', path, body, { 'if-match': '"1"' });
      expect(pointersOf(await withdraw({ withdrawnOn: day(1) }))).toEqual(['#/withdrawnOn']);
      expect(pointersOf(await withdraw({ withdrawnOn: '2026-02-28' }))).toEqual(['#/withdrawnOn']);
      expect(pointersOf(await withdraw({ withdrawnOn: '2026-04-31' }))).toEqual(['#/withdrawnOn']);
      expect(pointersOf(await withdraw({ withdrawnOn: null }))).toEqual(['#/withdrawnOn']);
      const withdrawn = await withdraw({ withdrawnOn: '2026-04-02' });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({
        // The start of 2 April in Germany (summer time, UTC+2).
        withdrawnAt: '2026-04-01T22:00:00.000000Z',
        status: 'WITHDRAWN',
      });
    });

    it('lists oldest first, filtered by active, with status EXPIRED after the last covered day', async () => {
      const clientId = await newClient();
      const active = await create(clientId, 'consents', consentBody({ expiresOn: day(0) }));
      const expired = await create(
        clientId,
        'consents',
        consentBody({ givenOn: '2025-01-01', expiresOn: day(-1) }),
      );
      const withdrawn = await create(clientId, 'consents', consentBody({ purpose: 'ESF_MONITORING' }));
      await call(
        t,
        adviser.token,
        'post',
        `${withdrawn.headers.location}/withdraw`,
        {},
        { 'if-match': '"1"' },
      );
      const open = await create(clientId, 'consents', consentBody({ purpose: 'NACHBEFRAGUNG' }));

      expect(expired.body).toMatchObject({ status: 'EXPIRED', active: false, withdrawnAt: null });
      expect(active.body).toMatchObject({ status: 'ACTIVE', active: true });

      const all = await call(t, adviser.token, 'get', base(clientId, 'consents'));
      expect(all.status).toBe(200);
      expect(all.headers['cache-control']).toBe('no-store');
      expect(all.body.items.map((item: { id: string; status: string }) => [item.id, item.status])).toEqual([
        [active.body.id, 'ACTIVE'],
        [expired.body.id, 'EXPIRED'],
        [withdrawn.body.id, 'WITHDRAWN'],
        [open.body.id, 'ACTIVE'],
      ]);
      expect(all.body.nextCursor).toBeNull();
      await expectAudited(all, 'consent.list', 'client', clientId, clientId);

      const ids = (response: Response): string[] =>
        (response.body.items as { id: string }[]).map((item) => item.id);
      expect(ids(await call(t, adviser.token, 'get', `${base(clientId, 'consents')}?active=true`))).toEqual([
        active.body.id,
        open.body.id,
      ]);
      expect(ids(await call(t, adviser.token, 'get', `${base(clientId, 'consents')}?active=false`))).toEqual([
        expired.body.id,
        withdrawn.body.id,
      ]);
      expect(await pages(t, adviser.token, `${base(clientId, 'consents')}?limit=3`)).toEqual([
        [active.body.id, expired.body.id, withdrawn.body.id],
        [open.body.id],
      ]);
      expect(await pages(t, adviser.token, `${base(clientId, 'consents')}?active=false&limit=1`)).toEqual([
        [expired.body.id],
        [withdrawn.body.id],
      ]);
      expect(
        pointersOf(await call(t, adviser.token, 'get', `${base(clientId, 'consents')}?active=yes`)),
      ).toEqual(['#/active']);
    });
  });

  describe('German dates', () => {
    afterEach(() => t.clock.setFixedTime(null));

    it('at 23:30 UTC it is already the next day in Germany: a consultation held that day is not in the future', async () => {
      const clientId = await newClient();
      t.clock.setFixedTime('2026-03-14T23:30:00Z'); // 00:30 on 15 March in Berlin
      const today = await call(
        t,
        adviser.token,
        'post',
        base(clientId, 'consultations'),
        consultationBody({ heldOn: '2026-03-15' }),
      );
      expect(today.status).toBe(201);
      const tomorrow = await call(
        t,
        adviser.token,
        'post',
        base(clientId, 'consultations'),
        consultationBody({ heldOn: '2026-03-16' }),
      );
      expect(tomorrow.status).toBe(400);
      expect(pointersOf(tomorrow)).toEqual(['#/heldOn']);
    });

    it('a consent that expires on the Berlin date of 23:30 UTC is still active that day, and expired the next', async () => {
      const clientId = await newClient();
      t.clock.setFixedTime('2026-03-14T23:30:00Z'); // 15 March in Berlin
      const consent = await create(clientId, 'consents', consentBody({ expiresOn: '2026-03-15' }));
      expect(consent.status).toBe(201);
      expect(consent.body.status).toBe('ACTIVE');
      t.clock.setFixedTime('2026-03-15T23:30:00Z'); // 16 March in Berlin
      const read = await call(t, adviser.token, 'get', `${base(clientId, 'consents')}/${consent.body.id}`);
      expect(read.body.status).toBe('EXPIRED');
    });
  });

  describe('consultations', () => {
    it('logs one with Location, ETag, adviser, office, derived kind and one audit event', async () => {
      const clientId = await newClient();
      const body = consultationBody({
        language: 'uk',
        interpreterUsed: true,
        outcomes: ['ANTRAG_EMPFOHLEN'],
        nextContactDue: '2026-04-14',
        notes: 'Unterlagen aus Kyjiw angefordert',
      });
      const response = await call(t, adviser.token, 'post', base(clientId, 'consultations'), body);
      expect(response.status).toBe(201);
      const id = response.body.id as string;
      expect(response.headers.location).toBe(`${CLIENTS}/${clientId}/consultations/${id}`);
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        clientId,
        officeId: adviser.officeId,
        adviserId: adviser.userId,
        heldOn: '2026-03-10',
        durationMinutes: 60,
        channel: 'PERSOENLICH',
        mobile: false,
        language: 'uk',
        interpreterUsed: true,
        kind: 'ERSTBERATUNG',
        topics: ['ANERKENNUNG_INFO', 'REFERENZBERUF'],
        outcomes: ['ANTRAG_EMPFOHLEN'],
        nextContactDue: '2026-04-14',
        notes: 'Unterlagen aus Kyjiw angefordert',
        voidedAt: null,
        voidedBy: null,
        voidReason: null,
        version: 1,
        createdAt: expect.stringMatching(INSTANT),
        updatedAt: expect.stringMatching(INSTANT),
      });
      const { rows } = await t.db.query(
        'SELECT office_id, adviser_id, kind, notes, version FROM consultations WHERE id = $1',
        [id],
      );
      expect(rows).toEqual([
        {
          office_id: adviser.officeId,
          adviser_id: adviser.userId,
          kind: 'ERSTBERATUNG',
          notes: 'Unterlagen aus Kyjiw angefordert',
          version: 1,
        },
      ]);
      await expectAudited(response, 'consultation.create', 'consultation', id, clientId);

      // a colleague of the office logs the next one: it is theirs, and a follow-up
      const next = await call(
        t,
        colleague.token,
        'post',
        base(clientId, 'consultations'),
        consultationBody({ heldOn: '2026-03-24', channel: 'TELEFON', mobile: true }),
      );
      expect(next.status).toBe(201);
      expect(next.body).toMatchObject({
        adviserId: colleague.userId,
        officeId: adviser.officeId,
        kind: 'FOLGEBERATUNG',
        mobile: true,
        interpreterUsed: false,
        language: null,
        outcomes: [],
        nextContactDue: null,
        notes: null,
        version: 1,
      });
      await expectAudited(next, 'consultation.create', 'consultation', next.body.id, clientId, colleague);

      const read = await call(t, adviser.token, 'get', response.headers.location);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.headers['cache-control']).toBe('no-store');
      expect(read.body).toEqual(response.body);
      await expectAudited(read, 'consultation.read', 'consultation', id, clientId);

      // notes never reach the audit log or the application log
      expect(await auditText(clientId)).not.toContain('Kyjiw');
      expect(t.logLines().join('\n')).not.toContain('Kyjiw');
    });

    it('keeps the earliest consultation the ERSTBERATUNG when one is back-dated or re-dated', async () => {
      const clientId = await newClient();
      const path = base(clientId, 'consultations');
      const kinds = async () => {
        const { rows } = await t.db.query<{ heldOn: string; kind: string; version: number }>(
          `SELECT to_char(held_on, 'YYYY-MM-DD') AS "heldOn", kind, version FROM consultations
            WHERE client_id = $1 ORDER BY held_on`,
          [clientId],
        );
        return rows;
      };
      const march = await create(clientId, 'consultations', consultationBody({ heldOn: '2026-03-10' }));
      const april = await create(clientId, 'consultations', consultationBody({ heldOn: '2026-04-01' }));
      expect([march.body.kind, april.body.kind]).toEqual(['ERSTBERATUNG', 'FOLGEBERATUNG']);

      const january = await create(clientId, 'consultations', consultationBody({ heldOn: '2026-01-05' }));
      expect(january.body).toMatchObject({ kind: 'ERSTBERATUNG', version: 1 });
      expect(await kinds()).toEqual([
        { heldOn: '2026-01-05', kind: 'ERSTBERATUNG', version: 1 },
        { heldOn: '2026-03-10', kind: 'FOLGEBERATUNG', version: 2 },
        { heldOn: '2026-04-01', kind: 'FOLGEBERATUNG', version: 1 },
      ]);
      const marchNow = await call(t, adviser.token, 'get', march.headers.location);
      expect(marchNow.body).toMatchObject({ kind: 'FOLGEBERATUNG', version: 2 });
      expect(marchNow.headers.etag).toBe('"2"');

      const redated = await call(
        t,
        adviser.token,
        'patch',
        january.headers.location,
        { heldOn: '2026-05-01' },
        { 'if-match': '"1"' },
      );
      expect(redated.status).toBe(200);
      expect(redated.body).toMatchObject({ heldOn: '2026-05-01', kind: 'FOLGEBERATUNG', version: 2 });
      expect(redated.headers.etag).toBe('"2"');
      await expectAudited(redated, 'consultation.update', 'consultation', january.body.id, clientId);
      expect(await kinds()).toEqual([
        { heldOn: '2026-03-10', kind: 'ERSTBERATUNG', version: 3 },
        { heldOn: '2026-04-01', kind: 'FOLGEBERATUNG', version: 1 },
        { heldOn: '2026-05-01', kind: 'FOLGEBERATUNG', version: 2 },
      ]);
      expect((await call(t, adviser.token, 'get', march.headers.location)).body).toMatchObject({
        kind: 'ERSTBERATUNG',
        version: 3,
      });
      const listed = await call(t, adviser.token, 'get', path);
      expect(
        listed.body.items.map((item: { heldOn: string; kind: string }) => [item.heldOn, item.kind]),
      ).toEqual([
        ['2026-05-01', 'FOLGEBERATUNG'],
        ['2026-04-01', 'FOLGEBERATUNG'],
        ['2026-03-10', 'ERSTBERATUNG'],
      ]);

      // a change that does not re-date leaves every kind and the other versions alone
      const other = await patchCurrent(t, adviser.token, april.headers.location, {
        durationMinutes: 30,
      });
      expect(other.body).toMatchObject({ kind: 'FOLGEBERATUNG', version: 2, durationMinutes: 30 });
      expect((await kinds()).map((row) => row.version)).toEqual([3, 2, 2]);

      // the same day as the first one: the one recorded first stays the ERSTBERATUNG
      const sameDay = await create(clientId, 'consultations', consultationBody({ heldOn: '2026-03-10' }));
      expect(sameDay.body.kind).toBe('FOLGEBERATUNG');
      expect((await call(t, adviser.token, 'get', march.headers.location)).body.kind).toBe('ERSTBERATUNG');
    });

    it('derives one ERSTBERATUNG, the earliest, when consultations are logged at the same time', async () => {
      const clientId = await newClient();
      const days = ['2026-06-01', '2026-02-14', '2026-05-05', '2026-02-15', '2026-09-30', '2026-07-07'];
      const responses = await Promise.all(
        days.map((heldOn, index) =>
          call(
            t,
            index % 2 === 0 ? adviser.token : colleague.token,
            'post',
            base(clientId, 'consultations'),
            consultationBody({ heldOn }),
          ),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(days.map(() => 201));
      const { rows } = await t.db.query<{ heldOn: string; kind: string }>(
        `SELECT to_char(held_on, 'YYYY-MM-DD') AS "heldOn", kind FROM consultations
          WHERE client_id = $1 ORDER BY held_on`,
        [clientId],
      );
      expect(rows).toEqual(
        [...days].sort().map((heldOn, index) => ({
          heldOn,
          kind: index === 0 ? 'ERSTBERATUNG' : 'FOLGEBERATUNG',
        })),
      );
    });

    it('lists newest first, page by page, between from and to', async () => {
      const clientId = await newClient();
      const byDay: Record<string, string> = {};
      for (const heldOn of ['2026-02-01', '2026-03-01', '2026-03-01', '2026-01-15', '2026-04-20']) {
        const created = await create(clientId, 'consultations', consultationBody({ heldOn }));
        byDay[`${heldOn}#${Object.keys(byDay).length}`] = created.body.id as string;
      }
      const [feb, marchFirst, marchSecond, jan, april] = Object.values(byDay);
      const path = base(clientId, 'consultations');

      const all = await call(t, adviser.token, 'get', path);
      expect(all.status).toBe(200);
      expect(all.headers['cache-control']).toBe('no-store');
      expect(all.body.items.map((item: { id: string }) => item.id)).toEqual([
        april,
        marchSecond,
        marchFirst,
        feb,
        jan,
      ]);
      await expectAudited(all, 'consultation.list', 'client', clientId, clientId);
      expect(await pages(t, adviser.token, `${path}?limit=2`)).toEqual([
        [april, marchSecond],
        [marchFirst, feb],
        [jan],
      ]);
      expect(await pages(t, adviser.token, `${path}?from=2026-02-01&to=2026-03-01&limit=2`)).toEqual([
        [marchSecond, marchFirst],
        [feb],
      ]);
      expect(await pages(t, adviser.token, `${path}?to=2026-01-31`)).toEqual([[jan]]);

      expect(
        pointersOf(await call(t, adviser.token, 'get', `${path}?from=2026-03-02&to=2026-03-01`)),
      ).toEqual(['#/to']);
      expect(pointersOf(await call(t, adviser.token, 'get', `${path}?from=gestern`))).toEqual(['#/from']);
      for (const forged of [
        ['2026-03-01T10:00:00.000000Z', april],
        ['2026-13-01|2026-03-01T10:00:00.000000Z', april],
        ['2026-03-01|gestern', april],
        ['2026-03-01|2026-03-01T10:00:00.000000Z', 'x'],
      ]) {
        const cursor = Buffer.from(JSON.stringify(forged)).toString('base64url');
        expect(pointersOf(await call(t, adviser.token, 'get', `${path}?cursor=${cursor}`))).toEqual([
          '#/cursor',
        ]);
      }
    });

    it('changes one with If-Match: 428 without, 412 when stale; null empties the optional members', async () => {
      const clientId = await newClient();
      const created = await create(
        clientId,
        'consultations',
        consultationBody({ language: 'ar', nextContactDue: '2026-04-01', notes: 'Rückruf vereinbart' }),
      );
      const path = created.headers.location;
      expectProblem(
        await call(t, adviser.token, 'patch', path, { durationMinutes: 90 }),
        428,
        'precondition-required',
      );
      const stale = await call(
        t,
        adviser.token,
        'patch',
        path,
        { durationMinutes: 90 },
        { 'if-match': '"3"' },
      );
      expectProblem(stale, 412, 'precondition-failed');
      expect(stale.headers.etag).toBe('"1"');

      const changed = await call(
        t,
        adviser.token,
        'patch',
        path,
        {
          durationMinutes: 90,
          language: null,
          nextContactDue: null,
          notes: null,
          outcomes: ['WEITERE_BERATUNG'],
        },
        { 'if-match': '"1"' },
      );
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toEqual({
        ...created.body,
        durationMinutes: 90,
        language: null,
        nextContactDue: null,
        notes: null,
        outcomes: ['WEITERE_BERATUNG'],
        version: 2,
        updatedAt: expect.stringMatching(INSTANT),
      });
      await expectAudited(changed, 'consultation.update', 'consultation', created.body.id, clientId);
      const { rows } = await t.db.query(
        'SELECT notes, language, adviser_id FROM consultations WHERE id = $1',
        [created.body.id],
      );
      expect(rows).toEqual([{ notes: null, language: null, adviser_id: adviser.userId }]);
    });

    it('names every invalid member, on create and change, and stores nothing', async () => {
      const clientId = await newClient();
      const path = base(clientId, 'consultations');
      const post = (body: object) => call(t, adviser.token, 'post', path, body);
      expect(pointersOf(await post({}))).toEqual(['#/channel', '#/durationMinutes', '#/heldOn', '#/topics']);
      expect(
        pointersOf(
          await post({
            heldOn: '2026-02-29',
            durationMinutes: 1.5,
            channel: 'BRIEF',
            mobile: 'ja',
            language: 'DE',
            interpreterUsed: null,
            topics: ['ANERKENNUNG_INFO', 'ANERKENNUNG_INFO'],
            outcomes: ['ERFOLG'],
            nextContactDue: '2026-04-31',
            notes: 'x'.repeat(10_001),
          }),
        ),
      ).toEqual([
        '#/channel',
        '#/durationMinutes',
        '#/heldOn',
        '#/interpreterUsed',
        '#/language',
        '#/mobile',
        '#/nextContactDue',
        '#/notes',
        '#/outcomes',
        '#/topics',
      ]);
      for (const [member, value] of [
        ['durationMinutes', 0],
        ['durationMinutes', 601],
        ['language', 'xx'],
        ['language', 'deu'],
        ['topics', []],
        ['topics', null],
        ['outcomes', null],
        ['heldOn', day(1)],
      ] as const) {
        expect(pointersOf(await post(consultationBody({ [member]: value })))).toEqual([`#/${member}`]);
      }
      expect(
        pointersOf(await post(consultationBody({ heldOn: '2026-03-10', nextContactDue: '2026-03-09' }))),
      ).toEqual(['#/nextContactDue']);
      expect(await count('consultations', clientId)).toBe(0);
      expect(
        (await post(consultationBody({ heldOn: day(0), nextContactDue: day(0), notes: 'x'.repeat(10_000) })))
          .status,
      ).toBe(201);

      const created = await create(
        clientId,
        'consultations',
        consultationBody({ nextContactDue: '2026-03-20' }),
      );
      const one = created.headers.location;
      expect(pointersOf(await patchCurrent(t, adviser.token, one, {}))).toEqual(['#']);
      expect(
        pointersOf(
          await patchCurrent(t, adviser.token, one, {
            heldOn: null,
            durationMinutes: null,
            channel: null,
            topics: null,
            mobile: null,
          }),
        ),
      ).toEqual(['#/channel', '#/durationMinutes', '#/heldOn', '#/mobile', '#/topics']);
      expect(pointersOf(await patchCurrent(t, adviser.token, one, { heldOn: day(1) }))).toEqual(['#/heldOn']);
      // the kept nextContactDue (2026-03-20) would lie before the new day
      expect(pointersOf(await patchCurrent(t, adviser.token, one, { heldOn: '2026-03-21' }))).toEqual([
        '#/heldOn',
      ]);
      expect(pointersOf(await patchCurrent(t, adviser.token, one, { nextContactDue: '2026-03-09' }))).toEqual(
        ['#/nextContactDue'],
      );
      expect((await call(t, adviser.token, 'get', one)).body).toEqual(created.body);
      const both = await patchCurrent(t, adviser.token, one, { heldOn: '2026-03-21', nextContactDue: null });
      expect(both.status).toBe(200);
    });

    it.each([
      ['id', SOME_ID],
      ['clientId', SOME_ID],
      ['version', 7],
      ['createdAt', '2020-01-01T00:00:00Z'],
      ['kind', 'ERSTBERATUNG'],
      ['officeId', SOME_ID],
      ['adviserId', SOME_ID],
    ])('refuses %s in the body (mass assignment) and changes nothing', async (member, value) => {
      const clientId = await newClient();
      const created = await create(clientId, 'consultations', consultationBody());
      await create(clientId, 'consultations', consultationBody({ heldOn: '2026-04-01' }));
      const before = await snapshot();
      expect(
        pointersOf(
          await call(t, adviser.token, 'post', base(clientId, 'consultations'), {
            ...consultationBody({ heldOn: '2026-01-01' }),
            [member]: value,
          }),
        ),
      ).toEqual([`#/${member}`]);
      expect(
        pointersOf(
          await call(
            t,
            adviser.token,
            'patch',
            created.headers.location,
            { durationMinutes: 5, [member]: value },
            { 'if-match': '"1"' },
          ),
        ),
      ).toEqual([`#/${member}`]);
      expect(await snapshot()).toEqual(before);
    });

    it('replays a repeated POST with the same Idempotency-Key and creates once', async () => {
      const clientId = await newClient();
      const key = randomUUID();
      const body = consultationBody({ notes: 'Erstgespräch' });
      const first = await call(t, adviser.token, 'post', base(clientId, 'consultations'), body, {
        'idempotency-key': key,
      });
      expect(first.status).toBe(201);
      const again = await call(t, adviser.token, 'post', base(clientId, 'consultations'), body, {
        'idempotency-key': key,
      });
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.headers['cache-control']).toBe('no-store');
      expect(await count('consultations', clientId)).toBe(1);
      // The replay hands the consultation (notes included) out again: a read, audited as one.
      expect(await eventsOf(again)).toEqual([
        {
          action: 'consultation.replay',
          resourceType: 'consultation',
          resourceId: first.body.id,
          clientId,
          actorId: adviser.userId,
          outcome: 'SUCCESS',
        },
      ]);

      const other = await call(
        t,
        adviser.token,
        'post',
        base(clientId, 'consultations'),
        { ...body, durationMinutes: 30 },
        { 'idempotency-key': key },
      );
      expectProblem(other, 422, 'unprocessable');
      expect(await count('consultations', clientId)).toBe(1);
    });

    it('a replay after the adviser moved to another office returns nothing of the old office (404)', async () => {
      const mover = await createAdviser(t, adviser);
      const clientId = await newClientOf(mover);
      const key = randomUUID();
      const body = consultationBody({ notes: 'Vertraulich: Gesundheit' });
      const first = await call(t, mover.token, 'post', base(clientId, 'consultations'), body, {
        'idempotency-key': key,
      });
      expect(first.status).toBe(201);
      const elsewhere = await createAdviser(t);
      await t.db.query('UPDATE users SET office_id = $2, network_id = $3 WHERE id = $1', [
        mover.userId,
        elsewhere.officeId,
        elsewhere.networkId,
      ]);
      const replay = await call(t, mover.token, 'post', base(clientId, 'consultations'), body, {
        'idempotency-key': key,
      });
      expectProblem(replay, 404, 'not-found');
      expect(JSON.stringify(replay.body)).not.toContain('Vertraulich');
      expect(replay.headers['idempotent-replayed']).toBeUndefined();
      expect(await count('consultations', clientId)).toBe(1);
    });
  });

  describe('voiding and dating consultations (issue 17)', () => {
    const voidPath = (location: string) => `${location}/void`;

    it('voids a mis-entered consultation: out of the Erst-/Folge derivation, still in the list, timeline and access log', async () => {
      const clientId = await newClient();
      const march = await create(clientId, 'consultations', consultationBody({ heldOn: '2026-03-10' }));
      const april = await create(clientId, 'consultations', consultationBody({ heldOn: '2026-04-01' }));
      expect([march.body.kind, april.body.kind]).toEqual(['ERSTBERATUNG', 'FOLGEBERATUNG']);

      const reason = 'Beim falschen Klienten erfasst';
      expect(
        (await call(t, adviser.token, 'post', voidPath(march.headers.location), { reason })).status,
      ).toBe(428);
      expect(
        (
          await call(
            t,
            adviser.token,
            'post',
            voidPath(march.headers.location),
            { reason },
            { 'if-match': '"7"' },
          )
        ).status,
      ).toBe(412);
      for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
        expect(
          pointersOf(
            await call(t, adviser.token, 'post', voidPath(march.headers.location), body, {
              'if-match': '"1"',
            }),
          ),
        ).toEqual(['#/reason']);
      }

      const voided = await call(
        t,
        adviser.token,
        'post',
        voidPath(march.headers.location),
        { reason },
        {
          'if-match': '"1"',
        },
      );
      expect(voided.status).toBe(200);
      expect(voided.headers.etag).toBe('"2"');
      expect(voided.body).toMatchObject({
        id: march.body.id,
        voidedAt: expect.stringMatching(INSTANT),
        voidedBy: adviser.userId,
        voidReason: reason,
        heldOn: '2026-03-10',
        version: 2,
      });
      await expectAudited(voided, 'consultation.void', 'consultation', march.body.id, clientId);

      // The April consultation is now the client's first one.
      const aprilNow = await call(t, adviser.token, 'get', april.headers.location);
      expect(aprilNow.body).toMatchObject({ kind: 'ERSTBERATUNG', version: 2, voidedAt: null });
      // A new one before April takes its place; the voided one stays as it was.
      const february = await create(clientId, 'consultations', consultationBody({ heldOn: '2026-02-02' }));
      expect(february.body.kind).toBe('ERSTBERATUNG');
      const { rows } = await t.db.query<{ heldOn: string; kind: string; voided: boolean }>(
        `SELECT to_char(held_on, 'YYYY-MM-DD') AS "heldOn", kind, voided_at IS NOT NULL AS voided
           FROM consultations WHERE client_id = $1 ORDER BY held_on`,
        [clientId],
      );
      expect(rows).toEqual([
        { heldOn: '2026-02-02', kind: 'ERSTBERATUNG', voided: false },
        { heldOn: '2026-03-10', kind: 'ERSTBERATUNG', voided: true },
        { heldOn: '2026-04-01', kind: 'FOLGEBERATUNG', voided: false },
      ]);

      // Kept: readable, listed, in the timeline; but never changed again.
      expect((await call(t, adviser.token, 'get', march.headers.location)).body.voidReason).toBe(reason);
      const listed = await call(t, adviser.token, 'get', base(clientId, 'consultations'));
      expect(
        listed.body.items.map((item: { id: string; voidedAt: string | null }) => [
          item.id,
          item.voidedAt !== null,
        ]),
      ).toEqual([
        [april.body.id, false],
        [march.body.id, true],
        [february.body.id, false],
      ]);
      const timeline = await call(t, adviser.token, 'get', `${CLIENTS}/${clientId}/timeline?limit=200`);
      const entry = (timeline.body.items as { resourceId: string; details: Record<string, unknown> }[]).find(
        (item) => item.resourceId === march.body.id,
      );
      expect(entry?.details.voidedAt).toBe(voided.body.voidedAt);
      expect(JSON.stringify(timeline.body)).not.toContain(reason);
      const again = await call(
        t,
        adviser.token,
        'post',
        voidPath(march.headers.location),
        { reason },
        {
          'if-match': '"2"',
        },
      );
      expectProblem(again, 409, 'conflict');
      const patched = await call(
        t,
        adviser.token,
        'patch',
        march.headers.location,
        { durationMinutes: 5 },
        {
          'if-match': '"2"',
        },
      );
      expectProblem(patched, 409, 'conflict');

      // The access log keeps every read and the voiding.
      const { rows: log } = await t.db.query<{ action: string }>(
        `SELECT action FROM audit_events WHERE resource_id = $1 ORDER BY occurred_at, id`,
        [march.body.id],
      );
      expect(log.map((row) => row.action)).toEqual([
        'consultation.create',
        'consultation.void',
        'consultation.read',
      ]);

      // Erasure removes the reason with the notes.
      const current = await call(t, adviser.token, 'get', `${CLIENTS}/${clientId}`);
      const erased = await call(t, adviser.token, 'post', `${CLIENTS}/${clientId}/erasure`, undefined, {
        'if-match': current.headers.etag,
      });
      expect(erased.status).toBe(200);
      const { rows: after } = await t.db.query<{ reason: string | null; voided: boolean }>(
        'SELECT void_reason AS reason, voided_at IS NOT NULL AS voided FROM consultations WHERE id = $1',
        [march.body.id],
      );
      expect(after).toEqual([{ reason: null, voided: true }]);
    });

    it('refuses a consultation before CONSULTATION_EARLIEST_DATE (default 2005-01-01, 400)', async () => {
      const clientId = await newClient();
      const early = await call(
        t,
        adviser.token,
        'post',
        base(clientId, 'consultations'),
        consultationBody({ heldOn: '2004-12-31' }),
      );
      expect(pointersOf(early)).toEqual(['#/heldOn']);
      expect(early.body.errors[0].detail).toContain('2005-01-01');
      const first = await create(clientId, 'consultations', consultationBody({ heldOn: '2005-01-01' }));
      const redated = await call(
        t,
        adviser.token,
        'patch',
        first.headers.location,
        { heldOn: '2004-06-30' },
        {
          'if-match': '"1"',
        },
      );
      expect(pointersOf(redated)).toEqual(['#/heldOn']);
      expect(await count('consultations', clientId)).toBe(1);

      // Configurable: see consultation-earliest-date.e2e-spec.ts.
    });

    it("refuses a consultation before the client's birth date (422)", async () => {
      const client = await registerClient(t, adviser.token, { birthDate: '2006-05-10' });
      const before = await call(
        t,
        adviser.token,
        'post',
        base(client.id, 'consultations'),
        consultationBody({ heldOn: '2006-05-09' }),
      );
      expectProblem(before, 422, 'unprocessable');
      expect(before.body.errors).toEqual([
        { pointer: '#/heldOn', detail: "must not be before the client's birth date (2006-05-10)" },
      ]);
      const onBirthday = await create(client.id, 'consultations', consultationBody({ heldOn: '2006-05-10' }));
      const redated = await call(
        t,
        adviser.token,
        'patch',
        onBirthday.headers.location,
        { heldOn: '2006-01-01' },
        {
          'if-match': '"1"',
        },
      );
      expectProblem(redated, 422, 'unprocessable');
      expect(await count('consultations', client.id)).toBe(1);
    });
  });

  describe('scope', () => {
    interface Victim {
      clientId: string;
      qualification: string;
      consent: string;
      consultation: string;
    }

    async function seed(): Promise<Victim> {
      const clientId = await newClient();
      return {
        clientId,
        qualification: (await create(clientId, 'qualifications', qualificationBody())).body.id as string,
        consent: (await create(clientId, 'consents', consentBody())).body.id as string,
        consultation: (await create(clientId, 'consultations', consultationBody())).body.id as string,
      };
    }

    /** Every route with the ids of `owner`'s records, under `clientId` (the owner's client, or another). */
    function routes(
      clientId: string,
      records: Victim,
    ): [string, 'get' | 'post' | 'patch' | 'delete', string, object?][] {
      const under = (collection: string) => base(clientId, collection);
      return [
        ['list qualifications', 'get', under('qualifications')],
        ['create qualification', 'post', under('qualifications'), qualificationBody()],
        ['get qualification', 'get', `${under('qualifications')}/${records.qualification}`],
        [
          'patch qualification',
          'patch',
          `${under('qualifications')}/${records.qualification}`,
          { titleDe: 'x' },
        ],
        ['delete qualification', 'delete', `${under('qualifications')}/${records.qualification}`],
        ['list consents', 'get', under('consents')],
        ['create consent', 'post', under('consents'), consentBody()],
        ['get consent', 'get', `${under('consents')}/${records.consent}`],
        ['withdraw consent', 'post', `${under('consents')}/${records.consent}/withdraw`, {}],
        ['list consultations', 'get', under('consultations')],
        ['create consultation', 'post', under('consultations'), consultationBody()],
        ['get consultation', 'get', `${under('consultations')}/${records.consultation}`],
        [
          'patch consultation',
          'patch',
          `${under('consultations')}/${records.consultation}`,
          { durationMinutes: 5 },
        ],
        [
          'void consultation',
          'post',
          `${under('consultations')}/${records.consultation}/void`,
          { reason: 'falsch erfasst' },
        ],
      ];
    }

    it('an adviser of another office gets 404 on every route, and nothing changes', async () => {
      const victim = await seed();
      const before = await snapshot();
      for (const [name, method, path, body] of routes(victim.clientId, victim)) {
        const response = await call(t, stranger.token, method, path, body, { 'if-match': '"1"' });
        expect({ name, status: response.status, type: response.body.type }).toEqual({
          name,
          status: 404,
          type: 'urn:anker:problem:not-found',
        });
        expect(response.headers['content-type']).toBe(PROBLEM);
        expect(await eventsOf(response)).toEqual([
          {
            action: 'client.access-denied',
            resourceType: 'client',
            resourceId: victim.clientId,
            clientId: victim.clientId,
            actorId: stranger.userId,
            outcome: 'DENIED',
          },
        ]);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('a record id under another client of the same office is 404, and nothing changes', async () => {
      const victim = await seed();
      const otherClient = await newClient();
      const before = await snapshot();
      const withIds = routes(otherClient, victim).filter(([name]) => !/^(list|create)/.test(name));
      expect(withIds).toHaveLength(8);
      for (const [name, method, path, body] of withIds) {
        const response = await call(t, adviser.token, method, path, body, { 'if-match': '"1"' });
        expect({ name, status: response.status, type: response.body.type }).toEqual({
          name,
          status: 404,
          type: 'urn:anker:problem:not-found',
        });
      }
      expect(await snapshot()).toEqual(before);
      // and the records are fine under their own client
      for (const [name, method, path] of routes(victim.clientId, victim).filter(([, m]) => m === 'get')) {
        expect({ name, status: (await call(t, adviser.token, method, path)).status }).toEqual({
          name,
          status: 200,
        });
      }
    });

    it('a malformed id is 400, an unknown client 404', async () => {
      for (const path of [
        `${CLIENTS}/not-a-uuid/consultations`,
        `${CLIENTS}/${SOME_ID}/consultations/not-a-uuid`,
        `${CLIENTS}/${SOME_ID}/qualifications/42`,
      ]) {
        expectProblem(await call(t, adviser.token, 'get', path), 400, 'validation-error');
      }
      for (const collection of ['qualifications', 'consents', 'consultations']) {
        expectProblem(await call(t, adviser.token, 'get', base(SOME_ID, collection)), 404, 'not-found');
      }
    });

    it('after erasure every write is 409 client-erased and nothing changes; reads still work', async () => {
      const victim = await seed();
      await t.db.query('UPDATE clients SET erased_at = now() WHERE id = $1', [victim.clientId]);
      const before = await snapshot();
      for (const [name, method, path, body] of routes(victim.clientId, victim)) {
        const response = await call(t, adviser.token, method, path, body, { 'if-match': '"1"' });
        if (method === 'get') {
          expect({ name, status: response.status }).toEqual({ name, status: 200 });
        } else {
          expect({ name, status: response.status, type: response.body.type }).toEqual({
            name,
            status: 409,
            type: 'urn:anker:problem:client-erased',
          });
        }
      }
      const { rows } = await t.db.query<{ action: string }>(
        "SELECT action FROM audit_events WHERE client_id = $1 AND occurred_at > now() - interval '1 minute' ORDER BY occurred_at",
        [victim.clientId],
      );
      expect(rows.map((row) => row.action).filter((action) => !action.endsWith('.create'))).toEqual([
        'qualification.list',
        'qualification.read',
        'consent.list',
        'consent.read',
        'consultation.list',
        'consultation.read',
      ]);
      const after = await snapshot();
      for (const table of ['clients', ...TABLES, 'idempotency_keys']) {
        expect({ table, digest: after[table] }).toEqual({ table, digest: before[table] });
      }
    });
  });

  describe('OpenAPI', () => {
    it('documents every operation with its id, summary, description, path ids and If-Match', async () => {
      const document = (await t.http.get('/openapi.json').expect(200)).body;
      type Operation = {
        operationId: string;
        summary: string;
        description: string;
        tags: string[];
        parameters: { name: string; in: string; required: boolean; schema: { format?: string } }[];
        responses: Record<string, unknown>;
        requestBody?: { content: Record<string, { schema: { $ref: string } }> };
      };
      const operations: [string, string, string, string?][] = [
        ['post', '/qualifications', 'createQualification', 'CreateQualificationRequest'],
        ['get', '/qualifications', 'listQualifications'],
        ['get', '/qualifications/{id}', 'getQualification'],
        ['patch', '/qualifications/{id}', 'updateQualification', 'UpdateQualificationRequest'],
        ['delete', '/qualifications/{id}', 'deleteQualification'],
        ['post', '/consents', 'createConsent', 'CreateConsentRequest'],
        ['get', '/consents', 'listConsents'],
        ['get', '/consents/{id}', 'getConsent'],
        ['post', '/consents/{id}/withdraw', 'withdrawConsent', 'WithdrawConsentRequest'],
        ['post', '/consultations', 'createConsultation', 'CreateConsultationRequest'],
        ['get', '/consultations', 'listConsultations'],
        ['get', '/consultations/{id}', 'getConsultation'],
        ['patch', '/consultations/{id}', 'updateConsultation', 'UpdateConsultationRequest'],
      ];
      for (const [method, suffix, operationId, requestSchema] of operations) {
        const operation = document.paths[`${CLIENTS}/{clientId}${suffix}`]?.[method] as Operation | undefined;
        expect({ operationId, found: operation !== undefined }).toEqual({ operationId, found: true });
        if (!operation) {
          continue;
        }
        expect(operation.operationId).toBe(operationId);
        expect(operation.summary).toEqual(expect.any(String));
        expect(operation.description).toEqual(expect.any(String));
        expect(operation.tags).toEqual(['Clients']);
        const ids = operation.parameters.filter((parameter) => parameter.in === 'path');
        expect(ids.map((parameter) => [parameter.name, parameter.schema.format])).toEqual(
          expect.arrayContaining([
            ['clientId', 'uuid'],
            ...(suffix.includes('{id}') ? [['id', 'uuid']] : []),
          ]),
        );
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403', '404']));
        const ifMatch = operation.parameters.some(
          (parameter) => parameter.in === 'header' && parameter.name === 'If-Match',
        );
        expect({ operationId, ifMatch }).toEqual({
          operationId,
          ifMatch: ['patch', 'delete'].includes(method) || suffix.endsWith('/withdraw'),
        });
        if (requestSchema) {
          expect(operation.requestBody?.content['application/json'].schema.$ref).toBe(
            `#/components/schemas/${requestSchema}`,
          );
        }
      }
      const schemas = document.components.schemas as Record<string, { properties: Record<string, unknown> }>;
      for (const name of ['CreateConsultationRequest', 'UpdateConsultationRequest']) {
        expect(Object.keys(schemas[name].properties)).not.toEqual(expect.arrayContaining(['kind']));
      }
      for (const name of [
        'CreateQualificationRequest',
        'CreateConsentRequest',
        'CreateConsultationRequest',
      ]) {
        for (const member of ['id', 'clientId', 'version', 'createdAt']) {
          expect({ name, member, documented: member in schemas[name].properties }).toEqual({
            name,
            member,
            documented: false,
          });
        }
      }
      expect(schemas.ConsultationResponse.properties).toHaveProperty('kind');
      // nullable members keep their JSON type (a `string | null` member must not be documented as an object)
      for (const name of [
        'CreateQualificationRequest',
        'UpdateQualificationRequest',
        'QualificationResponse',
        'CreateConsentRequest',
        'WithdrawConsentRequest',
        'ConsentResponse',
        'CreateConsultationRequest',
        'UpdateConsultationRequest',
        'ConsultationResponse',
      ]) {
        const untyped = Object.entries(schemas[name].properties as Record<string, { type?: string }>)
          .filter(([, property]) => property.type === undefined || property.type === 'object')
          .map(([member]) => member);
        expect({ name, untyped }).toEqual({ name, untyped: [] });
      }
      expect(schemas.ConsentResponse.properties).toHaveProperty('status');
    });
  });

  describe('export, erasure and timeline of the records', () => {
    it('exports every record complete (notes included), erases the free texts, and shows a timeline without them', async () => {
      const clientId = await newClient();
      const qualification = await create(clientId, 'qualifications', qualificationBody());
      const consent = await create(clientId, 'consents', consentBody({ givenOn: '2026-02-01' }));
      const withdrawn = await call(
        t,
        adviser.token,
        'post',
        `${consent.headers.location}/withdraw`,
        { withdrawnOn: '2026-04-02' },
        { 'if-match': '"1"' },
      );
      const first = await create(
        clientId,
        'consultations',
        consultationBody({
          heldOn: '2026-03-10',
          notes: 'Diagnose vertraulich',
          outcomes: ['ANTRAG_EMPFOHLEN'],
        }),
      );
      const second = await create(clientId, 'consultations', consultationBody({ heldOn: '2026-03-20' }));

      const exported = await call(t, adviser.token, 'get', `${CLIENTS}/${clientId}/export`);
      expect(exported.status).toBe(200);
      const records = exported.body.records as Record<string, unknown[]>;
      expect(records.qualifications).toEqual([qualification.body]);
      expect(records.consents).toEqual([withdrawn.body]);
      expect(records.consultations).toEqual([{ ...first.body, notes: 'Diagnose vertraulich' }, second.body]);

      const timeline = await call(t, adviser.token, 'get', `${CLIENTS}/${clientId}/timeline`);
      expect(timeline.status).toBe(200);
      expect(JSON.stringify(timeline.body)).not.toContain('Diagnose');
      expect(JSON.stringify(timeline.body)).not.toContain('Магістр');
      const consentDetails = { purpose: 'BERATUNG', partnerId: null, partnerType: null, dataCategories: [] };
      expect(timeline.body.items).toEqual([
        {
          date: '2026-02-01',
          recordedAt: consent.body.createdAt,
          type: 'consent.given',
          resourceType: 'consent',
          resourceId: consent.body.id,
          details: consentDetails,
        },
        {
          date: '2026-03-10',
          recordedAt: first.body.createdAt,
          type: 'consultation',
          resourceType: 'consultation',
          resourceId: first.body.id,
          details: {
            kind: 'ERSTBERATUNG',
            channel: 'PERSOENLICH',
            topics: ['ANERKENNUNG_INFO', 'REFERENZBERUF'],
            outcomes: ['ANTRAG_EMPFOHLEN'],
            durationMinutes: 60,
          },
        },
        {
          date: '2026-03-20',
          recordedAt: second.body.createdAt,
          type: 'consultation',
          resourceType: 'consultation',
          resourceId: second.body.id,
          details: {
            kind: 'FOLGEBERATUNG',
            channel: 'PERSOENLICH',
            topics: ['ANERKENNUNG_INFO', 'REFERENZBERUF'],
            outcomes: [],
            durationMinutes: 60,
          },
        },
        {
          date: '2026-04-02',
          recordedAt: '2026-04-01T22:00:00.000000Z', // the start of 2 April in Germany
          type: 'consent.withdrawn',
          resourceType: 'consent',
          resourceId: consent.body.id,
          details: consentDetails,
        },
        {
          date: calendarDate(new Date(qualification.body.createdAt), 'Europe/Berlin'),
          recordedAt: qualification.body.createdAt,
          type: 'qualification.added',
          resourceType: 'qualification',
          resourceId: qualification.body.id,
          details: { kind: 'HOCHSCHULABSCHLUSS', country: 'UA' },
        },
      ]);

      const current = await call(t, adviser.token, 'get', `${CLIENTS}/${clientId}`);
      const erased = await call(t, adviser.token, 'post', `${CLIENTS}/${clientId}/erasure`, undefined, {
        'if-match': current.headers.etag,
      });
      expect(erased.status).toBe(200);
      expect(erased.body.parts).toEqual(
        expect.arrayContaining([
          { name: 'qualifications', rowsErased: 1 },
          { name: 'consents', rowsErased: 0 },
          { name: 'consultations', rowsErased: 2 },
        ]),
      );
      const after = await call(t, adviser.token, 'get', qualification.headers.location);
      expect(after.body).toMatchObject({
        titleOriginal: null,
        titleDe: null,
        kind: 'HOCHSCHULABSCHLUSS',
        country: 'UA',
      });
      const { rows } = await t.db.query(
        'SELECT notes, kind, topics FROM consultations WHERE client_id = $1 ORDER BY held_on',
        [clientId],
      );
      expect(rows).toEqual([
        { notes: null, kind: 'ERSTBERATUNG', topics: ['ANERKENNUNG_INFO', 'REFERENZBERUF'] },
        { notes: null, kind: 'FOLGEBERATUNG', topics: ['ANERKENNUNG_INFO', 'REFERENZBERUF'] },
      ]);
      expect((await call(t, adviser.token, 'get', consent.headers.location)).body).toMatchObject({
        status: 'WITHDRAWN',
        purpose: 'BERATUNG',
      });
    });
  });
});
