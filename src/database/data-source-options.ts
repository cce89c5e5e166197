import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config';

export const MIGRATIONS_TABLE = 'migrations';

/**
 * One definition of the data source for the app, the e2e template and the TypeORM CLI, so that
 * all three see the same entities and migrations. `synchronize` is never on: the schema changes
 * only through migrations.
 */
export function dataSourceOptions(url: string, database: AppConfig['database']): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    applicationName: 'anker',
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // Failed queries are logged by the problem filter without SQL parameters, which may hold personal data.
    logging: false,
    // Extensions are created by migrations, never implicitly at connect time.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    poolSize: database.poolMax,
    connectTimeoutMS: database.poolAcquireTimeoutMs,
    extra: {
      statement_timeout: database.statementTimeoutMs,
      idle_in_transaction_session_timeout: Math.max(database.statementTimeoutMs * 2, 60_000),
    },
  };
}
