import { utcInstant } from '../common/http/pagination';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { UserRole } from '../auth/roles';
import type { CursorKey } from '../common/http/pagination';
import { assignments, SqlParameters } from '../common/sql';

/**
 * A user as the queries return it (raw row; no entity hydration). The password hash is never selected.
 * `networkId` is the coordinator's network or the network of the adviser's office.
 */
export interface UserRow {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  officeId: string | null;
  networkId: string | null;
  active: boolean;
  deactivatedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: UserRole;
  officeId: string | null;
  networkId: string | null;
  passwordHash: string;
}

export interface UserChanges {
  displayName?: string;
  role?: UserRole;
  officeId?: string | null;
  networkId?: string | null;
  passwordHash?: string;
  active?: boolean;
}

export interface UserFilter {
  role?: UserRole;
  officeId?: string;
  networkId?: string;
  active?: boolean;
}

/** Columns of `u` (users) joined with `o` (the adviser's office). */
const COLUMNS = `u.id, u.email, u.display_name AS "displayName", u.role, u.office_id AS "officeId",
  COALESCE(u.network_id, o.network_id) AS "networkId", u.active,
  ${utcInstant('u.deactivated_at')} AS "deactivatedAt", u.version,
  ${utcInstant('u.created_at')} AS "createdAt", ${utcInstant('u.updated_at')} AS "updatedAt"`;

/** All SQL on `users` for administration (sign-in has its own queries in the auth module). */
@Injectable()
export class UserRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(user: NewUser, manager: EntityManager): Promise<UserRow> {
    const rows: UserRow[] = await manager.query(
      `WITH u AS (
         INSERT INTO users (email, display_name, role, office_id, network_id, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *)
       SELECT ${COLUMNS} FROM u LEFT JOIN offices o ON o.id = u.office_id`,
      [user.email, user.displayName, user.role, user.officeId, user.networkId, user.passwordHash],
    );
    return rows[0];
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM users u LEFT JOIN offices o ON o.id = u.office_id WHERE u.id = $1`,
      [id],
    );
    return rows[0];
  }

  /** Locks the user for the rest of the transaction and answers it as it is. */
  async findForUpdate(id: string, manager: EntityManager): Promise<UserRow | undefined> {
    const rows: UserRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM users u LEFT JOIN offices o ON o.id = u.office_id WHERE u.id = $1 FOR UPDATE OF u`,
      [id],
    );
    return rows[0];
  }

  /** `email` in lower case, as stored. */
  async emailTaken(email: string, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM users WHERE email = $1', [email]);
    return rows.length > 0;
  }

  async officeExists(officeId: string, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM offices WHERE id = $1', [officeId]);
    return rows.length > 0;
  }

  async networkExists(networkId: string, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM networks WHERE id = $1', [networkId]);
    return rows.length > 0;
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
      conditions.push(
        `(u.created_at, u.id) > (${parameters.bind(after.sortKey)}::timestamptz, ${parameters.bind(after.id)}::uuid)`,
      );
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM users u LEFT JOIN offices o ON o.id = u.office_id
       ${where}
       ORDER BY u.created_at, u.id
       LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /**
   * Applies the changes and increments the version; `undefined` when there is no such user.
   * Deactivating keeps the first deactivation time; reactivating clears it.
   */
  async update(
    id: string,
    changes: UserChanges,
    expectedVersion: number,
    manager: EntityManager,
  ): Promise<UserRow | undefined> {
    const parameters = new SqlParameters();
    const sets = assignments(
      { ...changes, active: undefined },
      {
        displayName: 'display_name',
        role: 'role',
        officeId: 'office_id',
        networkId: 'network_id',
        passwordHash: 'password_hash',
        active: 'active',
      },
      parameters,
    );
    if (changes.active !== undefined) {
      const active = parameters.bind(changes.active);
      sets.push(
        `active = ${active}`,
        `deactivated_at = CASE WHEN ${active}::boolean THEN NULL ELSE COALESCE(deactivated_at, now()) END`,
      );
    }
    const rows: UserRow[] = await manager.query(
      `WITH u AS (
         UPDATE users SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
          WHERE id = ${parameters.bind(id)} AND version = ${parameters.bind(expectedVersion)} RETURNING *)
       SELECT ${COLUMNS} FROM u LEFT JOIN offices o ON o.id = u.office_id`,
      parameters.values,
    );
    return rows[0];
  }
}
