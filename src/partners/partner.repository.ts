import { utcInstant } from '../common/http/pagination';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CursorKey } from '../common/http/pagination';
import { assignments, SqlParameters } from '../common/sql';
import type { PartnerType } from './partner-types';

/** A partner as the queries return it (raw row, camelCase aliases; no entity hydration). */
export interface PartnerRow {
  id: string;
  name: string;
  type: PartnerType;
  bundesland: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PartnerChanges {
  name?: string;
  type?: PartnerType;
  /** `null` removes the Land. */
  bundesland?: string | null;
}

const COLUMNS = `id, name, type, bundesland, version,
  ${utcInstant('created_at')} AS "createdAt", ${utcInstant('updated_at')} AS "updatedAt"`;

/** All SQL on `partners`. */
@Injectable()
export class PartnerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(
    partner: { name: string; type: PartnerType; bundesland: string | null },
    manager: EntityManager,
  ): Promise<PartnerRow> {
    const rows: PartnerRow[] = await manager.query(
      `INSERT INTO partners (name, type, bundesland) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      [partner.name, partner.type, partner.bundesland],
    );
    return rows[0];
  }

  async findById(id: string): Promise<PartnerRow | undefined> {
    const rows: PartnerRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM partners WHERE id = $1`, [
      id,
    ]);
    return rows[0];
  }

  /** Oldest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(
    filter: { type?: PartnerType },
    after: CursorKey | undefined,
    limit: number,
  ): Promise<PartnerRow[]> {
    const parameters = new SqlParameters();
    const conditions: string[] = [];
    if (filter.type !== undefined) {
      conditions.push(`type = ${parameters.bind(filter.type)}`);
    }
    if (after) {
      conditions.push(
        `(created_at, id) > (${parameters.bind(after.sortKey)}::timestamptz, ${parameters.bind(after.id)}::uuid)`,
      );
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM partners ${where} ORDER BY created_at, id LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /** Applies the changes and increments the version; `undefined` when there is no such partner. */
  async update(
    id: string,
    changes: PartnerChanges,
    expectedVersion: number,
    manager: EntityManager,
  ): Promise<PartnerRow | undefined> {
    const parameters = new SqlParameters();
    const sets = assignments(changes, { name: 'name', type: 'type', bundesland: 'bundesland' }, parameters);
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [PartnerRow[], number] = await manager.query(
      `UPDATE partners SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = ${parameters.bind(id)} AND version = ${parameters.bind(expectedVersion)} RETURNING ${COLUMNS}`,
      parameters.values,
    );
    return rows[0];
  }
}
