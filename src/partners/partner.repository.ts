import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { createdAtKeyset, orderAndLimit, type RowOf, type ValuesOf } from '../common/database/table';
import type { CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import type { PartnerType } from './partner-types';
import { PartnerEntity } from './partner.entity';

/** A partner as the queries return it (raw row, camelCase aliases; no entity hydration). */
export type PartnerRow = RowOf<PartnerEntity>;

/** `bundesland: null` removes the Land. */
export type PartnerChanges = Pick<ValuesOf<PartnerEntity>, 'name' | 'type' | 'bundesland'>;

/** All SQL on `partners`. */
@Injectable()
export class PartnerRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(PartnerEntity);
  }

  async insert(partner: { name: string; type: PartnerType; bundesland: string | null }): Promise<PartnerRow> {
    const parameters = new SqlParameters();
    const statement = this.table.insert(partner, parameters);
    return (await this.db.row<PartnerRow>(statement, parameters.values))!;
  }

  async findById(id: string): Promise<PartnerRow | undefined> {
    return this.db.row<PartnerRow>(`SELECT ${this.table.columns()} FROM partners WHERE id = $1`, [id]);
  }

  /** Locks the partner for the rest of the transaction and answers it as it is. */
  async findForUpdate(id: string): Promise<PartnerRow | undefined> {
    return this.db.row<PartnerRow>(`SELECT ${this.table.columns()} FROM partners WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.row('SELECT 1 FROM partners WHERE id = $1', [id])) !== undefined;
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
      conditions.push(createdAtKeyset(after, 'ASC', parameters));
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.db.rows<PartnerRow>(
      `SELECT ${this.table.columns()} FROM partners ${where}
        ${orderAndLimit(['created_at', 'id'], 'ASC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** Applies the changes and increments the version; `undefined` when there is no such partner. */
  async update(
    id: string,
    changes: PartnerChanges,
    expectedVersion: number,
  ): Promise<PartnerRow | undefined> {
    const parameters = new SqlParameters();
    const statement = this.table.versionedUpdate(changes, { id }, expectedVersion, parameters);
    return this.db.row<PartnerRow>(statement, parameters.values);
  }
}
