import { utcInstant } from '../common/http/pagination';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';

/** An API client as the queries return it; the secret hash is never selected. */
export interface ApiClientRow {
  id: string;
  clientId: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const COLUMNS = `id, client_id AS "clientId", name, ${utcInstant('created_at')} AS "createdAt",
  ${utcInstant('revoked_at')} AS "revokedAt", ${utcInstant('last_used_at')} AS "lastUsedAt"`;

/** All SQL on `api_clients` for administration (sign-in has its own queries in the auth module). */
@Injectable()
export class ApiClientRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async partnerExists(partnerId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM partners WHERE id = $1', [partnerId]);
    return rows.length > 0;
  }

  async insert(
    client: { partnerId: string; clientId: string; secretHash: string; name: string },
    manager: EntityManager,
  ): Promise<ApiClientRow> {
    const rows: ApiClientRow[] = await manager.query(
      `INSERT INTO api_clients (partner_id, client_id, secret_hash, name) VALUES ($1, $2, $3, $4)
       RETURNING ${COLUMNS}`,
      [client.partnerId, client.clientId, client.secretHash, client.name],
    );
    return rows[0];
  }

  /** The partner's clients, oldest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(partnerId: string, after: CursorKey | undefined, limit: number): Promise<ApiClientRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`partner_id = ${parameters.bind(partnerId)}`];
    if (after) {
      conditions.push(
        `(created_at, id) > (${parameters.bind(after.sortKey)}::timestamptz, ${parameters.bind(after.id)}::uuid)`,
      );
    }
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM api_clients WHERE ${conditions.join(' AND ')}
       ORDER BY created_at, id LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /**
   * Locks one client of the partner, named by its public `clientId` or its `id`, for the rest of the
   * transaction.
   */
  async findForUpdate(
    partnerId: string,
    clientIdOrId: string,
    manager: EntityManager,
  ): Promise<ApiClientRow | undefined> {
    const rows: ApiClientRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM api_clients
        WHERE partner_id = $1 AND (client_id = $2 OR id::text = lower($2))
        FOR UPDATE`,
      [partnerId, clientIdOrId],
    );
    return rows[0];
  }

  async revoke(id: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE api_clients SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
      id,
    ]);
  }
}
