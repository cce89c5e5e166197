/**
 * What the API's runtime role may do to each table: exactly the statements the repositories run
 * (grep them for INSERT/UPDATE/DELETE and `FOR UPDATE`, which needs UPDATE). Never TRUNCATE,
 * REFERENCES or TRIGGER, and the role owns nothing, so it can neither alter a table nor disable the
 * append-only trigger of `audit_events`. Operator commands that write elsewhere (occupations:import
 * writes reference_occupations) run as the owner, like migrations.
 *
 * A table a future migration adds gets DEFAULT_TABLE_PRIVILEGES until it is listed here (start-up
 * warns, and test/database-privileges.e2e-spec.ts fails): add it with what its repository needs.
 * An entry for a table that does not exist (yet) is ignored.
 */
export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

export const RUNTIME_TABLE_PRIVILEGES: Readonly<Record<string, readonly TablePrivilege[]>> = {
  // Append-only: events are written and read, never changed (the trigger also refuses it).
  audit_events: ['SELECT', 'INSERT'],
  // last_used_at, revoked_at.
  api_clients: ['SELECT', 'INSERT', 'UPDATE'],
  // A qualification can be deleted (DELETE /clients/{id}/qualifications/{id}).
  client_qualifications: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // Erasure overwrites personal data in place; a client row is never deleted.
  clients: ['SELECT', 'INSERT', 'UPDATE'],
  consents: ['SELECT', 'INSERT', 'UPDATE'],
  consultations: ['SELECT', 'INSERT', 'UPDATE'],
  // Expired keys and abandoned (unfinished) attempts are deleted.
  idempotency_keys: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // Daily job ticks: one row per run, old ones pruned.
  job_schedule_ticks: ['SELECT', 'INSERT', 'DELETE'],
  // Erasure clears reasons; rows are appended, never deleted.
  enrolment_history: ['SELECT', 'INSERT', 'UPDATE'],
  // Status changes (the seat trigger updates qualification_offers as the same role); never deleted.
  enrolments: ['SELECT', 'INSERT', 'UPDATE'],
  // Read by the readiness check (pending migrations); written only by the owner.
  migrations: ['SELECT'],
  networks: ['SELECT', 'INSERT', 'UPDATE'],
  offices: ['SELECT', 'INSERT', 'UPDATE'],
  partners: ['SELECT', 'INSERT', 'UPDATE'],
  // Erasure clears notes.
  recognition_case_history: ['SELECT', 'INSERT', 'UPDATE'],
  recognition_cases: ['SELECT', 'INSERT', 'UPDATE'],
  // Edited by coordinators; the seat counters are updated by the enrolments' trigger. Never deleted.
  qualification_offers: ['SELECT', 'INSERT', 'UPDATE'],
  // Erasure clears reasons; rows are appended, never deleted.
  referral_history: ['SELECT', 'INSERT', 'UPDATE'],
  // Status changes, erasure clears free texts; never deleted.
  referrals: ['SELECT', 'INSERT', 'UPDATE'],
  // Report rollups: rebuilt as a whole by the reports.refresh job (DELETE + INSERT in one transaction).
  report_cases: ['SELECT', 'INSERT', 'DELETE'],
  report_client_months: ['SELECT', 'INSERT', 'DELETE'],
  report_enrolments: ['SELECT', 'INSERT', 'DELETE'],
  report_participants: ['SELECT', 'INSERT', 'DELETE'],
  report_office_months: ['SELECT', 'INSERT', 'DELETE'],
  report_referrals: ['SELECT', 'INSERT', 'DELETE'],
  // When the rollups were last rebuilt (one row per rollup set, upserted).
  report_rollup_state: ['SELECT', 'INSERT', 'UPDATE'],
  // Curated by migrations, imported by occupations:import (as the owner): read-only for the API.
  reference_occupations: ['SELECT'],
  // used_at; housekeeping deletes expired tokens.
  refresh_tokens: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // A retention run is recorded, then finished.
  retention_runs: ['SELECT', 'INSERT', 'UPDATE'],
  // revoked_at; housekeeping deletes sessions whose refresh tokens have all expired.
  sessions: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // One counter per account/address: counted up, given back, cleared, expired windows deleted.
  sign_in_limits: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // Replaced as a set (DELETE + INSERT); erasure clears descriptions.
  substantial_differences: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  users: ['SELECT', 'INSERT', 'UPDATE'],
  // Webhooks: a subscription is deleted with its deliveries and attempts (ON DELETE CASCADE); messages
  // (the outbox) are written once, never changed, and pruned after WEBHOOK_RETENTION_DAYS (with their
  // deliveries and attempts); attempts are appended.
  webhook_attempts: ['SELECT', 'INSERT', 'DELETE'],
  webhook_deliveries: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  webhook_messages: ['SELECT', 'INSERT', 'DELETE'],
  webhook_subscriptions: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
};

/** For a table not (yet) listed above: what most tables need, and never DELETE. */
export const DEFAULT_TABLE_PRIVILEGES: readonly TablePrivilege[] = ['SELECT', 'INSERT', 'UPDATE'];

export function runtimePrivilegesFor(table: string): readonly TablePrivilege[] {
  return Object.hasOwn(RUNTIME_TABLE_PRIVILEGES, table)
    ? RUNTIME_TABLE_PRIVILEGES[table]
    : DEFAULT_TABLE_PRIVILEGES;
}

/** The job queue's schema (pg-boss), created by a migration. */
export const JOB_QUEUE_SCHEMA = 'pgboss';

/**
 * What a runtime role that owns nothing needs on the job queue's schema (created by the migration
 * owner): pg-boss reads and writes its tables (jobs, archive, queues, the version row's maintenance
 * timestamps) and deletes archived jobs. Per-queue partitions are created later by
 * `pgboss.create_queue`, which runs as its owner (SECURITY DEFINER); the default privileges, set by
 * the owner who runs these statements, cover them. Run as the owner, after the migrations.
 *
 * Tables of the public schema used by jobs: `job_schedule_ticks` (SELECT, INSERT, DELETE),
 * `retention_runs` (SELECT, INSERT, UPDATE); housekeeping deletes from `idempotency_keys`,
 * `sign_in_limits`, `refresh_tokens` and `sessions`.
 */
export function jobQueueGrants(quotedRole: string): string[] {
  const schema = JOB_QUEUE_SCHEMA;
  return [
    `GRANT USAGE ON SCHEMA ${schema} TO ${quotedRole}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${quotedRole}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${quotedRole}`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${quotedRole}`,
  ];
}
