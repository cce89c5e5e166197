import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { JobQueue } from '../src/jobs/job-queue.service';
import type { WebhookEvent } from '../src/partners/webhook-outbox.service';
import { WebhookPruneJob } from '../src/partners/webhook-prune.job';
import { createApiClient, partnerToken, roleTokens } from './support/auth';
import { eventually, sleep, startAnotherApp } from './support/job-probes';
import { auditCount, call, expectProblem, pointersOf } from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import {
  WebhookEventProbe,
  WebhookProbesModule,
  WebhookReceiver,
  type ReceivedWebhook,
} from './support/webhook-probes';

const BASE = '/api/v1/partner/webhooks';

const FAST = {
  JOBS_POLL_INTERVAL_MS: '500',
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_TIMEOUT_MS: '700',
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_RETRY_MAX_MS: '200',
};

interface Partner {
  partnerId: string;
  token: string;
}

async function newPartner(t: TestApp): Promise<Partner> {
  const client = await createApiClient(t);
  return { partnerId: client.partnerId, token: await partnerToken(t, client) };
}

async function subscribe(
  t: TestApp,
  partner: Partner,
  url: string,
  events: string[] = ['referral.created', 'referral.cancelled', 'referral.expired', 'consent.withdrawn'],
): Promise<{ id: string; secret: string }> {
  const response = await call(t, partner.token, 'post', BASE, { url, events });
  expect(response.status).toBe(201);
  return { id: response.body.id as string, secret: response.body.secret as string };
}

function event(partner: Partner, type: WebhookEvent['type'] = 'referral.created'): WebhookEvent {
  return { type, partnerId: partner.partnerId, data: { referralId: randomUUID(), status: 'GESENDET' } };
}

