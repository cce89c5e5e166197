import { execFile } from 'node:child_process';
import { chown, mkdir, open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Figure, VerifyCheck, VerifyContext } from '../check';
import { startApp, SUITE_APP_ENVIRONMENT, type AppProcess } from '../support/app-process';
import { call, histogram, problemType, sleep, type CallResult } from '../support/http-call';
import { clientBody, setUpOffice, type OfficeSetup } from '../support/office-setup';
import { startSuitePostgres, type SuitePostgres } from '../support/postgres';
import { reconcileWrites } from '../support/reconcile';
import { describeLoad, runWriteLoad } from '../support/write-load';

/**
 * Fault injection against the suite's own PostgreSQL (quality.md, Reliability): the database
 * restarts during a write load, all backends are terminated, the pool is exhausted, a lock is held
 * past statement_timeout, and a table's disk runs full. The API must answer 503 problems with
 * Retry-After (never a 500, never a hang), lose no acknowledged write and serve again by itself.
 */

const execFileAsync = promisify(execFile);
const POOL_MAX = Number(SUITE_APP_ENVIRONMENT.DB_POOL_MAX);
const ACQUIRE_TIMEOUT_MS = Number(SUITE_APP_ENVIRONMENT.DB_POOL_ACQUIRE_TIMEOUT_MS);
const STATEMENT_TIMEOUT_MS = Number(SUITE_APP_ENVIRONMENT.DB_STATEMENT_TIMEOUT_MS);
/** quality.md #19: no request hangs longer than this while the database is away. */
const HANG_LIMIT_MS = 5_000;
/** How long the database stays down in the restart scenario. */
const OUTAGE_MS = 3_000;

interface Env {
  context: VerifyContext;
  postgres: SuitePostgres;
  app: AppProcess;
  setup: OfficeSetup;
  figures: Figure[];
}

const check: VerifyCheck = {
  name: 'faults',
  async run(context) {
    const postgres = await startSuitePostgres(context);
    let app: AppProcess | undefined;
    try {
      app = await startApp(context, { name: 'faults-api', databaseUrl: postgres.url });
      const setup = await setUpOffice(app.baseUrl, context, 'faults');
      const env: Env = { context, postgres, app, setup, figures: [] };
      await databaseRestart(env);
      await terminatedBackends(env);
      await poolExhaustion(env);
      await lockPastStatementTimeout(env);
      await diskFull(env);
      return env.figures;
    } finally {
      await app?.stop('SIGTERM', 15_000);
      await postgres.dispose();
    }
  },
};
export default check;

function figure(env: Env, name: string, target: string, measured: string, ok: boolean): void {
  env.figures.push({ figure: `faults: ${name}`, target, measured, ok });
}

/** Reads a page of clients every `everyMs` until stopped; each answer with its time. */
function startProbe(env: Env, everyMs = 100): { stop: () => Promise<CallResult[]> } {
  const results: CallResult[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      results.push(
        await call(env.app.baseUrl, 'GET', '/api/v1/clients?limit=1', {
          token: env.setup.adviserToken,
          timeoutMs: 15_000,
        }),
      );
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return results;
    },
  };
}

/** ms from `since` to the first 2xx that started after it (undefined: none). */
function recoveryMs(results: CallResult[], since: number): number | undefined {
  const first = results.find(
    (result) => result.startedAt >= since && result.status >= 200 && result.status < 300,
  );
  return first ? first.endedAt - since : undefined;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? 'never' : `${(ms / 1000).toFixed(2)} s`;
}

// --- 1. restart PostgreSQL during a write load --------------------------------------------------

