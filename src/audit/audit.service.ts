import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import type { IncomingMessage } from 'node:http';
import { CLS_REQ, ClsService } from 'nestjs-cls';
import { Db } from '../common/database/db';
import { REQUEST_ID } from '../common/http/request-context';
import { RequestValidationError } from '../common/errors/problem.error';
import { instantCursor, toPage, type Page } from '../common/http/pagination';
import {
  toAuditEventResponse,
  type AuditEventQuery,
  type AuditEventResponse,
  type AuditOutcome,
} from './audit.dto';
import { AuditRepository, type NewAuditEvent } from './audit.repository';
import { auditEvent, type WriteContext } from './write-context';

export type { AuditOutcome };

/** What a feature module records; never personal values, only ids and names of actions. */
export interface AuditRecord {
  /**
   * `null` for an unauthenticated attempt (failed sign-in); `'system'` for an administrative command
   * run on the server (e.g. `npm run admin:create`), which has no signed-in actor.
   */
  actor: Actor | 'system' | null;
  /** `resource.verb`: `user.create`, `client.read`, `auth.sign-in` … */
  action: string;
  resourceType: string;
  resourceId?: string | null;
  /** The counselling client whose personal data was read or written. */
  clientId?: string | null;
  requestId?: string | null;
  outcome?: AuditOutcome;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly db: Db,
    private readonly cls: ClsService,
  ) {}

  /**
   * Appends one event within the transaction of the current context (when there is one), so the
   * event commits or rolls back with the change it describes.
   */
  async record(event: AuditRecord): Promise<void> {
    await this.repository.insert([this.toNewEvent(event)]);
  }

  /** Appends several events in one statement (e.g. one per client shown in a list). */
  async recordAll(events: AuditRecord[]): Promise<void> {
    if (events.length > 0) {
      await this.repository.insert(events.map((event) => this.toNewEvent(event)));
    }
  }

  /**
   * The access log of a list page: one event per client whose data the page shows, naming the first
   * item of that client on the page (a client with three cases on a page is one access, not three).
   */
  async recordListed(
    context: WriteContext,
    action: string,
    resourceType: string,
    items: readonly { id: string; clientId: string }[],
  ): Promise<void> {
    const firstOfClient = new Map<string, string>();
    for (const item of items) {
      if (!firstOfClient.has(item.clientId)) {
        firstOfClient.set(item.clientId, item.id);
      }
    }
    await this.recordAll(
      [...firstOfClient].map(([clientId, id]) => auditEvent(context, action, resourceType, id, clientId)),
    );
  }

  /**
   * Records a refused access (outcome `DENIED`) outside any transaction of the current context: the
   * refusal rolls the request's transaction back, the trace of the attempt must stay.
   */
  async recordDenied(event: Omit<AuditRecord, 'outcome'>): Promise<void> {
    await this.db.outsideTransaction(() =>
      this.repository.insert([this.toNewEvent({ ...event, outcome: 'DENIED' })]),
    );
  }

  /**
   * A refused access to a resource of another office (`<resourceType>.access-denied`, `DENIED`): the
   * caller answers 404 as for an id that does not exist, which reveals nothing; the log keeps the probe,
   * outside the request's transaction, which the refusal rolls back.
   */
  async recordAccessDenied(
    who: { actor: Actor; requestId?: string },
    resourceType: string,
    resourceId: string,
    clientId: string | null = null,
  ): Promise<void> {
    await this.recordDenied({
      actor: who.actor,
      action: `${resourceType}.access-denied`,
      resourceType,
      resourceId,
      clientId,
      requestId: who.requestId,
    });
  }

  /**
   * The event as stored; the request id comes from the request's context when the caller gave none.
   * The caller's own `X-Request-Id` is kept beside it, never in its place.
   */
  private toNewEvent(event: AuditRecord): NewAuditEvent {
    const active = this.cls.isActive();
    const requestId = event.requestId ?? (active ? this.cls.get<string | undefined>(REQUEST_ID) : undefined);
    const request = active ? this.cls.get<IncomingMessage | undefined>(CLS_REQ) : undefined;
    return { ...toNewEvent({ ...event, requestId }), callerRequestId: request?.callerRequestId ?? null };
  }

  /** Who read or changed a client's data, newest first (the client's access log). */
  async accessLog(
    clientId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<AuditEventResponse>> {
    const rows = await this.repository.list({ clientId }, instantCursor(cursor), limit);
    return toPage(rows, limit, (row) => ({ sortKey: row.occurredAt, id: row.id }), toAuditEventResponse);
  }

  /** The complete access log of a client, oldest first, within the caller's transaction. */
  async completeAccessLog(clientId: string): Promise<AuditEventResponse[]> {
    return (await this.repository.allForClient(clientId)).map(toAuditEventResponse);
  }

  /** The audit log, newest first, narrowed by the query's filters (ADMIN only; no further scope). */
  async list(query: AuditEventQuery): Promise<Page<AuditEventResponse>> {
    if (
      query.from !== undefined &&
      query.to !== undefined &&
      microseconds(query.from) > microseconds(query.to)
    ) {
      throw new RequestValidationError([{ pointer: '#/to', detail: 'must not be before from' }]);
    }
    const rows = await this.repository.list(
      {
        actorId: query.actorId,
        resourceType: query.resourceType,
        resourceId: query.resourceId,
        clientId: query.clientId,
        action: query.action,
        outcome: query.outcome,
        from: query.from,
        to: query.to,
      },
      instantCursor(query.cursor),
      query.limit,
    );
    return toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.occurredAt, id: row.id }),
      toAuditEventResponse,
    );
  }
}

/** An ISO 8601 instant (already validated) as microseconds since the epoch, to compare `from` and `to` exactly. */
export function microseconds(instant: string): bigint {
  const fraction = /\.(\d+)/.exec(instant)?.[1] ?? '';
  const subMillisecond = Number(fraction.slice(3, 6).padEnd(3, '0'));
  return BigInt(Date.parse(instant)) * 1000n + BigInt(subMillisecond);
}

function toNewEvent(event: AuditRecord): Omit<NewAuditEvent, 'callerRequestId'> {
  const actor = event.actor === 'system' ? null : event.actor;
  return {
    actorKind: event.actor === 'system' ? 'system' : (actor?.kind ?? 'anonymous'),
    actorId: actor?.id ?? null,
    role: actor?.role ?? null,
    officeId: actor?.officeId ?? null,
    networkId: actor?.networkId ?? null,
    partnerId: actor?.partnerId ?? null,
    apiClientId: actor?.apiClientId ?? null,
    action: event.action,
    resourceType: event.resourceType,
    resourceId: event.resourceId ?? null,
    clientId: event.clientId ?? null,
    requestId: event.requestId ?? null,
    outcome: event.outcome ?? 'SUCCESS',
  };
}
