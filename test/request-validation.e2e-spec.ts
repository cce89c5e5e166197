import { encodeCursor } from '../src/common/http/pagination';
import { adminToken } from './support/auth';
import { clientBody, createAdviser, registerClient, type TestAdviser } from './support/clients';
import { call, pointersOf, SOME_ID } from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const CLIENTS = '/api/v1/clients';

/** Instants that match the ISO 8601 shape but name no moment of the calendar. */
const IMPOSSIBLE_INSTANTS = [
  '2026-02-30T10:00:00Z',
  '2026-04-31T10:00:00Z',
  '2025-02-29T10:00:00Z',
  '2026-13-01T10:00:00Z',
  '2026-03-01T24:00:00Z',
  '2026-03-01T10:60:00Z',
  '2026-03-01T10:00:60Z',
  '2026-03-01T10:00:00+24:00',
];

describe('request validation: calendar values, NUL characters, forged cursors', () => {
  let t: TestApp;
  let adviser: TestAdviser;
  let admin: string;
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    adviser = await createAdviser(t);
    admin = await adminToken(t);
    clientId = (await registerClient(t, adviser.token)).id;
  });

  afterAll(async () => {
    await t.close();
  });

  describe('instants in query strings', () => {
    it.each(IMPOSSIBLE_INSTANTS)(
      'refuses createdAfter and createdBefore = %s with 400 and the pointers',
      async (instant) => {
        const query = new URLSearchParams({ createdAfter: instant, createdBefore: instant });
        expect(pointersOf(await call(t, adviser.token, 'get', `${CLIENTS}?${query.toString()}`))).toEqual([
          '#/createdAfter',
          '#/createdBefore',
        ]);
      },
    );

    it.each(IMPOSSIBLE_INSTANTS)('refuses the audit filters from and to = %s', async (instant) => {
      const query = new URLSearchParams({ from: instant, to: instant });
      expect(pointersOf(await call(t, admin, 'get', `/api/v1/audit-events?${query.toString()}`))).toEqual([
        '#/from',
        '#/to',
      ]);
    });

    it('accepts real instants: a leap day, an offset, fractions of a second', async () => {
      const query = new URLSearchParams({
        createdAfter: '2024-02-29T23:59:59.999999+01:00',
        createdBefore: '2099-12-31T23:59Z',
      });
      const response = await call(t, adviser.token, 'get', `${CLIENTS}?${query.toString()}`);
      expect(response.status).toBe(200);
      expect((response.body.items as { id: string }[]).map((item) => item.id)).toContain(clientId);
    });
  });

  describe('dates in bodies and query strings', () => {
    it.each(['2026-02-30', '2025-02-29', '2026-04-31', '2026-00-10', '2026-3-1'])(
      'refuses the body date %s with 400 and the pointer',
      async (date) => {
        const consultation = await call(t, adviser.token, 'post', `${CLIENTS}/${clientId}/consultations`, {
          heldOn: date,
          durationMinutes: 60,
          channel: 'PERSOENLICH',
          topics: ['ANERKENNUNG_INFO'],
        });
        expect(pointersOf(consultation)).toEqual(['#/heldOn']);
        expect(
          pointersOf(await call(t, adviser.token, 'post', CLIENTS, clientBody({ birthDate: date }))),
        ).toEqual(['#/birthDate']);
      },
    );

    it('refuses impossible dates in query strings', async () => {
      expect(
        pointersOf(
          await call(
            t,
            adviser.token,
            'get',
            `${CLIENTS}/${clientId}/consultations?from=2026-02-30&to=2026-04-31`,
          ),
        ),
      ).toEqual(['#/from', '#/to']);
      expect(
        pointersOf(await call(t, adviser.token, 'get', `${CLIENTS}/${clientId}/timeline?from=2026-02-30`)),
      ).toEqual(['#/from']);
      expect(
        pointersOf(await call(t, adviser.token, 'get', '/api/v1/recognition-cases?dueBefore=2026-02-29')),
      ).toEqual(['#/dueBefore']);
    });
  });

  describe('the NUL character', () => {
    it('is refused in body strings with 400 and the pointer, and nothing is stored', async () => {
      const response = await call(t, adviser.token, 'post', CLIENTS, clientBody({ city: 'Ber\u0000lin' }));
      expect(pointersOf(response)).toEqual(['#/city']);
      expect(response.body.errors).toContainEqual({
        pointer: '#/city',
        detail: 'must not contain the NUL character (U+0000)',
      });
      const notes = await call(t, adviser.token, 'post', `${CLIENTS}/${clientId}/consultations`, {
        heldOn: '2026-03-10',
        durationMinutes: 60,
        channel: 'PERSOENLICH',
        topics: ['ANERKENNUNG_INFO'],
        notes: 'Termin\u0000',
      });
      expect(pointersOf(notes)).toEqual(['#/notes']);
      expect(
        pointersOf(
          await call(
            t,
            adviser.token,
            'patch',
            `${CLIENTS}/${clientId}`,
            { firstName: '\u0000' },
            { 'if-match': '"1"' },
          ),
        ),
      ).toEqual(['#/firstName']);
      const { rows } = await t.db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM consultations WHERE client_id = $1',
        [clientId],
      );
      expect(rows[0].count).toBe(0);
    });

    it('is refused in query strings', async () => {
      expect(pointersOf(await call(t, admin, 'get', '/api/v1/audit-events?resourceType=client%00'))).toEqual([
        '#/resourceType',
      ]);
      expect(
        pointersOf(await call(t, adviser.token, 'get', '/api/v1/reference-data/occupations?q=pflege%00')),
      ).toEqual(['#/q']);
    });
  });

  it('refuses the NUL character in a path parameter that is no UUID', async () => {
    const partner = await call(t, admin, 'post', '/api/v1/partners', {
      name: 'Jobcenter NUL',
      type: 'JOBCENTER',
    });
    expect(partner.status).toBe(201);
    const path = `/api/v1/partners/${partner.body.id as string}/api-clients`;
    expect(pointersOf(await call(t, admin, 'delete', `${path}/pc_%00`))).toEqual(['#/clientId']);
    expect((await call(t, admin, 'delete', `${path}/pc_unknown`)).status).toBe(404);
  });

  describe('cursors with an impossible instant', () => {
    const forged = encodeCursor({ sortKey: '2026-02-30T10:00:00.000000Z', id: SOME_ID });

    it('answer 400 #/cursor on the adviser’s lists', async () => {
      const lists = [
        CLIENTS,
        '/api/v1/recognition-cases',
        `${CLIENTS}/${clientId}/qualifications`,
        `${CLIENTS}/${clientId}/consents`,
        `${CLIENTS}/${clientId}/access-log`,
      ];
      for (const path of lists) {
        expect(pointersOf(await call(t, adviser.token, 'get', `${path}?cursor=${forged}`))).toEqual([
          '#/cursor',
        ]);
      }
    });

    it('answer 400 #/cursor on the administrator lists and the audit log', async () => {
      for (const path of [
        '/api/v1/networks',
        '/api/v1/offices',
        '/api/v1/users',
        '/api/v1/partners',
        '/api/v1/audit-events',
        '/api/v1/retention/runs',
      ]) {
        expect(pointersOf(await call(t, admin, 'get', `${path}?cursor=${forged}`))).toEqual(['#/cursor']);
      }
    });

    it('answer 400 #/cursor on the retention preview, whose cursor holds a day and a client id', async () => {
      for (const key of [
        { sortKey: '2026-02-30', id: SOME_ID },
        { sortKey: '2026-03-01', id: '-'.repeat(36) },
      ]) {
        const cursor = encodeCursor(key);
        expect(pointersOf(await call(t, admin, 'get', `/api/v1/retention/preview?cursor=${cursor}`))).toEqual(
          ['#/cursor'],
        );
      }
    });

    it('answer 400 #/cursor on consultations, whose cursor also holds the day held', async () => {
      const path = `${CLIENTS}/${clientId}/consultations`;
      for (const sortKey of [
        '2026-03-10|2026-02-30T10:00:00.000000Z',
        '2026-02-30|2026-03-10T10:00:00.000000Z',
      ]) {
        const cursor = encodeCursor({ sortKey, id: SOME_ID });
        expect(pointersOf(await call(t, adviser.token, 'get', `${path}?cursor=${cursor}`))).toEqual([
          '#/cursor',
        ]);
      }
    });
  });
});
