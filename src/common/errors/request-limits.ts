import { randomUUID } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemBody } from './problem.filter';
import { ProblemError } from './problem.error';
import { ProblemTypes, type ProblemKind } from './problem-types';

/**
 * What the HTTP layer refuses before a route runs, each answered as problem+json like every other
 * error: too deeply nested JSON, bodies of a type the route does not take, absolute-form targets,
 * too long or badly encoded URLs and requests Node's HTTP parser rejects.
 */

/** Far deeper than any DTO; deep enough input would otherwise overflow the validator's recursion. */
export const MAX_JSON_DEPTH = 32;

/**
 * The only operations that take `application/x-www-form-urlencoded` (OAuth 2.0 token endpoint,
 * RFC 6749 §4, and revocation, RFC 7009 §2.1, as documented in their OpenAPI operations). Every
 * other route takes JSON only: a form (or text/plain) body is what a foreign web page can send
 * without a CORS preflight.
 */
export const FORM_BODY_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/v1/auth/token',
  'POST /api/v1/auth/revoke',
]);

/**
 * Whether JSON text nests arrays/objects deeper than `maxDepth`. One pass over the bytes, ignoring
 * brackets inside strings; safe on UTF-8 because no byte of a multi-byte sequence is ASCII.
 */
export function exceedsJsonDepth(body: Buffer | string, maxDepth: number): boolean {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === 0x5c /* \ */) {
        index++;
      } else if (byte === 0x22 /* " */) {
        inString = false;
      }
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b /* { */ || byte === 0x5b /* [ */) {
      if (++depth > maxDepth) {
        return true;
      }
    } else if (byte === 0x7d /* } */ || byte === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/**
 * An absolute-form target (`GET http://evil.example/api/v1/…`, RFC 9112 §3.2.2) as its origin form
 * (`/api/v1/…`), before routing: headers built from the URL (Location, Cache-Control) must not
 * depend on a host the caller names. Origin-form and `*` targets pass unchanged.
 */
export function originForm(target: string): string {
  if (target.startsWith('/') || target === '*') {
    return target;
  }
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(target);
  if (!absolute) {
    return target;
  }
  const rest = absolute[1];
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** JSON (depth-bounded) everywhere; form bodies only on FORM_BODY_ROUTES; no text/plain. */
export function registerBodyParsers(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const defaultJsonParser = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    if (exceedsJsonDepth(body, MAX_JSON_DEPTH)) {
      done(
        new ProblemError('malformedBody', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`),
        undefined,
      );
      return;
    }
    void defaultJsonParser(request as FastifyRequest, body.toString('utf8'), done);
  });
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (request, body, done) => {
    const route = (request as FastifyRequest).routeOptions?.url;
    if (route !== undefined && !FORM_BODY_ROUTES.has(`${request.method} ${route}`)) {
      done(
        new ProblemError('unsupportedMediaType', 'This operation takes an application/json body.'),
        undefined,
      );
      return;
    }
    done(null, { ...parseQueryString(body.toString('utf8')) });
  });
  fastify.removeContentTypeParser('text/plain');
}

/** Fastify's router refuses these URLs before any hook or route runs (its `frameworkErrors`). */
export function frameworkProblem(error: FastifyError): unknown {
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ProblemError('uriTooLong', 'A path segment of the URL is too long.');
    case 'FST_ERR_BAD_URL':
      return new ProblemError('malformedRequest', 'The URL is not valid (bad percent-encoding).');
    default:
      return error;
  }
}

/**
 * Node's HTTP parser refuses a request (too large headers, malformed HTTP, too slow) before there is
 * a request object: Fastify's `clientErrorHandler`, which writes to the socket directly.
 */
export function writeClientErrorProblem(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  let kind: ProblemKind = 'malformedRequest';
  let detail = 'The request is not valid HTTP.';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    kind = 'requestTimeout';
    detail = 'The request did not arrive completely in time.';
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    // The limit (--max-http-header-size, 16 KiB) counts the request line too: when that line alone
    // takes most of it, the URL is what is too long.
    const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : Buffer.alloc(0);
    const lineEnd = packet.indexOf('\r\n');
    const requestLine = lineEnd === -1 ? packet.length : lineEnd;
    const urlTooLong = requestLine > maxHeaderSize / 2;
    kind = urlTooLong ? 'uriTooLong' : 'headerFieldsTooLarge';
    detail = urlTooLong ? 'The URL is too long.' : 'The request headers are too large.';
  }
  const problem = ProblemTypes[kind];
  const requestId = randomUUID();
  const body = JSON.stringify(problemBody(problem, detail, requestId));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
