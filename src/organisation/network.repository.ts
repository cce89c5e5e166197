import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { createdAtKeyset, orderAndLimit, type RowOf, type ValuesOf } from '../common/database/table';
import type { CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { NetworkEntity } from './network.entity';

/** A network as the queries return it (raw row, camelCase aliases; no entity hydration). */
export type NetworkRow = RowOf<NetworkEntity>;

export type NetworkChanges = Pick<ValuesOf<NetworkEntity>, 'name' | 'bundeslaender'>;

/** All SQL on `networks`. */
@Injectable()
export class NetworkRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(NetworkEntity);
  }

  async insert(network: { name: string; bundeslaender: string[] }): Promise<NetworkRow> {
    const parameters = new SqlParameters();
    const statement = this.table.insert(network, parameters);
    return (await this.db.row<NetworkRow>(statement, parameters.values))!;
  }

  async findById(id: string): Promise<NetworkRow | undefined> {
    return this.db.row<NetworkRow>(`SELECT ${this.table.columns()} FROM networks WHERE id = $1`, [id]);
  }

  /** Locks the network for the rest of the transaction and answers it as it is. */
  async findForUpdate(id: string): Promise<NetworkRow | undefined> {
    return this.db.row<NetworkRow>(`SELECT ${this.table.columns()} FROM networks WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.row('SELECT 1 FROM networks WHERE id = $1', [id])) !== undefined;
  }

  /** Whether another network (not `exceptId`) has this name. */
  async nameTaken(name: string, exceptId: string | null): Promise<boolean> {
    const row = await this.db.row('SELECT 1 FROM networks WHERE name = $1 AND id IS DISTINCT FROM $2::uuid', [
      name,
      exceptId,
    ]);
    return row !== undefined;
  }

  /** Oldest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(after: CursorKey | undefined, limit: number): Promise<NetworkRow[]> {
    const parameters = new SqlParameters();
    const where = after ? `WHERE ${createdAtKeyset(after, 'ASC', parameters)}` : '';
    return this.db.rows<NetworkRow>(
      `SELECT ${this.table.columns()} FROM networks ${where}
        ${orderAndLimit(['created_at', 'id'], 'ASC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** Applies the changes and increments the version; `undefined` when there is no such network. */
  async update(
    id: string,
    changes: NetworkChanges,
    expectedVersion: number,
  ): Promise<NetworkRow | undefined> {
    const parameters = new SqlParameters();
    const statement = this.table.versionedUpdate(changes, { id }, expectedVersion, parameters);
    return this.db.row<NetworkRow>(statement, parameters.values);
  }
}