async function databaseRestart(env: Env): Promise<void> {
  const { context, postgres, app, setup } = env;
  context.log(`faults: write load, PostgreSQL restarts (down ${OUTAGE_MS / 1000} s)`);
  let running = true;
  const probe = startProbe(env);
  const load = runWriteLoad({
    baseUrl: app.baseUrl,
    token: setup.adviserToken,
    workers: 6,
    keyPrefix: `restart-${context.seed}`,
    running: () => running,
  });
  await sleep(2_000);
  await postgres.stop();
  const stoppedAt = Date.now();
  await sleep(OUTAGE_MS / 3);
  // The process is alive, but not ready: a load balancer takes it out of rotation meanwhile.
  const [live, ready] = await Promise.all([
    call(app.baseUrl, 'GET', '/health/live', { timeoutMs: HANG_LIMIT_MS }),
    call(app.baseUrl, 'GET', '/health/ready', { timeoutMs: HANG_LIMIT_MS }),
  ]);
  await sleep(stoppedAt + OUTAGE_MS - Date.now());
  const startingAt = Date.now();
  await postgres.start();
  const acceptingAt = Date.now();
  await sleep(6_000);
  running = false;
  const [result, probes] = await Promise.all([load, probe.stop()]);
  const summary = describeLoad(result);
  const reconciliation = await reconcileWrites(postgres, result);
  // Answered while PostgreSQL was certainly down: after it had stopped, before its start began.
  const during = [...result.attempts.map((attempt) => attempt.result), ...probes].filter(
    (response) => response.startedAt >= stoppedAt && response.endedAt < startingAt,
  );
  const duringUnavailable = during.filter((response) => response.status === 503);
  const recovered = recoveryMs([...probes, ...result.attempts.map((attempt) => attempt.result)], acceptingAt);
  const all = [...result.attempts.map((attempt) => attempt.result), ...probes];
  const serverErrors = all.filter((response) => response.status >= 500 && response.status !== 503).length;
  const others = all.filter(
    (response) => !(response.status >= 200 && response.status < 300) && response.status !== 503,
  );
  const slowest = Math.max(0, ...all.map((response) => response.ms));

  figure(
    env,
    'DB restart under write load: acknowledged writes lost',
    '0',
    `${reconciliation.lost} of ${reconciliation.acknowledged} (${summary.requests} POSTs, ${summary.unavailable} × 503 retried with the same key)`,
    reconciliation.lost === 0 && reconciliation.acknowledged > 0 && result.abandoned.length === 0,
  );
  figure(
    env,
    'DB restart: keys with more than one row',
    '0',
    `${reconciliation.duplicatedKeys} of ${reconciliation.keys} keys (${reconciliation.conflictingIds} keys answered with two ids)`,
    reconciliation.duplicatedKeys === 0 && reconciliation.conflictingIds === 0,
  );
  figure(
    env,
    'DB restart: answers while PostgreSQL is down',
    '503 + Retry-After, 0 × 500',
    `${duringUnavailable.length} of ${during.length} were 503 (${duringUnavailable.filter((r) => !r.headers['retry-after']).length} without Retry-After); ${serverErrors} × other 5xx; whole load: ${histogram(all)}`,
    during.length > 0 &&
      duringUnavailable.length === during.length &&
      duringUnavailable.every((r) => r.headers['retry-after'] && problemType(r) === 'service-unavailable') &&
      serverErrors === 0 &&
      others.length === 0,
  );
  figure(
    env,
    'DB restart: slowest request',
    `≤ ${HANG_LIMIT_MS / 1000} s`,
    seconds(slowest),
    slowest <= HANG_LIMIT_MS,
  );
  figure(
    env,
    'DB restart: first 2xx after PostgreSQL accepts connections again',
    '≤ 5 s',
    seconds(recovered),
    recovered !== undefined && recovered <= 5_000,
  );
  figure(
    env,
    'DB restart: health while PostgreSQL is down',
    'live 200, ready 503 + Retry-After',
    `live ${live.status || live.error}, ready ${ready.status || ready.error} (Retry-After ${ready.headers['retry-after'] ?? 'missing'})`,
    live.status === 200 && ready.status === 503 && Boolean(ready.headers['retry-after']),
  );
  figure(
    env,
    'DB restart: API process survives',
    'same PID, still running',
    app.exited ? 'exited' : `PID ${app.pid} running`,
    !app.exited,
  );
}

// --- 2. pg_terminate_backend on every connection of the API --------------------------------------

async function terminatedBackends(env: Env): Promise<void> {
  const { context, postgres, app, setup } = env;
  context.log('faults: write load, every backend of the API is terminated');
  let running = true;
  const probe = startProbe(env);
  const load = runWriteLoad({
    baseUrl: app.baseUrl,
    token: setup.adviserToken,
    workers: 6,
    keyPrefix: `terminate-${context.seed}`,
    running: () => running,
  });
  await sleep(1_500);
  const terminatedAt = Date.now();
  const terminated = await postgres.terminateBackends('anker_app');
  await sleep(3_000);
  running = false;
  const [result, probes] = await Promise.all([load, probe.stop()]);
  const all = [...result.attempts.map((attempt) => attempt.result), ...probes];
  const reconciliation = await reconcileWrites(postgres, result);
  const serverErrors = all.filter((response) => response.status >= 500 && response.status !== 503).length;
  const unavailable = all.filter((response) => response.status === 503);
  const recovered = recoveryMs(all, terminatedAt);
  figure(
    env,
    'pg_terminate_backend on all API connections: 500s, lost writes',
    '0 × 500, 0 lost',
    `${terminated} backends terminated; ${serverErrors} × 500 of ${all.length} requests (${unavailable.length} × 503, ${unavailable.filter((r) => !r.headers['retry-after']).length} without Retry-After); ${reconciliation.lost} of ${reconciliation.acknowledged} writes lost, ${reconciliation.duplicatedKeys} keys doubled`,
    terminated > 0 &&
      serverErrors === 0 &&
      result.unexpected.length === 0 &&
      unavailable.every((r) => r.headers['retry-after']) &&
      reconciliation.lost === 0 &&
      reconciliation.duplicatedKeys === 0 &&
      result.abandoned.length === 0,
  );
  figure(
    env,
    'pg_terminate_backend: first 2xx after the termination',
    '≤ 2 s',
    seconds(recovered),
    recovered !== undefined && recovered <= 2_000,
  );
}

