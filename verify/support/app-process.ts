import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { VerifyContext } from '../check';

/**
 * The real application as the suite runs it: `node dist/src/main.js` in its own process, configured
 * only through its environment (never a developer's .env: the working directory is an empty temp
 * directory), with its stdout/stderr piped into the run's log capture.
 */

export const REPOSITORY_ROOT = resolve(__dirname, '..', '..');
export const MAIN_SCRIPT = join(REPOSITORY_ROOT, 'dist', 'src', 'main.js');

/**
 * The run's shared secrets. Every replica gets the same signing key (a token issued by one is accepted
 * by the other) and the same bootstrap administrator; both are reported to the log-hygiene check.
 */
export const SUITE_SECRETS = {
  jwtSigningKey: randomBytes(32).toString('base64url'),
  adminEmail: 'verify-admin@anker.example',
  adminPassword: `Verify-${randomBytes(12).toString('base64url')}`,
};

/** Defaults for the suite: limits that a load test would otherwise hit, short timeouts so faults show fast. */
export const SUITE_APP_ENVIRONMENT: Readonly<Record<string, string>> = {
  HOST: '127.0.0.1',
  LOG_FORMAT: 'json',
  LOG_LEVEL: 'info',
  JWT_SIGNING_KEY: SUITE_SECRETS.jwtSigningKey,
  ADMIN_EMAIL: SUITE_SECRETS.adminEmail,
  ADMIN_PASSWORD: SUITE_SECRETS.adminPassword,
  RATE_LIMIT_PER_MINUTE: '1000000',
  SIGN_IN_MAX_FAILURES: '1000',
  SIGN_IN_MAX_FAILURES_PER_ADDRESS: '100000',
  ACCESS_TOKEN_TTL_SECONDS: '3600',
  DB_POOL_MAX: '10',
  DB_POOL_ACQUIRE_TIMEOUT_MS: '2000',
  DB_STATEMENT_TIMEOUT_MS: '3000',
  DB_RETRY_AFTER_SECONDS: '2',
  SHUTDOWN_TIMEOUT_MS: '10000',
  JOBS_POLL_INTERVAL_MS: '500',
  // The daily retention run must not start by itself in the middle of a check.
  RETENTION_CRON: '30 2 * * *',
};

export interface AppProcessOptions {
  /** Log source and progress name, e.g. "api-1". */
  name: string;
  /** The suite's PostgreSQL (superuser URL: the app migrates and creates its runtime role). */
  databaseUrl: string;
  /** 0 (default): a free port, read from the start-up log line. */
  port?: number;
  /** Overrides and additions to SUITE_APP_ENVIRONMENT. */
  env?: Record<string, string>;
  /** How long start-up (migrations included) may take until /health/ready answers 200. */
  readyTimeoutMs?: number;
  /** The compiled entry point (default dist/src/main.js; e.g. dist/src/scripts/worker.js). */
  script?: string;
  /** Wait for /health/ready (default true; a worker has no HTTP server). */
  waitUntilReady?: boolean;
}

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From stop()'s signal to the process's exit. */
  elapsedMs: number;
}

export interface AppProcess {
  readonly name: string;
  readonly pid: number;
  /** The port it listens on (0 for a worker). */
  readonly port: number;
  /** e.g. http://127.0.0.1:41234 */
  readonly baseUrl: string;
  /** Whether the process has exited (by itself or by stop/kill). */
  readonly exited: boolean;
  /** Resolves when the process exits, whoever stopped it. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Sends `signal` (default SIGTERM) and waits for the exit; after `timeoutMs` (default 30 s) the
   * process is killed with SIGKILL and the result says so (signal SIGKILL).
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<AppExit>;
}

/** Starts one app process and resolves once /health/ready answers 200 (or, for a worker, once it runs). */
export async function startApp(context: VerifyContext, options: AppProcessOptions): Promise<AppProcess> {
  const script = options.script ?? MAIN_SCRIPT;
  if (!existsSync(script)) {
    throw new Error(`${script} does not exist: run \`npm run build\` first (npm run verify does)`);
  }
  context.sensitive(SUITE_SECRETS.jwtSigningKey, SUITE_SECRETS.adminPassword);
  const workDir = await mkdtemp(join(tmpdir(), `anker-verify-${options.name}-`));
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: workDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? workDir,
      NODE_ENV: 'production',
      ...SUITE_APP_ENVIRONMENT,
      DATABASE_URL: options.databaseUrl,
      PORT: String(options.port ?? 0),
      JWT_KEY_FILE: join(workDir, 'jwt-signing.key'),
      ...options.env,
    },
  });
  const source = options.name;
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolveExit({ code, signal });
      void rm(workDir, { recursive: true, force: true });
    }),
  );

  let listeningPort: number | undefined = options.port || undefined;
  let pending = '';
  let recent = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    context.captureLog(source, chunk);
    const text = chunk.toString('utf8');
    recent = (recent + text).slice(-4_000);
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const port = /Anker is listening on http:\/\/[^:\s]+:(\d+)/.exec(line)?.[1];
      if (port) {
        listeningPort = Number(port);
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    context.captureLog(source, chunk);
    recent = (recent + chunk.toString('utf8')).slice(-4_000);
  });
  await new Promise<void>((resolveSpawn, reject) => {
    child.once('spawn', resolveSpawn);
    child.once('error', reject);
  });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<AppExit> => {
    const started = Date.now();
    if (!exited) {
      child.kill(signal);
    }
    const timer = setTimeout(() => {
      if (!exited) {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    try {
      const result = await exit;
      return { ...result, elapsedMs: Date.now() - started };
    } finally {
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  if (options.waitUntilReady !== false) {
    for (;;) {
      if (exited) {
        throw new Error(`${source} exited during start-up:\n${recent.trim()}`);
      }
      if (Date.now() > deadline) {
        await stop('SIGKILL');
        throw new Error(`${source} was not ready in time:\n${recent.trim()}`);
      }
      if (listeningPort !== undefined && (await isReady(listeningPort))) {
        break;
      }
      await new Promise((wait) => setTimeout(wait, 200));
    }
  }
  const port = listeningPort ?? 0;
  context.log(`${source} ready (pid ${child.pid}${port ? `, port ${port}` : ''})`);
  return {
    name: source,
    pid: child.pid ?? -1,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    get exited() {
      return exited;
    },
    exit,
    stop,
  };
}

async function isReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(2_000),
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** A port nobody listens on now, for a process that must come back on the same address after a restart. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}
