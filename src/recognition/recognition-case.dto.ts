import { ApiProperty } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import {
  ValidateBoolean,
  ValidateCodeList,
  ValidateDate,
  ValidateEnum,
  ValidateNestedList,
  ValidateNumber,
  ValidateString,
  ValidateUUID,
} from '../common/http/validate.decorators';
import {
  COMPENSATION_OPTIONS,
  FUNDING_SOURCES,
  PROCEDURE_KINDS,
  RECOGNITION_OUTCOMES,
  RECOGNITION_STATUSES,
  SUSPENSION_REASONS,
} from '../reference-data/codes';
import { isOverdue, isReceiptConfirmationOverdue, receiptConfirmedInTime } from './deadlines';
import { allowedTargets, type RecognitionStatus } from './recognition-state-machine';
import type { CaseNextStep } from './case-next-steps';
import type { DifferenceRow, HistoryRow, RecognitionCaseRow } from './recognition-case.repository';

export const KLDB = /^\d{5}$/;
const KLDB_PREFIX = /^\d{1,5}$/;
export const LEGAL_BASIS = /^[A-Z0-9_ ÄÖÜ-]{2,40}$/;
export const FREE_TEXT_MAX_LENGTH = 2000;
const FEES_MAX = 99_999_999.99;
const MAX_DIFFERENCES = 50;

const FREE_TEXT_NOTICE =
  'Free text: never logged, reported or shared with partners; only the client’s own Art. 15 export contains it. ' +
  'Removed on erasure (Art. 17).';

const KLDB_MESSAGE = 'must be a KldB 2010 code of five digits';
const LEGAL_BASIS_MESSAGE = 'must be 2–40 capital letters, digits, spaces, _ or - (e.g. BQFG, PFLBG)';

/** Members shared by the creating request and the change. */
class CaseDescriptionFields {
  @ValidateUUID({
    optional: true,
    nullable: true,
    description:
      'The foreign qualification to be recognised; one of this client’s. Its country (as it is whenever the ' +
      'case is read) decides whether the EU/EEA/CH cap on the extension applies.',
  })
  qualificationId?: string | null;

  @ValidateUUID({
    optional: true,
    nullable: true,
    description:
      'The competent authority: a partner of type ANERKENNUNGSSTELLE, KAMMER or ZAB (any other type answers ' +
      '422). Its `bundesland` (else the office’s) decides which public holidays the deadlines skip.',
  })
  authorityPartnerId?: string | null;

  @ValidateBoolean({
    optional: true,
    example: false,
    description:
      'The qualification was recognised in an EU/EEA/CH state (§13(3) BQFG covers qualifications “obtained or ' +
      'recognised” there): the EU/EEA/CH cap on the extension applies, also with no qualification linked. ' +
      'Default `false`.',
  })
  recognisedInEuEeaCh?: boolean;

  @ValidateBoolean({
    optional: true,
    example: false,
    description:
      'A follow-up case (`followUpOf`) for another reference occupation than the earlier case’s: `true` ' +
      'confirms it (otherwise 422). Default `false`.',
  })
  followUpOtherOccupation?: boolean;

  @ValidateNumber({
    optional: true,
    nullable: true,
    min: 0,
    max: FEES_MAX,
    maxDecimalPlaces: 2,
    example: 411,
    description: 'Fees in euros (two decimals).',
  })
  feesEur?: number | null;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    example: 'Unterlagen liegen vollständig vor; Übersetzungen über Anerkennungszuschuss.',
    description: FREE_TEXT_NOTICE,
  })
  notes?: string | null;
}

export class CreateRecognitionCaseRequest extends CaseDescriptionFields {
  @ValidateUUID({ description: 'A client of your office.' })
  clientId!: string;

  @ValidateString({
    pattern: KLDB,
    patternMessage: KLDB_MESSAGE,
    example: '81302',
    description:
      'Reference occupation, KldB 2010 (see `GET /reference-data/occupations`); its title is copied.',
  })
  kldb!: string;

  @ValidateBoolean({
    optional: true,
    example: true,
    description: 'A regulated profession. Default: as the reference occupation says.',
  })
  regulated?: boolean;

