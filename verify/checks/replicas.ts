import type { Figure, VerifyCheck } from '../check';
import { startApp, type AppProcess } from '../support/app-process';
import { call, expectStatus, histogram, sleep, type CallResult } from '../support/http-call';
import { clientBody, setUpOffice, type OfficeSetup } from '../support/office-setup';
import { startSuitePostgres, type SuitePostgres } from '../support/postgres';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/proxy';

/**
 * Two replicas (two app processes, one database, one signing key) behind a round-robin proxy: the
 * concurrency guarantees (quality.md, Reliability) must hold across processes, because they rest on
 * the database (row versions, the idempotency key's row, the seat counter), not on process memory.
 */

const CONCURRENT = 50;
const ENROLMENTS = 100;
const SEATS = 10;

interface Env {
  postgres: SuitePostgres;
  proxy: RoundRobinProxy;
  setup: OfficeSetup;
  seed: number;
  add(figure: string, target: string, measured: string, ok: boolean): void;
}

const check: VerifyCheck = {
  name: 'replicas',
  async run(context) {
    const figures: Figure[] = [];
    const add = (figure: string, target: string, measured: string, ok: boolean) =>
      figures.push({ figure: `replicas: ${figure}`, target, measured, ok });
    const postgres = await startSuitePostgres(context);
    const replicas: AppProcess[] = [];
    let proxy: RoundRobinProxy | undefined;
    try {
      // Started together: the migrations run once, under the advisory lock, while the other waits.
      const started = await Promise.allSettled(
        ['replica-1', 'replica-2'].map((name) =>
          // The production defaults: this check is about correctness under contention, not about timeouts.
          startApp(context, {
            name,
            databaseUrl: postgres.url,
            env: { DB_STATEMENT_TIMEOUT_MS: '15000', DB_POOL_ACQUIRE_TIMEOUT_MS: '5000' },
          }),
        ),
      );
      for (const outcome of started) {
        if (outcome.status === 'fulfilled') {
          replicas.push(outcome.value);
        }
      }
      const failed = started.filter((outcome) => outcome.status === 'rejected');
      add(
        'two replicas started at the same moment (migrations, job queues, first administrator)',
        '2 of 2 ready',
        `${replicas.length} of 2 ready${failed.length > 0 ? `: ${String(failed[0].reason).split('\n')[0]}` : ''}`,
        failed.length === 0,
      );
      if (failed.length > 0) {
        return figures;
      }
      const [one, two] = replicas;
      proxy = await startRoundRobinProxy([one.port, two.port]);
      const setup = await setUpOffice(proxy.baseUrl, context, 'replicas');
      const env: Env = { postgres, proxy, setup, seed: context.seed, add };

      await tokenAcrossReplicas(env, one, two);
      context.log(`replicas: ${CONCURRENT} concurrent If-Match PATCHes`);
      await ifMatchRace(env);
      context.log(`replicas: ${CONCURRENT} concurrent POSTs with one Idempotency-Key`);
      await idempotencyRace(env);
      context.log(`replicas: ${ENROLMENTS} concurrent enrolments into ${SEATS} seats`);
      await enrolmentRace(env);
      add(
        'requests spread over both replicas',
        'both serve',
        [...proxy.connections.entries()].map(([port, count]) => `${count} on :${port}`).join(', '),
        [...proxy.connections.values()].every((count) => count > 0),
      );
      return figures;
    } finally {
      await proxy?.close();
      await Promise.all(replicas.map((replica) => replica.stop('SIGTERM', 15_000)));
      await postgres.dispose();
    }
  },
};
export default check;

async function tokenAcrossReplicas(env: Env, one: AppProcess, two: AppProcess): Promise<void> {
  const me = await call(two.baseUrl, 'GET', '/api/v1/auth/me', { token: env.setup.adviserToken });
  const meOne = await call(one.baseUrl, 'GET', '/api/v1/auth/me', { token: env.setup.adviserToken });
  env.add(
    'one access token accepted by both replicas',
    '200 on each',
    `${meOne.status} on replica 1, ${me.status} on replica 2`,
    me.status === 200 && meOne.status === 200,
  );
}

async function ifMatchRace(env: Env): Promise<void> {
  const { proxy, setup, postgres } = env;
  const client = await expectStatus<{ id: string; version: number }>(
    'create client',
    201,
    call(proxy.baseUrl, 'POST', '/api/v1/clients', {
      token: setup.adviserToken,
      body: clientBody(`replicas-ifmatch-${env.seed}`),
    }),
  );
  const results = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, index) =>
      call(proxy.baseUrl, 'PATCH', `/api/v1/clients/${client.id}`, {
        token: setup.adviserToken,
        body: { city: `Stadt ${index}` },
        headers: { 'if-match': `"${client.version}"` },
      }),
    ),
  );
  const [row] = await postgres.query<{ version: number }>('SELECT version FROM clients WHERE id = $1', [
    client.id,
  ]);
  const winners = results.filter((result) => result.status === 200).length;
  const refused = results.filter((result) => result.status === 412).length;
  env.add(
    `${CONCURRENT} concurrent PATCHes with the same If-Match`,
    `1 × 200, ${CONCURRENT - 1} × 412, version +1`,
    `${histogram(results)}; version ${client.version} → ${row.version}`,
    winners === 1 && refused === CONCURRENT - 1 && row.version === client.version + 1,
  );
}

