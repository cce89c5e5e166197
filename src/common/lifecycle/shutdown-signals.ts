import type { Logger } from 'pino';

/**
 * Stops the process on SIGTERM/SIGINT: `stop` runs once (a terminal's Ctrl-C reaches npm and this
 * process alike, and npm forwards it once more: repeats are ignored), bounded by `timeoutMs`.
 */
export function stopOnSignals(options: {
  logger: Logger;
  timeoutMs: number;
  /** What the process lets finish, for the log line: "requests in flight", "running jobs". */
  finishing: string;
  stop: () => Promise<void>;
}): void {
  const { logger, timeoutMs } = options;
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    logger.info(`${signal} received; letting ${options.finishing} finish, then stopping`);
    setTimeout(() => {
      logger.error(`Shutdown took longer than ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    try {
      await options.stop();
      logger.info('Stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'Shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
}
