import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PgBoss from 'pg-boss';

/**
 * The pgboss schema is created by a migration with pg-boss's construction plan frozen in it. If the
 * installed pg-boss builds a different schema, it refuses to start on the migrated one (`migrate: false`):
 * upgrading pg-boss needs a new migration running `PgBoss.getMigrationPlans('pgboss', <old version>)`.
 */
describe('the pgboss schema migration', () => {
  it('holds the construction plan of the installed pg-boss', () => {
    const directory = join(__dirname, '..', '..', 'migrations');
    const file = readdirSync(directory).find((name) => name.endsWith('-JobQueueAndRetention.ts'));
    const source = readFileSync(join(directory, file!), 'utf8');
    const frozen = source.split('const PGBOSS_CONSTRUCTION_PLAN = `')[1]?.split('`;')[0] ?? '';
    const normalise = (sql: string) =>
      sql
        .replace(/BEGIN;|COMMIT;|SET LOCAL [^;]*;/g, '')
        .replace(/\s+/g, ' ')
        .trim();
    expect(normalise(frozen)).toBe(normalise(PgBoss.getConstructionPlans('pgboss')));
  });
});
