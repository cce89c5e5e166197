import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { createdAtKeyset, orderAndLimit, type RowOf, type ValuesOf } from '../common/database/table';
import type { CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { OfficeEntity } from './office.entity';

/** An office as the queries return it (raw row, camelCase aliases; no entity hydration). */
export type OfficeRow = RowOf<OfficeEntity>;

export type OfficeChanges = Pick<ValuesOf<OfficeEntity>, 'name' | 'bundesland' | 'mobile'>;

/** All SQL on `offices`. */
@Injectable()
export class OfficeRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(OfficeEntity);
  }

  async insert(office: {
    networkId: string;
    name: string;
    bundesland: string;
    mobile: boolean;
  }): Promise<OfficeRow> {
    const parameters = new SqlParameters();
    const statement = this.table.insert(office, parameters);
    return (await this.db.row<OfficeRow>(statement, parameters.values))!;
  }

  async findById(id: string): Promise<OfficeRow | undefined> {
    return this.db.row<OfficeRow>(`SELECT ${this.table.columns()} FROM offices WHERE id = $1`, [id]);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.row('SELECT 1 FROM offices WHERE id = $1', [id])) !== undefined;
  }

  async networkExists(networkId: string): Promise<boolean> {
    return (await this.db.row('SELECT 1 FROM networks WHERE id = $1', [networkId])) !== undefined;
  }

  /** Whether another office (not `exceptId`) of the network has this name. */
  async nameTaken(networkId: string, name: string, exceptId: string | null): Promise<boolean> {
    const row = await this.db.row(
      'SELECT 1 FROM offices WHERE network_id = $1 AND name = $2 AND id IS DISTINCT FROM $3::uuid',
      [networkId, name, exceptId],
    );
    return row !== undefined;
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
      conditions.push(createdAtKeyset(after, 'ASC', parameters));
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.db.rows<OfficeRow>(
      `SELECT ${this.table.columns()} FROM offices ${where}
        ${orderAndLimit(['created_at', 'id'], 'ASC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** Locks the office for the rest of the transaction and answers it as it is. */
  async findForUpdate(id: string): Promise<OfficeRow | undefined> {
    return this.db.row<OfficeRow>(`SELECT ${this.table.columns()} FROM offices WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
  }

  /** Applies the changes and increments the version; `undefined` when there is no such office. */
  async update(id: string, changes: OfficeChanges, expectedVersion: number): Promise<OfficeRow | undefined> {
    const parameters = new SqlParameters();
    const statement = this.table.versionedUpdate(changes, { id }, expectedVersion, parameters);
    return this.db.row<OfficeRow>(statement, parameters.values);
  }
}
