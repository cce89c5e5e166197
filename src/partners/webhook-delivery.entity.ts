import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { WebhookMessageEntity } from './webhook-message.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'DEAD_LETTERED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One message to one subscription: its `webhook-id`, state and retry schedule. */
@Entity({ name: 'webhook_deliveries' })
@Index('webhook_deliveries_subscription_idx', ['subscriptionId', 'createdAt', 'id'])
@Index('webhook_deliveries_message_idx', ['messageId'])
@Check('webhook_deliveries_status_check', `status IN ('PENDING', 'DELIVERED', 'DEAD_LETTERED')`)
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @ManyToOne(() => WebhookMessageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: WebhookMessageEntity;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @ManyToOne(() => WebhookSubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: WebhookSubscriptionEntity;

  /** The `webhook-id` header: the same for every attempt of this delivery. */
  @Column({ name: 'webhook_id', type: 'text', unique: true })
  webhookId!: string;

  @Column({ type: 'text', default: 'PENDING' })
  status!: string;

  /** Attempts made so far (the next one is number `attempts + 1`). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Automatic attempts left before dead-lettering (a manual retry grants one more). */
  @Column({ name: 'attempts_left', type: 'integer' })
  attemptsLeft!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'dead_lettered_at', type: 'timestamptz', nullable: true })
  deadLetteredAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
