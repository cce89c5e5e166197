import 'reflect-metadata';
import { stopOnSignals } from './common/lifecycle/shutdown-signals';
import { createApp } from './app.setup';
import { createRootLogger, selectLogFormat } from './common/logging/logger';
import { loadConfigOrExit } from './config/config';
import { resolveDatabase } from './database/resolve-database';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createRootLogger(
    config.logLevel,
    undefined,
    selectLogFormat(config.logFormat, process.stdout.isTTY === true),
  );
  const log = {
    info: (message: string) => logger.info(message),
    warn: (message: string) => logger.warn(message),
  };

  const database = await resolveDatabase(config.database, log);
  stopOnSignals({
    logger,
    timeoutMs: config.http.shutdownTimeoutMs,
    finishing: 'requests in flight',
    stop: async () => {
      await app?.close();
      await database.stop();
    },
  });

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    app = await createApp({
      config: { ...config, database: { ...config.database, url: database.url } },
      logger,
    });
    await app.listen({ port: config.http.port, host: config.http.host });
  } catch (error) {
    logger.fatal({ err: error }, 'Start-up failed');
    await app?.close().catch(() => undefined);
    await database.stop();
    process.exit(1);
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  logger.info(
    `Anker is listening on http://${config.http.host}:${port} (docs: /docs, readiness: /health/ready, database: ${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`,
  );
}

void bootstrap();
