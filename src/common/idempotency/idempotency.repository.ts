import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';

export interface IdempotencyRecord {
  operation: string;
  requestHash: string;
  scope: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
}

export interface IdempotencyClaim {
  principal: string;
  key: string;
  operation: string;
  requestHash: string;
  /** The caller's role and office/network/partner when the key was used: a replay needs the same. */
  scope: string;
}

/** How long a key is remembered. */
const RETENTION = '24 hours';

/**
 * The keys of idempotent requests. Everything here runs inside the request's transaction: the key,
 * the work and the stored response commit or roll back as one.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  /**
   * Takes the key for this request. When a concurrent request holds it, the insert waits for that
   * transaction: false once it committed (its response is then there to replay), true when it rolled
   * back (this request runs instead).
   */
  async claim(claim: IdempotencyClaim): Promise<boolean> {
    await this.db.run(
      `DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND created_at < now() - interval '${RETENTION}'`,
      [claim.principal, claim.key],
    );
    const claimed = await this.db.run(
      `INSERT INTO idempotency_keys (principal, key, operation, request_hash, scope) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (principal, key) DO NOTHING`,
      [claim.principal, claim.key, claim.operation, claim.requestHash, claim.scope],
    );
    return claimed === 1;
  }

  async find(principal: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.db.row<IdempotencyRecord>(
      `SELECT operation, request_hash AS "requestHash", scope, status, response_headers AS "responseHeaders",
              response_body AS "responseBody"
         FROM idempotency_keys WHERE principal = $1 AND key = $2`,
      [principal, key],
    );
  }

  async complete(
    principal: string,
    key: string,
    response: { status: number; headers: Record<string, string>; body: unknown },
  ): Promise<void> {
    await this.db.run(
      `UPDATE idempotency_keys SET status = $3, response_headers = $4, response_body = $5
        WHERE principal = $1 AND key = $2`,
      [
        principal,
        key,
        response.status,
        JSON.stringify(response.headers),
        JSON.stringify(response.body ?? null),
      ],
    );
  }

  /** A key used in another scope is dead: forgotten, so the request runs anew under the current scope. */
  async forget(principal: string, key: string): Promise<void> {
    await this.db.run('DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2', [principal, key]);
  }

  /**
   * Forgets the kept responses that describe a resource or belong to it (`{"id": …}` or
   * `{"clientId": …}` at the top level): used when a client's personal data is erased, so that no
   * copy of it survives in a replay store. A repeat of such a request is then treated as new.
   */
  async forgetResponsesAbout(id: string): Promise<number> {
    return this.db.run(
      `DELETE FROM idempotency_keys
        WHERE response_body @> jsonb_build_object('id', $1::text)
           OR response_body @> jsonb_build_object('clientId', $1::text)`,
      [id],
    );
  }
}
