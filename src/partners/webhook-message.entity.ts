import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One event for one partner, written in the transaction of the change that causes it (the outbox). Its
 * `data` carries ids, types, states and times only — never personal data.
 */
@Entity({ name: 'webhook_messages' })
@Index('webhook_messages_partner_idx', ['partnerId', 'createdAt'])
export class WebhookMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** No foreign key: the record of what was sent outlives nothing it points to. */
  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  /** The event's time, `timestamp` of the payload. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
