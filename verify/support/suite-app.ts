import { Pool } from 'pg';
import type { VerifyContext } from '../check';
import { startApp, SUITE_SECRETS, type AppProcess } from './app-process';
import { ApiClient } from './http';
import { startSuitePostgres, type SuitePostgres } from './postgres';

/**
 * The app the API-level checks (fuzzing, security matrix) share: one suite PostgreSQL and one
 * `node dist/src/main.js` for the whole run (the fault-injection, shutdown and replica checks start
 * their own). Started on first use, stopped by the runner at the end (or by the log-hygiene check,
 * so that the shutdown output is searched too).
 */
export interface SuiteApp {
  readonly baseUrl: string;
  readonly api: ApiClient;
  /** The database as its owner (the suite server's superuser): fingerprints and audit counts. */
  readonly db: Pool;
  readonly admin: { email: string; password: string };
}

/**
 * Production timeouts for this app (the suite's defaults are short, so that faults show fast): on a
 * busy 2-core machine a fuzzed request may legitimately wait a few seconds.
 */
const PRODUCTION_TIMEOUTS = {
  DB_POOL_ACQUIRE_TIMEOUT_MS: '5000',
  DB_STATEMENT_TIMEOUT_MS: '15000',
  DB_RETRY_AFTER_SECONDS: '5',
};

interface Running {
  app: SuiteApp;
  process: AppProcess;
  postgres: SuitePostgres;
}

let running: Promise<Running> | undefined;

export function suiteApp(context: VerifyContext): Promise<SuiteApp> {
  running ??= start(context);
  return running.then((r) => r.app);
}

async function start(context: VerifyContext): Promise<Running> {
  context.log('starting the suite PostgreSQL and the app (node dist/src/main.js)');
  const postgres = await startSuitePostgres(context);
  const process = await startApp(context, {
    name: 'api',
    databaseUrl: postgres.url,
    env: PRODUCTION_TIMEOUTS,
  });
  const db = new Pool({ connectionString: postgres.url, max: 4 });
  const admin = { email: SUITE_SECRETS.adminEmail, password: SUITE_SECRETS.adminPassword };
  return {
    app: { baseUrl: process.baseUrl, api: new ApiClient(process.baseUrl), db, admin },
    process,
    postgres,
  };
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
  if (!r.process.exited) {
    await r.process.stop('SIGTERM');
  }
  await r.postgres.dispose();
}
