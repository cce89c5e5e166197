import { createAdviser, registerClient, type TestAdviser } from './support/clients';
import { call, expectProblem } from './support/org-fixtures';
import { listRoutes, type RouteAccess } from './support/routes';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The office is the tenant boundary: every route under `/clients/{id}` is called, with every method
 * it has, by an adviser of another office, for objects that exist. Each must answer 404 (as for an
 * unknown id) and leave the database exactly as it was. The routes come from the application itself,
 * so a new route is covered as soon as it exists — and fails here until it has a sample body.
 */

/** A valid body per route (a 404 must come from the scope, not from validation). */
const SAMPLE_BODIES: Record<string, object | undefined> = {
  'PATCH /api/v1/clients/:id': { city: 'Köln' },
  'POST /api/v1/clients/:id/erasure': undefined,
  'POST /api/v1/clients/:clientId/qualifications': {
    kind: 'BERUFSAUSBILDUNG',
    titleOriginal: 'Electrician',
    country: 'TR',
  },
  'PATCH /api/v1/clients/:clientId/qualifications/:id': { titleDe: 'Elektriker' },
  'POST /api/v1/clients/:clientId/consents': {
    purpose: 'BERATUNG',
    givenOn: '2026-01-10',
    method: 'SCHRIFTLICH',
  },
  'POST /api/v1/clients/:clientId/consents/:id/withdraw': {},
  'POST /api/v1/clients/:clientId/consultations': {
    heldOn: '2026-02-01',
    durationMinutes: 45,
    channel: 'TELEFON',
    topics: ['ANERKENNUNG_INFO'],
  },
  'PATCH /api/v1/clients/:clientId/consultations/:id': { durationMinutes: 50 },
  'POST /api/v1/clients/:clientId/consultations/:id/void': { reason: 'falsch erfasst' },
};

/** Which record of the victim a path parameter names, by the collection segment before it. */
type Victim = Record<string, string>;

function concretePath(route: RouteAccess, victim: Victim): string {
  const segments = route.path.split('/');
  return segments
    .map((segment, index) => {
      if (!segment.startsWith(':')) {
        return segment;
      }
      const collection = segments[index - 1];
      const id = victim[collection];
      if (id === undefined) {
        throw new Error(
          `No sample record for ${collection} in ${route.method} ${route.path}: add one to the test.`,
        );
      }
      return id;
    })
    .join('/');
}

/** Every table's content; refused accesses add `DENIED` audit events (asserted apart), nothing else. */
async function databaseFingerprint(t: TestApp): Promise<Record<string, string>> {
  const { rows: tables } = await t.db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
  );
  const fingerprint: Record<string, string> = {};
  for (const { name } of tables) {
    const withoutDenials = name === 'audit_events' ? ` WHERE t.outcome <> 'DENIED'` : '';
    const { rows } = await t.db.query<{ digest: string | null }>(
      `SELECT md5(string_agg(row_data, '|' ORDER BY row_data)) AS digest
         FROM (SELECT t::text AS row_data FROM "${name}" t${withoutDenials}) rows`,
    );
    fingerprint[name] = rows[0].digest ?? 'empty';
  }
  return fingerprint;
}

describe('office isolation of client data', () => {
  let t: TestApp;
  let owner: TestAdviser;
  let stranger: TestAdviser;
  let victim: Victim;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdviser(t);
    stranger = await createAdviser(t);
    const client = await registerClient(t, owner.token);
    const base = `/api/v1/clients/${client.id}`;
    const [qualification, consent, consultation] = await Promise.all([
      call(
        t,
        owner.token,
        'post',
        `${base}/qualifications`,
        SAMPLE_BODIES['POST /api/v1/clients/:clientId/qualifications'],
      ),
      call(
        t,
        owner.token,
        'post',
        `${base}/consents`,
        SAMPLE_BODIES['POST /api/v1/clients/:clientId/consents'],
      ),
      call(
        t,
        owner.token,
        'post',
        `${base}/consultations`,
        SAMPLE_BODIES['POST /api/v1/clients/:clientId/consultations'],
      ),
    ]);
    victim = {
      clients: client.id,
      qualifications: qualification.body.id as string,
      consents: consent.body.id as string,
      consultations: consultation.body.id as string,
    };
    expect(Object.values(victim).every((id) => typeof id === 'string')).toBe(true);
  });

  afterAll(async () => {
    await t.close();
  });

  it('covers every route with a client id', () => {
    const routes = listRoutes(t.app).filter((route) => route.path.startsWith('/api/v1/clients/:'));
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const route of routes.filter((route) => ['POST', 'PATCH', 'PUT'].includes(route.method))) {
      expect({
        route: `${route.method} ${route.path}`,
        hasSample: `${route.method} ${route.path}` in SAMPLE_BODIES,
      }).toEqual({
        route: `${route.method} ${route.path}`,
        hasSample: true,
      });
    }
  });

  it('another office’s adviser gets 404 on every client route and method, and nothing changes', async () => {
    const routes = listRoutes(t.app).filter((route) => route.path.startsWith('/api/v1/clients/:'));
    const before = await databaseFingerprint(t);
    const answers: string[] = [];
    for (const route of routes) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
      const response = await call(
        t,
        stranger.token,
        method,
        concretePath(route, victim),
        SAMPLE_BODIES[`${route.method} ${route.path}`],
        {
          'if-match': '"1"',
        },
      );
      answers.push(`${route.method} ${route.path} → ${response.status} ${response.body?.type ?? ''}`);
      expectProblem(response, 404, 'not-found');
      const { rows: denials } = await t.db.query<{ action: string; clientId: string; actorId: string }>(
        `SELECT action, client_id AS "clientId", actor_id AS "actorId" FROM audit_events
          WHERE request_id = $1 AND outcome = 'DENIED'`,
        [response.headers['x-request-id']],
      );
      expect({ route: `${route.method} ${route.path}`, denials }).toEqual({
        route: `${route.method} ${route.path}`,
        denials: [{ action: 'client.access-denied', clientId: victim.clients, actorId: stranger.userId }],
      });
    }
    expect(answers).toHaveLength(routes.length);
    expect(await databaseFingerprint(t)).toEqual(before);
  });

  it('the owner’s office reaches the same routes (the 404s above are not broken routes)', async () => {
    const routes = listRoutes(t.app).filter(
      (route) => route.path.startsWith('/api/v1/clients/:') && route.method === 'GET',
    );
    for (const route of routes) {
      const response = await call(t, owner.token, 'get', concretePath(route, victim));
      expect({ route: route.path, status: response.status }).toEqual({ route: route.path, status: 200 });
    }
  });
});
