import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { catchError, from, mergeMap, of, type Observable } from 'rxjs';
import type { Actor } from '../../auth/actor';
import { ProblemError } from '../errors/problem.error';
import { IdempotencyRepository } from './idempotency.repository';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** Response headers a replay repeats. */
const REPLAYED_HEADERS = ['location', 'etag', 'cache-control'];
const WAIT_FOR_FIRST_MS = 10_000;

/** JSON with sorted object keys: the same body in another member order is the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * `Idempotency-Key` on creating POSTs: the first request with a key runs; a repeat (same caller, key,
 * route and body) gets the first response again instead of creating twice — also while the first is
 * still running (it waits for it). The same key with another body or route answers 422.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly repository: IdempotencyRepository) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = http.getResponse<FastifyReply>();
    const key = request.headers['idempotency-key'];
    if (key === undefined || !request.actor) {
      return next.handle();
    }
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw new ProblemError('validation', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
    }
    const principal = `${request.actor.kind}:${request.actor.id}`;
    // The concrete path and query: one key used for another client's collection is another request.
    const operation = `${request.method} ${request.url}`;
    const requestHash = createHash('sha256').update(canonicalJson(request.body)).digest('hex');

    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      if (await this.repository.claim({ principal, key, operation, requestHash })) {
        return this.runFirst(context, next, reply, principal, key);
      }
      const first = await this.repository.find(principal, key);
      if (!first) {
        continue; // the first request failed and released the key: this one runs instead
      }
      if (first.operation !== operation || first.requestHash !== requestHash) {
        throw new ProblemError(
          'unprocessable',
          'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
        );
      }
      if (first.status !== null) {
        void reply.headers({ ...first.responseHeaders, 'idempotent-replayed': 'true' }).status(first.status);
        return of(first.responseBody);
      }
      if (Date.now() > deadline) {
        throw new ProblemError(
          'conflict',
          'A request with this Idempotency-Key is still in progress. Retry shortly.',
          {
            headers: { 'retry-after': '1' },
          },
        );
      }
      await sleep(50);
    }
  }

  private runFirst(
    context: ExecutionContext,
    next: CallHandler,
    reply: FastifyReply,
    principal: string,
    key: string,
  ): Observable<unknown> {
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ??
      (context.switchToHttp().getRequest<FastifyRequest>().method === 'POST' ? 201 : 200);
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const headers = Object.fromEntries(
          REPLAYED_HEADERS.flatMap((name) => {
            const value = reply.getHeader(name);
            return value === undefined ? [] : [[name, String(value)]];
          }),
        );
        await this.repository.complete(principal, key, { status, headers, body });
        return body;
      }),
      catchError((error: unknown) =>
        from(
          this.repository.release(principal, key).then(() => {
            throw error;
          }),
        ),
      ),
    );
  }
}