// --- 3. the pool exhausted: every connection waits on a table lock -------------------------------

async function poolExhaustion(env: Env): Promise<void> {
  const { context, postgres, app, setup } = env;
  const requests = POOL_MAX * 3;
  context.log(`faults: pool exhausted (${requests} requests, ${POOL_MAX} connections, clients table locked)`);
  const holder = await postgres.connect();
  let results: CallResult[];
  let readyWhileExhausted: CallResult;
  try {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE clients IN ACCESS EXCLUSIVE MODE');
    const pending = Array.from({ length: requests }, () =>
      call(app.baseUrl, 'GET', '/api/v1/clients?limit=5', { token: setup.adviserToken, timeoutMs: 20_000 }),
    );
    await sleep(ACQUIRE_TIMEOUT_MS / 2);
    readyWhileExhausted = await call(app.baseUrl, 'GET', '/health/ready', { timeoutMs: 20_000 });
    results = await Promise.all(pending);
  } finally {
    await holder.query('ROLLBACK').catch(() => undefined);
    await holder.end().catch(() => undefined);
  }
  const releasedAt = Date.now();
  const after = await Promise.all(
    Array.from({ length: POOL_MAX }, () =>
      call(app.baseUrl, 'GET', '/api/v1/clients?limit=5', { token: setup.adviserToken, timeoutMs: 20_000 }),
    ),
  );
  const unavailable = results.filter(
    (result) =>
      result.status === 503 && result.headers['retry-after'] && problemType(result) === 'service-unavailable',
  );
  const slowest = Math.max(...results.map((result) => result.ms));
  const bound = Math.max(ACQUIRE_TIMEOUT_MS, STATEMENT_TIMEOUT_MS) + 1_000;
  figure(
    env,
    `pool exhausted (${requests} requests on ${POOL_MAX} connections)`,
    `all 503 + Retry-After, none slower than ${seconds(bound)}`,
    `${unavailable.length} of ${requests} × 503 (${results.filter((r) => r.status >= 500 && r.status !== 503).length} × other 5xx), slowest ${seconds(slowest)}; /health/ready meanwhile ${readyWhileExhausted.status}`,
    unavailable.length === requests && slowest <= bound,
  );
  const afterOk = after.filter((result) => result.status === 200).length;
  const afterSlowest = Math.max(...after.map((result) => result.endedAt - releasedAt));
  figure(
    env,
    'pool released: requests served again',
    `${POOL_MAX} of ${POOL_MAX} within 1 s`,
    `${afterOk} of ${POOL_MAX} within ${seconds(afterSlowest)}`,
    afterOk === POOL_MAX && afterSlowest <= 1_000,
  );
}

// --- 4. a row lock held past statement_timeout ---------------------------------------------------

