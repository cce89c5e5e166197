import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig, loadDotEnvFile } from '../config/config';
import { dataSourceOptions } from './data-source-options';
import { resolveDatabase } from './resolve-database';

/**
 * Data source for the TypeORM CLI (`npm run migration:*`): the owner (MIGRATION_DATABASE_URL, else
 * DATABASE_URL), or the embedded PostgreSQL in EMBEDDED_PG_DIR when it is unset (stopped again when
 * the command exits).
 */
export const dataSource: Promise<DataSource> = (async () => {
  loadDotEnvFile();
  const config = loadConfig();
  const log = {
    info: (message: string) => console.error(message),
    warn: (message: string) => console.error(message),
  };
  const database = await resolveDatabase(config.database, log);
  return new DataSource(dataSourceOptions(database.ownerUrl, config.database));
})();
