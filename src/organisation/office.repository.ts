import { utcInstant } from '../common/http/pagination';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CursorKey } from '../common/http/pagination';
import { assignments, SqlParameters } from '../common/sql';

/** An office as the queries return it (raw row, camelCase aliases; no entity hydration). */
export interface OfficeRow {
  id: string;
  networkId: string;
  name: string;
  bundesland: string;
  mobile: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface OfficeChanges {
  name?: string;
  bundesland?: string;
  mobile?: boolean;
}

const COLUMNS = `id, network_id AS "networkId", name, bundesland, mobile, version,
  ${utcInstant('created_at')} AS "createdAt", ${utcInstant('updated_at')} AS "updatedAt"`;

/** All SQL on `offices`. */
@Injectable()
export class OfficeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(
    office: { networkId: string; name: string; bundesland: string; mobile: boolean },
    manager: EntityManager,
  ): Promise<OfficeRow> {
    const rows: OfficeRow[] = await manager.query(
      `INSERT INTO offices (network_id, name, bundesland, mobile) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [office.networkId, office.name, office.bundesland, office.mobile],
    );
    return rows[0];
  }

  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<OfficeRow | undefined> {
    const rows: OfficeRow[] = await manager.query(`SELECT ${COLUMNS} FROM offices WHERE id = $1`, [id]);
    return rows[0];
  }

  async exists(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM offices WHERE id = $1', [id]);
    return rows.length > 0;
  }

  async networkExists(networkId: string, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM networks WHERE id = $1', [networkId]);
    return rows.length > 0;
  }

  /** Whether another office (not `exceptId`) of the network has this name. */
  async nameTaken(
    networkId: string,
    name: string,
    exceptId: string | null,
    manager: EntityManager,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'SELECT 1 FROM offices WHERE network_id = $1 AND name = $2 AND id IS DISTINCT FROM $3::uuid',
      [networkId, name, exceptId],
    );
    return rows.length > 0;
  }

  /** Oldest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(
    filter: { networkId?: string },
    after: CursorKey | undefined,
    limit: number,
  ): Promise<OfficeRow[]> {
    const parameters = new SqlParameters();
    const conditions: string[] = [];
    if (filter.networkId !== undefined) {
      conditions.push(`network_id = ${parameters.bind(filter.networkId)}::uuid`);
    }
    if (after) {
      conditions.push(
        `(created_at, id) > (${parameters.bind(after.sortKey)}::timestamptz, ${parameters.bind(after.id)}::uuid)`,
      );
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM offices ${where} ORDER BY created_at, id LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /** Locks the office for the rest of the transaction and answers it as it is. */
  async findForUpdate(id: string, manager: EntityManager): Promise<OfficeRow | undefined> {
    const rows: OfficeRow[] = await manager.query(`SELECT ${COLUMNS} FROM offices WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return rows[0];
  }

  /** Applies the changes and increments the version; `undefined` when there is no such office. */
  async update(
    id: string,
    changes: OfficeChanges,
    expectedVersion: number,
    manager: EntityManager,
  ): Promise<OfficeRow | undefined> {
    const parameters = new SqlParameters();
    const sets = assignments(
      changes,
      { name: 'name', bundesland: 'bundesland', mobile: 'mobile' },
      parameters,
    );
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [OfficeRow[], number] = await manager.query(
      `UPDATE offices SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = ${parameters.bind(id)} AND version = ${parameters.bind(expectedVersion)} RETURNING ${COLUMNS}`,
      parameters.values,
    );
    return rows[0];
  }
}