  @ValidateString({
    pattern: LEGAL_BASIS,
    patternMessage: LEGAL_BASIS_MESSAGE,
    example: 'PFLBG',
    description: 'The law the procedure follows, as a code: BQFG, BAEO, PFLBG, HWO, a Land law (BAYBQFG) …',
  })
  legalBasis!: string;

  @ValidateEnum({ values: PROCEDURE_KINDS, example: 'BERUFSZULASSUNG' })
  procedureKind!: string;

  @ValidateBoolean({
    optional: true,
    default: false,
    description: 'Fast track, §81a AufenthG: shorter periods.',
  })
  fastTrack?: boolean;

  @ValidateBoolean({ optional: true, default: false })
  appliedFromAbroad?: boolean;

  @ValidateUUID({
    optional: true,
    description:
      'The earlier case of the same client this one follows up (Folgeantrag): decided (BESCHIEDEN) or closed ' +
      '(ABGESCHLOSSEN) with TEILWEISE_GLEICHWERTIGKEIT or AUFLAGE_AUSGLEICHSMASSNAHME. After full equivalence it ' +
      'is refused (§6(5) BQFG); another reference occupation needs `followUpOtherOccupation: true`.',
  })
  followUpOf?: string;

  @ValidateCodeList({ optional: true, values: FUNDING_SOURCES, example: ['ANERKENNUNGSZUSCHUSS'] })
  funding?: string[];
}

/**
 * Descriptive members only; members left out stay as they are, `null` empties an optional one. The
 * status, the outcome and the dates change only through transitions.
 */
export class UpdateRecognitionCaseRequest extends CaseDescriptionFields {
  @ValidateString({
    optional: true,
    pattern: KLDB,
    patternMessage: KLDB_MESSAGE,
    example: '81302',
    description:
      'Another reference occupation: its title is copied, and `regulated` follows it unless sent too.',
  })
  kldb?: string;

  @ValidateBoolean({ optional: true, example: true })
  regulated?: boolean;

  @ValidateString({
    optional: true,
    pattern: LEGAL_BASIS,
    patternMessage: LEGAL_BASIS_MESSAGE,
    example: 'PFLBG',
  })
  legalBasis?: string;

  @ValidateEnum({ optional: true, values: PROCEDURE_KINDS })
  procedureKind?: string;

  @ValidateBoolean({ optional: true, description: 'Recomputes the deadlines.' })
  fastTrack?: boolean;

  @ValidateBoolean({ optional: true })
  appliedFromAbroad?: boolean;

  @ValidateCodeList({ optional: true, values: FUNDING_SOURCES })
  funding?: string[];
}

export class SubstantialDifferenceRequest {
  @ValidateString({
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    example: 'Pharmakologie und Notfallversorgung fehlen im Umfang der deutschen Ausbildung.',
    description: FREE_TEXT_NOTICE,
  })
  description!: string;

  @ValidateCodeList({ values: COMPENSATION_OPTIONS, example: ['KENNTNISPRUEFUNG', 'ANPASSUNGSLEHRGANG'] })
  compensationOptions!: string[];
}

/**
 * `{ to, date, … }`: the members each transition needs are listed in the operation's description;
 * members that belong to another transition are refused.
 */
export class TransitionRequest {
  @ValidateEnum({
    values: RECOGNITION_STATUSES,
    example: 'IN_PRUEFUNG',
    description: 'The state to move to.',
  })
  to!: RecognitionStatus;

