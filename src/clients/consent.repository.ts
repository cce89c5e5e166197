import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { createdAtKeyset, orderAndLimit, type RowOf } from '../common/database/table';
import { utcInstant, type CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { ConsentEntity } from './consent.entity';

/** A consent as the queries return it (raw row, camelCase aliases; no entity hydration). */
export type ConsentRow = RowOf<ConsentEntity>;

export type NewConsent = Omit<
  ConsentRow,
  'id' | 'clientId' | 'withdrawnAt' | 'version' | 'createdAt' | 'updatedAt'
>;

/** What the timeline shows of a consent: codes and dates only. */
export interface ConsentTimelineRow {
  id: string;
  purpose: string;
  partnerId: string | null;
  partnerType: string | null;
  dataCategories: string[];
  givenOn: string;
  createdAt: string;
  withdrawnOn: string | null;
  withdrawnAt: string | null;
}

/**
 * All SQL on `consents`. Every statement names the client as well as the record, so an id of another
 * client (or office) is simply not found; the caller has checked the client's scope. Consents are
 * evidence: they are never updated except for their withdrawal, and never deleted.
 */
@Injectable()
export class ConsentRepository {
  constructor(private readonly db: Db) {}

  private get columns(): string {
    return this.db.table(ConsentEntity).columns();
  }

  async insert(clientId: string, consent: NewConsent): Promise<ConsentRow> {
    const parameters = new SqlParameters();
    const statement = this.db.table(ConsentEntity).insert({ ...consent, clientId }, parameters);
    return (await this.db.row<ConsentRow>(statement, parameters.values))!;
  }

  async find(clientId: string, id: string): Promise<ConsentRow | undefined> {
    return this.db.row<ConsentRow>(`SELECT ${this.columns} FROM consents WHERE id = $1 AND client_id = $2`, [
      id,
      clientId,
    ]);
  }

  /**
   * Oldest first, keyset on (created_at, id); fetches `limit + 1` rows. `active`: in force on `today`
   * (not withdrawn, `expires_on` not passed), or the opposite — the same rule as `consentStatus`.
   */
  async list(
    clientId: string,
    filter: { active?: boolean; today: string },
    after: CursorKey | undefined,
    limit: number,
  ): Promise<ConsentRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`client_id = ${parameters.bind(clientId)}`];
    if (filter.active !== undefined) {
      const inForce = `(withdrawn_at IS NULL AND (expires_on IS NULL OR expires_on >= ${parameters.bind(filter.today)}::date))`;
      conditions.push(filter.active ? inForce : `NOT ${inForce}`);
    }
    if (after) {
      conditions.push(createdAtKeyset(after, 'ASC', parameters));
    }
    return this.db.rows<ConsentRow>(
      `SELECT ${this.columns} FROM consents WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['created_at', 'id'], 'ASC', limit, parameters)}`,
      parameters.values,
    );
  }

  /**
   * Records the withdrawal (at the start of `withdrawnOn` in the offices' time zone, or now) if the
   * consent is still at the expected version and not withdrawn yet.
   */
  async withdraw(
    clientId: string,
    id: string,
    withdrawal: { withdrawnOn: string | null; timeZone: string },
    expectedVersion: number,
  ): Promise<ConsentRow | undefined> {
    return this.db.row<ConsentRow>(
      `UPDATE consents
          SET withdrawn_at = COALESCE($3::date::timestamp AT TIME ZONE $5, now()),
              version = version + 1, updated_at = now()
        WHERE id = $1 AND client_id = $2 AND version = $4 AND withdrawn_at IS NULL
        RETURNING ${this.columns}`,
      [id, clientId, withdrawal.withdrawnOn, expectedVersion, withdrawal.timeZone],
    );
  }

  /** Every consent of the client, oldest first (Art. 15 export). */
  async allOf(clientId: string): Promise<ConsentRow[]> {
    return this.db.rows<ConsentRow>(
      `SELECT ${this.columns} FROM consents WHERE client_id = $1 ORDER BY created_at, id`,
      [clientId],
    );
  }

  /** `withdrawnOn` is the calendar day of the withdrawal in the offices' time zone. */
  async timelineOf(clientId: string, timeZone: string): Promise<ConsentTimelineRow[]> {
    return this.db.rows<ConsentTimelineRow>(
      `SELECT id, purpose, partner_id AS "partnerId", partner_type AS "partnerType",
              data_categories AS "dataCategories", to_char(given_on, 'YYYY-MM-DD') AS "givenOn",
              ${utcInstant('created_at')} AS "createdAt",
              to_char(withdrawn_at AT TIME ZONE $2, 'YYYY-MM-DD') AS "withdrawnOn",
              ${utcInstant('withdrawn_at')} AS "withdrawnAt"
         FROM consents WHERE client_id = $1 ORDER BY created_at, id`,
      [clientId, timeZone],
    );
  }
}