/** Verifies a received webhook with the Standard Webhooks library, as a partner would. */
function verify(secret: string, received: ReceivedWebhook, signature?: string): unknown {
  const headers = {
    'webhook-id': String(received.headers['webhook-id']),
    'webhook-timestamp': String(received.headers['webhook-timestamp']),
    'webhook-signature': signature ?? String(received.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(received.body, headers);
}

/** Fails the first two attempts of each webhook-id (500), times out on the third, succeeds on the fourth. */
function flakyReceiver(receiver: WebhookReceiver): Map<string, number> {
  const attempts = new Map<string, number>();
  receiver.behaviour = (_n, { headers }) => {
    const id = String(headers['webhook-id']);
    const attempt = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, attempt);
    return attempt <= 2 ? 500 : attempt === 3 ? 'hang' : 204;
  };
  return attempts;
}

async function deliveries(t: TestApp, partner: Partner, subscriptionId: string, query = '') {
  const response = await call(t, partner.token, 'get', `${BASE}/${subscriptionId}/deliveries${query}`);
  expect(response.status).toBe(200);
  return response.body.items as {
    id: string;
    webhookId: string;
    eventType: string;
    status: string;
    attempts: { number: number; statusCode: number | null; errorClass: string | null; succeeded: boolean }[];
    nextAttemptAt: string | null;
  }[];
}

describe('partner webhooks', () => {
  jest.setTimeout(90_000);
  let t: TestApp;
  let receiver: WebhookReceiver;
  let receiverUrl: string;
  let probe: WebhookEventProbe;

  beforeAll(async () => {
    t = await createTestApp({ env: FAST, imports: [WebhookProbesModule] });
    probe = t.app.get(WebhookEventProbe);
    receiver = new WebhookReceiver();
    receiverUrl = await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });
  beforeEach(() => {
    receiver.behaviour = () => 204;
    receiver.received.length = 0;
  });

  describe('subscriptions', () => {
    it('answers the secret once (Standard Webhooks format), keeps it encrypted, and audits the change', async () => {
      const partner = await newPartner(t);
      const response = await call(
        t,
        partner.token,
        'post',
        BASE,
        { url: `${receiverUrl}/hooks`, events: ['referral.created', 'consent.withdrawn'] },
        { 'Idempotency-Key': 'subscribe-1' },
      );
      expect(response.status).toBe(201);
      expect(response.headers.location).toBe(`${BASE}/${response.body.id}`);
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers['cache-control']).toBe('no-store');
      const secret = response.body.secret as string;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64').length).toBeGreaterThanOrEqual(24);
      expect(response.body).toMatchObject({
        url: `${receiverUrl}/hooks`,
        events: ['consent.withdrawn', 'referral.created'],
        status: 'ACTIVE',
        version: 1,
      });

      const { rows } = await t.db.query<{ secret_encrypted: string }>(
        'SELECT secret_encrypted FROM webhook_subscriptions WHERE id = $1',
        [response.body.id],
      );
      expect(rows[0].secret_encrypted).toMatch(/^v1\./);
      expect(rows[0].secret_encrypted).not.toContain(secret.slice(6, 20));
      const { rows: keys } = await t.db.query<{ response: string }>(
        'SELECT response_body::text AS response FROM idempotency_keys',
      );
      expect(keys.some((row) => row.response?.includes(secret.slice(6, 20)))).toBe(false);
      expect(t.logLines().some((line) => line.includes(secret.slice(6, 20)))).toBe(false);
      expect(await auditCount(t, 'webhook-subscription.create', response.body.id)).toBe(1);

      // A replay answers the same subscription, without the secret (it is shown once).
      const replay = await call(
        t,
        partner.token,
        'post',
        BASE,
        { url: `${receiverUrl}/hooks`, events: ['referral.created', 'consent.withdrawn'] },
        { 'Idempotency-Key': 'subscribe-1' },
      );
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.id).toBe(response.body.id);
      expect(replay.body.secret).toBeUndefined();

      const list = await call(t, partner.token, 'get', BASE);
      expect(list.status).toBe(200);
      expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([response.body.id]);
      expect(JSON.stringify(list.body)).not.toContain('whsec_');
      const one = await call(t, partner.token, 'get', `${BASE}/${response.body.id}`);
      expect(one.status).toBe(200);
      expect(one.headers.etag).toBe('"1"');
      expect(one.body.secret).toBeUndefined();
    });

    it('validates the URL and the events', async () => {
      const partner = await newPartner(t);
      const bad = async (body: object) => pointersOf(await call(t, partner.token, 'post', BASE, body));
      expect(await bad({ url: 'ftp://example.org/x', events: ['referral.created'] })).toEqual(['#/url']);
      expect(await bad({ url: 'https://user:pw@example.org/x', events: ['referral.created'] })).toEqual([
        '#/url',
      ]);
      expect(
        await bad({ url: `https://example.org/${'x'.repeat(2_100)}`, events: ['referral.created'] }),
      ).toEqual(['#/url']);
      expect(await bad({ url: 'not a url', events: ['referral.created'] })).toEqual(['#/url']);
      expect(await bad({ url: 'https://example.org/x', events: [] })).toEqual(['#/events']);
      expect(await bad({ url: 'https://example.org/x', events: ['client.created'] })).toEqual(['#/events']);
      expect(await bad({ url: 'https://example.org/x' })).toEqual(['#/events']);
    });

    it('is the partner’s own: another partner gets 404 on every route; people get 403', async () => {
      const owner = await newPartner(t);
      const stranger = await newPartner(t);
      const { id } = await subscribe(t, owner, `${receiverUrl}/own`);
      await probe.change([event(owner)]);
      await eventually(async () => (await deliveries(t, owner, id)).length === 1);
      const [delivery] = await deliveries(t, owner, id);

      const routes: ['get' | 'post' | 'delete', string][] = [
        ['get', `${BASE}/${id}`],
        ['delete', `${BASE}/${id}`],
        ['post', `${BASE}/${id}/rotate-secret`],
        ['get', `${BASE}/${id}/deliveries`],
        ['post', `${BASE}/${id}/deliveries/${delivery.id}/retry`],
      ];
      for (const [method, path] of routes) {
        expectProblem(await call(t, stranger.token, method, path), 404, 'not-found');
      }
      expect((await call(t, stranger.token, 'get', BASE)).body.items).toEqual([]);

      const people = await roleTokens(t);
      for (const token of Object.values(people)) {
        for (const [method, path] of [
          ...routes,
          ['get', BASE] as const,
          ['post', BASE] as const,
          ['patch', `${BASE}/${id}`] as const,
        ]) {
          const response = await call(
            t,
            token,
            method,
            path,
            method === 'post' || method === 'patch' ? {} : undefined,
          );
          expectProblem(response, 403, 'forbidden');
        }
      }
      // Still there, untouched.
      expect((await call(t, owner.token, 'get', `${BASE}/${id}`)).status).toBe(200);
    });

    it('changes URL and events with If-Match; the secret stays', async () => {
      const partner = await newPartner(t);
      const { id, secret } = await subscribe(t, partner, `${receiverUrl}/before`, ['referral.created']);
      const path = `${BASE}/${id}`;
      const body = { url: `${receiverUrl}/after`, events: ['referral.expired', 'referral.created'] };
      expectProblem(await call(t, partner.token, 'patch', path, body), 428, 'precondition-required');
      expectProblem(
        await call(t, partner.token, 'patch', path, body, { 'If-Match': '"7"' }),
        412,
        'precondition-failed',
      );
      expect(pointersOf(await call(t, partner.token, 'patch', path, {}, { 'If-Match': '"1"' }))).toEqual([
        '#',
      ]);
      expect(
        pointersOf(
          await call(t, partner.token, 'patch', path, { url: 'ftp://x.example/' }, { 'If-Match': '"1"' }),
        ),
      ).toEqual(['#/url']);
      const stranger = await newPartner(t);
      expectProblem(
        await call(t, stranger.token, 'patch', path, body, { 'If-Match': '"1"' }),
        404,
        'not-found',
      );

      const changed = await call(t, partner.token, 'patch', path, body, { 'If-Match': '"1"' });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toMatchObject({
        url: body.url,
        events: ['referral.created', 'referral.expired'],
        version: 2,
      });
      expect(changed.body.secret).toBeUndefined();
      expect(await auditCount(t, 'webhook-subscription.update', id)).toBe(1);

      await probe.change([event(partner, 'referral.expired')]);
      await eventually(() => receiver.received.length === 1);
      expect(receiver.received[0].path).toBe('/after');
      expect(receiver.received[0].body).toContain('referral.expired');
      expect(() => verify(secret, receiver.received[0])).not.toThrow();
    });

    it('deletes a subscription with its delivery log; nothing more is sent to it', async () => {
      const partner = await newPartner(t);
      const { id } = await subscribe(t, partner, `${receiverUrl}/deleted`);
      const deleted = await call(t, partner.token, 'delete', `${BASE}/${id}`);
      expect(deleted.status).toBe(204);
      expect(await auditCount(t, 'webhook-subscription.delete', id)).toBe(1);
      expectProblem(await call(t, partner.token, 'get', `${BASE}/${id}`), 404, 'not-found');
      await probe.change([event(partner)]);
      await sleep(1_000);
      expect(receiver.received).toEqual([]);
    });
  });

  describe('delivery', () => {
    it('delivers every event despite failures and a timeout: signed, each webhook-id processed once', async () => {
      const partner = await newPartner(t);
      const { id, secret } = await subscribe(t, partner, `${receiverUrl}/flaky`);
      const attempts = flakyReceiver(receiver);
      const events = [
        event(partner, 'referral.created'),
        event(partner, 'referral.cancelled'),
        event(partner, 'referral.expired'),
        event(partner, 'consent.withdrawn'),
        event(partner, 'referral.created'),
      ];
      const started = Date.now();
      await probe.change(events.slice(0, 2));
      await probe.change(events.slice(2));
      // The change returns at once: delivery is a job.
      expect(Date.now() - started).toBeLessThan(2_000);

      await eventually(
        async () => (await deliveries(t, partner, id)).every((delivery) => delivery.status === 'DELIVERED'),
        60_000,
        'every delivery to succeed',
      );
      // The receiver processes each webhook-id once (dedup), as Standard Webhooks asks of it.
      const processed = new Map<string, unknown>();
      for (const received of receiver.received.filter((entry) => entry.answer === 204)) {
        const payload = verify(secret, received);
        processed.set(String(received.headers['webhook-id']), payload);
      }
      expect(processed.size).toBe(events.length);
      expect([...attempts.values()]).toEqual(events.map(() => 4));
      expect(receiver.received).toHaveLength(events.length * 4);
      // Every attempt of one event carries the same webhook-id and payload, each freshly signed.
      for (const [webhookId] of processed) {
        const all = receiver.received.filter((entry) => entry.headers['webhook-id'] === webhookId);
        expect(new Set(all.map((entry) => entry.body)).size).toBe(1);
        for (const entry of all) {
          expect(() => verify(secret, entry)).not.toThrow();
        }
      }
      const payloads = [...processed.values()] as { type: string; timestamp: string; data: unknown }[];
      expect(payloads.map((payload) => payload.data).sort(byJson)).toEqual(
        events.map((sent) => sent.data).sort(byJson),
      );
      for (const payload of payloads) {
        expect(Object.keys(payload).sort()).toEqual(['data', 'timestamp', 'type']);
        expect(payload.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      }

      const log = await deliveries(t, partner, id);
      expect(log).toHaveLength(5);
      for (const delivery of log) {
        expect(
          delivery.attempts.map((attempt) => [attempt.number, attempt.statusCode, attempt.errorClass]),
        ).toEqual([
          [1, 500, 'http-status'],
          [2, 500, 'http-status'],
          [3, null, 'timeout'],
          [4, 204, null],
        ]);
        expect(delivery.nextAttemptAt).toBeNull();
      }
      expect(new Set(log.map((delivery) => delivery.webhookId))).toEqual(new Set(processed.keys()));

      const metrics = await request(t.baseUrl).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/webhook_deliveries\{status="DELIVERED"\} \d+/);
      expect(metrics.text).toMatch(/webhook_attempts_total\{result="timeout"\} [1-9]/);
      expect(metrics.text).toMatch(/webhook_delivery_outcomes_total\{outcome="retry_scheduled"\} [1-9]/);
    });

    it('dead-letters after the last attempt; a retry sends it again once; redirects are not followed', async () => {
      const partner = await newPartner(t);
      const { id, secret } = await subscribe(t, partner, `${receiverUrl}/moved`, ['referral.expired']);
      receiver.behaviour = () => 302;
      await probe.change([event(partner, 'referral.expired')]);
      const [dead] = await eventually(
        async () => {
          const log = await deliveries(t, partner, id, '?status=DEAD_LETTERED');
          return log.length === 1 ? log : undefined;
        },
        30_000,
        'the dead letter',
      );
      expect(dead.attempts).toHaveLength(8);
      expect(
        dead.attempts.every((attempt) => attempt.statusCode === 302 && attempt.errorClass === 'redirect'),
      ).toBe(true);
      // Nothing followed the Location (the receiver points it at the metadata address).
      expect(receiver.received).toHaveLength(8);

      receiver.behaviour = () => 200;
      const retry = await call(t, partner.token, 'post', `${BASE}/${id}/deliveries/${dead.id}/retry`);
      expect(retry.status).toBe(202);
      expect(retry.body).toMatchObject({ id: dead.id, status: 'PENDING', webhookId: dead.webhookId });
      expect(await auditCount(t, 'webhook-delivery.retry', dead.id)).toBe(1);
      await eventually(async () => (await deliveries(t, partner, id))[0].status === 'DELIVERED');
      const last = receiver.received[receiver.received.length - 1];
      expect(last.headers['webhook-id']).toBe(dead.webhookId);
      expect(verify(secret, last)).toMatchObject({ type: 'referral.expired' });
      expect((await deliveries(t, partner, id))[0].attempts).toHaveLength(9);

      const again = await call(t, partner.token, 'post', `${BASE}/${id}/deliveries/${dead.id}/retry`);
      expectProblem(again, 409, 'conflict');
      // The delivery's state is an extension member; it never replaces the problem's `status`.
      expect(again.body).toMatchObject({ status: 409, deliveryStatus: 'DELIVERED' });
      expectProblem(
        await call(t, partner.token, 'post', `${BASE}/${id}/deliveries/${randomUUID()}/retry`),
        404,
        'not-found',
      );
    });

    it('disables a subscription whose endpoint answers 410 Gone', async () => {
      const partner = await newPartner(t);
      const { id } = await subscribe(t, partner, `${receiverUrl}/gone`);
      receiver.behaviour = () => 410;
      await probe.change([event(partner)]);
      await eventually(async () => (await deliveries(t, partner, id))[0]?.status === 'DEAD_LETTERED');
      const subscription = await call(t, partner.token, 'get', `${BASE}/${id}`);
      expect(subscription.body).toMatchObject({ status: 'DISABLED', version: 2 });
      expect(subscription.body.disabledAt).not.toBeNull();
      expect(receiver.received).toHaveLength(1);
      // No new deliveries for a disabled subscription.
      await probe.change([event(partner)]);
      expect(await deliveries(t, partner, id)).toHaveLength(1);
      const [dead] = await deliveries(t, partner, id);
      expectProblem(
        await call(t, partner.token, 'post', `${BASE}/${id}/deliveries/${dead.id}/retry`),
        409,
        'conflict',
      );
    });

    it('after a rotation signs with both secrets for 24 hours, each signature verifying with its own secret', async () => {
      const partner = await newPartner(t);
      const { id, secret: oldSecret } = await subscribe(t, partner, `${receiverUrl}/rotating`);
      const rotated = await call(t, partner.token, 'post', `${BASE}/${id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      expect(rotated.headers.etag).toBe('"2"');
      const newSecret = rotated.body.secret as string;
      expect(newSecret).toMatch(/^whsec_/);
      expect(newSecret).not.toBe(oldSecret);
      const expires = Date.parse(rotated.body.previousSecretExpiresAt as string) - Date.now();
      expect(expires).toBeGreaterThan(24 * 3_600_000 - 60_000);
      expect(expires).toBeLessThanOrEqual(24 * 3_600_000);
      expect(await auditCount(t, 'webhook-subscription.rotate-secret', id)).toBe(1);

      await probe.change([event(partner)]);
      await eventually(() => receiver.received.length === 1);
      const [received] = receiver.received;
      const signatures = String(received.headers['webhook-signature']).split(' ');
      expect(signatures).toHaveLength(2);
      expect(() => verify(newSecret, received, signatures[0])).not.toThrow();
      expect(() => verify(oldSecret, received, signatures[1])).not.toThrow();
      expect(() => verify(oldSecret, received, signatures[0])).toThrow();
      expect(() => verify(newSecret, received, signatures[1])).toThrow();
      // A receiver that knows either secret verifies the whole header.
      expect(() => verify(newSecret, received)).not.toThrow();
      expect(() => verify(oldSecret, received)).not.toThrow();

      // Once the overlap is over, only the new secret signs.
      await t.db.query(
        `UPDATE webhook_subscriptions SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
        [id],
      );
      await probe.change([event(partner)]);
      await eventually(() => receiver.received.length === 2);
      const later = receiver.received[1];
      expect(String(later.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(() => verify(newSecret, later)).not.toThrow();
      expect(() => verify(oldSecret, later)).toThrow();
    });

    it('skips a duplicate job of an attempt that was already made', async () => {
      const partner = await newPartner(t);
      const { id } = await subscribe(t, partner, `${receiverUrl}/duplicate`);
      await probe.change([event(partner)]);
      await eventually(async () => (await deliveries(t, partner, id))[0]?.status === 'DELIVERED');
      const [delivered] = await deliveries(t, partner, id);
      await t.app.get(JobQueue).enqueue('webhooks.deliver', { deliveryId: delivered.id, attempt: 1 });
      await t.app.get(JobQueue).enqueue('webhooks.deliver', { deliveryId: randomUUID(), attempt: 1 });
      await sleep(1_500);
      expect(receiver.received).toHaveLength(1);
      expect((await deliveries(t, partner, id))[0].attempts).toHaveLength(1);
    });

    it('deletes finished events after WEBHOOK_RETENTION_DAYS, never a pending one', async () => {
      const partner = await newPartner(t);
      const { id } = await subscribe(t, partner, `${receiverUrl}/prune`);
      receiver.behaviour = (n) => (n === 1 ? 204 : 503);
      await probe.change([event(partner)]);
      await eventually(async () => (await deliveries(t, partner, id))[0]?.status === 'DELIVERED');
      await probe.change([event(partner)]);
      await eventually(async () =>
        (await deliveries(t, partner, id)).some((d) => d.attempts.length > 0 && d.status === 'PENDING'),
      );
      await t.db.query(
        `UPDATE webhook_messages SET created_at = now() - interval '31 days' WHERE partner_id = $1`,
        [partner.partnerId],
      );
      await t.app.get(WebhookPruneJob).handle();
      const left = await deliveries(t, partner, id);
      expect(left.map((delivery) => delivery.status)).toEqual(['PENDING']);
      const { rows } = await t.db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM webhook_messages WHERE partner_id = $1',
        [partner.partnerId],
      );
      expect(rows[0].count).toBe(1);
      await call(t, partner.token, 'delete', `${BASE}/${id}`);
    });

    it('publishes only the known event types', async () => {
      const partner = await newPartner(t);
      await expect(
        probe.change([{ type: 'client.created' as never, partnerId: partner.partnerId, data: {} }]),
      ).rejects.toThrow('is not a webhook event type');
    });

    it('sends nothing for a change that rolls back', async () => {
      const partner = await newPartner(t);
      const { id } = await subscribe(t, partner, `${receiverUrl}/rolled-back`);
      const jobs = async () =>
        (
          await t.db.query<{ count: number }>(
            `SELECT count(*)::int AS count FROM (
               SELECT id FROM pgboss.job WHERE name = 'webhooks.deliver'
               UNION ALL SELECT id FROM pgboss.archive WHERE name = 'webhooks.deliver') jobs`,
          )
        ).rows[0].count;
      const jobsBefore = await jobs();
      await expect(probe.change([event(partner), event(partner)], { fail: true })).rejects.toThrow();
      await sleep(1_500);
      expect(receiver.received).toEqual([]);
      expect(await deliveries(t, partner, id)).toEqual([]);
      const { rows } = await t.db.query('SELECT id FROM webhook_messages WHERE partner_id = $1', [
        partner.partnerId,
      ]);
      expect(rows).toEqual([]);
      expect(await jobs()).toBe(jobsBefore);
    });
  });
});

