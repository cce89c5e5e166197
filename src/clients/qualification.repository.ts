import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { utcInstant, type CursorKey } from '../common/http/pagination';
import { assignments, SqlParameters } from '../common/sql';

/** A qualification as the queries return it (raw row, camelCase aliases; no entity hydration). */
export interface QualificationRow {
  id: string;
  clientId: string;
  kind: string;
  titleOriginal: string | null;
  titleDe: string | null;
  country: string;
  yearAwarded: number | null;
  durationMonths: number | null;
  experienceMonths: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The columns a qualification is created or changed with. */
export interface QualificationValues {
  kind?: string;
  titleOriginal?: string;
  titleDe?: string | null;
  country?: string;
  yearAwarded?: number | null;
  durationMonths?: number | null;
  experienceMonths?: number | null;
}

const VALUE_COLUMNS: { [K in keyof QualificationValues]-?: string } = {
  kind: 'kind',
  titleOriginal: 'title_original',
  titleDe: 'title_de',
  country: 'country',
  yearAwarded: 'year_awarded',
  durationMonths: 'duration_months',
  experienceMonths: 'experience_months',
};

const COLUMNS = `id, client_id AS "clientId", kind, title_original AS "titleOriginal", title_de AS "titleDe",
  country, year_awarded AS "yearAwarded", duration_months AS "durationMonths",
  experience_months AS "experienceMonths", version,
  ${utcInstant('created_at')} AS "createdAt", ${utcInstant('updated_at')} AS "updatedAt"`;

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(
    clientId: string,
    values: QualificationValues,
    manager: EntityManager,
  ): Promise<QualificationRow> {
    const parameters = new SqlParameters();
    const keys = (Object.keys(VALUE_COLUMNS) as (keyof QualificationValues)[]).filter(
      (key) => values[key] !== undefined,
    );
    const columns = ['client_id', ...keys.map((key) => VALUE_COLUMNS[key])];
    const placeholders = [clientId, ...keys.map((key) => values[key])].map((value) => parameters.bind(value));
    const rows: QualificationRow[] = await manager.query(
      `INSERT INTO client_qualifications (${columns.join(', ')}) VALUES (${placeholders.join(', ')})
       RETURNING ${COLUMNS}`,
      parameters.values,
    );
    return rows[0];
  }

  async find(
    clientId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<QualificationRow | undefined> {
    const rows: QualificationRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM client_qualifications WHERE id = $1 AND client_id = $2`,
      [id, clientId],
    );
    return rows[0];
  }

  /** Oldest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(clientId: string, after: CursorKey | undefined, limit: number): Promise<QualificationRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`client_id = ${parameters.bind(clientId)}`];
    if (after) {
      conditions.push(
        `(created_at, id) > (${parameters.bind(after.sortKey)}::timestamptz, ${parameters.bind(after.id)}::uuid)`,
      );
    }
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM client_qualifications WHERE ${conditions.join(' AND ')}
        ORDER BY created_at, id LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /** Applies the changes and increments the version, if the version is still the expected one. */
  async update(
    clientId: string,
    id: string,
    changes: QualificationValues,
    expectedVersion: number,
    manager: EntityManager,
  ): Promise<QualificationRow | undefined> {
    const parameters = new SqlParameters();
    const sets = assignments(changes, VALUE_COLUMNS, parameters);
    const [rows]: [QualificationRow[], number] = await manager.query(
      `UPDATE client_qualifications SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = ${parameters.bind(id)} AND client_id = ${parameters.bind(clientId)}
          AND version = ${parameters.bind(expectedVersion)}
        RETURNING ${COLUMNS}`,
      parameters.values,
    );
    return rows[0];
  }

  /** Deletes the record if it is still at the expected version; answers whether it did. */
  async delete(
    clientId: string,
    id: string,
    expectedVersion: number,
    manager: EntityManager,
  ): Promise<boolean> {
    const [, affected]: [unknown, number] = await manager.query(
      'DELETE FROM client_qualifications WHERE id = $1 AND client_id = $2 AND version = $3',
      [id, clientId, expectedVersion],
    );
    return affected > 0;
  }

  /** Every qualification of the client, oldest first (Art. 15 export). */
  async allOf(clientId: string, manager: EntityManager): Promise<QualificationRow[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM client_qualifications WHERE client_id = $1 ORDER BY created_at, id`,
      [clientId],
    );
  }

  /** Art. 17: removes the free-text titles for good; kind, country and the figures stay. */
  async eraseFreeTexts(clientId: string, manager: EntityManager): Promise<number> {
    const [, affected]: [unknown, number] = await manager.query(
      `UPDATE client_qualifications
          SET title_original = NULL, title_de = NULL, version = version + 1, updated_at = now()
        WHERE client_id = $1`,
      [clientId],
    );
    return affected;
  }

  async timelineOf(clientId: string, manager: EntityManager): Promise<QualificationTimelineRow[]> {
    return manager.query(
      `SELECT id, kind, country, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "createdOn",
              ${utcInstant('created_at')} AS "createdAt"
         FROM client_qualifications WHERE client_id = $1 ORDER BY created_at, id`,
      [clientId],
    );
  }
}
