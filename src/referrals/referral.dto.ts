import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import {
  ValidateBoolean,
  ValidateCodeList,
  ValidateDate,
  ValidateEnum,
  ValidateInstant,
  ValidateNestedObject,
  ValidateString,
  ValidateUUID,
} from '../common/http/validate.decorators';
import {
  CONSULTATION_TOPICS,
  DATA_CATEGORIES,
  RECOGNITION_OUTCOMES,
  REFERRAL_STATUSES,
} from '../reference-data/codes';
import type { SharedClientData } from './partner-view';
import { allowedReferralTargets, type ReferralParty, type ReferralStatus } from './referral-state-machine';
import type { ReferralHistoryRow, ReferralRow } from './referral.repository';

export const FREE_TEXT_MAX_LENGTH = 2000;

const FREE_TEXT_NOTICE =
  'Free text: never logged or reported; removed on erasure (Art. 17). Write nothing the partner may not read.';

// ---------------------------------------------------------------------------------------------------
// Requests

export class CreateReferralRequest {
  @ValidateUUID({ description: 'A client of your office.' })
  clientId!: string;

  @ValidateUUID({ description: 'The partner the client is referred to.' })
  partnerId!: string;

  @ValidateEnum({
    values: CONSULTATION_TOPICS,
    example: 'ANERKENNUNG_INFO',
    description: 'Why the client is referred: a consultation topic code.',
  })
  reason!: string;

  @ValidateCodeList({
    values: DATA_CATEGORIES,
    minItems: 1,
    example: ['STAMMDATEN', 'KONTAKT'],
    description:
      'What the partner may see of the client. An active WEITERGABE_PARTNER consent must cover the partner (or its ' +
      'type) and every category listed, else 422 `consent-missing`.',
  })
  dataCategories!: string[];

  @ValidateUUID({
    optional: true,
    description: 'A recognition case of the same client the referral is about (VERFAHREN shows it).',
  })
  recognitionCaseId?: string;

  @ValidateString({
    optional: true,
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    description: FREE_TEXT_NOTICE,
  })
  message?: string;

  @ValidateDate({
    optional: true,
    example: '2026-07-01',
    description: 'Answer expected by (not before today). Default: today + REFERRAL_ANSWER_DAYS (14).',
  })
  dueBy?: string;
}

export class CancelReferralRequest {
  @ValidateString({
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    example: 'Klientin hat einen Arbeitsplatz gefunden',
    description: `Why the referral is cancelled; the partner sees it. ${FREE_TEXT_NOTICE}`,
  })
  reason!: string;
}

export class DeclineReferralRequest {
  @ValidateString({
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    example: 'Nicht zuständig: Wohnort außerhalb unseres Bezirks',
    description: `Why the partner declines (required). ${FREE_TEXT_NOTICE}`,
  })
  reason!: string;
}

export class AcceptReferralRequest {
  @ValidateString({
    optional: true,
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    description: `An optional note to the office. ${FREE_TEXT_NOTICE}`,
  })
  note?: string;
}

export class ReferralDecisionRequest {
  @ValidateEnum({
    values: RECOGNITION_OUTCOMES,
    example: 'VOLLE_GLEICHWERTIGKEIT',
    description: 'The decision.',
  })
  outcome!: string;

  @ValidateDate({ example: '2026-06-10', description: 'The day of the decision (not in the future).' })
  decidedOn!: string;
}

export class CompleteReferralRequest {
  @ValidateString({
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    example: 'Beratung durchgeführt, Antrag auf Anerkennung gestellt',
    description: `What came of the referral. ${FREE_TEXT_NOTICE}`,
  })
  outcome!: string;

  @ValidateNestedObject({
    optional: true,
    type: ReferralDecisionRequest,
    description:
      'Only for a referral linked to a recognition case, and only from an ANERKENNUNGSSTELLE, KAMMER or ZAB: the ' +
      'decision on the case. The office sees it on the case as a proposed transition to BESCHIEDEN.',
  })
  decision?: ReferralDecisionRequest;
}

export class ReferralListQuery extends PageQuery {
  @ValidateEnum({ optional: true, values: REFERRAL_STATUSES })
  status?: string;

  @ValidateUUID({ optional: true, description: 'The referrals to one partner.' })
  partnerId?: string;

  @ValidateUUID({ optional: true, description: 'The referrals of one client.' })
  clientId?: string;

