import 'reflect-metadata';
import { Presets, SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { hashSecret } from '../auth/password';
import { calendarDate } from '../common/time/clock';
import type { AppConfig } from '../config/config';
import { prepareDatabase } from '../database/database-roles';
import { resolveDatabase, type ResolvedDatabase } from '../database/resolve-database';
import { SEED_CLIENT_SECRET, SEED_PASSWORD } from '../seed/credentials';
import { runSeedChecks } from '../seed/seed-check';
import { ReportRollups } from '../reports/report-rollups';
import { ReportRollupsModule } from '../reports/report-rollups.module';
import { existingData, wipeSeededTables } from '../seed/seed-database';
import { runSeed, SCALES, type SeedProgress, type SeedScale, type SeedSummary } from '../seed/seed';
import { commandSetup, openScriptContext } from './script-context';

/**
 * `npm run seed -- --scale demo|national [--seed N] [--today YYYY-MM-DD] [--force]`: fills the
 * database (DATABASE_URL, else the embedded PostgreSQL) with realistic, consistent data for
 * demonstrations and the benchmark — straight into the schema, not through HTTP. Refuses a database
 * that holds data unless `--force` (which empties the seeded tables first). Every seeded user signs in
 * with SEED_PASSWORD, every seeded API client with SEED_CLIENT_SECRET (src/seed/credentials.ts).
 */

interface Arguments {
  scale: SeedScale;
  seed: number;
  today: string | undefined;
  force: boolean;
  check: boolean;
}

function parseArguments(argv: readonly string[]): Arguments | string {
  const parsed: Arguments = { scale: 'demo', seed: 1, today: undefined, force: false, check: true };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const value = () => argv[++index] ?? '';
    switch (argument) {
      case '--scale': {
        const scale = value();
        if (!(scale in SCALES)) {
          return `--scale: one of ${Object.keys(SCALES).join(', ')} (got "${scale}")`;
        }
        parsed.scale = scale as SeedScale;
        break;
      }
      case '--seed': {
        const seed = Number(value());
        if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
          return '--seed: a whole number from 0 to 4294967295';
        }
        parsed.seed = seed;
        break;
      }
      case '--today': {
        const today = value();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today))) {
          return '--today: a date YYYY-MM-DD';
        }
        parsed.today = today;
        break;
      }
      case '--force':
        parsed.force = true;
        break;
      case '--no-check':
        parsed.check = false;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        return `unknown argument "${argument}"`;
    }
  }
  return parsed;
}

const USAGE = `Usage: npm run seed -- [--scale demo|national] [--seed N] [--today YYYY-MM-DD] [--force] [--no-check]

  --scale    demo (default): 2 networks, 6 offices, 400 clients, and credentials for each role;
             national: 23 networks, ~270 offices, 250,000 clients, ~1M consultations, ~150,000
             recognition cases, ~60,000 enrolments (a few minutes).
  --seed     the same number writes the same data (default 1).
  --today    the date the data ends on (default: today in TIME_ZONE).
  --force    empty the seeded tables of a database that already holds data first.
  --no-check skip the invariant checks afterwards (npm run seed:check runs them alone).`;

