import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Figure, VerifyCheck } from './check';
import { RunContext } from './support/run-context';
import { stopSuiteApp } from './support/suite-app';

/**
 * `npm run verify`: builds the app, then runs every check in verify/checks/ (in name order) against
 * real processes on a real PostgreSQL, and prints one table of every figure. Exit code 1 when any
 * figure misses its target (or a check fails to run), 0 otherwise.
 *
 *   VERIFY_SEED=1234 npm run verify          reproduce a run (the seed is printed at the start)
 *   VERIFY_ONLY=fuzz,security npm run verify run only the checks whose name contains one of these
 *   VERIFY_SKIP_BUILD=1 npm run verify       reuse dist/ (after `npm run build`)
 */

const ROOT = resolve(__dirname, '..');

function parseSeed(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') {
    return randomInt(1, 2 ** 31 - 1);
  }
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`VERIFY_SEED must be a whole number (got "${raw}")`);
  }
  return seed;
}

function loadChecks(only: string[]): VerifyCheck[] {
  const directory = join(__dirname, 'checks');
  const checks = readdirSync(directory)
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts') && !/\.spec\.(ts|js)$/.test(file))
    .map((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(join(directory, file)) as { default?: VerifyCheck };
      if (!loaded.default || typeof loaded.default.run !== 'function') {
        throw new Error(`verify/checks/${file} has no default export of a VerifyCheck`);
      }
      return loaded.default;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return only.length === 0
    ? checks
    : checks.filter((check) => only.some((part) => check.name.includes(part)));
}

function formatDuration(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${((ms % 60_000) / 1000).toFixed(0)} s`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [
    line(rows[0]),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

async function main(): Promise<number> {
  const started = Date.now();
  const seed = parseSeed(process.env.VERIFY_SEED);
  const only = (process.env.VERIFY_ONLY ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  process.stderr.write(`Verification suite — seed ${seed} (repeat this run with VERIFY_SEED=${seed})\n`);
  if (!/^(1|true|yes)$/i.test(process.env.VERIFY_SKIP_BUILD ?? '')) {
    process.stderr.write('Building the app (npm run build)\n');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const context = new RunContext(seed);
  const checks = loadChecks(only);
  const figures: (Figure & { check: string })[] = [];
  const durations: string[][] = [];
  for (const check of checks) {
    const checkStarted = Date.now();
    process.stderr.write(`\n▶ ${check.name}\n`);
    try {
      for (const figure of await check.run(context)) {
        figures.push({ ...figure, check: check.name });
        if (!figure.ok) {
          process.stderr.write(`  ✗ ${figure.figure}: ${figure.measured} (target ${figure.target})\n`);
        }
      }
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`  ✗ the check failed to run: ${message}\n`);
      figures.push({
        check: check.name,
        figure: `${check.name}: check ran to the end`,
        target: 'yes',
        measured: `no: ${(error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 120)}`,
        ok: false,
      });
    }
    durations.push([check.name, formatDuration(Date.now() - checkStarted)]);
    process.stderr.write(`  ${check.name} took ${formatDuration(Date.now() - checkStarted)}\n`);
  }
  await stopSuiteApp().catch((error: unknown) =>
    process.stderr.write(`  stopping the app failed: ${String(error)}\n`),
  );
  const logFile = join(tmpdir(), `anker-verify-${seed}.log`);
  writeFileSync(
    logFile,
    [...context.capturedLogs()].map(([source, text]) => `===== ${source}\n${text}`).join('\n'),
    { mode: 0o600 },
  );

  const misses = figures.filter((figure) => !figure.ok);
  const rows = [
    ['check', 'figure', 'target', 'measured', 'ok'],
    ...figures.map((figure) => [
      figure.check,
      figure.figure,
      figure.target,
      figure.measured,
      figure.ok ? 'ok' : 'MISS',
    ]),
  ];
  process.stdout.write(`\n${table(rows)}\n\n`);
  process.stdout.write(`${table([['check', 'time'], ...durations])}\n\n`);
  process.stdout.write(`The processes' logs of this run: ${logFile}\n`);
  process.stdout.write(
    `${figures.length} figures, ${misses.length} missed; seed ${seed}; total ${formatDuration(Date.now() - started)}\n`,
  );
  if (checks.length === 0) {
    process.stdout.write('No check ran (VERIFY_ONLY matched nothing).\n');
    return 1;
  }
  return misses.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
