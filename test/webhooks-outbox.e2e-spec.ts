import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_SECRET_BOX } from '../src/partners/webhook-delivery.job';
import type { WebhookSecretBox } from '../src/partners/webhook-secret-box';
import { newWebhookSecret } from '../src/partners/webhook-secret-box';
import { createApiClient } from './support/auth';
import { eventually, sleep } from './support/job-probes';
import { createTestApp, type TestApp } from './support/test-app';
import { WebhookEventProbe, WebhookProbesModule, WebhookReceiver } from './support/webhook-probes';

const ENV = {
  JOBS_POLL_INTERVAL_MS: '500',
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_RETRY_MAX_MS: '200',
};

/** A subscription written straight into the table (the outbox does not care how it was made). */
async function subscribe(t: TestApp, partnerId: string, url: string, events: string[]) {
  const id = randomUUID();
  const secret = newWebhookSecret();
  const sealed = t.app.get<WebhookSecretBox>(WEBHOOK_SECRET_BOX).seal(secret, id);
  await t.db.query(
    `INSERT INTO webhook_subscriptions (id, partner_id, url, events, secret_encrypted) VALUES ($1, $2, $3, $4, $5)`,
    [id, partnerId, url, events, sealed],
  );
  return { id, secret };
}

describe('WebhookOutbox.publish', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let receiver: WebhookReceiver;
  let baseUrl: string;
  let probe: WebhookEventProbe;

  beforeAll(async () => {
    t = await createTestApp({ env: ENV, imports: [WebhookProbesModule] });
    probe = t.app.get(WebhookEventProbe);
    receiver = new WebhookReceiver();
    baseUrl = await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('delivers a committed event, signed, to the subscriptions of its partner and type only', async () => {
    const partner = await createApiClient(t);
    const other = await createApiClient(t);
    const wanted = await subscribe(t, partner.partnerId, `${baseUrl}/a`, ['referral.created']);
    await subscribe(t, partner.partnerId, `${baseUrl}/b`, ['referral.cancelled']);
    await subscribe(t, other.partnerId, `${baseUrl}/c`, ['referral.created']);

    const data = { referralId: randomUUID(), status: 'GESENDET' };
    await probe.change([{ type: 'referral.created', partnerId: partner.partnerId, data }]);

    await eventually(() => receiver.received.length === 1, 10_000, 'the delivery');
    await sleep(500);
    expect(receiver.received).toHaveLength(1);
    const [received] = receiver.received;
    const verified = new Webhook(wanted.secret).verify(
      received.body,
      received.headers as Record<string, string>,
    );
    expect(verified).toMatchObject({ type: 'referral.created', data });
    const { rows } = await t.db.query<{ status: string; attempts: number; webhook_id: string }>(
      'SELECT status, attempts, webhook_id FROM webhook_deliveries',
    );
    await eventually(async () => {
      const { rows: now } = await t.db.query<{ status: string }>('SELECT status FROM webhook_deliveries');
      return now.every((row) => row.status === 'DELIVERED');
    });
    expect(rows.map((row) => row.webhook_id)).toEqual([received.headers['webhook-id']]);
  });

  it('sends nothing for a change that rolls back', async () => {
    const partner = await createApiClient(t);
    await subscribe(t, partner.partnerId, `${baseUrl}/rollback`, ['consent.withdrawn']);
    const before = receiver.received.length;
    await expect(
      probe.change(
        [{ type: 'consent.withdrawn', partnerId: partner.partnerId, data: { consentId: randomUUID() } }],
        {
          fail: true,
        },
      ),
    ).rejects.toThrow('the change fails');
    await sleep(1_500);
    expect(receiver.received.length).toBe(before);
    const { rows } = await t.db.query(
      `SELECT m.id FROM webhook_messages m WHERE m.partner_id = $1
       UNION ALL SELECT j.id FROM pgboss.job j WHERE j.name = 'webhooks.deliver' AND j.data->>'deliveryId' IN
         (SELECT d.id::text FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE s.partner_id = $1)`,
      [partner.partnerId],
    );
    expect(rows).toEqual([]);
  });

  it('refuses an unknown event type', async () => {
    const partner = await createApiClient(t);
    await expect(
      probe.change([{ type: 'client.created' as never, partnerId: partner.partnerId, data: {} }]),
    ).rejects.toThrow('is not a webhook event type');
  });
});
