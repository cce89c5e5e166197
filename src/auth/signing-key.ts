import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AppConfig } from '../config/config';

const KEY_BYTES = 48;

function decode(key: string): Buffer {
  return Buffer.from(key.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * The HMAC key that signs access tokens: JWT_SIGNING_KEY when set (needed when several replicas
 * serve the API), otherwise a random key generated on first start and kept in JWT_KEY_FILE (next
 * to the embedded database by default). No key is ever part of the repository.
 */
export async function resolveSigningKey(auth: AppConfig['auth']): Promise<Buffer> {
  if (auth.signingKey) {
    return decode(auth.signingKey);
  }
  const file = resolve(auth.keyFile);
  try {
    const stored = decode((await readFile(file, 'utf8')).trim());
    if (stored.length >= 32) {
      return stored;
    }
    throw new Error(`The signing key in ${file} is shorter than 32 bytes; delete it to generate a new one.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  const key = randomBytes(KEY_BYTES);
  await mkdir(dirname(file), { recursive: true });
  // 'wx' fails if another process created the file meanwhile; then that key is used.
  try {
    await writeFile(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return decode((await readFile(file, 'utf8')).trim());
    }
    throw error;
  }
}