  @ValidateDate({
    example: '2026-03-02',
    description:
      'The legal date of the step (filed, documents requested, documents complete, suspension start or end, ' +
      'decision, appeal …). Not in the future, not before the case’s latest recorded transition.',
  })
  date!: string;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    example: 'Bescheid liegt in Kopie vor.',
    description: FREE_TEXT_NOTICE,
  })
  note?: string | null;

  @ValidateUUID({
    optional: true,
    description: '`BEANTRAGT`: the competent authority; required unless the case names one already.',
  })
  authorityPartnerId?: string;

  @ValidateEnum({ optional: true, values: SUSPENSION_REASONS, description: '`GEHEMMT`: required.' })
  suspensionReason?: string;

  @ValidateEnum({
    optional: true,
    values: RECOGNITION_OUTCOMES,
    description:
      '`BESCHIEDEN`: required. `TEILWEISE_GLEICHWERTIGKEIT` for non-regulated, `AUFLAGE_AUSGLEICHSMASSNAHME` for ' +
      'regulated professions only; `ZAB_BESCHEINIGUNG` for `ZEUGNISBEWERTUNG_ZAB` only; never ' +
      '`GLEICHWERTIG_NACH_AUSGLEICH` (that comes from closing a compensation measure).',
  })
  outcome?: string;

  @ValidateNestedList({
    optional: true,
    type: SubstantialDifferenceRequest,
    maxItems: MAX_DIFFERENCES,
    description:
      '`BESCHIEDEN` with `TEILWEISE_GLEICHWERTIGKEIT` or `AUFLAGE_AUSGLEICHSMASSNAHME`: the differences the ' +
      'notice names. A new decision (after an appeal) replaces the earlier list.',
  })
  substantialDifferences?: SubstantialDifferenceRequest[];

  @ValidateBoolean({
    optional: true,
    description:
      '`ABGESCHLOSSEN` from `AUSGLEICH_LAUFEND`: required. `true` → outcome `GLEICHWERTIG_NACH_AUSGLEICH`, ' +
      '`false` → `KEINE_GLEICHWERTIGKEIT`.',
  })
  compensationPassed?: boolean;

  @ValidateBoolean({
    optional: true,
    description:
      '`BESCHIEDEN` from `RECHTSBEHELF`: `true` when the appeal was withdrawn — the original decision stands ' +
      '(no `outcome`, no new decision date); recorded in the history as the withdrawal.',
  })
  appealWithdrawn?: boolean;
}

export class ExtensionRequest {
  @ValidateDate({
    example: '2026-07-15',
    description:
      'The new end of the decision period the authority set. After the current end; for a regulated profession ' +
      'with an EU/EEA/CH qualification (`euQualification`) at most RECOGNITION_EU_EXTENSION_MAX_MONTHS ' +
      '(default 1) month later.',
  })
  extendedUntil!: string;

  @ValidateDate({
    example: '2026-05-20',
    description:
      'When the authority notified the extension: before the period ended (not after `decisionDueOn`), not in ' +
      'the future, not before the latest transition.',
  })
  date!: string;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    description: FREE_TEXT_NOTICE,
  })
  note?: string | null;
}

export class ReceiptConfirmationRequest {
  @ValidateDate({
    example: '2026-01-28',
    description: 'The day the authority confirmed receipt. Not before the submission, not in the future.',
  })
  date!: string;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    description: FREE_TEXT_NOTICE,
  })
  note?: string | null;
}

export class RecognitionCaseListQuery extends PageQuery {
  @ValidateEnum({ optional: true, values: RECOGNITION_STATUSES })
  status?: string;

  @ValidateUUID({ optional: true, description: 'The cases of one client.' })
  clientId?: string;

  @ValidateBoolean({
    optional: true,
    query: true,
    description:
      '`true`: cases still `IN_PRUEFUNG` after their decision date (or `GEHEMMT` after it: an expired period ' +
      'cannot be suspended); `false`: all others.',
  })
  overdue?: boolean;

  @ValidateDate({
    optional: true,
    example: '2026-06-30',
    description:
      'Cases `IN_PRUEFUNG` (or `GEHEMMT` after the period expired) whose decision is due before this day.',
  })
  dueBefore?: string;

  @ValidateBoolean({
    optional: true,
    query: true,
    description:
      '`true`: filed cases still waiting for their documents whose confirmation of receipt is not recorded and ' +
      'was due before today.',
  })
  receiptConfirmationOverdue?: boolean;

  @ValidateString({
    optional: true,
    pattern: KLDB_PREFIX,
    patternMessage: 'must be 1–5 digits of a KldB code',
    example: '813',
    description: 'A KldB code, or its first 1–4 digits for a whole group.',
  })
  kldb?: string;

