import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts the real entry point (src/main.ts) as a user would with `npm start`: no DATABASE_URL, so an
 * embedded PostgreSQL is initialised, migrated, reused on the next start and stopped on SIGTERM.
 */

interface RunningApi {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function startApi(env: Record<string, string>): RunningApi {
  const environment: Record<string, string | undefined> = { ...process.env, ...env };
  delete environment.DATABASE_URL;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: join(__dirname, '..'),
    env: environment,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForReady(port: number, api: RunningApi, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (api.child.exitCode !== null) {
      throw new Error(`The API exited early:\n${api.output()}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.status === 200) {
        return Date.now() - started;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Not ready within ${timeoutMs} ms:\n${api.output()}`);
}

async function stop(api: RunningApi): Promise<number | null> {
  api.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no exit within 15 s')), 15_000);
  });
  try {
    return await Promise.race([api.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('start-up on the embedded PostgreSQL', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'anker-startup-'));
    await chmod(workDir, 0o755);
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('initialises an empty data directory, migrates, serves, stops cleanly and reuses the data', async () => {
    const dataDir = join(workDir, 'postgres');
    const port = await freePort();
    const env = {
      PORT: String(port),
      EMBEDDED_PG_DIR: dataDir,
      JWT_KEY_FILE: join(workDir, 'jwt-signing.key'),
      LOG_LEVEL: 'info',
    };

    const first = startApi(env);
    // Generous: the first start initialises PostgreSQL and runs every migration, and CI machines are
    // shared; a start that hangs still fails here.
    const readyAfterMs = await waitForReady(port, first, 90_000);
    expect(readyAfterMs).toBeLessThan(90_000);
    expect(first.output()).toContain('Initialising embedded PostgreSQL');
    expect(first.output()).toMatch(/Applied migration Baseline\d+/);
    // The embedded superuser owns the schema; the API itself runs as the restricted role it created.
    expect(first.output()).toContain('Created the database role anker_app');
    expect(first.output()).toContain('The API connects as the database role anker_app (derived)');
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('Embedded PostgreSQL stopped');
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);

    const second = startApi(env);
    await waitForReady(port, second, 60_000);
    expect(second.output()).not.toContain('Initialising embedded PostgreSQL');
    expect(second.output()).not.toContain('Applied migration');
    expect(second.output()).not.toContain('Created the database role');
    expect(second.output()).toContain('The API connects as the database role anker_app (derived)');
    expect(await stop(second)).toBe(0);
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  }, 240_000);

  it('refuses to start with a bad variable and names it', async () => {
    const api = startApi({ PORT: 'eighty', DB_POOL_MAX: '0', EMBEDDED_PG_DIR: join(workDir, 'never') });
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain('Invalid configuration');
    expect(api.output()).toMatch(/PORT: must be a whole number between 0 and 65535 \(got "eighty"\)/);
    expect(api.output()).toMatch(/DB_POOL_MAX: must be a whole number between 1 and 500 \(got "0"\)/);
    expect(existsSync(join(workDir, 'never'))).toBe(false);
  });
});
