import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { utcInstant, type CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';

/** A consent as the queries return it (raw row, camelCase aliases; no entity hydration). */
export interface ConsentRow {
  id: string;
  clientId: string;
  purpose: string;
  partnerId: string | null;
  partnerType: string | null;
  dataCategories: string[];
  givenOn: string;
  method: string;
  expiresOn: string | null;
  withdrawnAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewConsent {
  purpose: string;
  partnerId: string | null;
  partnerType: string | null;
  dataCategories: string[];
  givenOn: string;
  method: string;
  expiresOn: string | null;
}

const COLUMNS = `id, client_id AS "clientId", purpose, partner_id AS "partnerId", partner_type AS "partnerType",
  data_categories AS "dataCategories", to_char(given_on, 'YYYY-MM-DD') AS "givenOn", method,
  to_char(expires_on, 'YYYY-MM-DD') AS "expiresOn", ${utcInstant('withdrawn_at')} AS "withdrawnAt", version,
  ${utcInstant('created_at')} AS "createdAt", ${utcInstant('updated_at')} AS "updatedAt"`;

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async partnerExists(partnerId: string, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM partners WHERE id = $1', [partnerId]);
    return rows.length > 0;
  }

  async insert(clientId: string, consent: NewConsent, manager: EntityManager): Promise<ConsentRow> {
    const rows: ConsentRow[] = await manager.query(
      `INSERT INTO consents (client_id, purpose, partner_id, partner_type, data_categories, given_on, method, expires_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        clientId,
        consent.purpose,
        consent.partnerId,
        consent.partnerType,
        consent.dataCategories,
        consent.givenOn,
        consent.method,
        consent.expiresOn,
      ],
    );
    return rows[0];
  }

  async find(
    clientId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentRow | undefined> {
    const rows: ConsentRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM consents WHERE id = $1 AND client_id = $2`,
      [id, clientId],
    );
    return rows[0];
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
      conditions.push(
        `(created_at, id) > (${parameters.bind(after.sortKey)}::timestamptz, ${parameters.bind(after.id)}::uuid)`,
      );
    }
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM consents WHERE ${conditions.join(' AND ')}
        ORDER BY created_at, id LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /**
   * Records the withdrawal (at `withdrawnOn` midnight UTC, or now) if the consent is still at the
   * expected version and not withdrawn yet.
   */
  async withdraw(
    clientId: string,
    id: string,
    withdrawnOn: string | null,
    expectedVersion: number,
    manager: EntityManager,
  ): Promise<ConsentRow | undefined> {
    const [rows]: [ConsentRow[], number] = await manager.query(
      `UPDATE consents
          SET withdrawn_at = COALESCE($3::date::timestamp AT TIME ZONE 'UTC', now()),
              version = version + 1, updated_at = now()
        WHERE id = $1 AND client_id = $2 AND version = $4 AND withdrawn_at IS NULL
        RETURNING ${COLUMNS}`,
      [id, clientId, withdrawnOn, expectedVersion],
    );
    return rows[0];
  }

  /** Every consent of the client, oldest first (Art. 15 export). */
  async allOf(clientId: string, manager: EntityManager): Promise<ConsentRow[]> {
    return manager.query(`SELECT ${COLUMNS} FROM consents WHERE client_id = $1 ORDER BY created_at, id`, [
      clientId,
    ]);
  }

  async timelineOf(clientId: string, manager: EntityManager): Promise<ConsentTimelineRow[]> {
    return manager.query(
      `SELECT id, purpose, partner_id AS "partnerId", partner_type AS "partnerType",
              data_categories AS "dataCategories", to_char(given_on, 'YYYY-MM-DD') AS "givenOn",
              ${utcInstant('created_at')} AS "createdAt",
              to_char(withdrawn_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "withdrawnOn",
              ${utcInstant('withdrawn_at')} AS "withdrawnAt"
         FROM consents WHERE client_id = $1 ORDER BY created_at, id`,
      [clientId],
    );
  }
}
