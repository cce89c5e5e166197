import { existsSync } from 'node:fs';
import { parseExpression } from 'cron-parser';
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

/** Five fields (minute hour day month weekday) or six with seconds first; read in the configured time zone. */
const cronExpression = z.string().refine(
  (value) => {
    const fields = value.trim().split(/\s+/).length;
    if (fields < 5 || fields > 6) {
      return false;
    }
    try {
      parseExpression(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a cron expression like "30 2 * * *" (minute hour day month weekday)' },
);

const environmentSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).default(3000),
  DATABASE_URL: postgresUrl.optional(),
  MIGRATION_DATABASE_URL: postgresUrl.optional(),
  EMBEDDED_PG_DIR: z.string().min(1).default('./.data/postgres'),
  DB_POOL_MAX: integer(1, 500).default(10),
  DB_POOL_ACQUIRE_TIMEOUT_MS: integer(100, 120_000).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: integer(100, 3_600_000).default(15_000),
  DB_RETRY_AFTER_SECONDS: integer(1, 3_600).default(5),
  TIME_ZONE: z
    .string()
    .min(1)
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone like Europe/Berlin')
    .default('Europe/Berlin'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  BODY_LIMIT_BYTES: integer(1_024, 100 * 1024 * 1024).default(1024 * 1024),
  CORS_ORIGINS: originList.default([]),
  TRUST_PROXY: booleanFlag.default(false),
  API_DOCS_ENABLED: booleanFlag.default(true),
  SHUTDOWN_TIMEOUT_MS: integer(1_000, 600_000).default(10_000),
  JWT_SIGNING_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_=-]{43,}$/, 'must be at least 32 random bytes, base64 or base64url encoded')
    .optional(),
  JWT_KEY_FILE: z.string().min(1).default('./.data/jwt-signing.key'),
  JWT_ISSUER: z.string().min(1).default('anker'),
  JWT_AUDIENCE: z.string().min(1).default('anker-api'),
  ACCESS_TOKEN_TTL_SECONDS: integer(60, 86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: integer(300, 90 * 86_400).default(30 * 86_400),
  SIGN_IN_MAX_FAILURES: integer(1, 1_000).default(5),
  SIGN_IN_MAX_FAILURES_PER_ADDRESS: integer(1, 100_000).default(50),
  SIGN_IN_FAILURE_WINDOW_SECONDS: integer(10, 86_400).default(900),
  RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).default(600),
  ADMIN_EMAIL: z.string().email('must be an e-mail address').optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
  RECOGNITION_RECEIPT_CONFIRMATION_MONTHS: integer(1, 12).default(1),
  RECOGNITION_RECEIPT_CONFIRMATION_FAST_TRACK_DAYS: integer(1, 90).default(14),
  RECOGNITION_DECISION_MONTHS: integer(1, 24).default(3),
  RECOGNITION_DECISION_FAST_TRACK_MONTHS: integer(1, 24).default(2),
  RECOGNITION_EU_EXTENSION_MAX_MONTHS: integer(0, 12).default(1),
  JOBS_IN_PROCESS: booleanFlag.default(true),
  JOBS_POLL_INTERVAL_MS: integer(500, 60_000).default(2_000),
  JOBS_MAINTENANCE_INTERVAL_SECONDS: integer(1, 3_600).default(60),
  RETENTION_ENABLED: booleanFlag.default(true),
  RETENTION_YEARS: integer(1, 30).default(3),
  RETENTION_CRON: cronExpression.default('30 2 * * *'),
  REFERRAL_ANSWER_DAYS: integer(1, 365).default(14),
  REFERRAL_EXPIRY_CRON: cronExpression.default('15 0 * * *'),
  WEBHOOK_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_=-]{43,}$/, 'must be at least 32 random bytes, base64 or base64url encoded')
    .optional(),
  WEBHOOK_TIMEOUT_MS: integer(100, 60_000).default(10_000),
  WEBHOOK_MAX_ATTEMPTS: integer(1, 30).default(8),
  WEBHOOK_RETRY_BASE_MS: integer(10, 3_600_000).default(30_000),
  WEBHOOK_RETRY_MAX_MS: integer(10, 86_400_000).default(3_600_000),
  WEBHOOK_ALLOW_PRIVATE_URLS: booleanFlag.default(false),
  WEBHOOK_CONCURRENCY: integer(1, 50).default(4),
  WEBHOOK_RETENTION_DAYS: integer(1, 3_650).default(30),
  REPORTS_DATABASE_URL: postgresUrl.optional(),
  REPORTS_POOL_MAX: integer(1, 10).default(2),
  REPORTS_STATEMENT_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  REPORT_MIN_CELL: integer(2, 100).default(5),
  REPORTS_REFRESH_ENABLED: booleanFlag.default(true),
  REPORTS_REFRESH_CRON: cronExpression.default('*/15 * * * *'),
  CONSULTATION_EARLIEST_DATE: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine(
      (value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
      'must be a calendar date',
    )
    .default('2005-01-01'),
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
    /** The role the API runs as. Unset: an embedded PostgreSQL is started in `embeddedDir`. */
    url: string | undefined;
    /**
     * The role that owns the schema and runs migrations. Unset: `url`; when that role may create
     * roles (superuser, CREATEROLE), the API then runs as a restricted role it creates itself
     * (src/database/database-roles.ts).
     */
    migrationUrl: string | undefined;
    embeddedDir: string;
    poolMax: number;
    poolAcquireTimeoutMs: number;
    statementTimeoutMs: number;
    retryAfterSeconds: number;
  };
  auth: {
    /** Unset: a key is generated on first start and kept in `keyFile`. */
    signingKey: string | undefined;
    keyFile: string;
    issuer: string;
    audience: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    signInMaxFailures: number;
    signInMaxFailuresPerAddress: number;
    signInFailureWindowSeconds: number;
    rateLimitPerMinute: number;
    /** Both set: an administrator is created on first start with an empty user table. */
    bootstrapAdmin: { email: string; password: string } | undefined;
  };
  /**
   * Statutory periods of the recognition procedure (BQFG §6, §13, §14a and the Land laws mirroring
   * them). Configuration rather than constants: the legislator changed them in 2012, 2020, 2023 and 2024.
   */
  recognition: {
    /** Receipt of an application must be confirmed within this many months of submission. */
    receiptConfirmationMonths: number;
    /** … and within this many days in the fast track (§81a AufenthG, §14a BQFG). */
    receiptConfirmationFastTrackDays: number;
    /** The decision is due this many months after the documents were complete. */
    decisionMonths: number;
    /** … in the fast track. */
    decisionFastTrackMonths: number;
    /** A regulated profession with an EU/EEA/CH qualification: the one extension adds at most this many months. */
    euExtensionMaxMonths: number;
  };
  /** The PostgreSQL job queue (pg-boss, schema `pgboss`). */
  jobs: {
    /** Run the job workers and schedules inside the API process; `npm run worker` always runs them. */
    inProcess: boolean;
    /** How often an idle worker looks for new jobs. */
    pollIntervalMs: number;
    /** How often jobs whose process died mid-run are found (after their expiry) and retried. */
    maintenanceIntervalSeconds: number;
  };
  /** Art. 5(1)(e) GDPR: clients nobody has served for `years` are erased by a daily job. */
  retention: {
    enabled: boolean;
    years: number;
    /** When the retention job runs, in the configured time zone. */
    cron: string;
  };
  /** Partner referrals. */
  referrals: {
    /** A referral sent without `dueBy` expects an answer within this many days. */
    answerDays: number;
    /**
     * When the daily referral job runs (in TIME_ZONE): unanswered referrals past their answer-by date
     * become ABGELAUFEN, and open referrals relying on an expired consent are cancelled.
     */
    expiryCron: string;
  };
  /** Signed webhooks to partner systems (Standard Webhooks). */
  webhooks: {
    /**
     * 32+ bytes that encrypt the signing secrets at rest (AES-256-GCM). Unset: derived with HKDF-SHA256
     * from the JWT signing key (then rotating that key makes the stored secrets unreadable).
     */
    secretKey: string | undefined;
    /** One delivery attempt's limit (connect, send, answer). */
    timeoutMs: number;
    /** Attempts of a delivery before it is dead-lettered (the first one included). */
    maxAttempts: number;
    /** Back-off before attempt n+1: a random delay in [0, min(retryMaxMs, retryBaseMs · 2^(n−1))] (full jitter). */
    retryBaseMs: number;
    retryMaxMs: number;
    /** http:// URLs and private, loopback and link-local addresses (tests, local development only). */
    allowPrivateUrls: boolean;
    /** Deliveries in flight at once per process with job workers. */
    concurrency: number;
    /** Finished deliveries (and their events and attempts) are deleted after this many days. */
    retentionDays: number;
  };
  /** Caseload and ESF reports (src/reports, docs/reports.md). */
  reports: {
    /**
     * Where report queries run: a read replica when set, else `database.url`. Reports have a pool of
     * their own, so they never hold a connection of the transactional pool.
     */
    databaseUrl: string | undefined;
    poolMax: number;
    statementTimeoutMs: number;
    /** Disclosure control: counts from 1 to minCell − 1 are suppressed in coordinators' reports. */
    minCell: number;
    refreshEnabled: boolean;
    /** When the rollups are rebuilt, in the configured time zone. */
    refreshCron: string;
  };
  logLevel: string;
  /** The offices' time zone: "today" is the calendar date here. */
  timeZone: string;
  /** No consultation is dated before this day (the programme's start; an earlier date is a typing error). */
  consultationEarliestDate: string;
  /** `auto`: human-readable on a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'json' | 'pretty';
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

type Environment = Record<string, string | undefined>;

/** Never echoed in a configuration error: they may hold credentials. */
const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'REPORTS_DATABASE_URL',
  'MIGRATION_DATABASE_URL',
  'JWT_SIGNING_KEY',
  'ADMIN_PASSWORD',
  'WEBHOOK_SECRET_KEY',
]);

