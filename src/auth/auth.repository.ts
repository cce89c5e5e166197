import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { UserRole } from './roles';

export interface UserCredentials {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  officeId: string | null;
  /** A coordinator's network, or the network of an adviser's office. */
  networkId: string | null;
  passwordHash: string;
  active: boolean;
}

export interface ApiClientCredentials {
  id: string;
  clientId: string;
  partnerId: string;
  partnerName: string;
  secretHash: string;
  revoked: boolean;
}

export interface ConsumedRefreshToken {
  familyId: string;
  userId: string;
}

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findUserByEmail(email: string): Promise<UserCredentials | undefined> {
    const rows: UserCredentials[] = await this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN offices o ON o.id = u.office_id WHERE u.email = $1`,
      [email],
    );
    return rows[0];
  }

  async findUserById(id: string): Promise<UserCredentials | undefined> {
    const rows: UserCredentials[] = await this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN offices o ON o.id = u.office_id WHERE u.id = $1`,
      [id],
    );
    return rows[0];
  }

  async findApiClientByClientId(clientId: string): Promise<ApiClientCredentials | undefined> {
    const rows: ApiClientCredentials[] = await this.dataSource.query(
      `SELECT ${API_CLIENT_COLUMNS} FROM api_clients c JOIN partners p ON p.id = c.partner_id WHERE c.client_id = $1`,
      [clientId],
    );
    return rows[0];
  }

  async findApiClientById(id: string): Promise<ApiClientCredentials | undefined> {
    const rows: ApiClientCredentials[] = await this.dataSource.query(
      `SELECT ${API_CLIENT_COLUMNS} FROM api_clients c JOIN partners p ON p.id = c.partner_id WHERE c.id = $1`,
      [id],
    );
    return rows[0];
  }

  async markApiClientUsed(id: string): Promise<void> {
    await this.dataSource.query('UPDATE api_clients SET last_used_at = now() WHERE id = $1', [id]);
  }

  /** Failures per key within the window, for the keys given. */
  async recentFailures(keys: string[], windowSeconds: number): Promise<Map<string, number>> {
    const rows: { key: string; failures: number }[] = await this.dataSource.query(
      `SELECT key, count(*)::int AS failures FROM sign_in_failures
        WHERE key = ANY($1) AND failed_at > now() - make_interval(secs => $2)
        GROUP BY key`,
      [keys, windowSeconds],
    );
    return new Map(rows.map((row) => [row.key, row.failures]));
  }

  async recordFailures(keys: string[], windowSeconds: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO sign_in_failures (key) SELECT unnest($1::text[])', [keys]);
      // Old rows are useless; dropping them here keeps the table small without a scheduled job.
      await manager.query(
        'DELETE FROM sign_in_failures WHERE key = ANY($1) AND failed_at < now() - make_interval(secs => $2)',
        [keys, windowSeconds],
      );
    });
  }

  async clearFailures(keys: string[]): Promise<void> {
    await this.dataSource.query('DELETE FROM sign_in_failures WHERE key = ANY($1)', [keys]);
  }

  async insertRefreshToken(
    token: { familyId: string; userId: string; tokenHash: string; ttlSeconds: number },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [token.familyId, token.userId, token.tokenHash, token.ttlSeconds],
    );
  }

  /**
   * Marks a refresh token used, atomically: of two requests presenting the same token, exactly one
   * gets it; the other sees it as used (and the family is then revoked as a reuse).
   */
  async consumeRefreshToken(
    tokenHash: string,
    manager: EntityManager,
  ): Promise<ConsumedRefreshToken | undefined> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [ConsumedRefreshToken[], number] = await manager.query(
      `UPDATE refresh_tokens SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING family_id AS "familyId", user_id AS "userId"`,
      [tokenHash],
    );
    return rows[0];
  }

  async refreshTokenState(
    tokenHash: string,
  ): Promise<{ state: RefreshTokenState; familyId?: string; userId?: string }> {
    const rows: { familyId: string; userId: string; used: boolean; revoked: boolean; expired: boolean }[] =
      await this.dataSource.query(
        `SELECT family_id AS "familyId", user_id AS "userId", used_at IS NOT NULL AS used,
                revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired
           FROM refresh_tokens WHERE token_hash = $1`,
        [tokenHash],
      );
    const row = rows[0];
    if (!row) {
      return { state: 'unknown' };
    }
    const state: RefreshTokenState = row.revoked ? 'revoked' : row.used ? 'used' : 'expired';
    return { state, familyId: row.familyId, userId: row.userId };
  }

  async revokeFamily(familyId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      'UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL',
      [familyId],
    );
  }

  async revokeUserSessions(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      'UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
      [userId],
    );
  }

  async countUsers(): Promise<number> {
    const rows: { count: number }[] = await this.dataSource.query('SELECT count(*)::int AS count FROM users');
    return rows[0].count;
  }

  async insertAdmin(
    admin: { email: string; displayName: string; passwordHash: string },
    manager: EntityManager,
  ): Promise<string | undefined> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO users (email, display_name, role, password_hash)
       SELECT $1, $2, 'ADMIN', $3 WHERE NOT EXISTS (SELECT 1 FROM users)
       RETURNING id`,
      [admin.email, admin.displayName, admin.passwordHash],
    );
    return rows[0]?.id;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
