import { Algorithm, hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

export function hashSecret(secret: string): Promise<string> {
  return hash(secret, { algorithm: Algorithm.Argon2id });
}

/** A valid hash of a random value: verifying against it costs as much as against a real one. */
let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password or client secret. With no stored hash (unknown account) it still spends the
 * time of a verification, so response times do not tell which accounts exist.
 */
export async function verifySecret(storedHash: string | undefined, secret: string): Promise<boolean> {
  if (storedHash === undefined) {
    dummyHash ??= hashSecret(`${Math.random()}-unknown-account`);
    await verify(await dummyHash, secret).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, secret);
  } catch {
    return false;
  }
}