async function idempotencyRace(env: Env): Promise<void> {
  const { proxy, setup, postgres } = env;
  const marker = `replicas-idempotency-${env.seed}`;
  const body = clientBody(marker);
  const results = await Promise.all(
    Array.from({ length: CONCURRENT }, () =>
      call(proxy.baseUrl, 'POST', '/api/v1/clients', {
        token: setup.adviserToken,
        body,
        headers: { 'idempotency-key': marker },
      }),
    ),
  );
  const rows = await postgres.query<{ id: string }>('SELECT id::text FROM clients WHERE last_name = $1', [
    `Load ${marker}`,
  ]);
  const ids = new Set(
    results
      .filter((result) => result.status >= 200 && result.status < 300)
      .map((result) => (result.body as { id?: string }).id),
  );
  const bad = results.filter((result) => result.status >= 500 || result.status === 0).length;
  env.add(
    `${CONCURRENT} concurrent POSTs with one Idempotency-Key`,
    '1 row; every 2xx names it; 0 × 5xx',
    `${rows.length} row(s); ${histogram(results)}; ${ids.size} distinct id(s) answered`,
    rows.length === 1 && ids.size === 1 && ids.has(rows[0].id) && bad === 0,
  );
}

async function enrolmentRace(env: Env): Promise<void> {
  const { proxy, setup, postgres } = env;
  const offer = await expectStatus<{ id: string }>(
    'create offer',
    201,
    call(proxy.baseUrl, 'POST', '/api/v1/qualification-offers', {
      token: setup.coordinatorToken,
      body: {
        title: `Anpassungslehrgang Pflege ${env.seed}`,
        type: 'ANPASSUNGSLEHRGANG',
        providerPartnerId: setup.providerId,
        referenceOccupations: ['81302'],
        format: 'KURS',
        delivery: 'HYBRID',
        capacity: SEATS,
        startsOn: berlinDate(30),
        endsOn: berlinDate(200),
        iqFunded: true,
        bundesland: 'DE-BE',
        city: 'Berlin',
      },
    }),
  );
  const clientIds: string[] = [];
  for (let start = 0; start < ENROLMENTS; start += 10) {
    const batch = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        expectStatus<{ id: string }>(
          'create client',
          201,
          call(proxy.baseUrl, 'POST', '/api/v1/clients', {
            token: setup.adviserToken,
            body: clientBody(`replicas-enrol-${env.seed}-${start + index}`),
          }),
        ),
      ),
    );
    clientIds.push(...batch.map((client) => client.id));
  }
  // As a careful client: one Idempotency-Key per enrolment, the same request again after a 503.
  let retries = 0;
  const results: CallResult[] = await Promise.all(
    clientIds.map(async (clientId) => {
      for (let attempt = 1; ; attempt += 1) {
        const result = await call(proxy.baseUrl, 'POST', '/api/v1/enrolments', {
          token: setup.adviserToken,
          body: { clientId, offerId: offer.id },
          headers: { 'idempotency-key': `enrol-${env.seed}-${clientId}` },
        });
        if (result.status !== 503 || attempt === 5) {
          return result;
        }
        retries += 1;
        await sleep(500);
      }
    }),
  );
  const states = await postgres.query<{ status: string; count: number }>(
    'SELECT status, count(*)::int AS count FROM enrolments WHERE offer_id = $1 GROUP BY status',
    [offer.id],
  );
  const count = (status: string) => states.find((state) => state.status === status)?.count ?? 0;
  const [counters] = await postgres.query<{ seatsTaken: number; waitlisted: number }>(
    'SELECT seats_taken AS "seatsTaken", waitlisted FROM qualification_offers WHERE id = $1',
    [offer.id],
  );
  const answered = results.map((result) => (result.body as { status?: string } | undefined)?.status);
  env.add(
    `${ENROLMENTS} concurrent enrolments into ${SEATS} seats`,
    `${SEATS} ZUGESAGT, ${ENROLMENTS - SEATS} WARTELISTE`,
    `${count('ZUGESAGT')} ZUGESAGT, ${count('WARTELISTE')} WARTELISTE in the database (counters ${counters.seatsTaken}/${counters.waitlisted}); answers ${histogram(results)} after ${retries} retries of a 503`,
    count('ZUGESAGT') === SEATS &&
      count('WARTELISTE') === ENROLMENTS - SEATS &&
      counters.seatsTaken === SEATS &&
      counters.waitlisted === ENROLMENTS - SEATS &&
      results.every((result) => result.status === 201) &&
      answered.filter((status) => status === 'ZUGESAGT').length === SEATS,
  );
}

/** The calendar date in Europe/Berlin `days` from now. */
function berlinDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}
