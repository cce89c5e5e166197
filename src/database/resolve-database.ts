import type { AppConfig } from '../config/config';
import { startEmbeddedPostgres, type EmbeddedPostgresLog } from './embedded-postgres';

export interface ResolvedDatabase {
  /** DATABASE_URL, or the embedded server's superuser on the `anker` database. */
  url: string;
  /** The owner, for migrations and operator commands: MIGRATION_DATABASE_URL, else `url`. */
  ownerUrl: string;
  /** Stops the embedded server, if one was started; a no-op for an external server. */
  stop(): Promise<void>;
  embedded: boolean;
}

/**
 * `DATABASE_URL` when given, otherwise an embedded PostgreSQL in `EMBEDDED_PG_DIR`. The embedded
 * server's superuser owns the schema; the restricted role the API runs as is created from it at
 * start-up (database-roles.ts), as for any DATABASE_URL whose role may create roles.
 */
export async function resolveDatabase(
  database: AppConfig['database'],
  log: EmbeddedPostgresLog,
): Promise<ResolvedDatabase> {
  if (database.url) {
    return {
      url: database.url,
      ownerUrl: database.migrationUrl ?? database.url,
      stop: () => Promise.resolve(),
      embedded: false,
    };
  }
  const server = await startEmbeddedPostgres(database.embeddedDir, log);
  return { url: server.url, ownerUrl: server.url, stop: () => server.stop(), embedded: true };
}
