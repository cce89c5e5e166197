import { ConfigurationError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 3000,
      bodyLimitBytes: 1_048_576,
      corsOrigins: [],
      trustProxy: false,
      apiDocsEnabled: true,
      shutdownTimeoutMs: 10_000,
    });
    expect(config.database).toEqual({
      url: undefined,
      migrationUrl: undefined,
      embeddedDir: './.data/postgres',
      poolMax: 10,
      poolAcquireTimeoutMs: 5_000,
      statementTimeoutMs: 15_000,
      retryAfterSeconds: 5,
    });
    expect(config.logLevel).toBe('info');
  });

  it('runs jobs in the process and retention daily at 02:30 by default', () => {
    const config = loadConfig({});
    expect(config.jobs).toEqual({ inProcess: true, pollIntervalMs: 2_000, maintenanceIntervalSeconds: 60 });
    expect(config.retention).toEqual({ enabled: true, years: 3, cron: '30 2 * * *' });
  });

  it('accepts cron expressions of five fields, or six with seconds, and refuses others', () => {
    expect(loadConfig({ RETENTION_CRON: '0 4 * * 1-5' }).retention.cron).toBe('0 4 * * 1-5');
    expect(loadConfig({ RETENTION_CRON: '0 30 2 * * *' }).retention.cron).toBe('0 30 2 * * *');
    for (const cron of ['30 2 * *', 'every night', '61 2 * * *']) {
      expect(() => loadConfig({ RETENTION_CRON: cron })).toThrow(
        `RETENTION_CRON: must be a cron expression like "30 2 * * *" (minute hour day month weekday) (got "${cron}")`,
      );
    }
  });

  it('expects referral answers within 14 days and runs the referral job at 00:15 by default', () => {
    expect(loadConfig({}).referrals).toEqual({ answerDays: 14, expiryCron: '15 0 * * *' });
    expect(loadConfig({ REFERRAL_ANSWER_DAYS: '30' }).referrals.answerDays).toBe(30);
    for (const days of ['0', '366', 'two weeks']) {
      expect(() => loadConfig({ REFERRAL_ANSWER_DAYS: days })).toThrow(/REFERRAL_ANSWER_DAYS/);
    }
    expect(() => loadConfig({ REFERRAL_EXPIRY_CRON: 'nightly' })).toThrow(/REFERRAL_EXPIRY_CRON/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).http.port).toBe(3000);
  });

  it('parses values of every type', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://anker:secret@db.internal:5432/anker',
      CORS_ORIGINS: 'https://a.example.org, http://localhost:5173',
      TRUST_PROXY: 'true',
      API_DOCS_ENABLED: '0',
    });
    expect(config.http.port).toBe(8080);
    expect(config.database.url).toBe('postgresql://anker:secret@db.internal:5432/anker');
    expect(config.http.corsOrigins).toEqual(['https://a.example.org', 'http://localhost:5173']);
    expect(config.http.trustProxy).toBe(true);
    expect(config.http.apiDocsEnabled).toBe(false);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', CORS_ORIGINS: 'example.org', TRUST_PROXY: 'maybe' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/^PORT: .* \(got "70000"\)$/m);
    expect(problems.join('\n')).toMatch(/^LOG_LEVEL: /m);
    expect(problems.join('\n')).toMatch(/^CORS_ORIGINS: "example.org" is not an origin/m);
    expect(problems.join('\n')).toMatch(/^TRUST_PROXY: must be true or false/m);
  });

  it('never echoes a bad DATABASE_URL, which may hold a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ connection URL \(got \(hidden\)\)/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' })).not.toThrow(/hunter2/);
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: 'mysql://root:hunter2@db/x' })).toThrow(
      /MIGRATION_DATABASE_URL: .* \(got \(hidden\)\)/,
    );
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: 'postgres://owner@db/anker' })).toThrow(
      /MIGRATION_DATABASE_URL: needs DATABASE_URL/,
    );
  });
});

describe('loadConfig: authentication', () => {
  it('needs ADMIN_EMAIL and ADMIN_PASSWORD together and lower-cases the e-mail', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@example.org' })).toThrow(
      /ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither/,
    );
    expect(
      loadConfig({ ADMIN_EMAIL: 'A@Example.org', ADMIN_PASSWORD: 'twelve chars!' }).auth.bootstrapAdmin,
    ).toEqual({
      email: 'a@example.org',
      password: 'twelve chars!',
    });
  });

  it('never echoes a bad signing key or admin password', () => {
    let message = '';
    try {
      loadConfig({
        JWT_SIGNING_KEY: 'short-secret',
        ADMIN_EMAIL: 'a@example.org',
        ADMIN_PASSWORD: 'short-pw',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/JWT_SIGNING_KEY: must be at least 32 random bytes/);
    expect(message).toMatch(/ADMIN_PASSWORD: must be at least 12 characters/);
    expect(message).not.toContain('short-secret');
    expect(message).not.toContain('short-pw');
  });
});

describe('loadConfig: recognition deadlines', () => {
  it('defaults to the periods of the BQFG', () => {
    expect(loadConfig({}).recognition).toEqual({
      receiptConfirmationMonths: 1,
      receiptConfirmationFastTrackDays: 14,
      decisionMonths: 3,
      decisionFastTrackMonths: 2,
      euExtensionMaxMonths: 1,
    });
  });

  it('takes changed periods from the environment', () => {
    expect(
      loadConfig({
        RECOGNITION_RECEIPT_CONFIRMATION_MONTHS: '2',
        RECOGNITION_RECEIPT_CONFIRMATION_FAST_TRACK_DAYS: '10',
        RECOGNITION_DECISION_MONTHS: '4',
        RECOGNITION_DECISION_FAST_TRACK_MONTHS: '1',
        RECOGNITION_EU_EXTENSION_MAX_MONTHS: '0',
      }).recognition,
    ).toEqual({
      receiptConfirmationMonths: 2,
      receiptConfirmationFastTrackDays: 10,
      decisionMonths: 4,
      decisionFastTrackMonths: 1,
      euExtensionMaxMonths: 0,
    });
  });

  it('refuses periods that are not whole numbers in range, naming each variable', () => {
    let problems: string[] = [];
    try {
      loadConfig({
        RECOGNITION_DECISION_MONTHS: '0',
        RECOGNITION_DECISION_FAST_TRACK_MONTHS: '2.5',
        RECOGNITION_RECEIPT_CONFIRMATION_FAST_TRACK_DAYS: '-1',
        RECOGNITION_EU_EXTENSION_MAX_MONTHS: '13',
      });
    } catch (error) {
      problems = (error as ConfigurationError).problems;
    }
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'RECOGNITION_DECISION_FAST_TRACK_MONTHS',
      'RECOGNITION_DECISION_MONTHS',
      'RECOGNITION_EU_EXTENSION_MAX_MONTHS',
      'RECOGNITION_RECEIPT_CONFIRMATION_FAST_TRACK_DAYS',
    ]);
  });
});
