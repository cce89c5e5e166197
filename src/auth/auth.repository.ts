import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import type { RowOf } from '../common/database/table';
import { utcInstant } from '../common/http/pagination';
import type { UserEntity } from '../organisation/user.entity';
import type { ApiClientEntity } from '../partners/api-client.entity';
import type { RefreshTokenEntity } from './refresh-token.entity';
import type { SessionEntity } from './session.entity';
import type { SignInLimitEntity } from './sign-in-limit.entity';

/** `networkId`: a coordinator's network, or the network of an adviser's office (a join, hence the SQL below). */
export type UserCredentials = Pick<
  RowOf<UserEntity>,
  | 'id'
  | 'email'
  | 'displayName'
  | 'role'
  | 'officeId'
  | 'networkId'
  | 'passwordHash'
  | 'active'
  | 'passwordChangeRequired'
  | 'passwordSetByAdminAt'
>;

/** The client with its partner's name and whether it was revoked (a join). */
export type ApiClientCredentials = Pick<
  RowOf<ApiClientEntity>,
  'id' | 'clientId' | 'partnerId' | 'secretHash'
> & {
  partnerName: string;
  revoked: boolean;
};

export type ConsumedRefreshToken = Pick<RowOf<RefreshTokenEntity>, 'sessionId'> &
  Pick<RowOf<SessionEntity>, 'userId'>;

/** One key's count after claiming an attempt, and when its window ends. */
export type ClaimedAttempt = Pick<RowOf<SignInLimitEntity>, 'key' | 'failures'> & {
  retryAfterSeconds: number;
};

export type RefreshTokenState = 'unknown' | 'expired' | 'revoked' | 'used';

const USER_COLUMNS = `
  u.id, u.email, u.display_name AS "displayName", u.role, u.office_id AS "officeId",
  COALESCE(u.network_id, o.network_id) AS "networkId", u.password_hash AS "passwordHash", u.active,
  u.password_change_required AS "passwordChangeRequired",
  ${utcInstant('u.password_set_by_admin_at')} AS "passwordSetByAdminAt"`;

const API_CLIENT_COLUMNS = `
  c.id, c.client_id AS "clientId", c.partner_id AS "partnerId", p.name AS "partnerName",
  c.secret_hash AS "secretHash", c.revoked_at IS NOT NULL AS revoked`;