  @ValidateBoolean({ optional: true, query: true })
  regulated?: boolean;
}

export class HistoryQuery extends PageQuery {}

export class SubstantialDifferenceResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'Pharmakologie und Notfallversorgung fehlen im Umfang der deutschen Ausbildung.',
    description: '`null` after erasure.',
  })
  description!: string | null;

  @ApiProperty({ enum: COMPENSATION_OPTIONS, isArray: true, example: ['KENNTNISPRUEFUNG'] })
  compensationOptions!: string[];
}

/** A recognition case as the client's office sees it (notes included). */
export class RecognitionCaseResponse {
  @ApiProperty({ format: 'uuid', example: '3c0e8f7a-51b2-4d8e-9a63-2f1b7c4d9e05' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  clientId!: string;

  @ApiProperty({ format: 'uuid' })
  officeId!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  qualificationId!: string | null;

  @ApiProperty({ example: '81302' })
  kldb!: string;

  @ApiProperty({
    example: 'Gesundheits- und Krankenpfleger/in',
    description: 'Copied from the reference data.',
  })
  occupationTitle!: string;

  @ApiProperty({ example: true })
  regulated!: boolean;

  @ApiProperty({ example: 'PFLBG' })
  legalBasis!: string;

  @ApiProperty({ enum: PROCEDURE_KINDS, example: 'BERUFSZULASSUNG' })
  procedureKind!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  authorityPartnerId!: string | null;

  @ApiProperty({ example: false })
  fastTrack!: boolean;

  @ApiProperty({ example: false })
  appliedFromAbroad!: boolean;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: null })
  followUpOf!: string | null;

  @ApiProperty({ example: false, description: 'A follow-up for another reference occupation, confirmed.' })
  followUpOtherOccupation!: boolean;

  @ApiProperty({ nullable: true, type: Number, example: 411 })
  feesEur!: number | null;

  @ApiProperty({ enum: FUNDING_SOURCES, isArray: true, example: ['ANERKENNUNGSZUSCHUSS'] })
  funding!: string[];

  @ApiProperty({ enum: RECOGNITION_STATUSES, example: 'IN_PRUEFUNG' })
  status!: string;

