import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ReferralEntity } from './referral.entity';

/**
 * One row per step of a referral (sending has `from_status` null), appended and never changed —
 * except `reason`, free text, removed on erasure (Art. 17). The actor is a user (adviser), a partner
 * system (`actor_id` = its API client's id) or the system (expiry, consent expiry: no id).
 */
@Entity({ name: 'referral_history' })
@Index('referral_history_referral_idx', ['referralId', 'recordedAt', 'id'])
@Check('referral_history_actor_check', `actor_kind IN ('user', 'partner', 'system')`)
export class ReferralHistoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'referral_id', type: 'uuid' })
  referralId!: string;

  @ManyToOne(() => ReferralEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'referral_id' })
  referral?: ReferralEntity;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  @Column({ name: 'occurred_on', type: 'date' })
  occurredOn!: string;

  /** `user`, `partner` or `system`. */
  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: string;

  /** The user, or the partner system's API client; `null` for the system. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_role', type: 'text', nullable: true })
  actorRole!: string | null;

  /** Codes only, e.g. `{ cause: 'CONSENT_WITHDRAWN', consentId }`, `{ decision: { outcome, decidedOn } }`. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload!: Record<string, unknown>;

  /** Free text (decline or cancel reason, outcome note). */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  recordedAt!: Date;
}
