import pino, { type Logger } from 'pino';

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

export function createRootLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'anker' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, remove: true },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