  @ApiProperty({ enum: RECOGNITION_OUTCOMES, nullable: true, example: 'TEILWEISE_GLEICHWERTIGKEIT' })
  outcome!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String, example: '2026-01-12' })
  submittedOn!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String, example: '2026-01-20' })
  documentsRequestedOn!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String, example: '2026-01-31' })
  documentsCompleteOn!: string | null;

  @ApiProperty({
    format: 'date',
    nullable: true,
    type: String,
    example: null,
    description: 'The latest decision.',
  })
  decidedOn!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String, example: null })
  firstDecidedOn!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String, example: null })
  appealFiledOn!: string | null;

  @ApiProperty({
    format: 'date',
    nullable: true,
    type: String,
    example: null,
    description: 'The authority’s one extension; it replaces the computed decision date.',
  })
  extendedUntil!: string | null;

  @ApiProperty({
    example: 10,
    description:
      'Days of ended suspensions (GEHEMMT, first and last day counted) that moved the decision period; a ' +
      'suspension that began after the period expired moves nothing.',
  })
  suspendedDays!: number;

  @ApiProperty({
    format: 'date',
    nullable: true,
    type: String,
    example: null,
    description: 'Start of the suspension in progress.',
  })
  suspendedSince!: string | null;

  @ApiProperty({
    format: 'date',
    nullable: true,
    type: String,
    example: '2026-02-12',
    description:
      'Submission + 1 month (14 days in the fast track); a Saturday, Sunday or public holiday of ' +
      '`deadlineBundesland` moves it to the next working day (§31(3) VwVfG).',
  })
  receiptConfirmationDueOn!: string | null;

  @ApiProperty({
    format: 'date',
    nullable: true,
    type: String,
    example: '2026-01-28',
    description: 'When the authority confirmed receipt (`POST …/receipt-confirmation`).',
  })
  receiptConfirmedOn!: string | null;

  @ApiProperty({
    nullable: true,
    type: Boolean,
    example: null,
    description: 'Whether the recorded confirmation met `receiptConfirmationDueOn`; `null` until recorded.',
  })
  receiptConfirmedInTime!: boolean | null;

  @ApiProperty({
    example: false,
    description:
      'Filed and still waiting for the documents (`BEANTRAGT`, `UNVOLLSTAENDIG`), no confirmation recorded, and ' +
      '`receiptConfirmationDueOn` has passed (as of today).',
  })
  receiptConfirmationOverdue!: boolean;

  @ApiProperty({
    format: 'date',
    nullable: true,
    type: String,
    example: '2026-05-10',
    description:
      'The legal end of the decision period: documents complete + 3 months (2 in the fast track) + the days of ' +
      'suspensions that began while it ran, or the extension — then moved to the next working day when it falls ' +
      'on a Saturday, Sunday or public holiday of `deadlineBundesland` (§31(3) VwVfG). `null` before the ' +
      'documents are complete and while a suspension of the running period lasts.',
  })
  decisionDueOn!: string | null;

  @ApiProperty({
    format: 'date',
    nullable: true,
    type: String,
    example: '2026-05-09',
    description:
      'The calendar end of the decision period before the move to a working day: the office may remind on ' +
      'this (earlier) day.',
  })
  decisionReminderOn!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'DE-NW',
    description: 'The Land whose public holidays the deadlines skip: the authority’s, else the office’s.',
  })
  deadlineBundesland!: string | null;

  @ApiProperty({
    example: false,
    description:
      'Still `IN_PRUEFUNG` (or `GEHEMMT` after the period expired) after `decisionDueOn` (as of today).',
  })
  overdue!: boolean;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: null,
    description: 'Calendar days from complete documents to the first decision.',
  })
  processingDays!: number | null;

  @ApiProperty({
    example: false,
    description:
      'The EU/EEA/CH cap on the extension applies: the linked qualification’s country is an EU/EEA/CH state (as ' +
      'it is now), or `recognisedInEuEeaCh`. Derived on every read.',
  })
  euQualification!: boolean;

  @ApiProperty({ example: false, description: 'The qualification was recognised in an EU/EEA/CH state.' })
  recognisedInEuEeaCh!: boolean;

  @ApiProperty({ nullable: true, type: String, description: FREE_TEXT_NOTICE })
  notes!: string | null;

  @ApiProperty({ type: [SubstantialDifferenceResponse] })
  substantialDifferences!: SubstantialDifferenceResponse[];

  @ApiProperty({
    enum: RECOGNITION_STATUSES,
    isArray: true,
    example: ['GEHEMMT', 'BESCHIEDEN', 'ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'],
    description: 'The states a transition can reach from here.',
  })
  allowedTransitions!: string[];

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [
      {
        to: 'ABGESCHLOSSEN',
        members: { compensationPassed: true },
        outcome: 'GLEICHWERTIG_NACH_AUSGLEICH',
        basis: { resourceType: 'enrolment', resourceId: '1d7c3a9e-5b2f-4e80-a1c6-9f3e2d4b6a80' },
      },
    ],
    description:
      'Steps that the client’s other records make available, with the transition members to send: e.g. closing ' +
      'the compensation measure as passed once the linked enrolment was completed successfully ' +
      '(ABGESCHLOSSEN_ERFOLGREICH). The adviser triggers it.',
  })
  nextSteps!: CaseNextStep[];

  @ApiProperty({ example: 4, description: 'Incremented by every change; also sent as `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-01-10T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T14:05:12.654321Z' })
  updatedAt!: string;
}

