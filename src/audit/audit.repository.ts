import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { utcInstant, type CursorKey } from '../common/http/pagination';
import { AuditEventEntity } from './audit-event.entity';
import type { AuditOutcome } from './audit.dto';

/** An audit event as the list query returns it (raw row, camelCase aliases; no entity hydration). */
export interface AuditEventRow {
  id: string;
  /** UTC, ISO 8601 with microseconds: also the keyset sort key, so no precision is lost. */
  occurredAt: string;
  actorKind: string;
  actorId: string | null;
  role: string | null;
  officeId: string | null;
  networkId: string | null;
  partnerId: string | null;
  apiClientId: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  clientId: string | null;
  requestId: string | null;
  outcome: AuditOutcome;
}

/** The columns of a new event; `id` and `occurred_at` come from the database. */
export type NewAuditEvent = Omit<AuditEventRow, 'id' | 'occurredAt'>;

export interface AuditEventFilter {
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  clientId?: string;
  action?: string;
  outcome?: AuditOutcome;
  /** Inclusive; an ISO 8601 instant, passed to PostgreSQL as text so microseconds survive. */
  from?: string;
  /** Exclusive. */
  to?: string;
}

/** Filter → SQL condition (fixed here; only the values come from the request, as parameters). */
const FILTER_CONDITIONS: readonly [keyof AuditEventFilter, string][] = [
  ['actorId', 'actor_id = $%::uuid'],
  ['resourceType', 'resource_type = $%'],
  ['resourceId', 'resource_id = $%'],
  ['clientId', 'client_id = $%::uuid'],
  ['action', 'action = $%'],
  ['outcome', 'outcome = $%'],
  ['from', 'occurred_at >= $%::timestamptz'],
  ['to', 'occurred_at < $%::timestamptz'],
];

const SELECT_COLUMNS = `
  id,
  ${utcInstant('occurred_at')} AS "occurredAt",
  actor_kind AS "actorKind",
  actor_id AS "actorId",
  role,
  office_id AS "officeId",
  network_id AS "networkId",
  partner_id AS "partnerId",
  api_client_id AS "apiClientId",
  action,
  resource_type AS "resourceType",
  resource_id AS "resourceId",
  client_id AS "clientId",
  request_id AS "requestId",
  outcome`;

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends one event, inside the caller's transaction when a manager is given. */
  async insert(
    events: NewAuditEvent | NewAuditEvent[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.insert(AuditEventEntity, events);
  }

  /**
   * Newest first, keyset-paginated on (occurred_at, id) DESC: each page is a backward range scan of
   * `audit_events_occurred_at_idx` (or of the actor/resource/client index when that filter is given).
   * Fetches `limit + 1` rows; the extra row only tells that there is a next page.
   */
  async list(
    filter: AuditEventFilter,
    after: CursorKey | undefined,
    limit: number,
  ): Promise<AuditEventRow[]> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const bind = (value: unknown): string => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    for (const [key, condition] of FILTER_CONDITIONS) {
      const value = filter[key];
      if (value !== undefined) {
        conditions.push(condition.replace('$%', bind(value)));
      }
    }
    if (after) {
      conditions.push(`(occurred_at, id) < (${bind(after.sortKey)}::timestamptz, ${bind(after.id)}::uuid)`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.dataSource.query<AuditEventRow[]>(
      `SELECT ${SELECT_COLUMNS}
       FROM audit_events
       ${where}
       ORDER BY occurred_at DESC, id DESC
       LIMIT ${bind(limit + 1)}`,
      parameters,
    );
  }

  /** Every event about one client, oldest first (for the client's Art. 15 export). */
  async allForClient(clientId: string, manager: EntityManager): Promise<AuditEventRow[]> {
    return manager.query(
      `SELECT ${SELECT_COLUMNS} FROM audit_events WHERE client_id = $1 ORDER BY occurred_at, id`,
      [clientId],
    );
  }
}