function byJson(left: unknown, right: unknown): number {
  return JSON.stringify(left).localeCompare(JSON.stringify(right));
}

describe('partner webhooks across a restart', () => {
  jest.setTimeout(90_000);

  it('loses no pending delivery when the application restarts', async () => {
    // Enough attempts that none is dead-lettered before the restart.
    const env = {
      ...FAST,
      WEBHOOK_MAX_ATTEMPTS: '30',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_MS: '1000',
    };
    const t = await createTestApp({ env, imports: [WebhookProbesModule] });
    const receiver = new WebhookReceiver();
    let other: NestFastifyApplication | undefined;
    try {
      const url = await receiver.start();
      const partner = await newPartner(t);
      const { id, secret } = await subscribe(t, partner, `${url}/restart`);
      // The endpoint is down while the first process runs: every attempt fails, retries are scheduled.
      receiver.behaviour = () => 503;
      const events = Array.from({ length: 6 }, () => event(partner));
      await t.app.get(WebhookEventProbe).change(events);
      await eventually(async () => {
        const { rows } = await t.db.query<{ attempts: number }>(
          'SELECT attempts FROM webhook_deliveries WHERE subscription_id = $1',
          [id],
        );
        return rows.length === events.length && rows.every((row) => row.attempts >= 1);
      });
      await t.app.close();
      const { rows: pending } = await t.db.query<{ status: string }>(
        'SELECT status FROM webhook_deliveries WHERE subscription_id = $1',
        [id],
      );
      expect(pending.map((row) => row.status)).toEqual(events.map(() => 'PENDING'));

      receiver.behaviour = () => 204;
      // The same installation: the same signing key (from which the secrets' encryption key is derived).
      other = await startAnotherApp(t, {
        env: { ...env, JWT_SIGNING_KEY: t.config.auth.signingKey! },
        imports: [WebhookProbesModule],
      });
      await eventually(
        async () => {
          const { rows } = await t.db.query<{ status: string }>(
            'SELECT status FROM webhook_deliveries WHERE subscription_id = $1',
            [id],
          );
          return rows.every((row) => row.status === 'DELIVERED');
        },
        60_000,
        'every delivery after the restart',
      );
      const delivered = receiver.received.filter((entry) => entry.answer === 204);
      const ids = new Set(delivered.map((entry) => String(entry.headers['webhook-id'])));
      expect(ids.size).toBe(events.length);
      for (const entry of delivered) {
        expect(() => verify(secret, entry)).not.toThrow();
      }
    } finally {
      await other?.close();
      await receiver.stop();
      await t.close();
    }
  });
});

