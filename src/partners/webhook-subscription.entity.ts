import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { PartnerEntity } from './partner.entity';

/**
 * A partner system's webhook endpoint and the events it wants. The signing secret is needed in clear to
 * sign, so it is kept encrypted (AES-256-GCM, see `WebhookSecretBox`); after a rotation the previous
 * secret stays valid (and is used to sign too) until `previousSecretExpiresAt`.
 */
@Entity({ name: 'webhook_subscriptions' })
@Index('webhook_subscriptions_partner_idx', ['partnerId', 'createdAt', 'id'])
@Check('webhook_subscriptions_status_check', `status IN ('ACTIVE', 'DISABLED')`)
@Check('webhook_subscriptions_events_check', 'cardinality(events) >= 1')
export class WebhookSubscriptionEntity {
  /** Chosen by the application before the insert: the secrets' encryption binds to it. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId!: string;

  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partner_id' })
  partner?: PartnerEntity;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text', array: true })
  events!: string[];

  /** `v1.<iv>.<tag>.<ciphertext>` (base64url) of the `whsec_…` secret. */
  @Column({ name: 'secret_encrypted', type: 'text' })
  secretEncrypted!: string;

  @Column({ name: 'previous_secret_encrypted', type: 'text', nullable: true })
  previousSecretEncrypted!: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;

  /** DISABLED after the endpoint answered 410 Gone: no new deliveries, pending ones are dead-lettered. */
  @Column({ type: 'text', default: 'ACTIVE' })
  status!: string;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason!: string | null;

  @Column({ name: 'secret_rotated_at', type: 'timestamptz', nullable: true })
  secretRotatedAt!: Date | null;

  /** Goes up with every change (rotation, URL or events, disabling); the `ETag`. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