async function lockPastStatementTimeout(env: Env): Promise<void> {
  const { context, postgres, app, setup } = env;
  context.log('faults: a row lock held past statement_timeout');
  const created = await call(app.baseUrl, 'POST', '/api/v1/clients', {
    token: setup.adviserToken,
    body: clientBody(`lock-${context.seed}`),
  });
  const client = created.body as { id: string; version: number };
  const holder = await postgres.connect();
  let blocked: CallResult;
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM clients WHERE id = $1 FOR UPDATE', [client.id]);
    blocked = await call(app.baseUrl, 'PATCH', `/api/v1/clients/${client.id}`, {
      token: setup.adviserToken,
      body: { city: 'Berlin' },
      headers: { 'if-match': `"${client.version}"` },
      timeoutMs: 20_000,
    });
  } finally {
    await holder.query('ROLLBACK').catch(() => undefined);
    await holder.end().catch(() => undefined);
  }
  await sleep(1_000);
  const idle = await postgres.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM pg_stat_activity
      WHERE usename = 'anker_app' AND state LIKE 'idle in transaction%'`,
  );
  const retried = await call(app.baseUrl, 'PATCH', `/api/v1/clients/${client.id}`, {
    token: setup.adviserToken,
    body: { city: 'Berlin' },
    headers: { 'if-match': `"${client.version}"` },
  });
  const onTime = Math.abs(blocked.ms - STATEMENT_TIMEOUT_MS) <= 1_000;
  figure(
    env,
    `PATCH on a row locked past statement_timeout (${STATEMENT_TIMEOUT_MS / 1000} s)`,
    `503 + Retry-After at ${STATEMENT_TIMEOUT_MS / 1000} s ± 1 s`,
    `${blocked.status || blocked.error} ${problemType(blocked) ?? ''} after ${seconds(blocked.ms)}, Retry-After ${blocked.headers['retry-after'] ?? 'missing'}`,
    blocked.status === 503 && Boolean(blocked.headers['retry-after']) && onTime,
  );
  figure(
    env,
    'after the lock: sessions idle in transaction; the same PATCH again',
    '0; 200',
    `${idle[0]?.count ?? '?'}; ${retried.status || retried.error}`,
    idle[0]?.count === 0 && retried.status === 200,
  );
}

// --- 5. a full disk: the consultations table on a 1 MB tablespace that is full -------------------

async function diskFull(env: Env): Promise<void> {
  const { context, postgres, app, setup } = env;
  const name = 'a full disk (tablespace on a full 1 MB tmpfs) on POST consultation';
  if (process.getuid?.() !== 0) {
    figure(env, name, 'clear 503 problem, no driver text', 'not run: mounting a tmpfs needs root', true);
    return;
  }
  context.log('faults: the consultations table on a full disk');
  const created = await call(app.baseUrl, 'POST', '/api/v1/clients', {
    token: setup.adviserToken,
    body: clientBody(`disk-${context.seed}`),
  });
  const clientId = (created.body as { id: string }).id;
  const mountPoint = join(dirname(postgres.dataDir), 'tiny');
  const location = join(mountPoint, 'tablespace');
  await mkdir(mountPoint, { recursive: true });
  try {
    await execFileAsync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0755', 'tmpfs', mountPoint]);
  } catch (error) {
    figure(
      env,
      name,
      'clear 503 problem, no driver text',
      `not run: mount failed (${(error as Error).message.split('\n')[0]})`,
      true,
    );
    return;
  }
  try {
    await mkdir(location);
    const owner = await execFileAsync('stat', ['-c', '%u:%g', postgres.dataDir]);
    const [uid, gid] = owner.stdout.trim().split(':').map(Number);
    await chown(location, uid, gid);
    await postgres.query(`CREATE TABLESPACE verify_tiny LOCATION '${location}'`);
    await postgres.query('ALTER TABLE consultations SET TABLESPACE verify_tiny');
    await fillUp(join(mountPoint, 'filler'));
    const body = {
      heldOn: berlinToday(),
      durationMinutes: 45,
      channel: 'PERSOENLICH',
      topics: ['ANERKENNUNG_INFO'],
    };
    const path = `/api/v1/clients/${clientId}/consultations`;
    const full = await call(app.baseUrl, 'POST', path, {
      token: setup.adviserToken,
      body,
      timeoutMs: 20_000,
    });
    const leaks =
      /ENOSPC|No space|could not extend|pg_tblspc|QueryFailedError|\bat \w+ \(|SELECT |INSERT /i.test(
        full.text,
      );
    await rm(join(mountPoint, 'filler'), { force: true });
    const freed = await call(app.baseUrl, 'POST', path, {
      token: setup.adviserToken,
      body,
      timeoutMs: 20_000,
    });
    figure(
      env,
      name,
      '503 problem with Retry-After and our own words; 201 once space is free',
      `${full.status || full.error} ${problemType(full) ?? ''} "${(full.body as { detail?: string } | undefined)?.detail ?? ''}"${leaks ? ' (driver text!)' : ''}; then ${freed.status || freed.error}`,
      full.status === 503 &&
        problemType(full) === 'service-unavailable' &&
        Boolean(full.headers['retry-after']) &&
        !leaks &&
        freed.status === 201,
    );
  } finally {
    await postgres.query('ALTER TABLE consultations SET TABLESPACE pg_default').catch(() => undefined);
    await postgres.query('DROP TABLESPACE IF EXISTS verify_tiny').catch(() => undefined);
    await execFileAsync('umount', [mountPoint]).catch(() => undefined);
  }
}

/** Writes zeros until the file system says ENOSPC. */
async function fillUp(file: string): Promise<void> {
  const handle = await open(file, 'w');
  const block = Buffer.alloc(4096);
  try {
    for (;;) {
      await handle.write(block);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') {
      throw error;
    }
  } finally {
    await handle.close();
  }
}

function berlinToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
}
