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
import { ClientEntity } from '../clients/client.entity';
import { OfficeEntity } from '../organisation/office.entity';
import { RecognitionCaseEntity } from '../recognition/recognition-case.entity';
import { ENROLMENT_STATUSES } from '../reference-data/codes';
import { QualificationOfferEntity } from './qualification-offer.entity';

const quoted = (codes: readonly string[]) => codes.map((code) => `'${code}'`).join(', ');

/**
 * A client's enrolment in an offer. `office_id` repeats the client's office so that every adviser
 * query is scoped by it. `queued_at` is the enrolment's place in the offer's queue (set under the
 * offer's row lock, so its order is the order in which the enrolments were decided): the waiting list
 * is FIFO on (queued_at, id). One live enrolment (WARTELISTE, ZUGESAGT, LAUFEND) per client and offer
 * is the partial unique index `enrolments_live_uq`. `reason` and `notes` are free text (erased on Art. 17).
 */
@Entity({ name: 'enrolments' })
@Index('enrolments_office_created_idx', ['officeId', 'createdAt', 'id'])
@Index('enrolments_offer_queue_idx', ['offerId', 'status', 'queuedAt', 'id'])
@Index('enrolments_client_idx', ['clientId'])
@Index('enrolments_recognition_case_idx', ['recognitionCaseId'])
// Partial unique index, created by the migration (TypeORM cannot compare its predicate).
@Index('enrolments_live_uq', { synchronize: false })
@Check('enrolments_status_check', `status IN (${quoted(ENROLMENT_STATUSES)})`)
export class EnrolmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'offer_id', type: 'uuid' })
  offerId!: string;

  @ManyToOne(() => QualificationOfferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'offer_id' })
  offer?: QualificationOfferEntity;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @ManyToOne(() => ClientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: ClientEntity;

  @Column({ name: 'office_id', type: 'uuid' })
  officeId!: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id' })
  office?: OfficeEntity;

  /** The recognition case (of the same client) the measure compensates. */
  @Column({ name: 'recognition_case_id', type: 'uuid', nullable: true })
  recognitionCaseId!: string | null;

  @ManyToOne(() => RecognitionCaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recognition_case_id' })
  recognitionCase?: RecognitionCaseEntity;

  @Column({ type: 'text' })
  status!: string;

  /** The enrolment's place in the offer's queue (FIFO waiting list). */
  @Column({ name: 'queued_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  queuedAt!: Date;

  /** The day the seat was confirmed (at once, or on promotion from the waiting list). */
  @Column({ name: 'confirmed_on', type: 'date', nullable: true })
  confirmedOn!: string | null;

  @Column({ name: 'started_on', type: 'date', nullable: true })
  startedOn!: string | null;

  /** Completed, dropped out, did not start or cancelled: the day the enrolment ended. */
  @Column({ name: 'ended_on', type: 'date', nullable: true })
  endedOn!: string | null;

  /** Why the client dropped out (ABGEBROCHEN, required) or the enrolment was cancelled. Free text. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
