import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A caller (gateway, partner system) may pass its own `X-Request-Id` to correlate logs; only a UUID is
 * accepted so that the id is always safe to log and to use as the problem's `instance` URI.
 * The id is also kept on the raw request, where pino-http looks for it.
 */
export function requestIdFor(request: IncomingMessage): string {
  const offered = request.headers['x-request-id'];
  const id = typeof offered === 'string' && UUID.test(offered) ? offered.toLowerCase() : randomUUID();
  request.id = id;
  return id;
}

export function problemInstance(requestId: string): string {
  return `urn:uuid:${requestId}`;
}
