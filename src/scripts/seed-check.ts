import 'reflect-metadata';
import { Client } from 'pg';
import { calendarDate } from '../common/time/clock';
import { prepareDatabase } from '../database/database-roles';
import { resolveDatabase, type ResolvedDatabase } from '../database/resolve-database';
import { runSeedChecks } from '../seed/seed-check';
import { commandSetup } from './script-context';

/**
 * `npm run seed:check [-- --today YYYY-MM-DD]`: proves on the database (DATABASE_URL, else the
 * embedded PostgreSQL) the invariants the API enforces — no overbooking, Erst/Folge consistent,
 * deadlines equal the deadline rules, scopes consistent, name keys from the normaliser. Exit code 1
 * when one is broken. `--today`: the date the data was seeded for (default: today).
 */
async function main(): Promise<number> {
  const setup = commandSetup();
  if (!setup) {
    return 1;
  }
  const { config, log } = setup;
  const todayIndex = process.argv.indexOf('--today');
  const today =
    todayIndex > 0 ? (process.argv[todayIndex + 1] ?? '') : calendarDate(new Date(), config.timeZone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    console.error('--today: a date YYYY-MM-DD');
    return 2;
  }
  let database: ResolvedDatabase | undefined;
  const started = performance.now();
  try {
    database = await resolveDatabase(config.database, log);
    const prepared = await prepareDatabase({ ...config.database, url: database.url }, log);
    const client = new Client({ connectionString: prepared.ownerUrl, statement_timeout: 0 });
    await client.connect();
    try {
      const failures = await runSeedChecks(client, {
        rules: config.recognition,
        today,
        earliestConsultation: config.consultationEarliestDate,
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (failures.length > 0) {
        console.error(
          `Invariant checks FAILED (${seconds} s):\n${failures.map((failure) => `  - ${failure}`).join('\n')}`,
        );
        return 1;
      }
      console.log(`Invariant checks passed (${seconds} s).`);
      return 0;
    } finally {
      await client.end();
    }
  } catch (error) {
    console.error(`Checking failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await database?.stop().catch(() => undefined);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`Checking failed: ${String(error)}`);
    process.exitCode = 1;
  },
);
