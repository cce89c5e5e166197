import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { stopOnSignals } from '../common/lifecycle/shutdown-signals';
import { AppModule } from '../app.module';
import { createRootLogger } from '../common/logging/logger';
import { loadConfigOrExit } from '../config/config';
import { resolveDatabase } from '../database/resolve-database';

/**
 * `npm run worker`: the job workers and schedules without HTTP, for deployments that run the API
 * with JOBS_IN_PROCESS=false (one or more of these next to it). The same modules as the API, so every
 * job handler is there; it runs the workers whatever JOBS_IN_PROCESS says. SIGTERM/SIGINT stop it
 * gracefully: running jobs may finish within SHUTDOWN_TIMEOUT_MS.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createRootLogger(config.logLevel);
  const database = await resolveDatabase(config.database, {
    info: (message: string) => logger.info(message),
    warn: (message: string) => logger.warn(message),
  });

  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>> | undefined;
  stopOnSignals({
    logger,
    timeoutMs: config.http.shutdownTimeoutMs,
    finishing: 'running jobs',
    stop: async () => {
      await app?.close();
      await database.stop();
    },
  });

  try {
    app = await NestFactory.createApplicationContext(
      AppModule.forRoot({
        config: {
          ...config,
          database: { ...config.database, url: database.url },
          jobs: { ...config.jobs, inProcess: true },
        },
        logger,
      }),
      { bufferLogs: true },
    );
    app.useLogger(app.get(Logger));
    app.flushLogs();
  } catch (error) {
    logger.fatal({ err: error }, 'Worker start-up failed');
    await app?.close().catch(() => undefined);
    await database.stop();
    process.exit(1);
  }
  logger.info(
    `Anker worker running (database: ${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`,
  );
}

void main();