describe('partner webhooks: an attempt cut off by a shutdown', () => {
  jest.setTimeout(90_000);

  it('is made again by the next process, with the same webhook-id', async () => {
    const env = {
      ...FAST,
      WEBHOOK_TIMEOUT_MS: '8000',
      SHUTDOWN_TIMEOUT_MS: '2000',
      JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
    };
    const t = await createTestApp({ env, imports: [WebhookProbesModule] });
    const receiver = new WebhookReceiver();
    let other: NestFastifyApplication | undefined;
    try {
      const url = await receiver.start();
      const partner = await newPartner(t);
      const { id, secret } = await subscribe(t, partner, `${url}/cut`);
      receiver.behaviour = (n) => (n === 1 ? 'hang' : 204);
      await t.app.get(WebhookEventProbe).change([event(partner)]);
      await eventually(() => receiver.received.length === 1, 10_000, 'the first attempt');
      // The process stops while the attempt waits for an answer; the job is given up at the timeout.
      await t.app.close();
      receiver.dropHanging();
      const { rows: before } = await t.db.query<{ status: string; attempts: number }>(
        'SELECT status, attempts FROM webhook_deliveries WHERE subscription_id = $1',
        [id],
      );
      expect(before).toEqual([{ status: 'PENDING', attempts: 0 }]);

      other = await startAnotherApp(t, {
        env: { ...env, JWT_SIGNING_KEY: t.config.auth.signingKey! },
        imports: [WebhookProbesModule],
      });
      await eventually(
        async () => {
          const { rows } = await t.db.query<{ status: string }>(
            'SELECT status FROM webhook_deliveries WHERE subscription_id = $1',
            [id],
          );
          return rows[0]?.status === 'DELIVERED';
        },
        60_000,
        'the attempt to be made again',
      );
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
      expect(() => verify(secret, receiver.received[1])).not.toThrow();
    } finally {
      await other?.close();
      await receiver.stop();
      await t.close();
    }
  });
});

