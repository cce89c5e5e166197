import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Figure, VerifyCheck, VerifyContext } from '../check';
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
/** Referrals made for the webhook figure; every third is cancelled again: 30 + 10 = 40 events. */
const REFERRALS = 30;
const CANCEL_EVERY = 3;
const WEBHOOK_WAIT_MS = 60_000;

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
            env: {
              DB_STATEMENT_TIMEOUT_MS: '15000',
              DB_POOL_ACQUIRE_TIMEOUT_MS: '5000',
              // The receiver below is on 127.0.0.1, and retries must come within the check's time.
              WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
              WEBHOOK_RETRY_BASE_MS: '200',
              WEBHOOK_RETRY_MAX_MS: '1000',
              WEBHOOK_TIMEOUT_MS: '3000',
              JOBS_POLL_INTERVAL_MS: '500',
            },
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
      context.log(
        `replicas: ${REFERRALS} referrals and their webhooks, delivered by both replicas' job workers`,
      );
      await webhooksOnce(env, context);
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

interface ReceivedMessage {
  attempts: number;
  /** How often this webhook-id was answered 2xx (processed), at most once when delivery is exactly-once-effective. */
  processed: number;
  verified: number;
  type?: string;
  referralId?: string;
}

/**
 * A partner's endpoint on 127.0.0.1 that checks every request with the `standardwebhooks` library,
 * as the README tells partners to, and fails the first attempt of every third message (500), so the
 * retry can be taken by the other replica's worker.
 */
