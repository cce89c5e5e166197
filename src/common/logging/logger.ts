import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { currentRequestId } from '../http/request-context';

/**
 * Paths removed from every log line, whatever a caller passes in. Request bodies are never logged
 * in the first place; this list is the second line of defence for credentials.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.clientSecret',
  '*.client_secret',
  '*.refresh_token',
  '*.access_token',
  '*.token',
];

export type LogFormat = 'json' | 'pretty';

/**
 * `LOG_FORMAT=auto` (the default) writes human-readable lines when stdout is a terminal, where a person
 * reads them, and JSON lines otherwise, where a log collector reads them.
 */
export function selectLogFormat(setting: 'auto' | LogFormat, stdoutIsTerminal: boolean): LogFormat {
  if (setting !== 'auto') {
    return setting;
  }
  return stdoutIsTerminal ? 'pretty' : 'json';
}

/**
 * The one logger of the process. `pretty` formats in-process and synchronously (no worker thread), so
 * the last lines before an exit are not lost; redaction applies before either format.
 */
export function createRootLogger(
  level: string,
  destination?: pino.DestinationStream,
  format: LogFormat = 'json',
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'anker' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, remove: true },
    formatters: { level: (label) => ({ level: label }) },
    // A line written while a request is served names it; the line's own fields take precedence.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
  };
  if (format === 'pretty') {
    return pino(
      options,
      pretty({
        destination: destination ?? 1,
        sync: true,
        // Colours only for a terminal; a stream given by the caller (a file, a test) gets plain text.
        colorize: destination === undefined && process.stdout.isTTY === true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,service',
      }),
    );
  }
  return pino(options, destination);
}
