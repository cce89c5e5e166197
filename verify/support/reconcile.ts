import type { SuitePostgres } from './postgres';
import type { WriteLoadResult } from './write-load';

export interface Reconciliation {
  /** Distinct keys the load used. */
  keys: number;
  acknowledged: number;
  /** Acknowledged (2xx) ids that are not in the database. */
  lost: number;
  /** Keys with more than one row. */
  duplicatedKeys: number;
  /** Acknowledged keys whose 2xx named different ids (a replay must name the first one). */
  conflictingIds: number;
}

/** Compares what the API acknowledged with what PostgreSQL holds afterwards (as the superuser). */
export async function reconcileWrites(
  postgres: SuitePostgres,
  load: WriteLoadResult,
): Promise<Reconciliation> {
  const keys = [...new Set(load.attempts.map((attempt) => attempt.key))];
  const ids = [...new Set(load.acknowledged.map((write) => write.id))];
  const present = await postgres.query<{ id: string }>(
    'SELECT id::text FROM clients WHERE id = ANY($1::uuid[])',
    [ids.filter((id) => /^[0-9a-f-]{36}$/.test(id))],
  );
  const presentIds = new Set(present.map((row) => row.id));
  const counts = await postgres.query<{ lastName: string; rows: number }>(
    `SELECT last_name AS "lastName", count(*)::int AS rows FROM clients
      WHERE last_name = ANY($1::text[]) GROUP BY last_name`,
    [keys.map((key) => `Load ${key}`)],
  );
  const idsByKey = new Map<string, Set<string>>();
  for (const write of load.acknowledged) {
    idsByKey.set(write.key, (idsByKey.get(write.key) ?? new Set()).add(write.id));
  }
  return {
    keys: keys.length,
    acknowledged: load.acknowledged.length,
    lost: load.acknowledged.filter((write) => !presentIds.has(write.id)).length,
    duplicatedKeys: counts.filter((row) => row.rows > 1).length,
    conflictingIds: [...idsByKey.values()].filter((set) => set.size > 1).length,
  };
}