async function startReceiver(secret: () => string | undefined) {
  const messages = new Map<string, ReceivedMessage>();
  let requests = 0;
  let unverified = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string, headers: IncomingHttpHeaders) => String(headers[name] ?? '');
      const id = header('webhook-id', request.headers);
      let payload: { type?: string; data?: { referralId?: string } } | undefined;
      try {
        payload = new Webhook(secret() ?? 'whsec_').verify(body, {
          'webhook-id': id,
          'webhook-timestamp': header('webhook-timestamp', request.headers),
          'webhook-signature': header('webhook-signature', request.headers),
        }) as typeof payload;
      } catch {
        unverified += 1;
      }
      let message = messages.get(id);
      if (!message) {
        message = { attempts: 0, processed: 0, verified: 0 };
        messages.set(id, message);
      }
      message.attempts += 1;
      if (!payload) {
        response.statusCode = 400;
        response.end();
        return;
      }
      message.verified += 1;
      message.type = payload.type;
      message.referralId = payload.data?.referralId;
      // `messages.size` is this id's place in arrival order when it is first seen.
      if (message.attempts === 1 && messages.size % 3 === 0) {
        response.statusCode = 500;
        response.end();
        return;
      }
      message.processed += 1;
      response.statusCode = 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/anker/webhooks`,
    messages,
    stats: () => ({ requests, unverified }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function webhooksOnce(env: Env, context: VerifyContext): Promise<void> {
  const { proxy, setup } = env;
  const base = proxy.baseUrl;
  const post = <T>(
    what: string,
    path: string,
    body: unknown,
    token: string,
    headers?: Record<string, string>,
  ) => expectStatus<T>(what, 201, call(base, 'POST', path, { token, body, headers }));

  const partner = await post<{ id: string }>(
    'create partner',
    '/api/v1/partners',
    { name: `Jobcenter Verify replicas ${env.seed}`, type: 'JOBCENTER', bundesland: 'DE-BE' },
    setup.adminToken,
  );
  const credentials = await post<{ clientId: string; clientSecret: string }>(
    'create API client',
    `/api/v1/partners/${partner.id}/api-clients`,
    { name: `Fachverfahren Verify replicas ${env.seed}` },
    setup.adminToken,
  );
  context.sensitive(credentials.clientSecret);
  const { access_token: partnerToken } = await expectStatus<{ access_token: string }>(
    'partner sign-in',
    200,
    call(base, 'POST', '/api/v1/auth/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      },
    }),
  );
  context.sensitive(partnerToken);

  let secret: string | undefined;
  const receiver = await startReceiver(() => secret);
  try {
    const subscription = await post<{ id: string; secret: string }>(
      'subscribe to webhooks',
      '/api/v1/partner/webhooks',
      { url: receiver.url, events: ['referral.created', 'referral.cancelled'] },
      partnerToken,
    );
    secret = subscription.secret;
    context.sensitive(secret);

    // Each referral: a client, the client's consent to pass data to this partner, the referral; every
    // third is cancelled again. Ten at a time, so both replicas write while both workers deliver.
    const expected = new Set<string>();
    for (let start = 0; start < REFERRALS; start += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, REFERRALS - start) }, async (_, offset) => {
          const index = start + offset;
          const marker = `replicas-webhook-${env.seed}-${index}`;
          const client = await post<{ id: string }>(
            'create client',
            '/api/v1/clients',
            clientBody(marker),
            setup.adviserToken,
          );
          await post(
            'record consent',
            `/api/v1/clients/${client.id}/consents`,
            {
              purpose: 'WEITERGABE_PARTNER',
              partnerId: partner.id,
              dataCategories: ['STAMMDATEN', 'QUALIFIKATION'],
              givenOn: berlinDate(0),
              method: 'SCHRIFTLICH',
            },
            setup.adviserToken,
          );
          const referral = await post<{ id: string; version: number }>(
            'create referral',
            '/api/v1/referrals',
            {
              clientId: client.id,
              partnerId: partner.id,
              reason: 'ANERKENNUNG_INFO',
              dataCategories: ['STAMMDATEN'],
            },
            setup.adviserToken,
            { 'idempotency-key': marker },
          );
          expected.add(`referral.created ${referral.id}`);
          if (index % CANCEL_EVERY === 0) {
            await expectStatus(
              'cancel referral',
              200,
              call(base, 'POST', `/api/v1/referrals/${referral.id}/cancel`, {
                token: setup.adviserToken,
                body: { reason: 'Klientin hat einen Arbeitsplatz gefunden' },
                headers: { 'if-match': `"${referral.version}"` },
              }),
            );
            expected.add(`referral.cancelled ${referral.id}`);
          }
        }),
      );
    }

    const delivered = () =>
      [...receiver.messages.values()].filter((message) => message.processed > 0 && message.type);
    const startedAt = Date.now();
    while (delivered().length < expected.size && Date.now() - startedAt < WEBHOOK_WAIT_MS) {
      await sleep(250);
    }
    const waitedMs = Date.now() - startedAt;
    // A little longer: a duplicate (a retry of something already answered 2xx) would come now.
    await sleep(3_000);

    const messages = [...receiver.messages.values()];
    const matched = new Set(
      delivered()
        .map((message) => `${message.type} ${message.referralId}`)
        .filter((key) => expected.has(key)),
    );
    const twice = messages.filter((message) => message.processed > 1).length;
    const retried = messages.filter((message) => message.attempts > 1).length;
    const verifiedIds = messages.filter((message) => message.verified === message.attempts).length;
    const { requests, unverified } = receiver.stats();
    const total = expected.size;
    env.add(
      'webhooks delivered (referral.created and .cancelled, made through both replicas)',
      `${total} of ${total}`,
      `${matched.size} of ${total} (${receiver.messages.size} webhook-ids, ${requests} requests, ${retried} retried after a 500; ${waitedMs} ms)`,
      matched.size === total && receiver.messages.size === total,
    );
    env.add('webhook-ids processed more than once (2xx answered twice)', '0', String(twice), twice === 0);
    env.add(
      'webhook signatures verified (standardwebhooks)',
      `${total} of ${total}`,
      `${verifiedIds} of ${receiver.messages.size} webhook-ids; ${requests - unverified} of ${requests} requests`,
      verifiedIds === total && receiver.messages.size === total && unverified === 0,
    );
  } finally {
    await receiver.close();
  }
}

/** The calendar date in Europe/Berlin `days` from now. */
function berlinDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}
