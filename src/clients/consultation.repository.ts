import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { keysetAfter, orderAndLimit, type RowOf, type ValuesOf } from '../common/database/table';
import { SqlParameters } from '../common/sql';
import { FIRST_CONSULTATION, FOLLOW_UP_CONSULTATION } from './consultation-rules';
import { ConsultationEntity } from './consultation.entity';

/** A consultation as the queries return it (raw row, camelCase aliases; no entity hydration). */
export type ConsultationRow = RowOf<ConsultationEntity>;

/** The columns a consultation is logged or changed with (`kind` is derived, never among them). */
export type ConsultationValues = ValuesOf<
  ConsultationEntity,
  'id' | 'clientId' | 'officeId' | 'adviserId' | 'kind' | 'version' | 'createdAt' | 'updatedAt'
>;

/** Keyset position in the newest-first list: (held_on, created_at, id) of the last row shown. */
export interface ConsultationCursor {
  heldOn: string;
  createdAt: string;
  id: string;
}

export interface ConsultationListFilter {
  from?: string;
  to?: string;
}

/**
 * All SQL on `consultations`. Every statement names the client as well as the record, so an id of
 * another client (or office) is simply not found; the caller has checked the client's scope and, for
 * changes, locked the client, so that the derived `kind` of the client's consultations stays correct.
 */
@Injectable()
export class ConsultationRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(ConsultationEntity);
  }

  /** Inserts with a provisional `kind`; the caller then runs `deriveKinds`, which settles it. */
  async insert(
    clientId: string,
    officeId: string,
    adviserId: string,
    values: ConsultationValues,
  ): Promise<ConsultationRow> {
    const parameters = new SqlParameters();
    const statement = this.table.insert(
      { ...values, clientId, officeId, adviserId, kind: FOLLOW_UP_CONSULTATION },
      parameters,
    );
    return (await this.db.row<ConsultationRow>(statement, parameters.values))!;
  }

  /**
   * Makes the client's earliest consultation that is not voided (by held_on, then created_at, then id)
   * the ERSTBERATUNG and every other valid one a FOLGEBERATUNG, in one statement that touches only rows
   * whose kind is wrong; a voided consultation keeps the kind it had. Their
   * representation changes, so their version goes up — except for `changedId`, the row the caller has
   * just inserted or changed (its version already tells that). Answers the ids of the rows it changed.
   */
  async deriveKinds(clientId: string, changedId: string): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `UPDATE consultations c
          SET kind = ranked.kind,
              version = c.version + CASE WHEN c.id = $2::uuid THEN 0 ELSE 1 END,
              updated_at = now()
         FROM (SELECT id,
                      CASE WHEN row_number() OVER (ORDER BY held_on, created_at, id) = 1 THEN $3 ELSE $4 END AS kind
                 FROM consultations WHERE client_id = $1 AND voided_at IS NULL) ranked
        WHERE c.id = ranked.id AND c.client_id = $1 AND c.kind <> ranked.kind
        RETURNING c.id`,
      [clientId, changedId, FIRST_CONSULTATION, FOLLOW_UP_CONSULTATION],
    );
    return rows.map((row) => row.id);
  }

  async find(clientId: string, id: string): Promise<ConsultationRow | undefined> {
    return this.db.row<ConsultationRow>(
      `SELECT ${this.table.columns()} FROM consultations WHERE id = $1 AND client_id = $2`,
      [id, clientId],
    );
  }

  /** Newest `held_on` first (then latest recorded), keyset on (held_on, created_at, id); `limit + 1` rows. */
  async list(
    clientId: string,
    filter: ConsultationListFilter,
    before: ConsultationCursor | undefined,
    limit: number,
  ): Promise<ConsultationRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`client_id = ${parameters.bind(clientId)}`];
    if (filter.from !== undefined) {
      conditions.push(`held_on >= ${parameters.bind(filter.from)}::date`);
    }
    if (filter.to !== undefined) {
      conditions.push(`held_on <= ${parameters.bind(filter.to)}::date`);
    }
    if (before) {
      conditions.push(
        keysetAfter(
          [
            { expression: 'held_on', value: before.heldOn, type: 'date' },
            { expression: 'created_at', value: before.createdAt, type: 'timestamptz' },
            { expression: 'id', value: before.id, type: 'uuid' },
          ],
          'DESC',
          parameters,
        ),
      );
    }
    return this.db.rows<ConsultationRow>(
      `SELECT ${this.table.columns()} FROM consultations WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['held_on', 'created_at', 'id'], 'DESC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** Applies the changes and increments the version, if the version is still the expected one. */
  async update(
    clientId: string,
    id: string,
    changes: ConsultationValues,
    expectedVersion: number,
  ): Promise<ConsultationRow | undefined> {
    const parameters = new SqlParameters();
    const statement = this.table.versionedUpdate(changes, { id, clientId }, expectedVersion, parameters);
    return this.db.row<ConsultationRow>(statement, parameters.values);
  }

  /** Every consultation of the client with its notes, in the order they were held (Art. 15 export). */
  async allOf(clientId: string): Promise<ConsultationRow[]> {
    return this.db.rows<ConsultationRow>(
      `SELECT ${this.table.columns()} FROM consultations WHERE client_id = $1 ORDER BY held_on, created_at, id`,
      [clientId],
    );
  }

  /**
   * Art. 17: removes the notes and the reasons for voiding for good; the codes, dates and durations
   * stay for statistics.
   */
  async eraseNotes(clientId: string): Promise<number> {
    return this.db.run(
      `UPDATE consultations SET notes = NULL, void_reason = NULL, version = version + 1, updated_at = now()
        WHERE client_id = $1`,
      [clientId],
    );
  }

  /** Locks the consultation of this client until the transaction ends. */
  async lock(clientId: string, id: string): Promise<ConsultationRow | undefined> {
    return this.db.row<ConsultationRow>(
      `SELECT ${this.table.columns()} FROM consultations WHERE id = $1 AND client_id = $2 FOR UPDATE`,
      [id, clientId],
    );
  }
}