  @ValidateBoolean({
    optional: true,
    query: true,
    description: '`true`: still GESENDET after the answer-by date (as of today); `false`: all others.',
  })
  overdue?: boolean;
}

export class ReferralHistoryQuery extends PageQuery {}

/** The partner sync: `?cursor=` takes a `nextCursor` or a stored `resumeCursor`. */
export class PartnerReferralSyncQuery extends PageQuery {
  @ValidateString({
    optional: true,
    pattern: /^[A-Za-z0-9_-]{1,512}$/,
    patternMessage: 'must be a nextCursor or resumeCursor value from a previous page',
    description:
      'A `nextCursor` or a stored `resumeCursor` of an earlier answer; none for the very first sync.',
  })
  declare cursor?: string;

  @ValidateEnum({
    optional: true,
    values: REFERRAL_STATUSES,
    description: 'Only referrals now in this state.',
  })
  status?: string;

  @ValidateInstant({
    optional: true,
    example: '2026-06-01T00:00:00Z',
    description: 'Only referrals last changed at or after this instant (a first sync that skips old ones).',
  })
  updatedSince?: string;
}

// ---------------------------------------------------------------------------------------------------
// Responses

export class ReferralDecisionResponse {
  @ApiProperty({ enum: RECOGNITION_OUTCOMES })
  outcome!: string;

  @ApiProperty({ format: 'date' })
  decidedOn!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When the office applied it to the case; `null` while it is only proposed.',
  })
  appliedAt!: string | null;
}

export class ReferralHistoryEntryResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: REFERRAL_STATUSES, nullable: true, description: '`null` for the sending.' })
  from!: string | null;

  @ApiProperty({ enum: REFERRAL_STATUSES })
  to!: string;

  @ApiProperty({ format: 'date' })
  date!: string;

  @ApiProperty({
    enum: ['user', 'partner', 'system'],
    description: 'An adviser, the partner system or the system.',
  })
  actorKind!: string;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'User or API client id; `null` for the system.',
  })
  actorId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'PARTNER' })
  actorRole!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { cause: 'CONSENT_WITHDRAWN', consentId: '2b0c6f1e-8d3a-4c5b-9e7f-1a2b3c4d5e6f' },
    description:
      'Codes only: `cause` (`CONSENT_WITHDRAWN`, `CONSENT_EXPIRED`, `ANSWER_OVERDUE`), `decision`.',
  })
  payload!: Record<string, unknown>;

  @ApiProperty({ nullable: true, type: String, description: FREE_TEXT_NOTICE })
  reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;
}

/** The referral as the sending office sees it. */
export class ReferralResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  clientId!: string;

  @ApiProperty({ format: 'uuid' })
  officeId!: string;

  @ApiProperty({ format: 'uuid' })
  partnerId!: string;

  @ApiProperty({ example: 'Jobcenter Berlin Mitte' })
  partnerName!: string;

  @ApiProperty({ example: 'JOBCENTER' })
  partnerType!: string;

  @ApiProperty({ format: 'uuid', description: 'The WEITERGABE_PARTNER consent the referral relies on.' })
  consentId!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  recognitionCaseId!: string | null;

  @ApiProperty({ enum: CONSULTATION_TOPICS })
  reason!: string;

  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true })
  dataCategories!: string[];

  @ApiProperty({ nullable: true, type: String, description: FREE_TEXT_NOTICE })
  message!: string | null;

  @ApiProperty({ format: 'date', description: 'Answer expected by.' })
  dueBy!: string;

  @ApiProperty({ description: 'Still GESENDET after `dueBy` (as of today, Europe/Berlin).' })
  overdue!: boolean;

  @ApiProperty({ enum: REFERRAL_STATUSES, example: 'GESENDET' })
  status!: string;

  @ApiProperty({ format: 'date' })
  sentOn!: string;

  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Accepted or declined on.' })
  answeredOn!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Reached a final state on.' })
  closedOn!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: `The partner's reason to decline. ${FREE_TEXT_NOTICE}`,
  })
  declineReason!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: `The partner's outcome note. ${FREE_TEXT_NOTICE}`,
  })
  outcome!: string | null;

  @ApiProperty({
    type: ReferralDecisionResponse,
    nullable: true,
    description: "The partner's decision for the linked case.",
  })
  decision!: ReferralDecisionResponse | null;

  @ApiProperty({ nullable: true, type: String, description: FREE_TEXT_NOTICE })
  cancelReason!: string | null;

  @ApiProperty({
    enum: REFERRAL_STATUSES,
    isArray: true,
    example: ['STORNIERT'],
    description: 'The states the office can move the referral to now (by cancelling).',
  })
  allowedTransitions!: string[];

  @ApiProperty({ example: 1 })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ReferralDetailResponse extends ReferralResponse {
  @ApiProperty({
    type: [ReferralHistoryEntryResponse],
    description: 'Every step, oldest first (the full list with paging: `GET /referrals/{id}/history`).',
  })
  history!: ReferralHistoryEntryResponse[];
}

