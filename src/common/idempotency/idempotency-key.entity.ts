import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A creating request made with an `Idempotency-Key`: while `status` is null it is in progress;
 * then the response is kept so that a repeat of the same request gets the same answer.
 */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_created_at_idx', ['createdAt'])
export class IdempotencyKeyEntity {
  /** `user:<id>` or `partner:<api client id>`: keys are scoped to the caller. */
  @PrimaryColumn({ type: 'text' })
  principal!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** `POST /api/v1/networks`: the route pattern the key was used on. */
  @Column({ type: 'text' })
  operation!: string;

  /** SHA-256 of the request body, to tell a repeat from another request under the same key. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  /**
   * The caller's role and office/network/partner when the key was used (`ADVISER|<office>|-|-`): a
   * replay needs the same, otherwise the key is dead and the request runs anew under its checks.
   */
  @Column({ type: 'text', default: '' })
  scope!: string;

  /** Written in the transaction that claimed the key: a committed key always has its response. */
  @Column({ type: 'integer', nullable: true })
  status!: number | null;

  @Column({ name: 'response_headers', type: 'jsonb', nullable: true })
  responseHeaders!: Record<string, string> | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
