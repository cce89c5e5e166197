import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../organisation/user.entity';
import { EnrolmentEntity } from './enrolment.entity';

/**
 * One row per step of an enrolment (the creation has `from_status` null; a promotion from the
 * waiting list is a step too, with `payload.promoted`), appended and never changed — except `reason`,
 * free text, removed on erasure (Art. 17). `actor_id` is the user whose request caused the step (for a
 * promotion: whoever freed the seat or raised the capacity).
 */
@Entity({ name: 'enrolment_history' })
@Index('enrolment_history_enrolment_idx', ['enrolmentId', 'recordedAt', 'id'])
export class EnrolmentHistoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'enrolment_id', type: 'uuid' })
  enrolmentId!: string;

  @ManyToOne(() => EnrolmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: EnrolmentEntity;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  @Column({ name: 'occurred_on', type: 'date' })
  occurredOn!: string;

  @Column({ name: 'actor_id', type: 'uuid' })
  actorId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_id' })
  actor?: UserEntity;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: string;

  /** Codes only: `promoted`, `cause`, `waitlistPosition`. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  recordedAt!: Date;
}
