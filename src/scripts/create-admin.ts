import 'reflect-metadata';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplicationContext } from '@nestjs/common';
import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { MIN_PASSWORD_LENGTH, hashSecret } from '../auth/password';
import { Db } from '../common/database/db';
import type { RowOf } from '../common/database/table';
import { SqlParameters } from '../common/sql';
import { resolveDatabase, type ResolvedDatabase } from '../database/resolve-database';
import { UserEntity } from '../organisation/user.entity';
import { commandSetup, openScriptContext } from './script-context';

/**
 * `npm run admin:create`: creates an administrator account from prompts (e-mail, display name,
 * password twice, not echoed). Works on a terminal and with input piped in, one answer per line.
 * Uses DATABASE_URL or the embedded PostgreSQL in EMBEDDED_PG_DIR (sharing one `npm start` runs),
 * applies pending migrations first, and never prints the password.
 */

const MAX_PASSWORD_LENGTH = 1024;
const MAX_DISPLAY_NAME_LENGTH = 200;
const MAX_EMAIL_LENGTH = 254;

/** A refusal with a message for the operator; exit code 1 (130 when cancelled). */
class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Reads one answer per line from stdin; hides what is typed for secret questions. */
class Prompter {
  private muted = false;
  private cancelled = false;
  private readonly terminal: boolean;
  private readonly readline: Interface;
  private readonly lines: AsyncIterator<string>;

  constructor(
    input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
  ) {
    this.terminal = Boolean(input.isTTY);
    // Readline echoes what is typed through its output; while a secret is typed, the echo is swallowed.
    const echo = new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        if (!this.muted) {
          output.write(chunk);
        }
        done();
      },
    });
    this.readline = createInterface({ input, output: echo, terminal: this.terminal, historySize: 0 });
    this.readline.on('SIGINT', () => this.cancel());
    // Created at once, so that lines piped in before the first question are buffered, not lost.
    this.lines = this.readline[Symbol.asyncIterator]();
  }

  async ask(question: string, options: { secret?: boolean } = {}): Promise<string> {
    if (this.cancelled) {
      throw new CommandError('Cancelled.', 130);
    }
    this.readline.setPrompt(question);
    this.readline.prompt();
    this.muted = options.secret === true;
    try {
      const next = await this.lines.next();
      if (next.done) {
        if (this.terminal && !this.muted) {
          this.output.write('\n');
        }
        throw this.cancelled
          ? new CommandError('Cancelled.', 130)
          : new CommandError('The input ended before every question was answered.');
      }
      return next.value;
    } finally {
      // The Enter of a hidden answer was not echoed; piped answers are never echoed.
      if (this.muted || !this.terminal) {
        this.output.write('\n');
      }
      this.muted = false;
    }
  }

  cancel(): void {
    this.cancelled = true;
    this.readline.close();
  }

  close(): void {
    this.readline.close();
  }
}

interface NewAdministrator {
  email: string;
  displayName: string;
  password: string;
}

async function askForAdministrator(prompter: Prompter, db: Db): Promise<NewAdministrator> {
  const email = (await prompter.ask('E-mail: ')).trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !z.email().safeParse(email).success) {
    throw new CommandError('E-mail: this is not an e-mail address (like name@example.org).');
  }
  if (await emailTaken(db, email)) {
    throw new CommandError(`E-mail: an account with ${email} already exists. Nothing was created.`);
  }
  const displayName = (await prompter.ask('Display name: ')).trim();
  if (displayName.length === 0 || displayName.length > MAX_DISPLAY_NAME_LENGTH) {
    throw new CommandError(`Display name: must be 1 to ${MAX_DISPLAY_NAME_LENGTH} characters.`);
  }
  const password = await prompter.ask(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `, {
    secret: true,
  });
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    throw new CommandError(
      `Password: must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters. Nothing was created.`,
    );
  }
  const repeated = await prompter.ask('Repeat the password: ', { secret: true });
  if (repeated !== password) {
    throw new CommandError('Password: the two passwords differ. Nothing was created.');
  }
  return { email, displayName, password };
}

async function emailTaken(db: Db, email: string): Promise<boolean> {
  return (await db.row('SELECT 1 FROM users WHERE email = $1', [email])) !== undefined;
}

/** The user and its `user.create` audit event commit together, or neither does. */
async function createAdministrator(
  context: INestApplicationContext,
  admin: NewAdministrator,
): Promise<string> {
  const passwordHash = await hashSecret(admin.password);
  const db = context.get(Db);
  const audit = context.get(AuditService);
  try {
    return await context.get(TransactionHost).withTransaction(async () => {
      const parameters = new SqlParameters();
      const statement = db
        .table(UserEntity)
        .insert(
          { email: admin.email, displayName: admin.displayName, role: 'ADMIN', passwordHash },
          parameters,
        );
      const { id } = (await db.row<RowOf<UserEntity>>(statement, parameters.values))!;
      await audit.record({ actor: 'system', action: 'user.create', resourceType: 'user', resourceId: id });
      return id;
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') {
      // Created by someone else between the check and the insert.
      throw new CommandError(`E-mail: an account with ${admin.email} already exists. Nothing was created.`);
    }
    throw error;
  }
}

async function main(): Promise<number> {
  const setup = commandSetup();
  if (!setup) {
    return 1;
  }
  const { config, log } = setup;

  const prompter = new Prompter(process.stdin, process.stdout);
  const cancel = () => prompter.cancel();
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  let database: ResolvedDatabase | undefined;
  let context: INestApplicationContext | undefined;
  try {
    database = await resolveDatabase(config.database, log);
    // Applies pending migrations with the same advisory-locked runner as at start-up.
    context = await openScriptContext(config, database.url);
    const admin = await askForAdministrator(prompter, context.get(Db));
    await createAdministrator(context, admin);
    console.log(`Administrator ${admin.email} created.`);
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      console.error(error.message);
      return error.exitCode;
    }
    console.error(
      `Could not create the administrator: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    prompter.close();
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
    await context?.close().catch(() => undefined);
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
    console.error(
      `Could not create the administrator: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  },
);
