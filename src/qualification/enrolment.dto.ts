import { ApiProperty } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import { ValidateDate, ValidateEnum, ValidateString, ValidateUUID } from '../common/http/validate.decorators';
import { ENROLMENT_STATUSES } from '../reference-data/codes';
import { allowedTargets, type EnrolmentStatus } from './enrolment-state-machine';
import type { EnrolmentHistoryRow, EnrolmentRow } from './enrolment.repository';

export const FREE_TEXT_MAX_LENGTH = 2000;

const FREE_TEXT_NOTICE =
  'Free text: never logged, reported or shared with partners or coordinators; only the client’s own Art. 15 ' +
  'export contains it. Removed on erasure (Art. 17).';

export class CreateEnrolmentRequest {
  @ValidateUUID({ description: 'A client of your office.' })
  clientId!: string;

  @ValidateUUID({ description: 'The qualification offer.' })
  offerId!: string;

  @ValidateUUID({
    optional: true,
    description: 'The recognition case (of the same client) whose compensation measure this is.',
  })
  recognitionCaseId?: string;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    description: FREE_TEXT_NOTICE,
  })
  notes?: string | null;
}

/** Descriptive members only; the status changes through transitions. `null` empties a member. */
export class UpdateEnrolmentRequest {
  @ValidateUUID({ optional: true, nullable: true, description: 'A recognition case of the same client.' })
  recognitionCaseId?: string | null;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    description: FREE_TEXT_NOTICE,
  })
  notes?: string | null;
}

export class EnrolmentTransitionRequest {
  @ValidateEnum({ values: ENROLMENT_STATUSES, example: 'LAUFEND', description: 'The state to move to.' })
  to!: EnrolmentStatus;

  @ValidateDate({
    example: '2026-06-01',
    description:
      'The day it happened (start, end, cancellation …). Not in the future, not before the latest recorded step.',
  })
  date!: string;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    min: 1,
    max: FREE_TEXT_MAX_LENGTH,
    description: `\`ABGEBROCHEN\`: required; \`NICHT_ANGETRETEN\`, \`STORNIERT\`: optional; otherwise refused. ${FREE_TEXT_NOTICE}`,
  })
  reason?: string | null;
}

export class EnrolmentListQuery extends PageQuery {
  @ValidateUUID({ optional: true })
  clientId?: string;

  @ValidateUUID({ optional: true })
  offerId?: string;

  @ValidateEnum({ optional: true, values: ENROLMENT_STATUSES })
  status?: string;
}

export class EnrolmentHistoryQuery extends PageQuery {}

export class EnrolmentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  offerId!: string;

  @ApiProperty({ format: 'uuid' })
  clientId!: string;

  @ApiProperty({ format: 'uuid' })
  officeId!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  recognitionCaseId!: string | null;

  @ApiProperty({ enum: ENROLMENT_STATUSES, example: 'WARTELISTE' })
  status!: string;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 3,
    description: 'The place on the offer’s waiting list (1 = next to get a seat); `null` unless WARTELISTE.',
  })
  waitlistPosition!: number | null;

  @ApiProperty({
    format: 'date',
    nullable: true,
    type: String,
    description: 'The day the seat was confirmed.',
  })
  confirmedOn!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  startedOn!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  endedOn!: string | null;

  @ApiProperty({ nullable: true, type: String, description: FREE_TEXT_NOTICE })
  reason!: string | null;

  @ApiProperty({ nullable: true, type: String, description: FREE_TEXT_NOTICE })
  notes!: string | null;

  @ApiProperty({
    enum: ENROLMENT_STATUSES,
    isArray: true,
    example: ['LAUFEND', 'NICHT_ANGETRETEN', 'STORNIERT'],
    description: 'The states a transition can reach from here.',
  })
  allowedTransitions!: string[];

  @ApiProperty({ example: 1 })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class EnrolmentHistoryEntryResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ENROLMENT_STATUSES, nullable: true, description: '`null` for the enrolment itself.' })
  from!: string | null;

  @ApiProperty({ enum: ENROLMENT_STATUSES })
  to!: string;

  @ApiProperty({ format: 'date' })
  date!: string;

  @ApiProperty({
    format: 'uuid',
    description: 'Whose request caused the step (for a promotion: who freed the seat).',
  })
  actorId!: string;

  @ApiProperty({ example: 'ADVISER' })
  actorRole!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { promoted: true, cause: 'SEAT_FREED' },
    description:
      '`waitlistPosition` at the enrolment; `promoted` and `cause` (`SEAT_FREED`, `CAPACITY_RAISED`) on a promotion.',
  })
  payload!: Record<string, unknown>;

  @ApiProperty({ nullable: true, type: String, description: FREE_TEXT_NOTICE })
  reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;
}

export interface EnrolmentExport extends EnrolmentResponse {
  history: EnrolmentHistoryEntryResponse[];
}

export function toEnrolmentResponse(row: EnrolmentRow): EnrolmentResponse {
  return {
    id: row.id,
    offerId: row.offerId,
    clientId: row.clientId,
    officeId: row.officeId,
    recognitionCaseId: row.recognitionCaseId,
    status: row.status,
    waitlistPosition: row.waitlistPosition,
    confirmedOn: row.confirmedOn,
    startedOn: row.startedOn,
    endedOn: row.endedOn,
    reason: row.reason,
    notes: row.notes,
    allowedTransitions: allowedTargets(row.status as EnrolmentStatus),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toEnrolmentHistoryResponse(row: EnrolmentHistoryRow): EnrolmentHistoryEntryResponse {
  return {
    id: row.id,
    from: row.fromStatus,
    to: row.toStatus,
    date: row.occurredOn,
    actorId: row.actorId,
    actorRole: row.actorRole,
    payload: row.payload,
    reason: row.reason,
    recordedAt: row.recordedAt,
  };
}