export class HistoryEntryResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    enum: RECOGNITION_STATUSES,
    nullable: true,
    example: 'BEANTRAGT',
    description: '`null` for the creation of the case.',
  })
  from!: string | null;

  @ApiProperty({
    enum: RECOGNITION_STATUSES,
    example: 'UNVOLLSTAENDIG',
    description: 'Equal to `from` for an extension of the decision period.',
  })
  to!: string;

  @ApiProperty({ format: 'date', example: '2026-01-20', description: 'The legal date of the step.' })
  date!: string;

  @ApiProperty({ format: 'uuid' })
  actorId!: string;

  @ApiProperty({ example: 'ADVISER' })
  actorRole!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
      substantialDifferences: [{ compensationOptions: ['KENNTNISPRUEFUNG'] }],
    },
    description:
      'The step’s codes and dates: `authorityPartnerId`, `suspensionReason`, `suspendedDays` (the length of the ' +
      'suspension that ended), `outcome`, `substantialDifferences` (options only), `compensationPassed`, ' +
      '`appealWithdrawn`, `extendedUntil`, `receiptConfirmedOn`. Never free text.',
  })
  payload!: Record<string, unknown>;

  @ApiProperty({ nullable: true, type: String, description: FREE_TEXT_NOTICE })
  note!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-01-20T10:02:11.123456Z' })
  recordedAt!: string;
}

/** A case with its full history, as the client's Art. 15 export lists it. */
export interface RecognitionCaseExport extends RecognitionCaseResponse {
  history: HistoryEntryResponse[];
}

export function toDifferenceResponse(row: DifferenceRow): SubstantialDifferenceResponse {
  return { id: row.id, description: row.description, compensationOptions: row.compensationOptions };
}

/** `today` decides `overdue`; `differences` are the case's own; `euQualification` is derived by the caller. */
export function toRecognitionCaseResponse(
  row: RecognitionCaseRow,
  differences: DifferenceRow[],
  today: string,
  euQualification: boolean,
  nextSteps: CaseNextStep[] = [],
): RecognitionCaseResponse {
  return {
    id: row.id,
    clientId: row.clientId,
    officeId: row.officeId,
    qualificationId: row.qualificationId,
    kldb: row.kldb,
    occupationTitle: row.occupationTitle,
    regulated: row.regulated,
    legalBasis: row.legalBasis,
    procedureKind: row.procedureKind,
    authorityPartnerId: row.authorityPartnerId,
    fastTrack: row.fastTrack,
    appliedFromAbroad: row.appliedFromAbroad,
    followUpOf: row.followUpOf,
    followUpOtherOccupation: row.followUpOtherOccupation,
    feesEur: row.feesEur,
    funding: row.funding,
    status: row.status,
    outcome: row.outcome,
    submittedOn: row.submittedOn,
    documentsRequestedOn: row.documentsRequestedOn,
    documentsCompleteOn: row.documentsCompleteOn,
    decidedOn: row.decidedOn,
    firstDecidedOn: row.firstDecidedOn,
    appealFiledOn: row.appealFiledOn,
    extendedUntil: row.extendedUntil,
    suspendedDays: row.suspendedDays,
    suspendedSince: row.suspendedSince,
    receiptConfirmationDueOn: row.receiptConfirmationDueOn,
    receiptConfirmedOn: row.receiptConfirmedOn,
    receiptConfirmedInTime: receiptConfirmedInTime(row.receiptConfirmationDueOn, row.receiptConfirmedOn),
    receiptConfirmationOverdue: isReceiptConfirmationOverdue(
      row.status,
      row.receiptConfirmationDueOn,
      row.receiptConfirmedOn,
      today,
    ),
    decisionDueOn: row.decisionDueOn,
    decisionReminderOn: row.decisionReminderOn,
    deadlineBundesland: row.deadlineBundesland,
    overdue: isOverdue(row.status, row.decisionDueOn, today),
    processingDays: row.processingDays,
    euQualification,
    recognisedInEuEeaCh: row.recognisedInEuEeaCh,
    notes: row.notes,
    substantialDifferences: differences.map(toDifferenceResponse),
    allowedTransitions: allowedTargets(row.status as RecognitionStatus, row.outcome),
    nextSteps,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toHistoryEntryResponse(row: HistoryRow): HistoryEntryResponse {
  return {
    id: row.id,
    from: row.fromStatus,
    to: row.toStatus,
    date: row.occurredOn,
    actorId: row.actorId,
    actorRole: row.actorRole,
    payload: row.payload,
    note: row.note,
    recordedAt: row.recordedAt,
  };
}
