import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { resolveDatabase, type ResolvedDatabase } from '../database/resolve-database';
import { ReportRollups } from '../reports/report-rollups';
import { ReportRollupsModule } from '../reports/report-rollups.module';
import { commandSetup, openScriptContext } from './script-context';

/**
 * `npm run reports:refresh`: rebuilds the report rollups now (after a seed, an import or a restore),
 * instead of waiting for the `reports.refresh` job (REPORTS_REFRESH_CRON). One transaction: reports
 * keep answering from the previous rollups until it commits. In the container image:
 * `node dist/src/scripts/refresh-reports.js`. Exit codes: 0 done, 1 failed.
 */
async function main(): Promise<number> {
  const setup = commandSetup();
  if (!setup) {
    return 1;
  }
  const { config, log } = setup;
  let database: ResolvedDatabase | undefined;
  let context: INestApplicationContext | undefined;
  try {
    database = await resolveDatabase(config.database, log);
    context = await openScriptContext(config, database.url, [ReportRollupsModule]);
    const started = Date.now();
    const state = await context.get(ReportRollups).refresh((table, rows) => {
      log.info(`${table}: ${rows} rows (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    });
    console.log(
      state
        ? `Report rollups rebuilt: ${state.rowCount} rows in ${(state.durationMs / 1000).toFixed(1)} s; data as of ${state.refreshedAt}.`
        : 'Another process is rebuilding the report rollups right now.',
    );
    return 0;
  } catch (error) {
    console.error(
      `Could not rebuild the report rollups (the previous ones stay): ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    await context?.close().catch(() => undefined);
    await database
      ?.stop()
      .catch((error: unknown) => console.error(`Could not stop PostgreSQL: ${String(error)}`));
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(
        `Could not rebuild the report rollups: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exitCode = 1;
    },
  );
}
