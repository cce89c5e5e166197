import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OfficeEntity } from '../organisation/office.entity';
import { UserEntity } from '../organisation/user.entity';
import { ClientEntity } from './client.entity';

/**
 * A consultation (Beratung). `kind` is derived — the client's earliest consultation that is not
 * voided is the ERSTBERATUNG — and kept correct by the service whenever a consultation is added,
 * re-dated or voided.
 * `notes` is the most sensitive field: never logged, reported or shared; removed on erasure.
 */
@Entity({ name: 'consultations' })
@Index('consultations_client_held_idx', ['clientId', 'heldOn', 'createdAt', 'id'])
@Index('consultations_office_held_idx', ['officeId', 'heldOn'])
export class ConsultationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @ManyToOne(() => ClientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: ClientEntity;

  /** The client's office, kept here for office-wide lists and reports without a join. */
  @Column({ name: 'office_id', type: 'uuid' })
  officeId!: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id' })
  office?: OfficeEntity;

  /** The adviser who logged it. */
  @Column({ name: 'adviser_id', type: 'uuid' })
  adviserId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'adviser_id' })
  adviser?: UserEntity;

  @Column({ name: 'held_on', type: 'date' })
  heldOn!: string;

  @Column({ name: 'duration_minutes', type: 'smallint' })
  durationMinutes!: number;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'boolean', default: false })
  mobile!: boolean;

  /** ISO 639-1 */
  @Column({ type: 'text', nullable: true })
  language!: string | null;

  @Column({ name: 'interpreter_used', type: 'boolean', default: false })
  interpreterUsed!: boolean;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  topics!: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  outcomes!: string[];

  @Column({ name: 'next_contact_due', type: 'date', nullable: true })
  nextContactDue!: string | null;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  /**
   * A mis-entered consultation is voided, never deleted (Art. 5(1)(d), Art. 16 GDPR): it leaves the
   * statistics and the Erst-/Folgeberatung derivation but stays in the history and the access log.
   */
  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt!: Date | null;

  @Column({ name: 'voided_by', type: 'uuid', nullable: true })
  voidedBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'voided_by' })
  voider?: UserEntity;

  /** Why it was voided: free text, removed on erasure like the notes. */
  @Column({ name: 'void_reason', type: 'text', nullable: true })
  voidReason!: string | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
