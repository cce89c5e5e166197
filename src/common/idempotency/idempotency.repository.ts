import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

export interface IdempotencyRecord {
  operation: string;
  requestHash: string;
  status: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: unknown;
}

/** How long a key is remembered. */
const RETENTION = '24 hours';

@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Takes the key for this request; false when the caller already used it (in progress or done). */
  async claim(entry: {
    principal: string;
    key: string;
    operation: string;
    requestHash: string;
  }): Promise<boolean> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE principal = $1 AND created_at < now() - interval '${RETENTION}'`,
      [entry.principal],
    );
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (principal, key, operation, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (principal, key) DO NOTHING RETURNING key`,
      [entry.principal, entry.key, entry.operation, entry.requestHash],
    );
    return rows.length === 1;
  }

  async find(principal: string, key: string): Promise<IdempotencyRecord | undefined> {
    const rows: IdempotencyRecord[] = await this.dataSource.query(
      `SELECT operation, request_hash AS "requestHash", status, response_headers AS "responseHeaders",
              response_body AS "responseBody"
         FROM idempotency_keys WHERE principal = $1 AND key = $2`,
      [principal, key],
    );
    return rows[0];
  }

  async complete(
    principal: string,
    key: string,
    response: { status: number; headers: Record<string, string>; body: unknown },
  ): Promise<void> {
    await this.dataSource.query(
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

  /** A failed request leaves no trace under its key, so the client can retry it. */
  async release(principal: string, key: string): Promise<void> {
    await this.dataSource.query(
      'DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND status IS NULL',
      [principal, key],
    );
  }

  /**
   * Forgets the kept responses that describe a resource or belong to it (`{"id": …}` or
   * `{"clientId": …}` at the top level): used when a client's personal data is erased, so that no
   * copy of it survives in a replay store. A repeat of such a request is then treated as new.
   */
  async forgetResponsesAbout(id: string, manager: EntityManager): Promise<number> {
    const [, affected]: [unknown, number] = await manager.query(
      `DELETE FROM idempotency_keys
        WHERE response_body @> jsonb_build_object('id', $1::text)
           OR response_body @> jsonb_build_object('clientId', $1::text)`,
      [id],
    );
    return affected;
  }
}
