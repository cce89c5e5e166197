import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { SingleBar } from 'cli-progress';
import { readFile } from 'node:fs/promises';
import { resolveDatabase, type ResolvedDatabase } from '../database/resolve-database';
import {
  ImportFileError,
  MAX_FILE_BYTES,
  parseOccupationFile,
  type ParsedOccupationFile,
} from '../reference-data/occupation-import';
import { formatSummary, OccupationImporter } from '../reference-data/occupation-importer';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { commandSetup, openScriptContext } from './script-context';

/**
 * `npm run occupations:import -- <file> [--dry-run]`: loads the Federal Employment Agency's KldB 2010
 * list (CSV or tab-separated text; see `occupation-import.ts` for what is accepted) into the reference
 * occupations. New codes are added (not regulated, source BA_IMPORT); titles of an earlier import are
 * updated; curated rows keep their titles and `regulated` flags. Everything is written in one transaction,
 * or nothing. In the container image: `node dist/src/scripts/import-occupations.js <file>`.
 * Exit codes: 0 done, 1 refused (bad arguments, unreadable or unsuitable file, database error), 2 usage.
 */

const USAGE = `Usage: npm run occupations:import -- <file> [--dry-run]

  <file>      the KldB 2010 list of the Federal Employment Agency as CSV or tab-separated text
              (UTF-8 or Windows-1252; delimiter, header row and columns are detected)
  --dry-run   read the file and compare it with the database, but change nothing
`;

/** A refusal with a message for the operator. */
class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

interface Arguments {
  file: string;
  dryRun: boolean;
}

function parseArguments(args: string[]): Arguments | 'help' {
  let file: string | undefined;
  let dryRun = false;
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') {
      return 'help';
    } else if (arg === '--dry-run') {
      dryRun = true;
    } else if (arg.startsWith('-')) {
      throw new CommandError(`Unknown option ${arg}.\n\n${USAGE}`, 2);
    } else if (file !== undefined) {
      throw new CommandError(`Give one file only.\n\n${USAGE}`, 2);
    } else {
      file = arg;
    }
  }
  if (file === undefined) {
    throw new CommandError(`No file given.\n\n${USAGE}`, 2);
  }
  return { file, dryRun };
}

async function readOccupationFile(path: string): Promise<ParsedOccupationFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CommandError(
      code === 'ENOENT'
        ? `${path}: no such file.`
        : code === 'EISDIR'
          ? `${path} is a directory, not a file.`
          : `${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (bytes.length > MAX_FILE_BYTES) {
    throw new CommandError(`${path} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB: not a KldB list.`);
  }
  try {
    return parseOccupationFile(bytes);
  } catch (error) {
    if (error instanceof ImportFileError) {
      throw new CommandError(`${path}: ${error.message} Nothing was imported.`);
    }
    throw error;
  }
}

function describeFile(file: ParsedOccupationFile): string {
  const delimiter = { '\t': 'tab', ';': 'semicolon', ',': 'comma' }[file.delimiter];
  return (
    `Read as ${file.encoding}, fields separated by ${delimiter}; codes in column ${file.codeColumn + 1}, ` +
    `titles in column ${file.titleColumn + 1}.`
  );
}

async function main(argv: string[]): Promise<number> {
  let args: Arguments | 'help';
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (error instanceof CommandError) {
      console.error(error.message);
      return error.exitCode;
    }
    throw error;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }

  const setup = commandSetup();
  if (!setup) {
    return 1;
  }
  const { config, log } = setup;

  let database: ResolvedDatabase | undefined;
  let context: INestApplicationContext | undefined;
  let bar: SingleBar | undefined;
  try {
    // The file is read completely before the database is touched: a bad file changes nothing.
    const file = await readOccupationFile(args.file);
    console.log(describeFile(file));
    database = await resolveDatabase(config.database, log);
    // Applies pending migrations with the same advisory-locked runner as at start-up.
    context = await openScriptContext(config, database.url, [ReferenceDataModule]);
    if (process.stdout.isTTY) {
      bar = new SingleBar({
        stream: process.stdout,
        format: '{bar} {percentage}% | {value}/{total} occupations',
        hideCursor: true,
        clearOnComplete: true,
      });
      bar.start(file.occupations.length, 0);
    }
    const summary = await context.get(OccupationImporter).import(file, {
      dryRun: args.dryRun,
      onProgress: (done) => bar?.update(done),
    });
    bar?.stop();
    bar = undefined;
    console.log(formatSummary(summary));
    return 0;
  } catch (error) {
    bar?.stop();
    if (error instanceof CommandError) {
      console.error(error.message);
      return error.exitCode;
    }
    console.error(
      `Could not import the occupations (nothing was changed): ${error instanceof Error ? error.message : String(error)}`,
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
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(
        `Could not import the occupations: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exitCode = 1;
    },
  );
}
