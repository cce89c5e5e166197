import {
  Logger,
  Module,
  type DynamicModule,
  type INestApplicationContext,
  type LoggerService,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { CommonModule } from '../common/common.module';
import { ConfigurationError, loadConfig, loadDotEnvFile, type AppConfig } from '../config/config';
import { ConfigModule } from '../config/config.module';
import { OwnerDatabaseModule } from '../database/database.module';

/** Contexts of Nest's own start-up chatter, which an operator of a command does not need. */
const QUIET_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'NestApplicationContext']);

/** Plain lines on stderr (stdout carries a command's prompts, progress and result). */
const stderrLogger: LoggerService = {
  log: (message: unknown, context?: string) => {
    if (!QUIET_CONTEXTS.has(context ?? '')) {
      console.error(String(message));
    }
  },
  error: (message: unknown) => console.error(String(message)),
  warn: (message: unknown) => console.error(String(message)),
};

/** Where a command's progress and warnings go: stderr, plainly. */
export interface CommandLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * A command's configuration (from the environment and `.env`) with its log and Nest's on stderr, so
 * that stdout carries only the command's prompts, progress and result. `undefined` after a
 * configuration error was printed.
 */
export function commandSetup(): { config: AppConfig; log: CommandLog } | undefined {
  loadDotEnvFile();
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(error.message);
      return undefined;
    }
    throw error;
  }
  Logger.overrideLogger(stderrLogger);
  const log: CommandLog = {
    info: (message) => console.error(message),
    warn: (message) => console.error(message),
  };
  return { config, log };
}

@Module({})
class ScriptModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ScriptModule,
      imports: [ConfigModule.forRoot(config), OwnerDatabaseModule, CommonModule, AuditModule],
    };
  }
}

/**
 * The application context of a command run on the server (`npm run admin:create`,
 * `npm run occupations:import`): the database with its pending migrations applied (the same
 * advisory-locked runner as at start-up), connected as the owner (MIGRATION_DATABASE_URL, else
 * DATABASE_URL), `Db`, the transaction context and `AuditService` — no HTTP.
 * Add the module a command needs in `modules`.
 */
export async function openScriptContext(
  config: AppConfig,
  databaseUrl: string,
  modules: DynamicModule['imports'] = [],
): Promise<INestApplicationContext> {
  const root = ScriptModule.forRoot({ ...config, database: { ...config.database, url: databaseUrl } });
  root.imports = [...(root.imports ?? []), ...modules];
  return NestFactory.createApplicationContext(root, { logger: stderrLogger, abortOnError: false });
}
