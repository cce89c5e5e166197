import type { ClientBase } from 'pg';

/** The tables the seed writes, in the order a wipe empties them (children first). */
export const SEEDED_TABLES = [
  'audit_events',
  'webhook_attempts',
  'webhook_deliveries',
  'webhook_messages',
  'webhook_subscriptions',
  'referral_history',
  'referrals',
  'report_cases',
  'report_client_months',
  'report_enrolments',
  'report_participants',
  'report_referrals',
  'report_rollup_state',
  'retention_runs',
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
    // Only the tables that exist: the list also names those of modules a database may not have yet.
    const { rows } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1)`,
      [SEEDED_TABLES],
    );
    const present = new Set(rows.map((row) => row.name));
    await client.query(`TRUNCATE ${SEEDED_TABLES.filter((table) => present.has(table)).join(', ')}`);
    await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_truncate');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
