import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { createdAtKeyset, orderAndLimit, type RowOf, type ValuesOf } from '../common/database/table';
import { utcInstant, type CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { QualificationEntity } from './qualification.entity';

/** A qualification as the queries return it (raw row, camelCase aliases; no entity hydration). */
export type QualificationRow = RowOf<QualificationEntity>;

/** The columns a qualification is created or changed with. */
export type QualificationValues = ValuesOf<
  QualificationEntity,
  'id' | 'clientId' | 'version' | 'createdAt' | 'updatedAt'
>;

/** What the timeline shows of a qualification: codes only, never the titles. */
export interface QualificationTimelineRow {
  id: string;
  kind: string;
  country: string;
  createdOn: string;
  createdAt: string;
}

/**
 * All SQL on `client_qualifications`. Every statement names the client as well as the record, so an
 * id of another client (or office) is simply not found; the caller has checked the client's scope.
 */
@Injectable()
export class QualificationRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(QualificationEntity);
  }

  async insert(clientId: string, values: QualificationValues): Promise<QualificationRow> {
    const parameters = new SqlParameters();
    const statement = this.table.insert({ ...values, clientId }, parameters);
    return (await this.db.row<QualificationRow>(statement, parameters.values))!;
  }

  async find(clientId: string, id: string): Promise<QualificationRow | undefined> {
    return this.db.row<QualificationRow>(
      `SELECT ${this.table.columns()} FROM client_qualifications WHERE id = $1 AND client_id = $2`,
      [id, clientId],
    );
  }

  /** The client and country of each of these qualifications (for the rules of other modules). */
  async countries(ids: readonly string[]): Promise<{ id: string; clientId: string; country: string }[]> {
    if (ids.length === 0) {
      return [];
    }
    return this.db.rows<{ id: string; clientId: string; country: string }>(
      'SELECT id, client_id AS "clientId", country FROM client_qualifications WHERE id = ANY($1::uuid[])',
      [ids],
    );
  }

  /** Oldest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(clientId: string, after: CursorKey | undefined, limit: number): Promise<QualificationRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`client_id = ${parameters.bind(clientId)}`];
    if (after) {
      conditions.push(createdAtKeyset(after, 'ASC', parameters));
    }
    return this.db.rows<QualificationRow>(
      `SELECT ${this.table.columns()} FROM client_qualifications WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['created_at', 'id'], 'ASC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** Applies the changes and increments the version, if the version is still the expected one. */
  async update(
    clientId: string,
    id: string,
    changes: QualificationValues,
    expectedVersion: number,
  ): Promise<QualificationRow | undefined> {
    const parameters = new SqlParameters();
    const statement = this.table.versionedUpdate(changes, { id, clientId }, expectedVersion, parameters);
    return this.db.row<QualificationRow>(statement, parameters.values);
  }

  /** Deletes the record if it is still at the expected version; answers whether it did. */
  async delete(clientId: string, id: string, expectedVersion: number): Promise<boolean> {
    const affected = await this.db.run(
      'DELETE FROM client_qualifications WHERE id = $1 AND client_id = $2 AND version = $3',
      [id, clientId, expectedVersion],
    );
    return affected > 0;
  }

  /** Every qualification of the client, oldest first (Art. 15 export). */
  async allOf(clientId: string): Promise<QualificationRow[]> {
    return this.db.rows<QualificationRow>(
      `SELECT ${this.table.columns()} FROM client_qualifications WHERE client_id = $1 ORDER BY created_at, id`,
      [clientId],
    );
  }

  /** Art. 17: removes the free-text titles for good; kind, country and the figures stay. */
  async eraseFreeTexts(clientId: string): Promise<number> {
    return this.db.run(
      `UPDATE client_qualifications
          SET title_original = NULL, title_de = NULL, version = version + 1, updated_at = now()
        WHERE client_id = $1`,
      [clientId],
    );
  }

  /** `createdOn` is the calendar day of the recording in the offices' time zone. */
  async timelineOf(clientId: string, timeZone: string): Promise<QualificationTimelineRow[]> {
    return this.db.rows<QualificationTimelineRow>(
      `SELECT id, kind, country, to_char(created_at AT TIME ZONE $2, 'YYYY-MM-DD') AS "createdOn",
              ${utcInstant('created_at')} AS "createdAt"
         FROM client_qualifications WHERE client_id = $1 ORDER BY created_at, id`,
      [clientId, timeZone],
    );
  }
}