/** A referral as the partner it is addressed to sees it: no client data (see the detail). */
export class PartnerReferralResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The sending office (Beratungsstelle).' })
  officeId!: string;

  @ApiProperty({ example: 'IQ Beratungsstelle Berlin-Mitte' })
  officeName!: string;

  @ApiProperty({
    enum: CONSULTATION_TOPICS,
    description: 'Why the client is referred (a consultation topic).',
  })
  reason!: string;

  @ApiProperty({
    enum: DATA_CATEGORIES,
    isArray: true,
    description: 'The client data categories shared with you.',
  })
  dataCategories!: string[];

  @ApiProperty({ nullable: true, type: String, description: "The office's message to you." })
  message!: string | null;

  @ApiProperty({
    description: 'Whether the referral is linked to a recognition case (a decision may be attached).',
  })
  recognitionCaseLinked!: boolean;

  @ApiProperty({ format: 'date' })
  dueBy!: string;

  @ApiProperty({ enum: REFERRAL_STATUSES })
  status!: string;

  @ApiProperty({ format: 'date' })
  sentOn!: string;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  answeredOn!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  closedOn!: string | null;

  @ApiProperty({ nullable: true, type: String })
  declineReason!: string | null;

  @ApiProperty({ nullable: true, type: String })
  outcome!: string | null;

  @ApiProperty({ type: ReferralDecisionResponse, nullable: true })
  decision!: ReferralDecisionResponse | null;

  @ApiProperty({ nullable: true, type: String, description: 'Why the office (or the system) cancelled it.' })
  cancelReason!: string | null;

  @ApiProperty({
    enum: REFERRAL_STATUSES,
    isArray: true,
    example: ['ANGENOMMEN', 'ABGELEHNT'],
    description: 'The states you can move the referral to now (accept, decline, complete).',
  })
  allowedTransitions!: string[];

  @ApiProperty({
    example: 2,
    description: 'Grows with every change; (id, version) identifies a state you have seen.',
  })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

class SharedQualificationResponse {
  @ApiProperty({ example: 'HOCHSCHULABSCHLUSS' })
  kind!: string;
  @ApiProperty({ nullable: true, type: String })
  titleOriginal!: string | null;
  @ApiProperty({ nullable: true, type: String })
  titleDe!: string | null;
  @ApiProperty({ example: 'SY' })
  country!: string;
  @ApiProperty({ nullable: true, type: Number })
  yearAwarded!: number | null;
  @ApiProperty({ nullable: true, type: Number })
  durationMonths!: number | null;
  @ApiProperty({ nullable: true, type: Number })
  experienceMonths!: number | null;
}

class SharedRecognitionCaseResponse {
  @ApiProperty({ example: 'IN_PRUEFUNG' })
  status!: string;
  @ApiProperty({ example: '81302' })
  kldb!: string;
  @ApiProperty({ example: 'Gesundheits- und Krankenpfleger/in' })
  occupationTitle!: string;
  @ApiProperty({ example: 'GLEICHWERTIGKEIT' })
  procedureKind!: string;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  submittedOn!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  documentsCompleteOn!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  decisionDueOn!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  decidedOn!: string | null;
  @ApiProperty({ nullable: true, type: String })
  outcome!: string | null;
}

class SharedConsultationResponse {
  @ApiProperty({ format: 'date' })
  heldOn!: string;
  @ApiProperty({ type: [String], example: ['ANERKENNUNG_INFO'] })
  topics!: string[];
  @ApiProperty({ type: [String], example: ['ANTRAG_EMPFOHLEN'] })
  outcomes!: string[];
}

