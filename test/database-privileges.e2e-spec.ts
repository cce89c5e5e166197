import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DERIVED_RUNTIME_ROLE, prepareDatabase } from '../src/database/database-roles';
import { RUNTIME_TABLE_PRIVILEGES } from '../src/database/runtime-privileges';
import { adminToken } from './support/auth';
import { TEST_ENV, databaseUrl, uniqueDatabaseName, withAdminClient } from './support/test-database';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The API runs as a role that owns nothing and holds only the privileges its repositories need.
 * The test apps connect with a superuser DATABASE_URL and no MIGRATION_DATABASE_URL (as the embedded
 * default and the CI run against an external server do), so the API derives that role itself; the
 * explicit two-URL set-up is checked on its own role below.
 */

const PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

/** Every statement an attacker with the API's connection would use to change or hide the audit trail. */
const TAMPERING = [
  'UPDATE audit_events SET action = $$forged$$',
  'DELETE FROM audit_events',
  'TRUNCATE audit_events',
  'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete',
  'ALTER TABLE audit_events DISABLE TRIGGER ALL',
  'DROP TRIGGER audit_events_no_update_delete ON audit_events',
  'ALTER TABLE audit_events ADD COLUMN forged text',
  'DROP TABLE audit_events',
  `CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
  "SET session_replication_role = 'replica'",
  "SELECT setval('migrations_id_seq', 1)",
  'CREATE TABLE forged (id int)',
  `ALTER ROLE ${DERIVED_RUNTIME_ROLE} SUPERUSER`,
];

async function auditCount(t: TestApp): Promise<number> {
  const { rows } = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM audit_events');
  return rows[0].count;
}

async function refusals(run: (sql: string) => Promise<unknown>): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  for (const statement of TAMPERING) {
    answers[statement] = await run(statement).then(
      () => 'succeeded',
      (error: { code?: string }) => error.code ?? 'no code',
    );
  }
  return answers;
}

/** 42501 insufficient_privilege: "permission denied" and "must be owner" alike. */
const ALL_REFUSED = Object.fromEntries(TAMPERING.map((statement) => [statement, '42501']));

async function tablePrivileges(t: TestApp, role: string): Promise<Record<string, string[]>> {
  const { rows } = await t.db.query<{ name: string; privileges: string[] }>(
    `SELECT c.relname AS name,
            ARRAY(SELECT p FROM unnest($2::text[]) AS p WHERE has_table_privilege($1, c.oid, p)) AS privileges
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`,
    [role, PRIVILEGES],
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.privileges]));
}

/** RUNTIME_TABLE_PRIVILEGES for the tables that exist (entries for other tables are ignored). */
function expectedFor(tables: string[]): Record<string, string[]> {
  return Object.fromEntries(tables.map((table) => [table, [...(RUNTIME_TABLE_PRIVILEGES[table] ?? [])]]));
}

describe('database roles: the API cannot erase its own audit log', () => {
  let t: TestApp;
  let api: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    api = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('connects as a role that is no superuser, owns nothing and belongs to no other role', async () => {
    const [session] = await api.query('SELECT current_user AS "user", session_user AS "session"');
    expect(session).toEqual({ user: DERIVED_RUNTIME_ROLE, session: DERIVED_RUNTIME_ROLE });
    const { rows } = await t.db.query(
      `SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,
              (SELECT count(*)::int FROM pg_auth_members WHERE member = r.oid) AS memberships,
              (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS relations,
              (SELECT count(*)::int FROM pg_namespace WHERE nspowner = r.oid) AS schemas,
              (SELECT count(*)::int FROM pg_proc WHERE proowner = r.oid) AS functions,
              has_database_privilege(r.oid, current_database(), 'CREATE') AS "createSchema",
              has_schema_privilege(r.oid, 'public', 'CREATE') AS "createInPublic"
         FROM pg_roles r WHERE rolname = $1`,
      [DERIVED_RUNTIME_ROLE],
    );
    expect(rows).toEqual([
      {
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        rolreplication: false,
        rolbypassrls: false,
        memberships: 0,
        relations: 0,
        schemas: 0,
        functions: 0,
        createSchema: false,
        createInPublic: false,
      },
    ]);
  });

  it('refuses to update, delete, truncate, alter or disable the triggers of audit_events', async () => {
    const token = await adminToken(t);
    expect((await t.http.get('/api/v1/auth/me').set('authorization', `Bearer ${token}`)).status).toBe(200);
    const before = await auditCount(t);
    expect(before).toBeGreaterThan(0);

    expect(await refusals((sql) => api.query(sql))).toEqual(ALL_REFUSED);
    // Inside one transaction, too (a transaction gains no privileges).
    expect(
      await refusals((sql) =>
        api.transaction(async (manager) => {
          await manager.query(sql);
        }),
      ),
    ).toEqual(ALL_REFUSED);

    expect(await auditCount(t)).toBe(before);
    const { rows } = await t.db.query<{ enabled: string }>(
      `SELECT tgenabled AS enabled FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal`,
    );
    expect(rows.map((row) => row.enabled)).toEqual(['O', 'O']);
  });

  it('holds exactly the privileges of RUNTIME_TABLE_PRIVILEGES, on every table (none left unlisted)', async () => {
    const actual = await tablePrivileges(t, DERIVED_RUNTIME_ROLE);
    expect(Object.keys(actual).filter((table) => !(table in RUNTIME_TABLE_PRIVILEGES))).toEqual([]);
    expect(actual).toEqual(expectedFor(Object.keys(actual)));
    expect(actual.audit_events).toEqual(['SELECT', 'INSERT']);
    const { rows } = await t.db.query(
      `SELECT has_sequence_privilege($1, 'migrations_id_seq', 'USAGE') AS usage,
              has_sequence_privilege($1, 'migrations_id_seq', 'UPDATE') AS update`,
      [DERIVED_RUNTIME_ROLE],
    );
    expect(rows).toEqual([{ usage: true, update: false }]);
  });

  it('serves end to end as that role: sign-in, a write with its audit event, the audit list', async () => {
    const token = await adminToken(t);
    const auth = { authorization: `Bearer ${token}` };
    const name = `Netzwerk ${randomBytes(4).toString('hex')}`;
    const created = await t.http
      .post('/api/v1/networks')
      .set(auth)
      .set('idempotency-key', randomBytes(8).toString('hex'))
      .send({ name, bundeslaender: ['DE-BE'] });
    expect(created.status).toBe(201);
    const events = await t.http.get('/api/v1/audit-events').query({ resourceId: created.body.id }).set(auth);
    expect(events.status).toBe(200);
    expect(events.body.items.map((event: { action: string }) => event.action)).toEqual(['network.create']);
  });

  it('gives a table a later migration creates the default set, and the next start the exact one', async () => {
    const table = `later_${randomBytes(3).toString('hex')}`;
    // As a migration would: created by the owner.
    await t.db.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
    expect((await tablePrivileges(t, DERIVED_RUNTIME_ROLE))[table]).toEqual(['SELECT', 'INSERT', 'UPDATE']);

    const warnings: string[] = [];
    const prepared = await prepareDatabase(
      { ...t.config.database, url: databaseUrl(process.env[TEST_ENV.adminUrl]!, t.databaseName) },
      { info: () => undefined, warn: (message) => warnings.push(message) },
    );
    expect(prepared).toMatchObject({ runtimeRole: DERIVED_RUNTIME_ROLE, mode: 'derived' });
    expect(warnings.join('\n')).toContain(`Tables missing from RUNTIME_TABLE_PRIVILEGES`);
    expect(warnings.join('\n')).toContain(table);
    await t.db.query(`DROP TABLE ${table}`);
  });

  it("leaves an extension's relations (pg_stat_statements, as the benchmark installs it) to the extension", async () => {
    await t.db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    try {
      const warnings: string[] = [];
      await prepareDatabase(
        { ...t.config.database, url: databaseUrl(process.env[TEST_ENV.adminUrl]!, t.databaseName) },
        { info: () => undefined, warn: (message) => warnings.push(message) },
      );
      expect(warnings.join('\n')).not.toContain('pg_stat_statements');
      const { rows } = await t.db.query<{ insert: boolean; select: boolean }>(
        `SELECT has_table_privilege($1, 'pg_stat_statements', 'INSERT') AS insert,
                has_table_privilege($1, 'pg_stat_statements', 'SELECT') AS select`,
        [DERIVED_RUNTIME_ROLE],
      );
      // SELECT is the extension's own grant to PUBLIC; nothing of the API's table set is added.
      expect(rows).toEqual([{ insert: false, select: true }]);
    } finally {
      await t.db.query('DROP EXTENSION pg_stat_statements');
    }
  });

  it('takes back CREATE on schema public from PUBLIC (granted by PostgreSQL before 15)', async () => {
    await t.db.query('GRANT CREATE ON SCHEMA public TO PUBLIC');
    const mayCreate = async () =>
      (
        await t.db.query<{ create: boolean }>(
          `SELECT has_schema_privilege($1, 'public', 'CREATE') AS create`,
          [DERIVED_RUNTIME_ROLE],
        )
      ).rows[0].create;
    expect(await mayCreate()).toBe(true);
    await prepareDatabase(
      { ...t.config.database, url: databaseUrl(process.env[TEST_ENV.adminUrl]!, t.databaseName) },
      { info: () => undefined, warn: () => undefined },
    );
    expect(await mayCreate()).toBe(false);
  });
});

describe('database roles: DATABASE_URL and MIGRATION_DATABASE_URL as two roles', () => {
  let t: TestApp;
  const role = `anker_runtime_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  let adminUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    adminUrl = process.env[TEST_ENV.adminUrl]!;
    await withAdminClient(adminUrl, (client) =>
      client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`),
    );
  });
  afterAll(async () => {
    await t.close();
    await withAdminClient(adminUrl, (client) => client.query(`DROP ROLE IF EXISTS ${role}`));
  });

  function urlFor(user: string, secret: string): string {
    const url = new URL(databaseUrl(adminUrl, t.databaseName));
    url.username = user;
    url.password = secret;
    return url.toString();
  }

  it('grants the runtime role exactly its privileges, and it cannot tamper with audit events', async () => {
    const warnings: string[] = [];
    const prepared = await prepareDatabase(
      {
        ...t.config.database,
        url: urlFor(role, password),
        migrationUrl: databaseUrl(adminUrl, t.databaseName),
      },
      { info: () => undefined, warn: (message) => warnings.push(message) },
    );
    expect(prepared).toEqual({
      runtimeUrl: urlFor(role, password),
      ownerUrl: databaseUrl(adminUrl, t.databaseName),
      runtimeRole: role,
      mode: 'separate',
    });
    expect(warnings).toEqual([]);
    const granted = await tablePrivileges(t, role);
    expect(granted).toEqual(expectedFor(Object.keys(granted)));

    const client = new Client({ connectionString: prepared.runtimeUrl });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO audit_events (actor_kind, action, resource_type, outcome) VALUES ('SYSTEM', 'probe', 'probe', 'SUCCESS')`,
      );
      const answers = await refusals((sql) => client.query(sql.replace(DERIVED_RUNTIME_ROLE, role)));
      expect(answers).toEqual(ALL_REFUSED);
    } finally {
      await client.end();
    }
    expect(await auditCount(t)).toBe(1);
  });

  it('refuses to start when a migration is pending and only a restricted role is given', async () => {
    const empty = uniqueDatabaseName('anker_empty');
    await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${empty}`));
    try {
      const url = new URL(databaseUrl(adminUrl, empty));
      url.username = role;
      url.password = password;
      await expect(
        prepareDatabase(
          { ...t.config.database, url: url.toString(), migrationUrl: undefined },
          { info: () => undefined, warn: () => undefined },
        ),
      ).rejects.toThrow(/may not change the schema: set MIGRATION_DATABASE_URL/);
    } finally {
      await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE ${empty} WITH (FORCE)`));
    }
  });

  it('warns when the runtime role is the owner itself', async () => {
    const warnings: string[] = [];
    const owner = databaseUrl(adminUrl, t.databaseName);
    const prepared = await prepareDatabase(
      { ...t.config.database, url: owner, migrationUrl: owner },
      { info: () => undefined, warn: (message) => warnings.push(message) },
    );
    expect(prepared.mode).toBe('shared');
    expect(warnings.join('\n')).toMatch(/could alter or erase the audit log/);
  });
});
