import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ModuleMetadata } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { Pool } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/app.setup';
import { createRootLogger } from '../../src/common/logging/logger';
import { Clock } from '../../src/common/time/clock';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { MIGRATIONS_TABLE } from '../../src/database/data-source-options';
import { TEST_ENV, databaseUrl, uniqueDatabaseName, withAdminClient } from './test-database';

/** Tables whose rows the migrations load (curated reference data): kept by `reset()`. */
const REFERENCE_TABLES = ['reference_occupations'];

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** HTTP client for the running server (real sockets, real HTTP). */
  http: TestAgent;
  baseUrl: string;
  /** A separate pool on the test's own database, for arranging and asserting database state. */
  db: Pool;
  databaseName: string;
  /** The app's clock: `t.clock.setFixedTime('2026-03-14T23:30:00Z')` fixes "now" and "today". */
  clock: Clock;
  /** Every line the application logged, for asserting what must (not) be logged. */
  logLines(): string[];
  /** Empties every table except the migrations table. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables on top of the defaults (as a user would set them). */
  env?: Record<string, string>;
  /** Extra modules, e.g. probe controllers that trigger error classes. */
  imports?: ModuleMetadata['imports'];
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run e2e tests through jest (the global setup prepares the database).`,
    );
  }
  return value;
}

/** Clones the migrated template into a database of its own and boots the real app on it. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const adminUrl = requiredEnv(TEST_ENV.adminUrl);
  const template = requiredEnv(TEST_ENV.templateDatabase);
  const databaseName = uniqueDatabaseName('anker_test');
  await withAdminClient(adminUrl, (client) =>
    client.query(
      `CREATE DATABASE ${client.escapeIdentifier(databaseName)} TEMPLATE ${client.escapeIdentifier(template)}`,
    ),
  );
  const url = databaseUrl(adminUrl, databaseName);
  const config = loadConfig({
    LOG_LEVEL: 'info',
    PORT: '0',
    JWT_SIGNING_KEY: randomBytes(32).toString('base64url'),
    ...options.env,
    DATABASE_URL: url,
  });

  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createRootLogger(config.logLevel, sink);
  // nestjs-pino keeps its out-of-request logger per process; each test app needs its own sink.
  __resetOutOfContextForTests();
  const app = await createApp({ config, logger, imports: options.imports });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const db = new Pool({ connectionString: url, max: 4 });
  // `end()` resolves before the server has closed the sessions; `DROP DATABASE … WITH (FORCE)` in
  // close() can then terminate one (57P01), which an idle pooled client reports as an error event.
  // Without a listener that event would crash the test file after its tests have passed.
  db.on('error', () => undefined);

  return {
    app,
    config,
    http: request(baseUrl),
    baseUrl,
    db,
    databaseName,
    clock: app.get(Clock),
    logLines: () => [...lines],
    async reset() {
      const { rows } = await db.query<{ name: string }>(
        `SELECT quote_ident(tablename) AS name FROM pg_tables
          WHERE schemaname = 'public' AND tablename <> ALL($1::text[])`,
        [[MIGRATIONS_TABLE, ...REFERENCE_TABLES]],
      );
      if (rows.length > 0) {
        // The append-only audit trigger would refuse TRUNCATE; tests may reset as the superuser they run as.
        const client = await db.connect();
        try {
          await client.query('BEGIN');
          await client.query("SET LOCAL session_replication_role = 'replica'");
          await client.query(`TRUNCATE ${rows.map((row) => row.name).join(', ')} RESTART IDENTITY CASCADE`);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      }
    },
    async close() {
      await app.close();
      await db.end();
      await withAdminClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(databaseName)} WITH (FORCE)`),
      );
    },
  };
}
