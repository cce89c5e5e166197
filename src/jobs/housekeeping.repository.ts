import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';

/** Rows that have served their purpose: the housekeeping job deletes them. */
@Injectable()
export class HousekeepingRepository {
  constructor(private readonly db: Db) {}

  /** Idempotency keys answer repeats for 24 hours (see `@Idempotent`); older ones only hold data. */
  deleteExpiredIdempotencyKeys(): Promise<number> {
    return this.db.run(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'`);
  }

  /** Sign-in attempts count only within SIGN_IN_FAILURE_WINDOW_SECONDS of a key's first one. */
  deleteOldSignInFailures(windowSeconds: number): Promise<number> {
    return this.db.run(
      `DELETE FROM sign_in_limits WHERE window_started_at <= now() - make_interval(secs => $1)`,
      [windowSeconds],
    );
  }

  /**
   * Expired refresh tokens can no longer be used or replayed. Used tokens are kept until they expire:
   * presenting a used token again is how a stolen token is detected (its session is then revoked).
   */
  deleteExpiredRefreshTokens(): Promise<number> {
    return this.db.run(`DELETE FROM refresh_tokens WHERE expires_at < now()`);
  }

  /**
   * A session without refresh tokens (all expired and deleted above) can issue no more access tokens;
   * those it issued expire within ACCESS_TOKEN_TTL_SECONDS of their last refresh, long past.
   */
  deleteEndedSessions(): Promise<number> {
    return this.db.run(
      `DELETE FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.session_id = s.id)`,
    );
  }

  /** Claimed schedule ticks matter only until the tick is past; a week keeps them for inspection. */
  deleteOldScheduleTicks(): Promise<number> {
    return this.db.run(`DELETE FROM job_schedule_ticks WHERE tick_at < now() - interval '7 days'`);
  }
}