/** All SQL of sign-in, sessions, token refresh and token validation. */
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

  /** The user of an access token, if the user is active and the token's session open (every request). */
  async findActiveUserInSession(userId: string, sessionId: string): Promise<UserCredentials | undefined> {
    return this.db.row<UserCredentials>(
      `SELECT ${USER_COLUMNS}
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN offices o ON o.id = u.office_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND u.active`,
      [sessionId, userId],
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

  /**
   * Counts one attempt against each key, atomically (the upsert locks the key's row), and answers the
   * counts including it: concurrent attempts get distinct counts, so no more than the limit are ever
   * let through to the secret check. A window that has run out starts again at 1. Keys are locked in
   * sorted order, so two attempts sharing keys cannot deadlock.
   */
  async claimAttempt(keys: string[], windowSeconds: number): Promise<ClaimedAttempt[]> {
    return this.db.rows<ClaimedAttempt>(
      `INSERT INTO sign_in_limits AS l (key, failures, window_started_at)
       SELECT key, 1, now() FROM unnest($1::text[]) AS key ORDER BY key
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN l.window_started_at > now() - make_interval(secs => $2)
                         THEN l.failures + 1 ELSE 1 END,
         window_started_at = CASE WHEN l.window_started_at > now() - make_interval(secs => $2)
                                  THEN l.window_started_at ELSE now() END
       RETURNING key, failures,
         greatest(1, ceil(extract(epoch FROM window_started_at + make_interval(secs => $2) - now())))::int
           AS "retryAfterSeconds"`,
      [keys, windowSeconds],
    );
  }

  /**
   * Gives claimed attempts back: those refused unchecked (no guess was made) and, after a success,
   * the one against the address (only failures count there). `clear` (the account or client that
   * just signed in) starts again from zero. Rows whose window ran out are removed here, which keeps
   * the table small without a scheduled job.
   */
  async releaseAttempts(
    release: { giveBack: string[]; clear?: string },
    windowSeconds: number,
  ): Promise<void> {
    await this.db.run(
      `WITH cleared AS (DELETE FROM sign_in_limits WHERE key = $1),
            given_back AS (UPDATE sign_in_limits SET failures = greatest(failures - 1, 0) WHERE key = ANY($2))
       DELETE FROM sign_in_limits WHERE window_started_at <= now() - make_interval(secs => $3)`,
      [release.clear ?? null, release.giveBack, windowSeconds],
    );
  }

  /**
   * A new session with its first refresh token; answers the session id. The expiry is computed by the
   * database clock (`now() + ttl`), like every other check of it.
   */
  async openSession(session: {
    userId: string;
    refreshTokenHash: string;
    ttlSeconds: number;
  }): Promise<string> {
    const row = await this.db.row<{ sessionId: string }>(
      `WITH s AS (INSERT INTO sessions (user_id) VALUES ($1) RETURNING id)
       INSERT INTO refresh_tokens (session_id, token_hash, expires_at)
       SELECT s.id, $2, now() + make_interval(secs => $3) FROM s
       RETURNING session_id AS "sessionId"`,
      [session.userId, session.refreshTokenHash, session.ttlSeconds],
    );
    return row!.sessionId;
  }

  async insertRefreshToken(token: {
    sessionId: string;
    tokenHash: string;
    ttlSeconds: number;
  }): Promise<void> {
    await this.db.run(
      `INSERT INTO refresh_tokens (session_id, token_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [token.sessionId, token.tokenHash, token.ttlSeconds],
    );
  }

  /**
   * Marks a refresh token of an open session used, atomically: of two requests presenting the same
   * token, exactly one gets it; the other sees it as used (and the session is then revoked as a reuse).
   */
  async consumeRefreshToken(tokenHash: string): Promise<ConsumedRefreshToken | undefined> {
    return this.db.row<ConsumedRefreshToken>(
      `UPDATE refresh_tokens r SET used_at = now()
         FROM sessions s
        WHERE r.token_hash = $1 AND s.id = r.session_id
          AND r.used_at IS NULL AND s.revoked_at IS NULL AND r.expires_at > now()
        RETURNING r.session_id AS "sessionId", s.user_id AS "userId"`,
      [tokenHash],
    );
  }

  async refreshTokenState(
    tokenHash: string,
  ): Promise<{ state: RefreshTokenState; sessionId?: string; userId?: string }> {
    const row = await this.db.row<{ sessionId: string; userId: string; used: boolean; revoked: boolean }>(
      `SELECT r.session_id AS "sessionId", s.user_id AS "userId", r.used_at IS NOT NULL AS used,
              s.revoked_at IS NOT NULL AS revoked
         FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.token_hash = $1`,
      [tokenHash],
    );
    if (!row) {
      return { state: 'unknown' };
    }
    const state: RefreshTokenState = row.revoked ? 'revoked' : row.used ? 'used' : 'expired';
    return { state, sessionId: row.sessionId, userId: row.userId };
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.db.run('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
      sessionId,
    ]);
  }

  /** Every open session of the user, except `keep` (the caller's own, after changing their password). */
  async revokeUserSessions(userId: string, keep: string | null = null): Promise<void> {
    await this.db.run(
      `UPDATE sessions SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2::uuid`,
      [userId, keep],
    );
  }

  /**
   * The person sets their own password: it is no longer one an administrator knows. The user
   * resource's version stays: nothing an administrator reads or changes (`/users`) is different.
   */
  async setOwnPassword(userId: string, passwordHash: string): Promise<void> {
    await this.db.run('UPDATE users SET password_hash = $2, password_change_required = false WHERE id = $1', [
      userId,
      passwordHash,
    ]);
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
    // Replicas starting together each try this: one at a time, so that the others see the first admin
    // (READ COMMITTED: the INSERT's snapshot is taken after the lock) instead of failing on its email.
    await this.db.run(`SELECT pg_advisory_xact_lock(hashtextextended('anker.first-admin', 0))`);
    const row = await this.db.row<{ id: string }>(
      `INSERT INTO users (email, display_name, role, password_hash)
       SELECT $1, $2, 'ADMIN', $3 WHERE NOT EXISTS (SELECT 1 FROM users)
       RETURNING id`,
      [admin.email, admin.displayName, admin.passwordHash],
    );
    return row?.id;
  }
}
