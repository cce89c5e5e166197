import type { AppConfig } from '../config/config';
import { startEmbeddedPostgres, type EmbeddedPostgresLog } from './embedded-postgres';

export interface ResolvedDatabase {
  url: string;
  /** Stops the embedded server, if one was started; a no-op for an external server. */
  stop(): Promise<void>;
  embedded: boolean;
}

/** `DATABASE_URL` when given, otherwise an embedded PostgreSQL in `EMBEDDED_PG_DIR`. */
export async function resolveDatabase(
  database: AppConfig['database'],
  log: EmbeddedPostgresLog,
): Promise<ResolvedDatabase> {
  if (database.url) {
    return { url: database.url, stop: () => Promise.resolve(), embedded: false };
  }
  const server = await startEmbeddedPostgres(database.embeddedDir, log);
  return { url: server.url, stop: () => server.stop(), embedded: true };
}
