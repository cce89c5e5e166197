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
import { ConsentEntity } from '../clients/consent.entity';
import { OfficeEntity } from '../organisation/office.entity';
import { PartnerEntity } from '../partners/partner.entity';
import { RecognitionCaseEntity } from '../recognition/recognition-case.entity';
import { REFERRAL_STATUSES } from '../reference-data/codes';

const quoted = (codes: readonly string[]) => codes.map((code) => `'${code}'`).join(', ');

/**
 * A referral (Verweisung) of a client to a partner. `office_id` repeats the client's office so every
 * adviser query is scoped by it; `partner_id` scopes every partner query. `consent_id` is the
 * WEITERGABE_PARTNER consent the referral relies on (it covered the partner and every shared category
 * on the day it was sent). `change_xid` is the id of the transaction that inserted or last changed the
 * row, set by the trigger `referrals_change_xid` on every insert and update: the partner sync pages by
 * (change_xid, id) and holds back rows of transactions that are still running (see
 * `PartnerReferralRepository.changes`). `message`, `decline_reason`, `outcome` and `cancel_reason` are
 * free text (removed on erasure, Art. 17).
 */
@Entity({ name: 'referrals' })
@Index('referrals_office_created_idx', ['officeId', 'createdAt', 'id'])
@Index('referrals_partner_sync_idx', ['partnerId', 'changeXid', 'id'])
@Index('referrals_client_idx', ['clientId'])
@Index('referrals_consent_idx', ['consentId'])
@Index('referrals_recognition_case_idx', ['recognitionCaseId'])
// Partial index for the expiry job (status = 'GESENDET'), created by the migration.
@Index('referrals_expiry_idx', { synchronize: false })
@Check('referrals_status_check', `status IN (${quoted(REFERRAL_STATUSES)})`)
@Check('referrals_categories_check', 'cardinality(data_categories) > 0')
export class ReferralEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

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

  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId!: string;

  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partner_id' })
  partner?: PartnerEntity;

  /** The WEITERGABE_PARTNER consent the referral relies on. */
  @Column({ name: 'consent_id', type: 'uuid' })
  consentId!: string;

  @ManyToOne(() => ConsentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'consent_id' })
  consent?: ConsentEntity;

  @Column({ name: 'recognition_case_id', type: 'uuid', nullable: true })
  recognitionCaseId!: string | null;

  @ManyToOne(() => RecognitionCaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recognition_case_id' })
  recognitionCase?: RecognitionCaseEntity;

  /** A consultation topic code. */
  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'data_categories', type: 'text', array: true })
  dataCategories!: string[];

  /** Free text for the partner. */
  @Column({ type: 'text', nullable: true })
  message!: string | null;

  /** The answer-by date: the given `dueBy`, or the sending day + REFERRAL_ANSWER_DAYS. */
  @Column({ name: 'due_by', type: 'date' })
  dueBy!: string;

  @Column({ type: 'text' })
  status!: string;

  /** The Berlin calendar day it was sent. */
  @Column({ name: 'sent_on', type: 'date' })
  sentOn!: string;

  /** The day the partner accepted or declined it. */
  @Column({ name: 'answered_on', type: 'date', nullable: true })
  answeredOn!: string | null;

  /** The day it reached a final state (ABGELEHNT, ERLEDIGT, STORNIERT, ABGELAUFEN). */
  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn!: string | null;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason!: string | null;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  /** The partner's decision for the linked recognition case: `{ outcome, decidedOn }`, and `appliedAt` once applied. */
  @Column({ type: 'jsonb', nullable: true })
  decision!: Record<string, unknown> | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason!: string | null;

  /** The transaction that inserted or last changed the row (xid8 as bigint); set by a trigger. */
  @Column({ name: 'change_xid', type: 'bigint' })
  changeXid!: string;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
