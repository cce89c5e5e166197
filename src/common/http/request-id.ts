import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a caller's own correlation id may look like: safe to log and to store, of bounded length. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:;=/+-]{1,200}$/;

declare module 'node:http' {
  interface IncomingMessage {
    /** The `X-Request-Id` the caller sent (when it looks like an id), kept beside the server's own. */
    callerRequestId?: string;
  }
}

/**
 * Every request gets an id of the server's making: it names the request in the log, in the problem's
 * `instance` and in audit events, so a caller cannot choose it (or make two requests share one). A
 * caller (gateway, partner system) may still pass its own `X-Request-Id` to correlate: it is kept
 * apart as `callerRequestId`, logged with the request and stored with its audit events.
 * The id is also kept on the raw request, where pino-http looks for it.
 */
export function requestIdFor(request: IncomingMessage): string {
  const offered = request.headers['x-request-id'];
  if (typeof offered === 'string' && CALLER_REQUEST_ID.test(offered)) {
    request.callerRequestId = offered;
  }
  const id = randomUUID();
  request.id = id;
  return id;
}

export function problemInstance(requestId: string): string {
  return `urn:uuid:${requestId}`;
}