describe('partner webhooks without WEBHOOK_ALLOW_PRIVATE_URLS', () => {
  jest.setTimeout(90_000);
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await createTestApp({
      env: { ...FAST, WEBHOOK_ALLOW_PRIVATE_URLS: 'false', WEBHOOK_MAX_ATTEMPTS: '2' },
      imports: [WebhookProbesModule],
    });
    receiver = new WebhookReceiver();
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('refuses http and private, loopback and link-local addresses when subscribing', async () => {
    const partner = await newPartner(t);
    for (const url of [
      'http://partner.example.org/hooks',
      'https://127.0.0.1/hooks',
      'https://10.1.2.3/hooks',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'https://[fd00::1]/hooks',
      'https://100.64.0.1/hooks',
      'https://0.0.0.0/hooks',
    ]) {
      const response = await call(t, partner.token, 'post', BASE, { url, events: ['referral.created'] });
      expect([url, pointersOf(response)]).toEqual([url, ['#/url']]);
    }
  });

  it('refuses, at delivery, a host name that resolves to a loopback address', async () => {
    const partner = await newPartner(t);
    const { id } = await subscribe(t, partner, `https://localhost:${receiver.port}/hooks`, [
      'referral.created',
    ]);
    await t.app.get(WebhookEventProbe).change([event(partner)]);
    const [dead] = await eventually(
      async () => {
        const log = await deliveries(t, partner, id);
        return log[0]?.status === 'DEAD_LETTERED' ? log : undefined;
      },
      30_000,
      'the refused delivery to be dead-lettered',
    );
    expect(dead.attempts.map((attempt) => [attempt.statusCode, attempt.errorClass])).toEqual([
      [null, 'refused-address'],
      [null, 'refused-address'],
    ]);
    expect(receiver.received).toEqual([]);
  });
});
