import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { loadConfig } from '../src/config/config';
import { runSeedChecks } from '../src/seed/seed-check';
import { existingData, wipeSeededTables } from '../src/seed/seed-database';
import { databaseUrl, TEST_ENV, uniqueDatabaseName, withAdminClient } from './support/test-database';

/**
 * `npm run seed` at its tiny scale (the command itself, as a child process), into databases cloned
 * from the migrated template: it writes every kind of row, the invariant checks hold on what it wrote
 * (and fail when one is broken), it leaves the schema's indexes and constraints as the migrations made
 * them, the same seed writes the same data, and it refuses a database that holds data.
 */

const execFileAsync = promisify(execFile);

const adminUrl = process.env[TEST_ENV.adminUrl]!;
const template = process.env[TEST_ENV.templateDatabase]!;
const config = loadConfig({});
const TODAY = '2026-06-30';
const created: string[] = [];
const urls = new Map<Client, string>();

async function freshDatabase(): Promise<Client> {
  const name = uniqueDatabaseName('seed');
  await withAdminClient(adminUrl, (admin) =>
    admin.query(
      `CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(template)}`,
    ),
  );
  created.push(name);
  const client = new Client({ connectionString: databaseUrl(adminUrl, name) });
  await client.connect();
  urls.set(client, databaseUrl(adminUrl, name));
  return client;
}

/** Runs the seed command against the database of `client`; answers its exit code and output. */
async function seed(
  client: Client,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        'src/scripts/seed.ts',
        '--scale',
        'tiny',
        '--today',
        TODAY,
        '--no-check',
        ...args,
      ],
      {
        cwd: resolve(__dirname, '..'),
        env: {
          ...process.env,
          DATABASE_URL: urls.get(client),
          MIGRATION_DATABASE_URL: '',
          LOG_LEVEL: 'warn',
        },
        maxBuffer: 10_000_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The row counts the command printed in its summary. */
function printedCounts(stdout: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of stdout.matchAll(/^ {2}([a-z_]+) +([\d,]+)$/gm)) {
    counts[match[1]] = Number(match[2].replace(/,/g, ''));
  }
  return counts;
}

const checkOptions = {
  rules: config.recognition,
  today: TODAY,
  earliestConsultation: config.consultationEarliestDate,
};

/** md5 over a few tables' rows in id order. */
async function checksum(client: Client): Promise<string> {
  const { rows } = await client.query<{ sum: string }>(
    `SELECT md5(
       (SELECT string_agg(t::text, ',' ORDER BY id) FROM clients t) ||
       (SELECT string_agg(t::text, ',' ORDER BY id) FROM consultations t) ||
       (SELECT string_agg(t::text, ',' ORDER BY id) FROM recognition_cases t) ||
       (SELECT string_agg(t::text, ',' ORDER BY id) FROM enrolments t) ||
       (SELECT string_agg(t::text, ',' ORDER BY id) FROM audit_events t)) AS sum`,
  );
  return rows[0].sum;
}

async function schemaShape(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ item: string }>(
    `SELECT indexdef AS item FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL
     SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace
     ORDER BY 1`,
  );
  return rows.map((row) => row.item);
}

