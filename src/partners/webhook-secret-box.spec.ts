import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WebhookSecretBox, deriveWebhookKey, newWebhookSecret } from './webhook-secret-box';
import { webhookSignature } from './webhook-delivery.job';

describe('webhook secrets', () => {
  const jwtKey = randomBytes(48);
  const box = new WebhookSecretBox(deriveWebhookKey(undefined, jwtKey));

  it('are whsec_ and base64 of 32 random bytes, usable by the Standard Webhooks library', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
    expect(() => new Webhook(secret)).not.toThrow();
  });

  it('are sealed with AES-256-GCM bound to their subscription', () => {
    const secret = newWebhookSecret();
    const sealed = box.seal(secret, 'subscription-1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.seal(secret, 'subscription-1')).not.toBe(sealed);
    expect(box.open(sealed, 'subscription-1')).toBe(secret);
    expect(() => box.open(sealed, 'subscription-2')).toThrow();
    const [version, iv, tag, ciphertext] = sealed.split('.');
    const flipped = Buffer.from(ciphertext, 'base64url');
    flipped[0] ^= 1;
    expect(() =>
      box.open([version, iv, tag, flipped.toString('base64url')].join('.'), 'subscription-1'),
    ).toThrow();
  });

  it('need the same key: WEBHOOK_SECRET_KEY, or the one derived from the JWT signing key', () => {
    const sealed = box.seal('whsec_x', 'id');
    expect(new WebhookSecretBox(deriveWebhookKey(undefined, jwtKey)).open(sealed, 'id')).toBe('whsec_x');
    expect(() =>
      new WebhookSecretBox(deriveWebhookKey(undefined, randomBytes(48))).open(sealed, 'id'),
    ).toThrow();
    const configured = randomBytes(32).toString('base64url');
    const other = new WebhookSecretBox(deriveWebhookKey(configured, jwtKey));
    expect(() => other.open(sealed, 'id')).toThrow();
    expect(other.open(other.seal('whsec_y', 'id'), 'id')).toBe('whsec_y');
    expect(() => deriveWebhookKey(Buffer.alloc(8).toString('base64'), jwtKey)).toThrow('at least 32 bytes');
  });

  it('sign with every secret given, space-separated; each signature verifies with its own secret', () => {
    const [first, second] = [newWebhookSecret(), newWebhookSecret()];
    const sentAt = new Date();
    const payload = JSON.stringify({ type: 'referral.created', timestamp: sentAt.toISOString(), data: {} });
    const header = webhookSignature([first, second], 'msg_1', sentAt, payload);
    const signatures = header.split(' ');
    expect(signatures).toHaveLength(2);
    const headers = (signature: string) => ({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signature,
    });
    expect(new Webhook(first).verify(payload, headers(signatures[0]))).toEqual(JSON.parse(payload));
    expect(new Webhook(second).verify(payload, headers(signatures[1]))).toEqual(JSON.parse(payload));
    expect(() => new Webhook(first).verify(payload, headers(signatures[1]))).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(payload, headers(header))).toThrow();
  });
});
