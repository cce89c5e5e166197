import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, MigrationExecutor, type QueryRunner } from 'typeorm';
import type { AppConfig } from '../config/config';
import { dataSourceOptions } from './data-source-options';
import {
  DEFAULT_TABLE_PRIVILEGES,
  RUNTIME_TABLE_PRIVILEGES,
  runtimePrivilegesFor,
  JOB_QUEUE_SCHEMA,
  jobQueueGrants,
} from './runtime-privileges';

/**
 * The API runs as a role that owns nothing and may only run the statements its repositories run
 * (runtime-privileges.ts); migrations and grants run as the owner of the schema. Then no SQL path of
 * the API can alter a table, disable the append-only trigger of `audit_events` or erase events.
 *
 * - MIGRATION_DATABASE_URL set: it is the owner, DATABASE_URL the runtime role ("separate").
 * - Unset, and DATABASE_URL's role may create roles (a superuser, as the embedded server's and a
 *   developer's or CI's `postgres`): the API creates the runtime role `anker_app` itself, grants it
 *   its privileges and connects as it ("derived").
 * - Unset otherwise: the API runs as DATABASE_URL's role for both ("shared"). If that role owns the
 *   tables, start-up warns: the audit log is then only as safe as every SQL statement of the API.
 */

/** Any constant works; it only has to be the same for every replica of this application. */
const MIGRATION_LOCK_KEY = 0x616e6b6572;
export const DERIVED_RUNTIME_ROLE = 'anker_app';
const SCHEMA = 'public';

export type RuntimeRoleMode = 'separate' | 'derived' | 'shared';

export interface PreparedDatabase {
  /** The URL the API's one pool connects with. */
  runtimeUrl: string;
  /** The owner's: MIGRATION_DATABASE_URL, else DATABASE_URL. */
  ownerUrl: string;
  runtimeRole: string;
  mode: RuntimeRoleMode;
}

export interface DatabaseLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Applies pending migrations as the owner, then makes sure the runtime role exists and holds exactly
 * its privileges (also on tables new migrations created). Runs on one owner connection under an
 * advisory lock, so replicas starting together do it once each, one after the other.
 */