describe('seed (tiny scale)', () => {
  let first: Client;
  let counts: Record<string, number>;

  beforeAll(async () => {
    first = await freshDatabase();
    const run = await seed(first, '--seed', '7');
    expect(run).toMatchObject({ code: 0 });
    counts = printedCounts(run.stdout);
    expect(run.stdout).toContain('client_secret');
  }, 180_000);

  afterAll(async () => {
    await first?.end();
    await withAdminClient(adminUrl, async (admin) => {
      for (const name of created) {
        await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
      }
    });
  });

  it('writes every kind of row, counted as the summary says', async () => {
    for (const table of [
      'networks',
      'offices',
      'users',
      'partners',
      'api_clients',
      'clients',
      'client_qualifications',
      'consents',
      'consultations',
      'recognition_cases',
      'recognition_case_history',
      'qualification_offers',
      'enrolments',
      'enrolment_history',
      'audit_events',
    ]) {
      const { rows } = await first.query<{ count: string }>(`SELECT count(*) FROM ${table}`);
      expect({ table, count: Number(rows[0].count) }).toEqual({ table, count: counts[table] });
      expect(counts[table]).toBeGreaterThan(0);
    }
    const { rows: sharing } = await first.query<{ count: string }>(
      `SELECT count(*) FROM consents WHERE purpose = 'WEITERGABE_PARTNER'`,
    );
    expect(Number(sharing[0].count)).toBeGreaterThan(0);
    const { rows: kinds } = await first.query<{ kind: string }>(
      'SELECT DISTINCT kind FROM consultations ORDER BY 1',
    );
    expect(kinds.map((row) => row.kind)).toEqual(['ERSTBERATUNG', 'FOLGEBERATUNG']);
    expect(await existingData(first)).toMatchObject({ clients: counts.clients });
  });

  it('keeps every invariant the API enforces (the seed:check script)', async () => {
    expect(await runSeedChecks(first, checkOptions)).toEqual([]);
  });

  it('leaves the indexes and constraints exactly as the migrations made them', async () => {
    const pristine = await freshDatabase();
    try {
      expect(await schemaShape(first)).toEqual(await schemaShape(pristine));
    } finally {
      await pristine.end();
    }
  });

  it('the checks fail when an invariant is broken (Erst/Folge, overbooking, deadlines)', async () => {
    await first.query('BEGIN');
    try {
      await first.query(
        `UPDATE consultations SET kind = 'FOLGEBERATUNG'
          WHERE id = (SELECT id FROM consultations WHERE kind = 'ERSTBERATUNG' AND voided_at IS NULL ORDER BY id LIMIT 1)`,
      );
      await first.query(
        `UPDATE recognition_cases SET decision_due_on = decision_due_on + 1
          WHERE id = (SELECT id FROM recognition_cases WHERE decision_due_on IS NOT NULL ORDER BY id LIMIT 1)`,
      );
      await first.query(
        `UPDATE qualification_offers SET seats_taken = seats_taken + 1, capacity = capacity + 1
          WHERE id = (SELECT id FROM qualification_offers ORDER BY id LIMIT 1)`,
      );
      const failures = await runSeedChecks(first, checkOptions);
      expect(failures).toEqual([
        expect.stringContaining('no offer is overbooked'),
        expect.stringContaining('Erst/Folge'),
        expect.stringContaining('deadlines equal the deadline rules: 1 cases differ'),
      ]);
    } finally {
      await first.query('ROLLBACK');
    }
  });

  it('writes the same data for the same seed, other data for another', async () => {
    const again = await freshDatabase();
    const other = await freshDatabase();
    try {
      const [same, different] = await Promise.all([seed(again, '--seed', '7'), seed(other, '--seed', '8')]);
      expect(same).toMatchObject({ code: 0 });
      expect(different).toMatchObject({ code: 0 });
      const expected = await checksum(first);
      expect(await checksum(again)).toBe(expected);
      expect(await checksum(other)).not.toBe(expected);
    } finally {
      await again.end();
      await other.end();
    }
  }, 180_000);

  it('refuses a database that holds data, and writes nothing', async () => {
    const before = await checksum(first);
    const run = await seed(first, '--seed', '9');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('already holds data');
    expect(await checksum(first)).toBe(before);
  }, 60_000);

  it('--force empties the seeded tables; the audit log stays append-only afterwards', async () => {
    const wiped = await freshDatabase();
    try {
      await wiped.query(`INSERT INTO networks (name) VALUES ('Netzwerk')`);
      await wipeSeededTables(wiped);
      expect(await existingData(wiped)).toEqual({});
      await expect(wiped.query('TRUNCATE audit_events')).rejects.toThrow();
    } finally {
      await wiped.end();
    }
  });
});