/** Only the members of the consented categories are present (see the description of the operation). */
export class SharedClientResponse {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'STAMMDATEN' })
  firstName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'STAMMDATEN' })
  lastName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date', description: 'STAMMDATEN' })
  birthDate?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'KONTAKT' })
  email?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'KONTAKT' })
  phone?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'KONTAKT' })
  postalCode?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'KONTAKT' })
  city?: string | null;
  @ApiPropertyOptional({
    type: [SharedQualificationResponse],
    description: 'QUALIFIKATION: foreign qualifications',
  })
  qualifications?: SharedQualificationResponse[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'AUFENTHALT: residence status code' })
  residenceStatus?: string | null;
  @ApiPropertyOptional({
    type: SharedRecognitionCaseResponse,
    nullable: true,
    description: 'VERFAHREN: the linked recognition case (`null` when the referral has none)',
  })
  recognitionCase?: SharedRecognitionCaseResponse | null;
  @ApiPropertyOptional({
    type: [SharedConsultationResponse],
    description: 'BERATUNGSVERLAUF: consultations (never notes, never voided ones)',
  })
  consultations?: SharedConsultationResponse[];
}

export class PartnerReferralDetailResponse extends PartnerReferralResponse {
  @ApiProperty({
    type: SharedClientResponse,
    nullable: true,
    description:
      'The client data of the shared categories, exactly the allow-listed members of each. `null` once the referral ' +
      'is closed, its consent was withdrawn or has expired, or the client’s data was erased: nothing more is shared then.',
  })
  client!: Partial<SharedClientData> | null;
}

export class PartnerReferralPage {
  @ApiProperty({ type: [PartnerReferralResponse] })
  items!: PartnerReferralResponse[];

  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'More changes are available now: ask again with this cursor. `null`: you have seen every change that is visible now.',
  })
  nextCursor!: string | null;

  @ApiProperty({
    type: String,
    example: 'WyIxMjM0NTYiLCIzYzBlOGY3YS01MWIyLTRkOGUtOWE2My0yZjFiN2M0ZDllMDUiXQ',
    description:
      'Always present: store it and start your next sync from it (`?cursor=`). It stands after the last change ' +
      'you received and never skips a change that commits later.',
  })
  resumeCursor!: string;
}

// ---------------------------------------------------------------------------------------------------
// Mappers

function decisionOf(row: ReferralRow): ReferralDecisionResponse | null {
  if (!row.decision) {
    return null;
  }
  const decision = row.decision as { outcome: string; decidedOn: string; appliedAt?: string };
  return { outcome: decision.outcome, decidedOn: decision.decidedOn, appliedAt: decision.appliedAt ?? null };
}

function targets(row: ReferralRow, party: ReferralParty): string[] {
  return allowedReferralTargets(row.status as ReferralStatus, party);
}

export function toReferralResponse(row: ReferralRow, today: string): ReferralResponse {
  return {
    id: row.id,
    clientId: row.clientId,
    officeId: row.officeId,
    partnerId: row.partnerId,
    partnerName: row.partnerName,
    partnerType: row.partnerType,
    consentId: row.consentId,
    recognitionCaseId: row.recognitionCaseId,
    reason: row.reason,
    dataCategories: row.dataCategories,
    message: row.message,
    dueBy: row.dueBy,
    overdue: row.status === 'GESENDET' && row.dueBy < today,
    status: row.status,
    sentOn: row.sentOn,
    answeredOn: row.answeredOn,
    closedOn: row.closedOn,
    declineReason: row.declineReason,
    outcome: row.outcome,
    decision: decisionOf(row),
    cancelReason: row.cancelReason,
    allowedTransitions: targets(row, 'OFFICE'),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toReferralHistoryResponse(row: ReferralHistoryRow): ReferralHistoryEntryResponse {
  return {
    id: row.id,
    from: row.fromStatus,
    to: row.toStatus,
    date: row.occurredOn,
    actorKind: row.actorKind,
    actorId: row.actorId,
    actorRole: row.actorRole,
    payload: row.payload,
    reason: row.reason,
    recordedAt: row.recordedAt,
  };
}

export function toPartnerReferralResponse(row: ReferralRow): PartnerReferralResponse {
  return {
    id: row.id,
    officeId: row.officeId,
    officeName: row.officeName,
    reason: row.reason,
    dataCategories: row.dataCategories,
    message: row.message,
    recognitionCaseLinked: row.recognitionCaseId !== null,
    dueBy: row.dueBy,
    status: row.status,
    sentOn: row.sentOn,
    answeredOn: row.answeredOn,
    closedOn: row.closedOn,
    declineReason: row.declineReason,
    outcome: row.outcome,
    decision: decisionOf(row),
    cancelReason: row.cancelReason,
    allowedTransitions: targets(row, 'PARTNER'),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
