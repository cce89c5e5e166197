import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../organisation/user.entity';
import { RecognitionCaseEntity } from './recognition-case.entity';

/**
 * One row per transition (and per extension, from = to) of a case, appended and never changed —
 * except that `note`, the only free text, is removed on erasure (Art. 17). `payload` holds the
 * transition's codes and dates, never free text.
 */
@Entity({ name: 'recognition_case_history' })
@Index('recognition_case_history_case_idx', ['caseId', 'recordedAt', 'id'])
export class RecognitionCaseHistoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => RecognitionCaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  recognitionCase?: RecognitionCaseEntity;

  /** `null` for the row that records the creation of the case. */
  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  /** The legal date of the event (filed, documents complete, decided …), not when it was recorded. */
  @Column({ name: 'occurred_on', type: 'date' })
  occurredOn!: string;

  @Column({ name: 'actor_id', type: 'uuid' })
  actorId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_id' })
  actor?: UserEntity;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** `clock_timestamp()`: rows of one transaction still get distinct, ordered times. */
  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  recordedAt!: Date;
}
