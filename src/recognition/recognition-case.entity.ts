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
import { QualificationEntity } from '../clients/qualification.entity';
import { OfficeEntity } from '../organisation/office.entity';
import { PartnerEntity } from '../partners/partner.entity';
import { PROCEDURE_KINDS, RECOGNITION_OUTCOMES, RECOGNITION_STATUSES } from '../reference-data/codes';

const quoted = (codes: readonly string[]) => codes.map((code) => `'${code}'`).join(', ');

/**
 * A recognition procedure (Anerkennungsverfahren) as the office tracks it; the authority owns the
 * real one. `office_id` repeats the client's office so that every query is scoped by it and the
 * deadline lists (`overdue`, `dueBefore`) are index range scans within the office. The deadlines are
 * stored, recomputed on every change, for the same reason. `notes` is free text (erased on Art. 17).
 */
@Entity({ name: 'recognition_cases' })
@Index('recognition_cases_office_created_idx', ['officeId', 'createdAt', 'id'])
@Index('recognition_cases_office_status_due_idx', ['officeId', 'status', 'decisionDueOn'])
@Index('recognition_cases_client_idx', ['clientId'])
// Partial index on the cases under examination or suspended, created by the migration (TypeORM cannot compare its predicate).
@Index('recognition_cases_examined_due_idx', { synchronize: false })
@Check('recognition_cases_status_check', `status IN (${quoted(RECOGNITION_STATUSES)})`)
@Check('recognition_cases_outcome_check', `outcome IS NULL OR outcome IN (${quoted(RECOGNITION_OUTCOMES)})`)
@Check('recognition_cases_procedure_kind_check', `procedure_kind IN (${quoted(PROCEDURE_KINDS)})`)
@Check('recognition_cases_suspended_days_check', 'suspended_days >= 0')
export class RecognitionCaseEntity {
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

  /** The foreign qualification to be recognised (of the same client). */
  @Column({ name: 'qualification_id', type: 'uuid', nullable: true })
  qualificationId!: string | null;

  @ManyToOne(() => QualificationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'qualification_id' })
  qualification?: QualificationEntity;

  /** The reference occupation, KldB 2010 (`^\d{5}$`). */
  @Column({ type: 'text' })
  kldb!: string;

  /** Copied from the reference data when the case is created (or its occupation changed). */
  @Column({ name: 'occupation_title', type: 'text' })
  occupationTitle!: string;

  @Column({ type: 'boolean' })
  regulated!: boolean;

  /** BQFG, BAEO, PFLBG, HWO, a Land law … */
  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis!: string;

  @Column({ name: 'procedure_kind', type: 'text' })
  procedureKind!: string;

  /** The competent authority (Anerkennungsstelle, Kammer, ZAB …), a partner. */
  @Column({ name: 'authority_partner_id', type: 'uuid', nullable: true })
  authorityPartnerId!: string | null;

  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'authority_partner_id' })
  authorityPartner?: PartnerEntity;

  /** §81a AufenthG (beschleunigtes Fachkräfteverfahren): shorter periods. */
  @Column({ name: 'fast_track', type: 'boolean', default: false })
  fastTrack!: boolean;

  @Column({ name: 'applied_from_abroad', type: 'boolean', default: false })
  appliedFromAbroad!: boolean;

  /** The earlier case this one follows up (Folgeantrag after a partial decision). */
  @Column({ name: 'follow_up_of', type: 'uuid', nullable: true })
  followUpOf!: string | null;

  /** The adviser confirmed a follow-up for another reference occupation than the earlier case's. */
  @Column({ name: 'follow_up_other_occupation', type: 'boolean', default: false })
  followUpOtherOccupation!: boolean;

  @ManyToOne(() => RecognitionCaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'follow_up_of' })
  predecessor?: RecognitionCaseEntity;

  /** Read as a number: the queries select numeric columns as float8. */
  @Column({ name: 'fees_eur', type: 'numeric', precision: 10, scale: 2, nullable: true })
  feesEur!: number | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  funding!: string[];

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'submitted_on', type: 'date', nullable: true })
  submittedOn!: string | null;

  @Column({ name: 'documents_requested_on', type: 'date', nullable: true })
  documentsRequestedOn!: string | null;

  @Column({ name: 'documents_complete_on', type: 'date', nullable: true })
  documentsCompleteOn!: string | null;

  /** The latest decision (a new one after an appeal replaces it). */
  @Column({ name: 'decided_on', type: 'date', nullable: true })
  decidedOn!: string | null;

  @Column({ name: 'first_decided_on', type: 'date', nullable: true })
  firstDecidedOn!: string | null;

  @Column({ name: 'appeal_filed_on', type: 'date', nullable: true })
  appealFiledOn!: string | null;

  /** The authority's one extension of the decision period. */
  @Column({ name: 'extended_until', type: 'date', nullable: true })
  extendedUntil!: string | null;

  /** Days of ended suspensions (GEHEMMT) that moved the decision period. */
  @Column({ name: 'suspended_days', type: 'integer', default: 0 })
  suspendedDays!: number;

  /** Start of the suspension in progress. */
  @Column({ name: 'suspended_since', type: 'date', nullable: true })
  suspendedSince!: string | null;

  /** Legal end of the period for the confirmation of receipt (moved to a working day). */
  @Column({ name: 'receipt_confirmation_due_on', type: 'date', nullable: true })
  receiptConfirmationDueOn!: string | null;

  /** When the authority actually confirmed receipt. */
  @Column({ name: 'receipt_confirmed_on', type: 'date', nullable: true })
  receiptConfirmedOn!: string | null;

  /** Legal end of the decision period (moved to a working day, §31(3) VwVfG). */
  @Column({ name: 'decision_due_on', type: 'date', nullable: true })
  decisionDueOn!: string | null;

  /** The calendar end of the decision period before that move: the office's reminder may be this day. */
  @Column({ name: 'decision_reminder_on', type: 'date', nullable: true })
  decisionReminderOn!: string | null;

  /** The Land whose public holidays the deadlines skip (the authority's, else the office's). */
  @Column({ name: 'deadline_bundesland', type: 'text', nullable: true })
  deadlineBundesland!: string | null;

  /** Calendar days from complete documents to the first decision, for reports. */
  @Column({ name: 'processing_days', type: 'integer', nullable: true })
  processingDays!: number | null;

  /**
   * The adviser records that the qualification was recognised in an EU/EEA/CH state (§13(3) BQFG:
   * "obtained or recognised"); with the linked qualification's country it decides the EU cap on the
   * extension, which is derived when needed and never stored.
   */
  @Column({ name: 'recognised_in_eu_eea_ch', type: 'boolean', default: false })
  recognisedInEuEeaCh!: boolean;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
