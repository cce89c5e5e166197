import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { AuditService } from '../../audit/audit.service';
import type { Actor } from '../../auth/actor';
import { ProblemError } from '../errors/problem.error';
import { IDEMPOTENT_RESOURCE, IDEMPOTENT_WITHHELD } from './idempotent.decorator';
import { IdempotencyRepository } from './idempotency.repository';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/**
 * Response headers a replay repeats. `ETag` and `Location` are not among them: the resource-headers
 * hook sets them after this interceptor, from the body — the first answer's and the replay's alike.
 */
const REPLAYED_HEADERS = ['cache-control'];

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

/** `body` without the members shown once (they are never stored). */
function withoutMembers(body: unknown, members: readonly string[]): unknown {
  if (members.length === 0 || body === null || typeof body !== 'object' || Array.isArray(body)) {
    return body;
  }
  return Object.fromEntries(Object.entries(body).filter(([name]) => !members.includes(name)));
}

/** What a replay must still match: the caller's role and the office, network or partner it acts for. */
function scopeOf(actor: Actor): string {
  return [actor.role, actor.officeId ?? '-', actor.networkId ?? '-', actor.partnerId ?? '-'].join('|');
}

/**
 * `Idempotency-Key` on creating POSTs. The key, the handler's work and the stored response commit or
 * roll back in one transaction (the service's own `@Transactional()` joins it), so a failure anywhere
 * leaves no key behind and a crashed process leaves nothing blocked. A repeat (same caller, key,
 * route and body) waits on the key's row while the first runs, then answers the first response again;
 * the same key with another body or route answers 422. A replay is a read of what it returns and is
 * audited as one; a key used under another role or office is dead and the request runs anew.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = http.getResponse<FastifyReply>();
    const key = request.headers['idempotency-key'];
    const actor = request.actor;
    if (key === undefined || !actor) {
      return next.handle();
    }
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw new ProblemError('validation', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
    }
    const claim = {
      principal: `${actor.kind}:${actor.id}`,
      key,
      // The concrete path and query: one key used for another client's collection is another request.
      operation: `${request.method} ${request.url}`,
      requestHash: createHash('sha256').update(canonicalJson(request.body)).digest('hex'),
      scope: scopeOf(actor),
    };
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ??
      (request.method === 'POST' ? 201 : 200);
    const resourceType = this.reflector.get<string | undefined>(IDEMPOTENT_RESOURCE, context.getHandler());
    const withheld =
      this.reflector.get<readonly string[] | undefined>(IDEMPOTENT_WITHHELD, context.getHandler()) ?? [];

    return from(
      this.transactions.withTransaction(async () => {
        if (!(await this.repository.claim(claim))) {
          const first = await this.repository.find(claim.principal, claim.key);
          if (first && first.scope !== claim.scope) {
            await this.repository.forget(claim.principal, claim.key);
            await this.repository.claim(claim);
          } else if (first) {
            return this.replay(first, claim, reply, { actor, requestId: request.id, resourceType });
          }
        }
        const body: unknown = await lastValueFrom(next.handle() as Observable<unknown>, {
          defaultValue: undefined,
        });
        const headers = Object.fromEntries(
          REPLAYED_HEADERS.flatMap((name) => {
            const value = reply.getHeader(name);
            return value === undefined ? [] : [[name, String(value)]];
          }),
        );
        await this.repository.complete(claim.principal, claim.key, {
          status,
          headers,
          body: withoutMembers(body, withheld),
        });
        return body;
      }),
    );
  }

  private async replay(
    first: Awaited<ReturnType<IdempotencyRepository['find']>> & object,
    claim: { operation: string; requestHash: string },
    reply: FastifyReply,
    caller: { actor: Actor; requestId: string; resourceType: string | undefined },
  ): Promise<unknown> {
    if (first.operation !== claim.operation || first.requestHash !== claim.requestHash) {
      throw new ProblemError(
        'unprocessable',
        'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
      );
    }
    const body = first.responseBody as { id?: unknown; clientId?: unknown } | null;
    if (caller.resourceType && body && typeof body.id === 'string') {
      const clientId =
        typeof body.clientId === 'string' ? body.clientId : caller.resourceType === 'client' ? body.id : null;
      await this.audit.record({
        actor: caller.actor,
        action: `${caller.resourceType}.replay`,
        resourceType: caller.resourceType,
        resourceId: body.id,
        clientId,
        requestId: caller.requestId,
      });
    }
    void reply.headers({ ...first.responseHeaders, 'idempotent-replayed': 'true' }).status(first.status);
    return first.responseBody;
  }
}
