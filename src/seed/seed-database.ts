import type { ClientBase } from 'pg';

/** The tables the seed writes, in the order a wipe empties them (children first). */
export const SEEDED_TABLES = [
  'audit_events',
  'enrolment_history',
  'enrolments',
  'qualification_offers',
  'substantial_differences',
  'recognition_case_history',
  'recognition_cases',
  'consultations',
  'consents',
  'client_qualifications',
  'clients',
  'idempotency_keys',
  'refresh_tokens',
  'sessions',
  'sign_in_limits',
  'api_clients',
  'partners',
  'users',
  'offices',
  'networks',
] as const;

/** Tables whose rows mean "this database is in use": a seed refuses to write next to them. */
const OCCUPIED_BY = ['clients', 'users', 'networks', 'partners'] as const;

/** Row counts of the tables that tell whether the database already holds data (zero when empty). */
export async function existingData(client: ClientBase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of OCCUPIED_BY) {
    const { rows } = await client.query<{ present: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${table}) AS present`,
    );
    if (rows[0].present) {
      const count = await client.query<{ count: string }>(`SELECT count(*) FROM ${table}`);
      counts[table] = Number(count.rows[0].count);
    }
  }
  return counts;
}

/**
 * `--force`: empties every table the seed writes, in one transaction. The audit log is append-only
 * (a trigger refuses TRUNCATE), so its trigger is switched off for this statement only — as the owner
 * of the schema, which is who runs the seed; the API's role could not.
 */
export async function wipeSeededTables(client: ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_truncate');
    await client.query(`TRUNCATE ${SEEDED_TABLES.join(', ')}`);
    await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_truncate');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * After seeding: whatever aggregates the reports read from must reflect the new rows. Refreshes every
 * materialised view of the schema (the reports module's rollups, once it exists), smallest first.
 * Answers the names refreshed.
 */
export async function refreshReportRollups(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT quote_ident(schemaname) || '.' || quote_ident(matviewname) AS name
       FROM pg_matviews WHERE schemaname = 'public' ORDER BY matviewname`,
  );
  for (const row of rows) {
    await client.query(`REFRESH MATERIALIZED VIEW ${row.name}`);
  }
  return rows.map((row) => row.name);
}
