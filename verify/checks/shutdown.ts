import type { Client } from 'pg';
import type { Figure, VerifyCheck } from '../check';
import { freePort, startApp, type AppProcess } from '../support/app-process';
import { call, histogram, problemType, sleep, type CallResult } from '../support/http-call';
import { clientBody, setUpOffice } from '../support/office-setup';
import { startSuitePostgres } from '../support/postgres';
import { reconcileWrites } from '../support/reconcile';
import { runWriteLoad } from '../support/write-load';

/**
 * Graceful shutdown under load (quality.md, Reliability): SIGTERM while writes are in flight, some of
 * them waiting on a row lock and a retention job erasing clients. Every request accepted before the
 * signal gets its real answer (no reset, no 503), later ones 503 or a refused connection, the process
 * exits within 10 s, and no job enqueued before the signal is lost: it finished before the exit or
 * runs after the restart. The writers keep retrying their unanswered keys across the restart.
 */

const EXIT_LIMIT_MS = 10_000;
/** Clients made due for erasure, so that the retention job is running when the signal comes. */
const DUE_CLIENTS = 25;
const LOCKED_PATCHES = 5;
const HOLD_LOCK_AFTER_SIGNAL_MS = 1_500;

const check: VerifyCheck = {
  name: 'shutdown',
  async run(context) {
    const figures: Figure[] = [];
    const add = (figure: string, target: string, measured: string, ok: boolean) =>
      figures.push({ figure: `shutdown: ${figure}`, target, measured, ok });
    const postgres = await startSuitePostgres(context);
    const port = await freePort();
    const options = {
      databaseUrl: postgres.url,
      port,
      // Every second a retention run is enqueued: jobs exist in every state when the signal comes.
      env: {
        RETENTION_CRON: '* * * * * *',
        SHUTDOWN_TIMEOUT_MS: String(EXIT_LIMIT_MS),
        // The production default: the locked PATCHes must wait for the lock, not time out.
        DB_STATEMENT_TIMEOUT_MS: '15000',
      },
    };
    let first: AppProcess | undefined;
    let second: AppProcess | undefined;
    let holder: Client | undefined;
    try {
      first = await startApp(context, { name: 'shutdown-api-1', ...options });
      const baseUrl = first.baseUrl;
      const setup = await setUpOffice(baseUrl, context, 'shutdown');

      // Clients whose PATCH will wait on a row lock held across the signal.
      const locked: { id: string; version: number }[] = [];
      for (let index = 0; index < LOCKED_PATCHES; index += 1) {
        const created = await call(baseUrl, 'POST', '/api/v1/clients', {
          token: setup.adviserToken,
          body: clientBody(`shutdown-locked-${context.seed}-${index}`),
        });
        locked.push(created.body as { id: string; version: number });
      }

      context.log('shutdown: write load, locked PATCHes, a retention job erasing clients; then SIGTERM');
      let writing = true;
      const load = runWriteLoad({
        baseUrl,
        token: setup.adviserToken,
        workers: 6,
        keyPrefix: `shutdown-${context.seed}`,
        running: () => writing,
        retryDelayMs: 250,
        maxRetryMs: 60_000,
      });
      await sleep(1_000);

      await postgres.query(
        `INSERT INTO clients (office_id, first_name, last_name, gender, created_at, updated_at)
         SELECT $1, 'Verify', 'Due ' || n, 'M', now() - interval '6 years', now() - interval '6 years'
           FROM generate_series(1, $2::int) AS n`,
        [setup.officeId, DUE_CLIENTS],
      );
      // One transaction holds the rows the PATCHes and the retention run need: the run (started by
      // the next tick) waits on its first client, later ticks' runs queue behind it, the PATCHes wait.
      holder = await postgres.connect();
      await holder.query('BEGIN');
      await holder.query(
        `SELECT 1 FROM clients WHERE id = ANY($1::uuid[]) OR (last_name LIKE 'Due %' AND erased_at IS NULL) FOR UPDATE`,
        [locked.map((client) => client.id)],
      );
      const patches = locked.map((client) =>
        call(baseUrl, 'PATCH', `/api/v1/clients/${client.id}`, {
          token: setup.adviserToken,
          body: { city: 'Leipzig' },
          headers: { 'if-match': `"${client.version}"` },
          timeoutMs: 30_000,
        }),
      );

      // The signal comes while a retention run is active and another waits, and the PATCHes (and the
      // run) wait on the row locks inside PostgreSQL.
      const atSignal = { active: 0, waiting: 0, lockWaits: 0 };
      const inPlay = await waitFor(async () => {
        const [row] = await postgres.query<{ active: number; waiting: number; lockWaits: number }>(
          `SELECT (SELECT count(*)::int FROM pgboss.job WHERE name = 'retention.run' AND state = 'active') AS active,
                  (SELECT count(*)::int FROM pgboss.job
                    WHERE name = 'retention.run' AND state IN ('created', 'retry')) AS waiting,
                  (SELECT count(*)::int FROM pg_stat_activity
                    WHERE usename = 'anker_app' AND wait_event_type = 'Lock') AS "lockWaits"`,
        );
        Object.assign(atSignal, row);
        return row.active > 0 && row.waiting > 0 && row.lockWaits >= LOCKED_PATCHES + 1;
      }, 15_000);
      const signalAt = Date.now();
      const stopping = first;
      const exitPromise = stopping.stop('SIGTERM', 30_000);
      writing = false;
      // New requests after the signal, until the process is gone.
      const late: CallResult[] = [];
      const lateLoop = (async () => {
        while (!stopping.exited) {
          late.push(
            await call(baseUrl, 'GET', '/api/v1/clients?limit=1', {
              token: setup.adviserToken,
              timeoutMs: 15_000,
            }),
          );
          await sleep(50);
        }
      })();
      await sleep(HOLD_LOCK_AFTER_SIGNAL_MS);
      await holder.query('ROLLBACK');
      await holder.end();
      holder = undefined;
      const exit = await exitPromise;
      await lateLoop;
      const patchResults = await Promise.all(patches);

      const jobs = await postgres.query<{ id: string; state: string }>(
        `SELECT id::text, state::text FROM pgboss.job
          WHERE name = 'retention.run' AND created_on < to_timestamp($1::double precision / 1000)`,
        [signalAt],
      );
      const completedBeforeExit = new Set(
        jobs.filter((job) => job.state === 'completed').map((job) => job.id),
      );

      context.log('shutdown: restart on the same port; writers retry their unanswered keys');
      second = await startApp(context, { name: 'shutdown-api-2', ...options });
      const result = await load;
      const jobsDone = await waitFor(
        async () =>
          (
            await postgres.query<{ count: number }>(
              `SELECT count(*)::int AS count FROM pgboss.job
                WHERE id = ANY($1::uuid[]) AND state <> 'completed'`,
              [jobs.map((job) => job.id)],
            )
          )[0].count === 0,
        20_000,
      );
      const finalJobs = await postgres.query<{ state: string }>(
        'SELECT state::text FROM pgboss.job WHERE id = ANY($1::uuid[])',
        [jobs.map((job) => job.id)],
      );
      const erasedDue = await postgres.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM clients WHERE last_name IS NULL AND erased_at IS NOT NULL`,
      );

      // Requests whose bytes were on an open connection before the signal. Those the app was already
      // serving must complete (the PATCHes were inside PostgreSQL); one whose headers the app had not
      // read yet is new to it and may get the shutdown's 503 (the writer retries it after the restart).
      // Never a reset, never a 500.
      const sentBefore = result.attempts
        .map((attempt) => attempt.result)
        .filter((response) => (response.sentAt ?? Infinity) < signalAt);
      const accepted = [...patchResults, ...sentBefore];
      const acceptedBad = accepted.filter(
        (response) =>
          response.status === 0 ||
          (response.status >= 500 && !(response.status === 503 && response.headers['retry-after'])),
      );
      const shutdown503 = accepted.filter((response) => response.status === 503).length;
      add(
        'requests sent before SIGTERM',
        'in-flight ones complete; 0 resets, 0 × 500 (503 + Retry-After only if not yet read)',
        `${LOCKED_PATCHES} PATCHes inside PostgreSQL at the signal (waiting on a row lock released ${HOLD_LOCK_AFTER_SIGNAL_MS / 1000} s after it): ${histogram(patchResults)}; all ${accepted.length}: ${histogram(accepted)} (${shutdown503} × 503)`,
        inPlay && acceptedBad.length === 0 && patchResults.every((response) => response.status === 200),
      );
      const lateBad = late.filter(
        (response) =>
          !(
            response.status === 503 &&
            response.headers['retry-after'] &&
            problemType(response) === 'service-unavailable'
          ) &&
          // Once the listener closes, a connection is refused, or reset if the kernel had queued it
          // before the close: either way the request never reached the app.
          response.error !== 'ECONNREFUSED' &&
          response.error !== 'ECONNRESET',
      );
      add(
        'new requests after SIGTERM',
        '503 + Retry-After (refused or reset once the listener is closed)',
        `${late.length - lateBad.length} of ${late.length} (${histogram(late)})`,
        late.length > 0 && lateBad.length === 0,
      );
      add(
        'exit after SIGTERM',
        `code 0 within ${EXIT_LIMIT_MS / 1000} s`,
        `code ${exit.code ?? exit.signal} after ${(exit.elapsedMs / 1000).toFixed(2)} s`,
        exit.code === 0 && exit.elapsedMs <= EXIT_LIMIT_MS,
      );
      const lost =
        finalJobs.filter((job) => job.state !== 'completed').length + (jobs.length - finalJobs.length);
      add(
        'jobs enqueued before SIGTERM',
        'all completed (before the exit or after the restart), 0 lost',
        `${jobs.length} jobs (at the signal ${atSignal.active} running, ${atSignal.waiting} waiting): ${completedBeforeExit.size} completed before the exit, ${jobs.length - completedBeforeExit.size - lost} after the restart, ${lost} not completed; ${erasedDue[0].count} of ${DUE_CLIENTS} due clients erased`,
        inPlay && jobsDone && lost === 0 && jobs.length > 0 && erasedDue[0].count === DUE_CLIENTS,
      );
      const reconciliation = await reconcileWrites(postgres, result);
      add(
        'writes across the shutdown and restart (same Idempotency-Key retried)',
        '0 lost, 0 doubled, 0 abandoned',
        `${reconciliation.lost} lost of ${reconciliation.acknowledged}, ${reconciliation.duplicatedKeys} keys doubled, ${result.abandoned.length} abandoned, ${result.unexpected.length} unexpected answers`,
        reconciliation.lost === 0 &&
          reconciliation.duplicatedKeys === 0 &&
          reconciliation.conflictingIds === 0 &&
          result.abandoned.length === 0 &&
          result.unexpected.length === 0,
      );
      return figures;
    } finally {
      await holder?.end().catch(() => undefined);
      await first?.stop('SIGKILL');
      await second?.stop('SIGTERM', 15_000);
      await postgres.dispose();
    }
  },
};
export default check;

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) {
      return true;
    }
    await sleep(100);
  }
  return false;
}
