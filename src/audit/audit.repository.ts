import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { keysetAfter, orderAndLimit } from '../common/database/table';
import { utcInstant, type CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
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

/**
 * The columns of a new event; `id` and `occurred_at` come from the database. `callerRequestId` (the
 * caller's own `X-Request-Id`) is stored for correlation with the caller's logs, not listed.
 */
export type NewAuditEvent = Omit<AuditEventRow, 'id' | 'occurredAt'> & { callerRequestId: string | null };

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

/** Insert order of the columns of a new event; one array parameter per column (`unnest`). */
const INSERT_COLUMNS: readonly [keyof NewAuditEvent, string, string][] = [
  ['actorKind', 'actor_kind', 'text'],
  ['actorId', 'actor_id', 'uuid'],
  ['role', 'role', 'text'],
  ['officeId', 'office_id', 'uuid'],
  ['networkId', 'network_id', 'uuid'],
  ['partnerId', 'partner_id', 'uuid'],
  ['apiClientId', 'api_client_id', 'text'],
  ['action', 'action', 'text'],
  ['resourceType', 'resource_type', 'text'],
  ['resourceId', 'resource_id', 'text'],
  ['clientId', 'client_id', 'uuid'],
  ['requestId', 'request_id', 'uuid'],
  ['callerRequestId', 'caller_request_id', 'text'],
  ['outcome', 'outcome', 'text'],
];

/** One statement text for one event or a thousand: the events travel as one array per column. */
const INSERT = `INSERT INTO audit_events (${INSERT_COLUMNS.map(([, column]) => column).join(', ')})
  SELECT * FROM unnest(${INSERT_COLUMNS.map(([, , type], index) => `$${index + 1}::${type}[]`).join(', ')})`;

@Injectable()
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Appends events, inside the transaction of the current context when there is one. */
  async insert(events: readonly NewAuditEvent[]): Promise<void> {
    await this.db.run(
      INSERT,
      INSERT_COLUMNS.map(([property]) => events.map((event) => event[property])),
    );
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
    const parameters = new SqlParameters();
    const conditions: string[] = [];
    for (const [key, condition] of FILTER_CONDITIONS) {
      const value = filter[key];
      if (value !== undefined) {
        conditions.push(condition.replace('$%', parameters.bind(value)));
      }
    }
    if (after) {
      conditions.push(
        keysetAfter(
          [
            { expression: 'occurred_at', value: after.sortKey, type: 'timestamptz' },
            { expression: 'id', value: after.id, type: 'uuid' },
          ],
          'DESC',
          parameters,
        ),
      );
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.db.rows<AuditEventRow>(
      `SELECT ${SELECT_COLUMNS} FROM audit_events ${where}
       ${orderAndLimit(['occurred_at', 'id'], 'DESC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** Every event about one client, oldest first (for the client's Art. 15 export). */
  async allForClient(clientId: string): Promise<AuditEventRow[]> {
    return this.db.rows<AuditEventRow>(
      `SELECT ${SELECT_COLUMNS} FROM audit_events WHERE client_id = $1 ORDER BY occurred_at, id`,
      [clientId],
    );
  }
}