/** A `.env` file in the working directory fills in variables the environment does not set. */
export function loadDotEnvFile(file = '.env'): void {
  if (existsSync(file)) {
    process.loadEnvFile(file);
  }
}

/**
 * The configuration of a process started from the command line (`npm start`, `npm run worker`), `.env`
 * included: a bad one is printed without a stack trace and ends the process with exit code 1.
 */
export function loadConfigOrExit(): AppConfig {
  try {
    loadDotEnvFile();
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(1);
    }
    throw error;
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
        const shown = SECRET_VARIABLES.has(name) ? '(hidden)' : JSON.stringify(given);
        return `${name}: ${issue.message} (got ${shown})`;
      }),
    );
  }
  const env = parsed.data;
  if (env.MIGRATION_DATABASE_URL !== undefined && env.DATABASE_URL === undefined) {
    throw new ConfigurationError([
      'MIGRATION_DATABASE_URL: needs DATABASE_URL (the embedded PostgreSQL sets up both roles itself)',
    ]);
  }
  if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    throw new ConfigurationError(['ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither']);
  }
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
      migrationUrl: env.MIGRATION_DATABASE_URL,
      embeddedDir: env.EMBEDDED_PG_DIR,
      poolMax: env.DB_POOL_MAX,
      poolAcquireTimeoutMs: env.DB_POOL_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      retryAfterSeconds: env.DB_RETRY_AFTER_SECONDS,
    },
    auth: {
      signingKey: env.JWT_SIGNING_KEY,
      keyFile: env.JWT_KEY_FILE,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      signInMaxFailures: env.SIGN_IN_MAX_FAILURES,
      signInMaxFailuresPerAddress: env.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
      signInFailureWindowSeconds: env.SIGN_IN_FAILURE_WINDOW_SECONDS,
      rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
      bootstrapAdmin:
        env.ADMIN_EMAIL && env.ADMIN_PASSWORD
          ? { email: env.ADMIN_EMAIL.toLowerCase(), password: env.ADMIN_PASSWORD }
          : undefined,
    },
    recognition: {
      receiptConfirmationMonths: env.RECOGNITION_RECEIPT_CONFIRMATION_MONTHS,
      receiptConfirmationFastTrackDays: env.RECOGNITION_RECEIPT_CONFIRMATION_FAST_TRACK_DAYS,
      decisionMonths: env.RECOGNITION_DECISION_MONTHS,
      decisionFastTrackMonths: env.RECOGNITION_DECISION_FAST_TRACK_MONTHS,
      euExtensionMaxMonths: env.RECOGNITION_EU_EXTENSION_MAX_MONTHS,
    },
    jobs: {
      inProcess: env.JOBS_IN_PROCESS,
      pollIntervalMs: env.JOBS_POLL_INTERVAL_MS,
      maintenanceIntervalSeconds: env.JOBS_MAINTENANCE_INTERVAL_SECONDS,
    },
    retention: {
      enabled: env.RETENTION_ENABLED,
      years: env.RETENTION_YEARS,
      cron: env.RETENTION_CRON.trim(),
    },
    referrals: {
      answerDays: env.REFERRAL_ANSWER_DAYS,
      expiryCron: env.REFERRAL_EXPIRY_CRON.trim(),
    },
    webhooks: {
      secretKey: env.WEBHOOK_SECRET_KEY,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: env.WEBHOOK_RETRY_MAX_MS,
      allowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS,
      concurrency: env.WEBHOOK_CONCURRENCY,
      retentionDays: env.WEBHOOK_RETENTION_DAYS,
    },
    reports: {
      databaseUrl: env.REPORTS_DATABASE_URL,
      poolMax: env.REPORTS_POOL_MAX,
      statementTimeoutMs: env.REPORTS_STATEMENT_TIMEOUT_MS,
      minCell: env.REPORT_MIN_CELL,
      refreshEnabled: env.REPORTS_REFRESH_ENABLED,
      refreshCron: env.REPORTS_REFRESH_CRON.trim(),
    },
    logLevel: env.LOG_LEVEL,
    timeZone: env.TIME_ZONE,
    consultationEarliestDate: env.CONSULTATION_EARLIEST_DATE,
    logFormat: env.LOG_FORMAT,
  };
}
