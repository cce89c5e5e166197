import { Injectable } from '@nestjs/common';
import type { UserRole } from '../auth/roles';
import { Db } from '../common/database/db';
import { createdAtKeyset, orderAndLimit, type RowOf, type ValuesOf } from '../common/database/table';
import type { CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { UserEntity } from './user.entity';

/**
 * A user as the queries return it (raw row; no entity hydration). The password hash is never selected.
 * `networkId` is the coordinator's network or the network of the adviser's office.
 */
export type UserRow = Omit<RowOf<UserEntity>, 'passwordHash'>;

export type NewUser = Pick<
  RowOf<UserEntity>,
  | 'email'
  | 'displayName'
  | 'role'
  | 'officeId'
  | 'networkId'
  | 'passwordHash'
  | 'passwordChangeRequired'
  | 'passwordSetByAdminAt'
>;

export type UserChanges = Pick<
  ValuesOf<UserEntity>,
  | 'displayName'
  | 'role'
  | 'officeId'
  | 'networkId'
  | 'passwordHash'
  | 'passwordChangeRequired'
  | 'passwordSetByAdminAt'
  | 'active'
>;

export interface UserFilter {
  role?: UserRole;
  officeId?: string;
  networkId?: string;
  active?: boolean;
}

/** All SQL on `users` for administration (sign-in has its own queries in the auth module). */
@Injectable()
export class UserRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(UserEntity);
  }

  /** Columns of `u` (users) joined with `o` (the adviser's office). */
  private get columns(): string {
    return `${this.table.columns('u', ['passwordHash', 'networkId'])},
      COALESCE(u.network_id, o.network_id) AS "networkId"`;
  }

  /** Inserts and answers the user as `findById` does (in the caller's transaction). */
  async insert(user: NewUser): Promise<UserRow> {
    const parameters = new SqlParameters();
    const inserted = await this.db.row<RowOf<UserEntity>>(
      this.table.insert(user, parameters),
      parameters.values,
    );
    return (await this.findById(inserted!.id))!;
  }

  async findById(id: string): Promise<UserRow | undefined> {
    return this.db.row<UserRow>(
      `SELECT ${this.columns} FROM users u LEFT JOIN offices o ON o.id = u.office_id WHERE u.id = $1`,
      [id],
    );
  }

  /** Locks the user for the rest of the transaction and answers it as it is. */
  async findForUpdate(id: string): Promise<UserRow | undefined> {
    return this.db.row<UserRow>(
      `SELECT ${this.columns} FROM users u LEFT JOIN offices o ON o.id = u.office_id WHERE u.id = $1 FOR UPDATE OF u`,
      [id],
    );
  }

  /** `email` in lower case, as stored. */
  async emailTaken(email: string): Promise<boolean> {
    return (await this.db.row('SELECT 1 FROM users WHERE email = $1', [email])) !== undefined;
  }

  async officeExists(officeId: string): Promise<boolean> {
    return (await this.db.row('SELECT 1 FROM offices WHERE id = $1', [officeId])) !== undefined;
  }

  async networkExists(networkId: string): Promise<boolean> {
    return (await this.db.row('SELECT 1 FROM networks WHERE id = $1', [networkId])) !== undefined;
  }

  /** Oldest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(filter: UserFilter, after: CursorKey | undefined, limit: number): Promise<UserRow[]> {
    const parameters = new SqlParameters();
    const conditions: string[] = [];
    if (filter.role !== undefined) {
      conditions.push(`u.role = ${parameters.bind(filter.role)}`);
    }
    if (filter.officeId !== undefined) {
      conditions.push(`u.office_id = ${parameters.bind(filter.officeId)}::uuid`);
    }
    if (filter.networkId !== undefined) {
      conditions.push(`COALESCE(u.network_id, o.network_id) = ${parameters.bind(filter.networkId)}::uuid`);
    }
    if (filter.active !== undefined) {
      conditions.push(`u.active = ${parameters.bind(filter.active)}`);
    }
    if (after) {
      conditions.push(createdAtKeyset(after, 'ASC', parameters, 'u'));
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.db.rows<UserRow>(
      `SELECT ${this.columns} FROM users u LEFT JOIN offices o ON o.id = u.office_id
       ${where}
       ${orderAndLimit(['u.created_at', 'u.id'], 'ASC', limit, parameters)}`,
      parameters.values,
    );
  }

  /**
   * Applies the changes and increments the version; `undefined` when there is no such user.
   * Deactivating keeps the first deactivation time; reactivating clears it (hence not
   * `SqlTable.versionedUpdate`: `deactivated_at` is computed by the statement).
   */
  async update(id: string, changes: UserChanges, expectedVersion: number): Promise<UserRow | undefined> {
    const parameters = new SqlParameters();
    const sets = this.table.assignments({ ...changes, active: undefined }, parameters);
    if (changes.active !== undefined) {
      const active = parameters.bind(changes.active);
      sets.push(
        `active = ${active}`,
        `deactivated_at = CASE WHEN ${active}::boolean THEN NULL ELSE COALESCE(deactivated_at, now()) END`,
      );
    }
    return this.db.row<UserRow>(
      `WITH u AS (
         UPDATE users SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
          WHERE id = ${parameters.bind(id)} AND version = ${parameters.bind(expectedVersion)} RETURNING *)
       SELECT ${this.columns} FROM u LEFT JOIN offices o ON o.id = u.office_id`,
      parameters.values,
    );
  }
}
