import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
  type EmbeddedPostgresLog,
} from '../../src/database/embedded-postgres';
import type { VerifyContext } from '../check';

/**
 * The verification suite's own PostgreSQL: an embedded server (the binaries the app ships) in a
 * fresh temp directory, so the fault checks may stop, restart and starve it without touching a
 * developer's database. The app processes connect as its superuser (DATABASE_URL), which makes them
 * migrate and create their restricted runtime role `anker_app` as in production ("derived" mode).
 */
export interface SuitePostgres {
  /** Superuser URL of the `anker` database: what the app processes get as DATABASE_URL. */
  readonly url: string;
  /** Superuser URL of the maintenance database `postgres`. */
  readonly adminUrl: string;
  /** Fixed for the whole run: a restart listens on the same port, as a real server's restart would. */
  readonly port: number;
  readonly dataDir: string;
  /** True between `stop()` and the next `start()`. */
  readonly stopped: boolean;
  /** Fast shutdown (open transactions roll back, clients are disconnected). */
  stop(): Promise<void>;
  /** Starts the server again on the same data directory and port; resolves once it accepts connections. */
  start(): Promise<void>;
  /**
   * stop() then start(); `downMs` keeps it down that long in between. Times (epoch ms): when the server
   * had stopped, when its start began, and when it accepted connections again.
   */
  restart(downMs?: number): Promise<{ stoppedAt: number; startingAt: number; acceptingAt: number }>;
  /**
   * Ends the backends of the given role (default: every client backend of the `anker` database
   * except the caller's), as `pg_terminate_backend` does after an operator's kill. Returns how many.
   */
  terminateBackends(role?: string): Promise<number>;
  /** Runs one statement as the superuser on the `anker` database (own short-lived connection). */
  query<T extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    parameters?: unknown[],
  ): Promise<T[]>;
  /** A connected superuser client the caller ends (for holding locks or connections). */
  connect(): Promise<Client>;
  /** Stops the server (if running) and removes the temp directory. */
  dispose(): Promise<void>;
}

export async function startSuitePostgres(context: VerifyContext): Promise<SuitePostgres> {
  // Under the system temp dir and world-traversable: as root, PostgreSQL runs as the postgres user.
  const tempDir = await mkdtemp(join(tmpdir(), 'anker-verify-'));
  await chmod(tempDir, 0o755);
  const dataDir = join(tempDir, 'postgres');
  const log: EmbeddedPostgresLog = {
    info: (message) => context.captureLog('postgres', `${message}\n`),
    warn: (message) => context.captureLog('postgres', `${message}\n`),
  };
  const output = (chunk: Buffer) => context.captureLog('postgres', chunk);

  let server: EmbeddedPostgres | undefined = await startEmbeddedPostgres(dataDir, log, { output });
  const { url, adminUrl, port } = server;

  const withClient = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  const suite: SuitePostgres = {
    url,
    adminUrl,
    port,
    dataDir,
    get stopped() {
      return server === undefined;
    },
    async stop() {
      const running = server;
      server = undefined;
      await running?.stop();
    },
    async start() {
      if (server) {
        return;
      }
      server = await startEmbeddedPostgres(dataDir, log, { port, output });
    },
    async restart(downMs = 0) {
      await suite.stop();
      const stoppedAt = Date.now();
      if (downMs > 0) {
        await new Promise((resolveWait) => setTimeout(resolveWait, downMs));
      }
      const startingAt = Date.now();
      await suite.start();
      return { stoppedAt, startingAt, acceptingAt: Date.now() };
    },
    async terminateBackends(role) {
      const rows = await suite.query<{ terminated: boolean }>(
        `SELECT pg_terminate_backend(pid) AS terminated
           FROM pg_stat_activity
          WHERE datname = current_database()
            AND backend_type = 'client backend'
            AND pid <> pg_backend_pid()
            AND ($1::text IS NULL OR usename = $1)`,
        [role ?? null],
      );
      return rows.filter((row) => row.terminated).length;
    },
    query: <T extends Record<string, unknown>>(sql: string, parameters: unknown[] = []) =>
      withClient(async (client) => (await client.query<T>(sql, parameters)).rows),
    async connect() {
      const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
      // A held connection that the server ends (restart, terminate) must not crash the run.
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
    async dispose() {
      await suite.stop().catch(() => undefined);
      await rm(tempDir, { recursive: true, force: true });
    },
  };
  return suite;
}
