import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const SECRET_BYTES = 32;

/** A new signing secret in the Standard Webhooks format: `whsec_` and base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

function decode(key: string): Buffer {
  return Buffer.from(key.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * The 32-byte key that encrypts signing secrets: HKDF-SHA256 of WEBHOOK_SECRET_KEY, or — when that is
 * unset — of the JWT signing key, so that an installation without extra configuration still never
 * stores a secret in clear.
 */
export function deriveWebhookKey(configuredKey: string | undefined, jwtSigningKey: Buffer): Buffer {
  const material = configuredKey ? decode(configuredKey) : jwtSigningKey;
  if (material.length < 32) {
    throw new Error('WEBHOOK_SECRET_KEY must be at least 32 bytes.');
  }
  return Buffer.from(hkdfSync('sha256', material, 'anker', 'anker webhook signing secrets v1', 32));
}

/**
 * Encrypts and decrypts webhook signing secrets at rest (AES-256-GCM). The subscription id is the
 * additional authenticated data: a ciphertext copied to another subscription does not decrypt.
 */
export class WebhookSecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) {
      throw new Error('The webhook secret key must be 32 bytes.');
    }
  }

  seal(secret: string, subscriptionId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string, subscriptionId: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
      throw new Error('Not a sealed webhook secret.');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
