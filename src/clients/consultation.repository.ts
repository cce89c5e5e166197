import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { utcInstant } from '../common/http/pagination';
import { assignments, SqlParameters } from '../common/sql';
import { FIRST_CONSULTATION, FOLLOW_UP_CONSULTATION } from './consultation-rules';

/** A consultation as the queries return it (raw row, camelCase aliases; no entity hydration). */
export interface ConsultationRow {
  id: string;
  clientId: string;
  officeId: string;
  adviserId: string;
  heldOn: string;
  durationMinutes: number;
  channel: string;
  mobile: boolean;
  language: string | null;
  interpreterUsed: boolean;
  kind: string;
  topics: string[];
  outcomes: string[];
  nextContactDue: string | null;
  notes: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The columns a consultation is logged or changed with (`kind` is derived, never among them). */
export interface ConsultationValues {
  heldOn?: string;
  durationMinutes?: number;
  channel?: string;
  mobile?: boolean;
  language?: string | null;
  interpreterUsed?: boolean;
  topics?: string[];
  outcomes?: string[];
  nextContactDue?: string | null;
  notes?: string | null;
}

const VALUE_COLUMNS: { [K in keyof ConsultationValues]-?: string } = {
  heldOn: 'held_on',
  durationMinutes: 'duration_minutes',
  channel: 'channel',
  mobile: 'mobile',
  language: 'language',
  interpreterUsed: 'interpreter_used',
  topics: 'topics',
  outcomes: 'outcomes',
  nextContactDue: 'next_contact_due',
  notes: 'notes',
};

const COLUMNS = `id, client_id AS "clientId", office_id AS "officeId", adviser_id AS "adviserId",
  to_char(held_on, 'YYYY-MM-DD') AS "heldOn", duration_minutes AS "durationMinutes", channel, mobile, language,
  interpreter_used AS "interpreterUsed", kind, topics, outcomes,
  to_char(next_contact_due, 'YYYY-MM-DD') AS "nextContactDue", notes, version,
  ${utcInstant('created_at')} AS "createdAt", ${utcInstant('updated_at')} AS "updatedAt"`;

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Inserts with a provisional `kind`; the caller then runs `deriveKinds`, which settles it. */
  async insert(
    clientId: string,
    officeId: string,
    adviserId: string,
    values: ConsultationValues,
    manager: EntityManager,
  ): Promise<string> {
    const parameters = new SqlParameters();
    const keys = (Object.keys(VALUE_COLUMNS) as (keyof ConsultationValues)[]).filter(
      (key) => values[key] !== undefined,
    );
    const columns = [
      'client_id',
      'office_id',
      'adviser_id',
      'kind',
      ...keys.map((key) => VALUE_COLUMNS[key]),
    ];
    const placeholders = [
      clientId,
      officeId,
      adviserId,
      FOLLOW_UP_CONSULTATION,
      ...keys.map((key) => values[key]),
    ].map((value) => parameters.bind(value));
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO consultations (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING id`,
      parameters.values,
    );
    return rows[0].id;
  }

  /**
   * Makes the client's earliest consultation (by held_on, then created_at, then id) the ERSTBERATUNG and
   * every other one a FOLGEBERATUNG, in one statement that touches only rows whose kind is wrong. Their
   * representation changes, so their version goes up — except for `changedId`, the row the caller has
   * just inserted or changed (its version already tells that). Answers the ids of the rows it changed.
   */
  async deriveKinds(clientId: string, changedId: string, manager: EntityManager): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = await manager.query(
      `UPDATE consultations c
          SET kind = ranked.kind,
              version = c.version + CASE WHEN c.id = $2::uuid THEN 0 ELSE 1 END,
              updated_at = now()
         FROM (SELECT id,
                      CASE WHEN row_number() OVER (ORDER BY held_on, created_at, id) = 1 THEN $3 ELSE $4 END AS kind
                 FROM consultations WHERE client_id = $1) ranked
        WHERE c.id = ranked.id AND c.client_id = $1 AND c.kind <> ranked.kind
        RETURNING c.id`,
      [clientId, changedId, FIRST_CONSULTATION, FOLLOW_UP_CONSULTATION],
    );
    return rows.map((row) => row.id);
  }

  async find(
    clientId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsultationRow | undefined> {
    const rows: ConsultationRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM consultations WHERE id = $1 AND client_id = $2`,
      [id, clientId],
    );
    return rows[0];
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
        `(held_on, created_at, id) < (${parameters.bind(before.heldOn)}::date, ` +
          `${parameters.bind(before.createdAt)}::timestamptz, ${parameters.bind(before.id)}::uuid)`,
      );
    }
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM consultations WHERE ${conditions.join(' AND ')}
        ORDER BY held_on DESC, created_at DESC, id DESC LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /** Applies the changes and increments the version, if the version is still the expected one. */
  async update(
    clientId: string,
    id: string,
    changes: ConsultationValues,
    expectedVersion: number,
    manager: EntityManager,
  ): Promise<ConsultationRow | undefined> {
    const parameters = new SqlParameters();
    const sets = assignments(changes, VALUE_COLUMNS, parameters);
    const [rows]: [ConsultationRow[], number] = await manager.query(
      `UPDATE consultations SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = ${parameters.bind(id)} AND client_id = ${parameters.bind(clientId)}
          AND version = ${parameters.bind(expectedVersion)}
        RETURNING ${COLUMNS}`,
      parameters.values,
    );
    return rows[0];
  }

  /** Every consultation of the client with its notes, in the order they were held (Art. 15 export). */
  async allOf(clientId: string, manager: EntityManager): Promise<ConsultationRow[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM consultations WHERE client_id = $1 ORDER BY held_on, created_at, id`,
      [clientId],
    );
  }

  /** Art. 17: removes the notes for good; the codes, dates and durations stay for statistics. */
  async eraseNotes(clientId: string, manager: EntityManager): Promise<number> {
    const [, affected]: [unknown, number] = await manager.query(
      `UPDATE consultations SET notes = NULL, version = version + 1, updated_at = now() WHERE client_id = $1`,
      [clientId],
    );
    return affected;
  }
}