export async function prepareDatabase(
  database: AppConfig['database'],
  log: DatabaseLog,
): Promise<PreparedDatabase> {
  if (!database.url) {
    throw new Error('prepareDatabase needs a resolved database URL (see bootstrap).');
  }
  const ownerUrl = database.migrationUrl ?? database.url;
  const owner = new DataSource(dataSourceOptions(ownerUrl, { ...database, poolMax: 1 }));
  await initializeWithRetry(owner, log);
  const runner = owner.createQueryRunner();
  try {
    await runner.connect();
    // Neither migrations nor waiting for another replica's lock are bound by the request timeout.
    await runner.query('SET statement_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(owner, runner, log);
      return { ...(await provideRuntimeRole(database, ownerUrl, runner, log)), ownerUrl };
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await runner.release();
    await owner.destroy();
  }
}

async function initializeWithRetry(dataSource: DataSource, log: DatabaseLog): Promise<void> {
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    try {
      await dataSource.initialize();
      return;
    } catch (error) {
      if (attempt === attempts || !isConnectionError(error)) {
        throw error;
      }
      log.warn(`Database not reachable (attempt ${attempt} of ${attempts}); retrying in 1 s`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', '57P03'].includes(code);
}

async function migrate(dataSource: DataSource, runner: QueryRunner, log: DatabaseLog): Promise<void> {
  const executor = new MigrationExecutor(dataSource, runner);
  executor.transaction = 'each';
  try {
    for (const migration of await executor.executePendingMigrations()) {
      log.info(`Applied migration ${migration.name}`);
    }
  } catch (error) {
    if ((error as { code?: string }).code === '42501') {
      throw new Error(
        'A migration is pending and the database role may not change the schema: set ' +
          'MIGRATION_DATABASE_URL to the role that owns the tables (README, "Database roles").',
        { cause: error },
      );
    }
    throw error;
  }
}

interface RoleInfo {
  name: string;
  superuser: boolean;
  createRole: boolean;
}

async function currentRole(query: (sql: string) => Promise<unknown>): Promise<RoleInfo> {
  const [row] = (await query(
    `SELECT current_user AS name, rolsuper AS superuser, rolcreaterole AS "createRole"
       FROM pg_roles WHERE rolname = current_user`,
  )) as RoleInfo[];
  return row;
}

async function provideRuntimeRole(
  database: AppConfig['database'],
  ownerUrl: string,
  runner: QueryRunner,
  log: DatabaseLog,
): Promise<Omit<PreparedDatabase, 'ownerUrl'>> {
  const owner = await currentRole((sql) => runner.query(sql));
  const runtimeUrl = database.url as string;
  if (database.migrationUrl) {
    const runtime = await withClient(runtimeUrl, (client) =>
      currentRole(async (sql) => (await client.query(sql)).rows as unknown),
    );
    if (runtime.name === owner.name) {
      await warnIfPrivileged(runner, runtime.name, log);
      return { runtimeUrl, runtimeRole: runtime.name, mode: 'shared' };
    }
    await grantRuntimePrivileges(runner, runtime.name, log);
    await warnIfPrivileged(runner, runtime.name, log);
    return { runtimeUrl, runtimeRole: runtime.name, mode: 'separate' };
  }
  if (owner.superuser || owner.createRole) {
    const derivedUrl = await ensureDerivedRole(runner, ownerUrl, log);
    return { runtimeUrl: derivedUrl, runtimeRole: DERIVED_RUNTIME_ROLE, mode: 'derived' };
  }
  await warnIfPrivileged(runner, owner.name, log);
  return { runtimeUrl, runtimeRole: owner.name, mode: 'shared' };
}

/**
 * The password of `anker_app` is derived from the owner's, so every replica (and every process on
 * the same server, such as parallel test workers) computes the same one and nobody has to store it.
 * An owner URL without a password (trust authentication) gives a role without one.
 */
function derivedPassword(ownerUrl: string): string | undefined {
  const secret = decodeURIComponent(new URL(ownerUrl).password);
  return secret
    ? createHmac('sha256', secret).update(`anker runtime role ${DERIVED_RUNTIME_ROLE}`).digest('base64url')
    : undefined;
}

async function ensureDerivedRole(runner: QueryRunner, ownerUrl: string, log: DatabaseLog): Promise<string> {
  const password = derivedPassword(ownerUrl);
  const url = new URL(ownerUrl);
  url.username = DERIVED_RUNTIME_ROLE;
  url.password = password ?? '';
  const runtimeUrl = url.toString();
  const role = quoteIdentifier(DERIVED_RUNTIME_ROLE);
  // A SCRAM verifier rather than the password itself: statement logs never see the password.
  const passwordClause = password === undefined ? 'PASSWORD NULL' : `PASSWORD '${scramVerifier(password)}'`;
  const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';

  // Roles belong to the server, not the database: other processes (replicas, test workers on other
  // databases of the same server) may create or alter it at the same moment; such races are retried.
  for (let attempt = 1; ; attempt++) {
    try {
      const [existing] = (await runner.query(
        `SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls OR NOT rolcanlogin AS "needsAlter",
                ARRAY(SELECT b.rolname::text FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid
                       WHERE m.member = r.oid) AS "memberOf"
           FROM pg_roles r WHERE rolname = $1`,
        [DERIVED_RUNTIME_ROLE],
      )) as { needsAlter: boolean; memberOf: string[] }[];
      if (!existing) {
        await runner.query(`CREATE ROLE ${role} ${attributes} ${passwordClause}`);
        log.info(`Created the database role ${DERIVED_RUNTIME_ROLE} that the API runs as`);
      } else {
        if (existing.memberOf.length > 0) {
          throw new Error(
            `The database role ${DERIVED_RUNTIME_ROLE} is a member of ${existing.memberOf.join(', ')} and would ` +
              'inherit their privileges; revoke that membership.',
          );
        }
        if (existing.needsAlter) {
          await runner.query(`ALTER ROLE ${role} ${attributes}`);
        }
      }
      await grantRuntimePrivileges(runner, DERIVED_RUNTIME_ROLE, log);
      if (!(await canSignIn(runtimeUrl))) {
        // Created earlier with another owner password (or by someone else): set ours.
        await runner.query(`ALTER ROLE ${role} ${passwordClause}`);
        if (!(await canSignIn(runtimeUrl))) {
          throw new Error(
            `Cannot sign in as the database role ${DERIVED_RUNTIME_ROLE} that the API runs as. Without a ` +
              'password in DATABASE_URL the server must trust it (pg_hba.conf); otherwise set DATABASE_URL ' +
              'and MIGRATION_DATABASE_URL to two roles (README, "Database roles").',
          );
        }
      }
      return runtimeUrl;
    } catch (error) {
      if (attempt >= 3 || !isConcurrentRoleChange(error)) {
        throw error;
      }
    }
  }
}

/** What PostgreSQL stores for a password with password_encryption = scram-sha-256 (RFC 5802, 7677). */
function scramVerifier(password: string): string {
  const iterations = 4096;
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const storedKey = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest());
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.digest('base64')}:${serverKey.toString('base64')}`;
}

function isConcurrentRoleChange(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? '';
  // 42710 duplicate_object, 23505 unique_violation (both: created at the same moment),
  // XX000 "tuple concurrently updated" (altered at the same moment).
  return code === '42710' || code === '23505' || (code === 'XX000' && /concurrently/.test(message));
}

async function canSignIn(url: string): Promise<boolean> {
  try {
    await withClient(url, (client) => client.query('SELECT 1'));
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 28P01 wrong password, 28000 no such role / rejected by pg_hba.conf.
    if (code === '28P01' || code === '28000') {
      return false;
    }
    throw error;
  }
}

/**
 * Exactly the privileges of runtime-privileges.ts on every table of the schema, USAGE on its
 * sequences (nextval; setval would need UPDATE), nothing more: earlier grants are revoked first.
 * Default privileges give tables that a later migration creates through the CLI the default set
 * until the next start applies the exact one.
 */
export async function grantRuntimePrivileges(
  runner: QueryRunner,
  roleName: string,
  log: DatabaseLog,
): Promise<void> {
  const role = quoteIdentifier(roleName);
  const schema = quoteIdentifier(SCHEMA);
  const relations = (await runner.query(
    `SELECT c.relname AS name, c.relkind = 'S' AS "isSequence",
            EXISTS (SELECT 1 FROM pg_depend d
                     WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') AS "ofExtension"
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      ORDER BY c.relname`,
    [SCHEMA],
  )) as { name: string; isSequence: boolean; ofExtension: boolean }[];
  const [state] = (await runner.query(
    `SELECT current_database() AS database,
            has_database_privilege($1, current_database(), 'CONNECT') AS "canConnect",
            has_schema_privilege($1, $2, 'USAGE') AS "canUseSchema",
            EXISTS (SELECT 1 FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
                     WHERE n.nspname = $2 AND a.grantee = 0 AND a.privilege_type = 'CREATE') AS "publicMayCreate",
            EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $3) AS "hasJobQueue"`,
    [roleName, SCHEMA, JOB_QUEUE_SCHEMA],
  )) as {
    database: string;
    canConnect: boolean;
    canUseSchema: boolean;
    publicMayCreate: boolean;
    hasJobQueue: boolean;
  }[];

  // Database- and schema-wide grants only when missing: an owner of the tables need not own the
  // database or the schema, and may not be able to grant there.
  const statements = [
    ...(state.canConnect ? [] : [`GRANT CONNECT ON DATABASE ${quoteIdentifier(state.database)} TO ${role}`]),
    ...(state.canUseSchema ? [] : [`GRANT USAGE ON SCHEMA ${schema} TO ${role}`]),
    // PostgreSQL before 15 lets everyone create tables in public; the API must not.
    ...(state.publicMayCreate ? [`REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC`] : []),
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT ${DEFAULT_TABLE_PRIVILEGES.join(', ')} ON TABLES TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE ON SEQUENCES TO ${role}`,
    ...(state.hasJobQueue ? jobQueueGrants(role) : []),
  ];
  const unlisted: string[] = [];
  for (const relation of relations) {
    const name = `${schema}.${quoteIdentifier(relation.name)}`;
    if (relation.ofExtension) {
      // An extension's relation (pg_stat_statements' views, say) is none of the API's tables: it keeps
      // what the extension grants (to PUBLIC), not the default set the schema gave the role.
      statements.push(`REVOKE ALL ON TABLE ${name} FROM ${role}`);
      continue;
    }
    if (relation.isSequence) {
      statements.push(
        `REVOKE ALL ON SEQUENCE ${name} FROM ${role}`,
        `GRANT USAGE ON SEQUENCE ${name} TO ${role}`,
      );
      continue;
    }
    if (!Object.hasOwn(RUNTIME_TABLE_PRIVILEGES, relation.name)) {
      unlisted.push(relation.name);
    }
    statements.push(
      `REVOKE ALL ON TABLE ${name} FROM ${role}`,
      `GRANT ${runtimePrivilegesFor(relation.name).join(', ')} ON TABLE ${name} TO ${role}`,
    );
  }
  await runner.startTransaction();
  try {
    await runner.query(statements.join(';\n'));
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw new Error(
      `Could not grant the database role ${roleName} its privileges (${(error as Error).message}). ` +
        'MIGRATION_DATABASE_URL (else DATABASE_URL) must be the role that owns the tables.',
      { cause: error },
    );
  }
  if (unlisted.length > 0) {
    log.warn(
      `Tables missing from RUNTIME_TABLE_PRIVILEGES (src/database/runtime-privileges.ts) get ` +
        `${DEFAULT_TABLE_PRIVILEGES.join(', ')}: ${unlisted.join(', ')}`,
    );
  }
}

/** A runtime role that is superuser, owns tables or may create roles could erase the audit log. */
async function warnIfPrivileged(runner: QueryRunner, roleName: string, log: DatabaseLog): Promise<void> {
  const [row] = (await runner.query(
    `SELECT r.rolsuper AS superuser,
            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = $2 AND pg_has_role(r.oid, c.relowner, 'USAGE')) AS "ownsTables"
       FROM pg_roles r WHERE r.rolname = $1`,
    [roleName, SCHEMA],
  )) as { superuser: boolean; ownsTables: boolean }[];
  if (row?.superuser || row?.ownsTables) {
    log.warn(
      `The API runs as the database role ${roleName}, which ${row.superuser ? 'is a superuser' : 'owns the tables'}: ` +
        'it could alter or erase the audit log. Set MIGRATION_DATABASE_URL to the owner and DATABASE_URL to a ' +
        'role with only the runtime privileges (README, "Database roles").',
    );
  }
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  // A server closing the session after a failed sign-in must not become an unhandled error event.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
