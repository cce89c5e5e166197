import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import type { RowOf } from '../common/database/table';
import type { UserEntity } from '../organisation/user.entity';
import type { ApiClientEntity } from '../partners/api-client.entity';
import type { RefreshTokenEntity } from './refresh-token.entity';

/** `networkId`: a coordinator's network, or the network of an adviser's office (a join, hence the SQL below). */
export type UserCredentials = Pick<
  RowOf<UserEntity>,
  'id' | 'email' | 'displayName' | 'role' | 'officeId' | 'networkId' | 'passwordHash' | 'active'
>;

/** The client with its partner's name and whether it was revoked (a join). */
export type ApiClientCredentials = Pick<
  RowOf<ApiClientEntity>,
  'id' | 'clientId' | 'partnerId' | 'secretHash'
> & {
  partnerName: string;
  revoked: boolean;
};

export type ConsumedRefreshToken = Pick<RowOf<RefreshTokenEntity>, 'familyId' | 'userId'>;

export type RefreshTokenState = 'unknown' | 'expired' | 'revoked' | 'used';

const USER_COLUMNS = `
  u.id, u.email, u.display_name AS "displayName", u.role, u.office_id AS "officeId",
  COALESCE(u.network_id, o.network_id) AS "networkId", u.password_hash AS "passwordHash", u.active`;

const API_CLIENT_COLUMNS = `
  c.id, c.client_id AS "clientId", c.partner_id AS "partnerId", p.name AS "partnerName",
  c.secret_hash AS "secretHash", c.revoked_at IS NOT NULL AS revoked`;

/** All SQL of sign-in, token refresh and token validation. */
@Injectable()
export class AuthRepository {
  constructor(private readonly db: Db) {}

  async findUserByEmail(email: string): Promise<UserCredentials | undefined> {
    return this.db.row<UserCredentials>(
      `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN offices o ON o.id = u.office_id WHERE u.email = $1`,
      [email],
    );
  }

  async findUserById(id: string): Promise<UserCredentials | undefined> {
    return this.db.row<UserCredentials>(
      `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN offices o ON o.id = u.office_id WHERE u.id = $1`,
      [id],
    );
  }

  async findApiClientByClientId(clientId: string): Promise<ApiClientCredentials | undefined> {
    return this.db.row<ApiClientCredentials>(
      `SELECT ${API_CLIENT_COLUMNS} FROM api_clients c JOIN partners p ON p.id = c.partner_id WHERE c.client_id = $1`,
      [clientId],
    );
  }

  async findApiClientById(id: string): Promise<ApiClientCredentials | undefined> {
    return this.db.row<ApiClientCredentials>(
      `SELECT ${API_CLIENT_COLUMNS} FROM api_clients c JOIN partners p ON p.id = c.partner_id WHERE c.id = $1`,
      [id],
    );
  }

  async markApiClientUsed(id: string): Promise<void> {
    await this.db.run('UPDATE api_clients SET last_used_at = now() WHERE id = $1', [id]);
  }

  /** Failures per key within the window, for the keys given. */
  async recentFailures(keys: string[], windowSeconds: number): Promise<Map<string, number>> {
    const rows = await this.db.rows<{ key: string; failures: number }>(
      `SELECT key, count(*)::int AS failures FROM sign_in_failures
        WHERE key = ANY($1) AND failed_at > now() - make_interval(secs => $2)
        GROUP BY key`,
      [keys, windowSeconds],
    );
    return new Map(rows.map((row) => [row.key, row.failures]));
  }

  /** Runs in the caller's transaction (`AuthService.recordFailure`). */
  async recordFailures(keys: string[], windowSeconds: number): Promise<void> {
    await this.db.run('INSERT INTO sign_in_failures (key) SELECT unnest($1::text[])', [keys]);
    // Old rows are useless; dropping them here keeps the table small without a scheduled job.
    await this.db.run(
      'DELETE FROM sign_in_failures WHERE key = ANY($1) AND failed_at < now() - make_interval(secs => $2)',
      [keys, windowSeconds],
    );
  }

  async clearFailures(keys: string[]): Promise<void> {
    await this.db.run('DELETE FROM sign_in_failures WHERE key = ANY($1)', [keys]);
  }

  /** The expiry is computed by the database clock (`now() + ttl`), like every other check of it. */
  async insertRefreshToken(token: {
    familyId: string;
    userId: string;
    tokenHash: string;
    ttlSeconds: number;
  }): Promise<void> {
    await this.db.run(
      `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [token.familyId, token.userId, token.tokenHash, token.ttlSeconds],
    );
  }

  /**
   * Marks a refresh token used, atomically: of two requests presenting the same token, exactly one
   * gets it; the other sees it as used (and the family is then revoked as a reuse).
   */
  async consumeRefreshToken(tokenHash: string): Promise<ConsumedRefreshToken | undefined> {
    return this.db.row<ConsumedRefreshToken>(
      `UPDATE refresh_tokens SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING family_id AS "familyId", user_id AS "userId"`,
      [tokenHash],
    );
  }

  async refreshTokenState(
    tokenHash: string,
  ): Promise<{ state: RefreshTokenState; familyId?: string; userId?: string }> {
    const row = await this.db.row<{ familyId: string; userId: string; used: boolean; revoked: boolean }>(
      `SELECT family_id AS "familyId", user_id AS "userId", used_at IS NOT NULL AS used,
              revoked_at IS NOT NULL AS revoked
         FROM refresh_tokens WHERE token_hash = $1`,
      [tokenHash],
    );
    if (!row) {
      return { state: 'unknown' };
    }
    const state: RefreshTokenState = row.revoked ? 'revoked' : row.used ? 'used' : 'expired';
    return { state, familyId: row.familyId, userId: row.userId };
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.db.run(
      'UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL',
      [familyId],
    );
  }

  async revokeUserSessions(userId: string): Promise<void> {
    await this.db.run(
      'UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
      [userId],
    );
  }

  async countUsers(): Promise<number> {
    return (await this.db.row<{ count: number }>('SELECT count(*)::int AS count FROM users'))!.count;
  }

  /** Only into an empty user table (a conditional insert, hence not `SqlTable.insert`). */
  async insertAdmin(admin: {
    email: string;
    displayName: string;
    passwordHash: string;
  }): Promise<string | undefined> {
    const row = await this.db.row<{ id: string }>(
      `INSERT INTO users (email, display_name, role, password_hash)
       SELECT $1, $2, 'ADMIN', $3 WHERE NOT EXISTS (SELECT 1 FROM users)
       RETURNING id`,
      [admin.email, admin.displayName, admin.passwordHash],
    );
    return row?.id;
  }
}
