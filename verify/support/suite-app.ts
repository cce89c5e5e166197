import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres';
import type { VerifyContext } from '../check';
import { ApiClient } from './http';

/**
 * The app the runner's API-level checks share: one embedded PostgreSQL and one `node dist/src/main.js`
 * started for the whole run (fault-injection checks start their own). Started on first use, stopped
 * by the runner at the end.
 */
export interface SuiteApp {
  readonly baseUrl: string;
  readonly api: ApiClient;
  /** The database as its owner (superuser of the embedded server): fingerprints and audit counts. */
  readonly db: Pool;
  readonly admin: { email: string; password: string };
}

const ROOT = resolve(__dirname, '..', '..');

/** Configuration of the suite's app: production defaults except the limits the load would hit. */
export function suiteAppEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    // The fuzzer sends thousands of requests per minute and many bad sign-ins from one address.
    RATE_LIMIT_PER_MINUTE: '1000000',
    SIGN_IN_MAX_FAILURES: '1000',
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: '100000',
    DB_POOL_MAX: '10',
    RETENTION_ENABLED: 'false',
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

interface Running {
  app: SuiteApp;
  child: ChildProcess;
  postgres: EmbeddedPostgres;
  directory: string;
}

let running: Promise<Running> | undefined;

export function suiteApp(context: VerifyContext): Promise<SuiteApp> {
  running ??= start(context);
  return running.then((r) => r.app);
}

async function start(context: VerifyContext): Promise<Running> {
  const directory = await mkdtemp(join(tmpdir(), 'anker-verify-'));
  // Run as root, PostgreSQL runs as the `postgres` user, which must be able to enter the directory.
  await chmod(directory, 0o755);
  const log = {
    info: (message: string) => context.captureLog('postgres', `${message}\n`),
    warn: (message: string) => context.captureLog('postgres', `${message}\n`),
  };
  context.log('starting an embedded PostgreSQL and the app (node dist/src/main.js)');
  const postgres = await startEmbeddedPostgres(join(directory, 'postgres'), log);
  const port = await freePort();
  const admin = {
    email: `admin-${randomBytes(3).toString('hex')}@verify.example.org`,
    password: `Verify-${randomBytes(18).toString('base64url')}`,
  };
  const signingKey = randomBytes(32).toString('base64url');
  context.sensitive(admin.password, signingKey);
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: directory,
    env: {
      PATH: process.env.PATH ?? '',
      ...suiteAppEnv(),
      PORT: String(port),
      DATABASE_URL: postgres.url,
      JWT_SIGNING_KEY: signingKey,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => context.captureLog('app', chunk));
  child.stderr?.on('data', (chunk: Buffer) => context.captureLog('app', chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(baseUrl, child, 90_000);
  const db = new Pool({ connectionString: postgres.url, max: 4 });
  return { app: { baseUrl, api: new ApiClient(baseUrl), db, admin }, child, postgres, directory };
}

export async function waitUntilReady(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the app exited with code ${child.exitCode} before it was ready`);
    }
    try {
      const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
  throw new Error(`the app was not ready within ${timeoutMs} ms`);
}

/** Stops the shared app (SIGTERM), its PostgreSQL and removes the data; a no-op when none was started. */
export async function stopSuiteApp(): Promise<void> {
  if (running === undefined) {
    return;
  }
  const r = await running.catch(() => undefined);
  running = undefined;
  if (r === undefined) {
    return;
  }
  await r.app.db.end().catch(() => undefined);
  if (r.child.exitCode === null) {
    const exited = new Promise((done) => r.child.once('exit', done));
    r.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((wake) => setTimeout(wake, 15_000))]);
    if (r.child.exitCode === null) {
      r.child.kill('SIGKILL');
    }
  }
  await r.postgres.stop();
  await rm(r.directory, { recursive: true, force: true });
}
