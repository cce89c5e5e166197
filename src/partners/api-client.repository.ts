import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { createdAtKeyset, orderAndLimit, type RowOf } from '../common/database/table';
import type { CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { ApiClientEntity } from './api-client.entity';

/** An API client as the queries return it; the secret hash is never selected. */
export type ApiClientRow = Omit<RowOf<ApiClientEntity>, 'partnerId' | 'secretHash'>;

/** All SQL on `api_clients` for administration (sign-in has its own queries in the auth module). */
@Injectable()
export class ApiClientRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(ApiClientEntity);
  }

  private get columns(): string {
    return this.table.columns(undefined, ['partnerId', 'secretHash']);
  }

  async insert(client: {
    partnerId: string;
    clientId: string;
    secretHash: string;
    name: string;
  }): Promise<ApiClientRow> {
    const parameters = new SqlParameters();
    const statement = this.table.insert(client, parameters, this.columns);
    return (await this.db.row<ApiClientRow>(statement, parameters.values))!;
  }

  /** The partner's clients, oldest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(partnerId: string, after: CursorKey | undefined, limit: number): Promise<ApiClientRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`partner_id = ${parameters.bind(partnerId)}`];
    if (after) {
      conditions.push(createdAtKeyset(after, 'ASC', parameters));
    }
    return this.db.rows<ApiClientRow>(
      `SELECT ${this.columns} FROM api_clients WHERE ${conditions.join(' AND ')}
       ${orderAndLimit(['created_at', 'id'], 'ASC', limit, parameters)}`,
      parameters.values,
    );
  }

  /**
   * Locks one client of the partner, named by its public `clientId` or its `id`, for the rest of the
   * transaction.
   */
  async findForUpdate(partnerId: string, clientIdOrId: string): Promise<ApiClientRow | undefined> {
    return this.db.row<ApiClientRow>(
      `SELECT ${this.columns} FROM api_clients
        WHERE partner_id = $1 AND (client_id = $2 OR id::text = lower($2))
        FOR UPDATE`,
      [partnerId, clientIdOrId],
    );
  }

  async revoke(id: string): Promise<void> {
    await this.db.run('UPDATE api_clients SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  }
}