/** A cli-progress bar per phase on stderr; one line per phase when stderr is not a terminal (CI, logs). */
function progressBars(): SeedProgress {
  if (!process.stderr.isTTY) {
    let started = 0;
    let current = '';
    return {
      phase(name, total) {
        current = name;
        started = performance.now();
        console.error(`${name}: ${total.toLocaleString('en-US')} steps …`);
      },
      tick: () => undefined,
      done() {
        if (current) {
          console.error(`${current}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        }
        current = '';
      },
    };
  }
  let bar: SingleBar | undefined;
  return {
    phase(name, total) {
      bar?.stop();
      bar = new SingleBar(
        {
          format: `${name.padEnd(36)} [{bar}] {percentage}% | {value}/{total} | {duration}s`,
          hideCursor: true,
          stream: process.stderr,
        },
        Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    tick(count = 1) {
      bar?.increment(count);
    },
    done() {
      if (bar) {
        bar.update(bar.getTotal());
        bar.stop();
      }
      bar = undefined;
    },
  };
}

/**
 * The post-seed step: the reports read rollup tables, rebuilt here exactly as `npm run
 * reports:refresh` and the scheduled job rebuild them, so that reports show the seeded data at once.
 */
async function refreshReportRollups(config: AppConfig, url: string): Promise<string> {
  const context = await openScriptContext(config, url, [ReportRollupsModule]);
  try {
    const state = await context.get(ReportRollups).refresh();
    return state
      ? `Report rollups rebuilt: ${state.rowCount.toLocaleString('en-US')} rows in ${(state.durationMs / 1000).toFixed(1)} s.`
      : 'Report rollups: another process is rebuilding them right now.';
  } finally {
    await context.close();
  }
}

function printSummary(summary: SeedSummary, rollups: string, totalSeconds: number): void {
  console.log('\nSeeded rows:');
  for (const [table, count] of Object.entries(summary.counts)) {
    console.log(`  ${table.padEnd(28)} ${count.toLocaleString('en-US').padStart(12)}`);
  }
  console.log('\nSeconds per phase:');
  for (const [phase, seconds] of Object.entries(summary.seconds)) {
    console.log(`  ${phase.padEnd(28)} ${seconds.toFixed(1).padStart(8)}`);
  }
  console.log(`  ${'total'.padEnd(28)} ${totalSeconds.toFixed(1).padStart(8)}`);
  console.log(`\n${rollups}`);
}

function printCredentials(summary: SeedSummary): void {
  const { credentials } = summary;
  console.log(`
Sign in (POST /api/v1/auth/token) with the password "${SEED_PASSWORD}":
  administrator  ${credentials.admin}
  coordinator    ${credentials.coordinator}
  adviser        ${credentials.adviser}   (office ${credentials.adviserOfficeId})
Partner API client (grant_type=client_credentials), a ${credentials.partnerName}:
  client_id      ${credentials.partnerClientId}
  client_secret  ${SEED_CLIENT_SECRET}
Seeded credentials are public: never seed a database that real people use.`);
}

async function main(): Promise<number> {
  const parsed = parseArguments(process.argv.slice(2));
  if (typeof parsed === 'string') {
    console.error(parsed === 'help' ? USAGE : `${parsed}\n\n${USAGE}`);
    return parsed === 'help' ? 0 : 2;
  }
  const setup = commandSetup();
  if (!setup) {
    return 1;
  }
  const { config, log } = setup;
  const started = performance.now();
  let database: ResolvedDatabase | undefined;
  let client: Client | undefined;
  try {
    database = await resolveDatabase(config.database, log);
    // Migrations and the runtime role, exactly as at start-up; the seed writes as the owner.
    const prepared = await prepareDatabase({ ...config.database, url: database.url }, log);
    client = new Client({ connectionString: prepared.ownerUrl, statement_timeout: 0 });
    await client.connect();
    const existing = await existingData(client);
    if (Object.keys(existing).length > 0) {
      const what = Object.entries(existing)
        .map(([table, count]) => `${count} ${table}`)
        .join(', ');
      if (!parsed.force) {
        console.error(
          `The database already holds data (${what}). Nothing was written.\n` +
            'Run with --force to empty the seeded tables first — never on a database real people use.',
        );
        return 1;
      }
      log.warn(`--force: emptying the seeded tables (${what})`);
      await wipeSeededTables(client);
    }
    const now = new Date();
    const [passwordHash, clientSecretHash] = await Promise.all([
      hashSecret(SEED_PASSWORD),
      hashSecret(SEED_CLIENT_SECRET),
    ]);
    const today = parsed.today ?? calendarDate(now, config.timeZone);
    log.info(`Seeding scale ${parsed.scale} with seed ${parsed.seed}, today ${today}`);
    const summary = await runSeed(client, {
      scale: parsed.scale,
      seed: parsed.seed,
      today,
      now:
        parsed.today && parsed.today < calendarDate(now, config.timeZone)
          ? new Date(`${parsed.today}T20:00:00Z`)
          : now,
      passwordHash,
      clientSecretHash,
      rules: config.recognition,
      earliestConsultation: config.consultationEarliestDate,
      progress: progressBars(),
    });
    const rollupsStarted = performance.now();
    const rollups = `${await refreshReportRollups(config, database.url)} (${((performance.now() - rollupsStarted) / 1000).toFixed(1)} s with start-up)`;
    printSummary(summary, rollups, (performance.now() - started) / 1000);
    if (parsed.check) {
      const checkStarted = performance.now();
      const failures = await runSeedChecks(client, {
        rules: config.recognition,
        today,
        earliestConsultation: config.consultationEarliestDate,
      });
      if (failures.length > 0) {
        console.error(
          `\nInvariant checks FAILED:\n${failures.map((failure) => `  - ${failure}`).join('\n')}`,
        );
        return 1;
      }
      console.log(`\nInvariant checks passed (${((performance.now() - checkStarted) / 1000).toFixed(1)} s).`);
    }
    if (parsed.scale !== 'national') {
      printCredentials(summary);
    }
    return 0;
  } catch (error) {
    console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await client?.end().catch(() => undefined);
    await database
      ?.stop()
      .catch((error: unknown) => console.error(`Could not stop PostgreSQL: ${String(error)}`));
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
