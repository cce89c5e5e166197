import { existsSync } from 'node:fs';
import { z } from 'zod';

/**
 * The only place that reads `process.env`. Every variable is documented in `.env.example`
 * and in the README's configuration table; keep the three in step.
 */

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be a whole number between ${min} and ${max}`)
        .max(max, `must be a whole number between ${min} and ${max}`),
    );

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    message: 'must be a postgres:// or postgresql:// connection URL',
  });

const originList = z.string().transform((value, ctx) => {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${origin}" is not an origin like https://app.example.org`,
      });
    }
  }
  return origins;
});

const environmentSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).default(3000),
  DATABASE_URL: postgresUrl.optional(),
  EMBEDDED_PG_DIR: z.string().min(1).default('./.data/postgres'),
  DB_POOL_MAX: integer(1, 500).default(10),
  DB_POOL_ACQUIRE_TIMEOUT_MS: integer(100, 120_000).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: integer(100, 3_600_000).default(15_000),
  DB_RETRY_AFTER_SECONDS: integer(1, 3_600).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: integer(1_024, 100 * 1024 * 1024).default(1024 * 1024),
  CORS_ORIGINS: originList.default([]),
  TRUST_PROXY: booleanFlag.default(false),
  API_DOCS_ENABLED: booleanFlag.default(true),
  SHUTDOWN_TIMEOUT_MS: integer(1_000, 600_000).default(10_000),
});

export interface AppConfig {
  http: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    corsOrigins: string[];
    trustProxy: boolean;
    apiDocsEnabled: boolean;
    shutdownTimeoutMs: number;
  };
  database: {
    /** Unset: an embedded PostgreSQL is started in `embeddedDir`. */
    url: string | undefined;
    embeddedDir: string;
    poolMax: number;
    poolAcquireTimeoutMs: number;
    statementTimeoutMs: number;
    retryAfterSeconds: number;
  };
  logLevel: string;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

type Environment = Record<string, string | undefined>;

/** A `.env` file in the working directory fills in variables the environment does not set. */
export function loadDotEnvFile(file = '.env'): void {
  if (existsSync(file)) {
    process.loadEnvFile(file);
  }
}

/** Reads and validates the environment; throws a ConfigurationError naming every bad variable. */
export function loadConfig(environment: Environment = process.env): AppConfig {
  const known = Object.fromEntries(
    Object.keys(environmentSchema.shape).map((name) => [
      name,
      environment[name] === '' ? undefined : environment[name],
    ]),
  );
  const parsed = environmentSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const given = environment[name];
        const shown = name === 'DATABASE_URL' ? '(hidden)' : JSON.stringify(given);
        return `${name}: ${issue.message} (got ${shown})`;
      }),
    );
  }
  const env = parsed.data;
  return {
    http: {
      host: env.HOST,
      port: env.PORT,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      corsOrigins: env.CORS_ORIGINS,
      trustProxy: env.TRUST_PROXY,
      apiDocsEnabled: env.API_DOCS_ENABLED,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    },
    database: {
      url: env.DATABASE_URL,
      embeddedDir: env.EMBEDDED_PG_DIR,
      poolMax: env.DB_POOL_MAX,
      poolAcquireTimeoutMs: env.DB_POOL_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      retryAfterSeconds: env.DB_RETRY_AFTER_SECONDS,
    },
    logLevel: env.LOG_LEVEL,
  };
}
