import { Injectable } from '@nestjs/common';
import type { ClientActivitySource } from '../clients/client-activity';
import { Db } from '../common/database/db';
import { utcInstant, type CursorKey } from '../common/http/pagination';

export interface DueClientRow {
  clientId: string;
  officeId: string;
  /** The German calendar day of the client's last activity (`YYYY-MM-DD`). */
  lastActivityOn: string;
  /** The day the client became due: last activity plus RETENTION_YEARS. */
  dueOn: string;
}

export interface RetentionRunRow {
  id: string;
  trigger: string;
  requestedBy: string | null;
  asOf: string;
  startedAt: string;
  finishedAt: string | null;
  erased: number;
  failed: number;
}

export interface DueQuery {
  sources: readonly ClientActivitySource[];
  timeZone: string;
  years: number;
  /** Due on or before this day. */
  today: string;
  /** Only clients of this network's offices (a coordinator's preview). */
  networkId?: string;
  /** Only this client (the check inside an erasure's transaction). */
  clientId?: string;
  after?: CursorKey;
  limit?: number;
}

const RUN_COLUMNS = `id, trigger, requested_by AS "requestedBy", to_char(as_of, 'YYYY-MM-DD') AS "asOf",
  ${utcInstant('started_at')} AS "startedAt",
  CASE WHEN finished_at IS NULL THEN NULL ELSE ${utcInstant('finished_at')} END AS "finishedAt", erased, failed`;

@Injectable()
export class RetentionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Clients not yet erased, held by no source, whose last activity (the latest day of every source)
   * plus `years` is on or before `today`; ordered by the day they became due.
   */
  async due(query: DueQuery): Promise<DueClientRow[]> {
    const activity = query.sources.map((source) => `(${source.activitySql})`).join('\nUNION ALL\n');
    const holds = query.sources
      .filter((source) => source.holdSql !== undefined)
      .map((source) => `(${source.holdSql})`);
    const values: unknown[] = [query.timeZone, query.years, query.today];
    const conditions: string[] = [];
    if (query.networkId !== undefined) {
      values.push(query.networkId);
      conditions.push(`c.office_id IN (SELECT id FROM offices WHERE network_id = $${values.length})`);
    }
    if (query.clientId !== undefined) {
      values.push(query.clientId);
      conditions.push(`c.id = $${values.length}`);
    }
    if (query.after !== undefined) {
      values.push(query.after.sortKey, query.after.id);
      conditions.push(`(d.due_on, c.id) > ($${values.length - 1}::date, $${values.length}::uuid)`);
    }
    let limit = '';
    if (query.limit !== undefined) {
      values.push(query.limit);
      limit = `LIMIT $${values.length}`;
    }
    return this.db.rows<DueClientRow>(
      `WITH activity (client_id, activity_on) AS (${activity}),
            last AS (SELECT client_id, max(activity_on) AS last_activity_on FROM activity GROUP BY client_id)
       SELECT c.id AS "clientId", c.office_id AS "officeId",
              to_char(d.last_activity_on, 'YYYY-MM-DD') AS "lastActivityOn",
              to_char(d.due_on, 'YYYY-MM-DD') AS "dueOn"
         FROM clients c
         JOIN (SELECT client_id, last_activity_on,
                      (last_activity_on + make_interval(years => $2::int))::date AS due_on
                 FROM last) d ON d.client_id = c.id
        WHERE c.erased_at IS NULL
          AND d.due_on <= $3::date
          ${holds.length > 0 ? `AND c.id NOT IN (${holds.join('\nUNION ALL\n')})` : ''}
          ${conditions.map((condition) => `AND ${condition}`).join('\n')}
        ORDER BY d.due_on, c.id
        ${limit}`,
      values,
    );
  }

  /** Locks the client row for the rest of the transaction (any office: the retention job has no office). */
  async lockClient(clientId: string): Promise<{ officeId: string; version: number } | undefined> {
    return this.db.row<{ officeId: string; version: number }>(
      'SELECT office_id AS "officeId", version FROM clients WHERE id = $1 FOR UPDATE',
      [clientId],
    );
  }

  async startRun(trigger: 'SCHEDULE' | 'MANUAL', requestedBy: string | null, asOf: string): Promise<string> {
    const row = await this.db.row<{ id: string }>(
      `INSERT INTO retention_runs (trigger, requested_by, as_of) VALUES ($1, $2, $3) RETURNING id`,
      [trigger, requestedBy, asOf],
    );
    return row!.id;
  }

  async finishRun(id: string, erased: number, failed: number): Promise<RetentionRunRow> {
    const row = await this.db.row<RetentionRunRow>(
      `UPDATE retention_runs SET finished_at = now(), erased = $2, failed = $3 WHERE id = $1
       RETURNING ${RUN_COLUMNS}`,
      [id, erased, failed],
    );
    return row!;
  }

  /** Newest first. */
  async runs(after: CursorKey | undefined, limit: number): Promise<RetentionRunRow[]> {
    const values: unknown[] = [limit + 1];
    let where = '';
    if (after) {
      values.push(after.sortKey, after.id);
      where = `WHERE (started_at, id) < ($2::timestamptz, $3::uuid)`;
    }
    return this.db.rows<RetentionRunRow>(
      `SELECT ${RUN_COLUMNS} FROM retention_runs ${where} ORDER BY started_at DESC, id DESC LIMIT $1`,
      values,
    );
  }
}
