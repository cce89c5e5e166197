import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config';
import { resolveSigningKey } from './signing-key';

describe('resolveSigningKey', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anker-key-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('generates a key on first use, keeps it private, and reuses it', async () => {
    const auth = loadConfig({ JWT_KEY_FILE: join(dir, 'nested', 'jwt.key') }).auth;
    const first = await resolveSigningKey(auth);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect((await stat(auth.keyFile)).mode & 0o777).toBe(0o600);
    expect(await resolveSigningKey(auth)).toEqual(first);
  });

  it('uses JWT_SIGNING_KEY when set, in base64url or base64, and writes no file', async () => {
    const raw = Buffer.alloc(32, 7);
    const file = join(dir, 'jwt.key');
    for (const encoded of [raw.toString('base64url'), raw.toString('base64')]) {
      const auth = loadConfig({ JWT_SIGNING_KEY: encoded, JWT_KEY_FILE: file }).auth;
      expect(await resolveSigningKey(auth)).toEqual(raw);
    }
    await expect(readFile(file)).rejects.toThrow();
  });

  it('refuses a key file that holds a short key', async () => {
    const file = join(dir, 'jwt.key');
    await writeFile(file, Buffer.alloc(8).toString('base64url'));
    await expect(resolveSigningKey(loadConfig({ JWT_KEY_FILE: file }).auth)).rejects.toThrow(
      /shorter than 32 bytes/,
    );
  });
});
