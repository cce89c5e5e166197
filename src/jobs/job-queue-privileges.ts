import { JOBS_SCHEMA } from './job-queue.service';

/**
 * What a runtime role that owns nothing needs on the job queue's schema (created by the migration
 * owner): pg-boss reads and writes its tables (jobs, archive, queues, the version row's maintenance
 * timestamps) and deletes archived jobs. Per-queue partitions are created later by
 * `pgboss.create_queue`, which runs as its owner (SECURITY DEFINER); the default privileges, set by
 * the owner who runs these statements, cover them. Run as the owner, after the migrations.
 *
 * Tables of the public schema used by jobs: `job_schedule_ticks` (SELECT, INSERT, DELETE),
 * `retention_runs` (SELECT, INSERT, UPDATE); housekeeping deletes from `idempotency_keys`,
 * `sign_in_failures` and `refresh_tokens`.
 */
export function jobQueueGrants(quotedRole: string): string[] {
  const schema = JOBS_SCHEMA;
  return [
    `GRANT USAGE ON SCHEMA ${schema} TO ${quotedRole}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${quotedRole}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${quotedRole}`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${quotedRole}`,
  ];
}
