import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { TEST_ENV, databaseUrl, uniqueDatabaseName, withAdminClient } from './test-database';

export interface GlobalTestState {
  embedded?: EmbeddedPostgres;
  tempDir?: string;
  adminUrl: string;
  templateDatabase: string;
}

declare global {
  var __ANKER_TEST_STATE__: GlobalTestState | undefined;
}

/**
 * Starts (or connects to) PostgreSQL once per test run and migrates a template database that each
 * test file clones. With DATABASE_URL set, its server is used; otherwise an embedded one in a temp dir.
 */
export default async function globalSetup(): Promise<void> {
  // TypeORM loads the migration files at run time; the global setup runs outside Jest's transform.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });

  const config = loadConfig(process.env);
  let embedded: EmbeddedPostgres | undefined;
  let tempDir: string | undefined;
  let adminUrl: string;
  if (config.database.url) {
    adminUrl = databaseUrl(config.database.url, 'postgres');
  } else {
    // Under /tmp so that the postgres system user (used when tests run as root) can reach it.
    tempDir = await mkdtemp(join(tmpdir(), 'anker-test-'));
    const { chmod } = await import('node:fs/promises');
    await chmod(tempDir, 0o755);
    embedded = await startEmbeddedPostgres(join(tempDir, 'postgres'), {
      info: () => undefined,
      warn: console.warn,
    });
    adminUrl = embedded.adminUrl;
  }

  const templateDatabase = uniqueDatabaseName('anker_template');
  await withAdminClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(templateDatabase)}`),
  );
  const dataSource = new DataSource(
    dataSourceOptions(databaseUrl(adminUrl, templateDatabase), config.database),
  );
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }

  process.env[TEST_ENV.adminUrl] = adminUrl;
  process.env[TEST_ENV.templateDatabase] = templateDatabase;
  globalThis.__ANKER_TEST_STATE__ = { embedded, tempDir, adminUrl, templateDatabase };
}
