import { utcInstant } from '../common/http/pagination';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CursorKey } from '../common/http/pagination';
import { assignments, SqlParameters } from '../common/sql';

/** A network as the queries return it (raw row, camelCase aliases; no entity hydration). */
export interface NetworkRow {
  id: string;
  name: string;
  bundeslaender: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface NetworkChanges {
  name?: string;
  bundeslaender?: string[];
}

const COLUMNS = `id, name, bundeslaender, version,
  ${utcInstant('created_at')} AS "createdAt", ${utcInstant('updated_at')} AS "updatedAt"`;

/** All SQL on `networks`. */
@Injectable()
export class NetworkRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(
    network: { name: string; bundeslaender: string[] },
    manager: EntityManager,
  ): Promise<NetworkRow> {
    const rows: NetworkRow[] = await manager.query(
      `INSERT INTO networks (name, bundeslaender) VALUES ($1, $2::text[]) RETURNING ${COLUMNS}`,
      [network.name, network.bundeslaender],
    );
    return rows[0];
  }

  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NetworkRow | undefined> {
    const rows: NetworkRow[] = await manager.query(`SELECT ${COLUMNS} FROM networks WHERE id = $1`, [id]);
    return rows[0];
  }

  async exists(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM networks WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /** Whether another network (not `exceptId`) has this name. */
  async nameTaken(name: string, exceptId: string | null, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'SELECT 1 FROM networks WHERE name = $1 AND id IS DISTINCT FROM $2::uuid',
      [name, exceptId],
    );
    return rows.length > 0;
  }

  /** Oldest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(after: CursorKey | undefined, limit: number): Promise<NetworkRow[]> {
    const parameters = new SqlParameters();
    const where = after
      ? `WHERE (created_at, id) > (${parameters.bind(after.sortKey)}::timestamptz, ${parameters.bind(after.id)}::uuid)`
      : '';
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM networks ${where} ORDER BY created_at, id LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /** Applies the changes and increments the version; `undefined` when there is no such network. */
  async update(
    id: string,
    changes: NetworkChanges,
    expectedVersion: number,
    manager: EntityManager,
  ): Promise<NetworkRow | undefined> {
    const parameters = new SqlParameters();
    const sets = assignments(changes, { name: 'name', bundeslaender: 'bundeslaender' }, parameters);
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [NetworkRow[], number] = await manager.query(
      `UPDATE networks SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = ${parameters.bind(id)} AND version = ${parameters.bind(expectedVersion)} RETURNING ${COLUMNS}`,
      parameters.values,
    );
    return rows[0];
  }
}
