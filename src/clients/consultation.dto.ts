import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { PageQuery } from '../common/http/pagination';
import {
  Field,
  type FieldOptions,
  ValidateBoolean,
  ValidateCodeList,
  ValidateDate,
  ValidateEnum,
  ValidateInt,
  ValidateString,
} from '../common/http/validate.decorators';
import {
  CONSULTATION_CHANNELS,
  CONSULTATION_KINDS,
  CONSULTATION_OUTCOMES,
  CONSULTATION_TOPICS,
} from '../reference-data/codes';
import { VOID_REASON_MAX_LENGTH } from './consultation-rules';
import type { ConsultationRow } from './consultation.repository';
import { isLanguageCode } from './languages';

export const NOTES_MAX_LENGTH = 10_000;

/** An ISO 639-1 language code of `languages.ts`. */
function ValidateLanguage(options: FieldOptions): PropertyDecorator {
  return Field(
    options,
    { type: String, pattern: '^[a-z]{2}$' },
    ValidateBy({
      name: 'isLanguage',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isLanguageCode(value),
        defaultMessage: () => 'must be an ISO 639-1 language code (two lowercase letters) such as ar or uk',
      },
    }),
  );
}

/** Members that may be emptied with `null` on `PATCH`. */
class ConsultationOptionalFields {
  @ValidateLanguage({
    optional: true,
    nullable: true,
    example: 'uk',
    description: 'ISO 639-1 code of the language the consultation was held in.',
  })
  language?: string | null;

  @ValidateDate({
    optional: true,
    nullable: true,
    example: '2026-04-14',
    description: 'When the next contact is due; not before `heldOn`.',
  })
  nextContactDue?: string | null;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    max: NOTES_MAX_LENGTH,
    example: 'Unterlagen aus Kyjiw angefordert; Übersetzung der Fächerliste fehlt noch.',
    description:
      'Free-text notes; may hold special-category data. Never logged, reported or shared with partners; ' +
      'only the client’s own Art. 15 export contains them. Removed on erasure.',
  })
  notes?: string | null;
}

const DURATION = { min: 1, max: 600, example: 60 };

export class CreateConsultationRequest extends ConsultationOptionalFields {
  @ValidateDate({ example: '2026-03-10', description: 'Day it was held; not in the future.' })
  heldOn!: string;

  @ValidateInt(DURATION)
  durationMinutes!: number;

  @ValidateEnum({ values: CONSULTATION_CHANNELS, example: 'PERSOENLICH' })
  channel!: string;

  @ValidateBoolean({
    optional: true,
    default: false,
    description: 'Mobile (outreach) consultation away from the office.',
  })
  mobile?: boolean;

  @ValidateBoolean({ optional: true, default: false })
  interpreterUsed?: boolean;

  @ValidateCodeList({
    values: CONSULTATION_TOPICS,
    minItems: 1,
    example: ['ANERKENNUNG_INFO', 'REFERENZBERUF'],
    description: 'At least one.',
  })
  topics!: string[];

  @ValidateCodeList({
    optional: true,
    values: CONSULTATION_OUTCOMES,
    default: [],
    example: ['ANTRAG_EMPFOHLEN'],
  })
  outcomes?: string[];
}

/**
 * Members left out stay as they are; `null` empties `language`, `nextContactDue` or `notes`.
 * `kind` is derived and cannot be sent.
 */
export class UpdateConsultationRequest extends ConsultationOptionalFields {
  @ValidateDate({
    optional: true,
    example: '2026-03-10',
    description: 'Not in the future. Re-dating may change which consultation is the ERSTBERATUNG.',
  })
  heldOn?: string;

  @ValidateInt({ optional: true, ...DURATION })
  durationMinutes?: number;

  @ValidateEnum({ optional: true, values: CONSULTATION_CHANNELS, example: 'PERSOENLICH' })
  channel?: string;

  @ValidateBoolean({ optional: true, example: false })
  mobile?: boolean;

  @ValidateBoolean({ optional: true, example: true })
  interpreterUsed?: boolean;

  @ValidateCodeList({
    optional: true,
    values: CONSULTATION_TOPICS,
    minItems: 1,
    example: ['ANERKENNUNG_INFO', 'REFERENZBERUF'],
    description: 'At least one.',
  })
  topics?: string[];

  @ValidateCodeList({ optional: true, values: CONSULTATION_OUTCOMES, example: ['ANTRAG_VORBEREITET'] })
  outcomes?: string[];
}

export class ConsultationListQuery extends PageQuery {
  @ValidateDate({ optional: true, example: '2026-01-01', description: 'Held on or after this day.' })
  from?: string;

  @ValidateDate({ optional: true, example: '2026-12-31', description: 'Held on or before this day.' })
  to?: string;
}

/** A consultation as the client's office sees it (notes included). */
export class ConsultationResponse {
  @ApiProperty({ format: 'uuid', example: '2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5e7a' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '6b1f0c8e-2d4a-4f7b-9e3c-5a8d1b2c4e6f' })
  clientId!: string;

  @ApiProperty({
    format: 'uuid',
    example: 'a7d9e2f4-1c3b-4e5a-8f6d-9b0c2e4a6d81',
    description: "The client's office.",
  })
  officeId!: string;

  @ApiProperty({
    format: 'uuid',
    example: 'c1e3a5b7-9d2f-4b6a-8e0c-2f4a6c8e0b1d',
    description: 'The adviser who logged it.',
  })
  adviserId!: string;

  @ApiProperty({ format: 'date', example: '2026-03-10' })
  heldOn!: string;

  @ApiProperty({ example: 60 })
  durationMinutes!: number;

  @ApiProperty({ enum: CONSULTATION_CHANNELS, example: 'PERSOENLICH' })
  channel!: string;

  @ApiProperty({ example: false })
  mobile!: boolean;

  @ApiProperty({ example: 'uk', nullable: true, type: String })
  language!: string | null;

  @ApiProperty({ example: true })
  interpreterUsed!: boolean;

  @ApiProperty({
    enum: CONSULTATION_KINDS,
    example: 'ERSTBERATUNG',
    description:
      "Derived: the client's earliest consultation that is not voided (by `heldOn`; the first recorded on the " +
      'same day) is the `ERSTBERATUNG`, every other one a `FOLGEBERATUNG`. A back-dated, re-dated or voided ' +
      'consultation can change it (and the version) of the others. A voided one keeps the kind it had.',
  })
  kind!: string;

  @ApiProperty({ enum: CONSULTATION_TOPICS, isArray: true, example: ['ANERKENNUNG_INFO', 'REFERENZBERUF'] })
  topics!: string[];

  @ApiProperty({ enum: CONSULTATION_OUTCOMES, isArray: true, example: ['ANTRAG_EMPFOHLEN'] })
  outcomes!: string[];

  @ApiProperty({ format: 'date', example: '2026-04-14', nullable: true, type: String })
  nextContactDue!: string | null;

  @ApiProperty({
    example: 'Unterlagen aus Kyjiw angefordert.',
    nullable: true,
    type: String,
    description: '`null` after erasure.',
  })
  notes!: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: null,
    description:
      'When it was voided as mis-entered (`POST …/void`): it then counts in no statistics and not in the ' +
      'Erst-/Folgeberatung derivation, but stays in the history and the access log. `null` while valid.',
  })
  voidedAt!: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: null, description: 'Who voided it.' })
  voidedBy!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Why it was voided (free text, like the notes: removed on erasure).',
  })
  voidReason!: string | null;

  @ApiProperty({ example: 1, description: 'Incremented by every change; also sent as `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-03-10T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-10T09:30:00.123456Z' })
  updatedAt!: string;
}

export class VoidConsultationRequest {
  @ValidateString({
    min: 1,
    max: VOID_REASON_MAX_LENGTH,
    trim: true,
    example: 'Beim falschen Klienten erfasst (gleicher Name, andere Akte).',
    description: 'Why the consultation is void. Free text: removed on erasure, never in logs or reports.',
  })
  reason!: string;
}

export function toConsultationResponse(row: ConsultationRow): ConsultationResponse {
  return {
    id: row.id,
    clientId: row.clientId,
    officeId: row.officeId,
    adviserId: row.adviserId,
    heldOn: row.heldOn,
    durationMinutes: row.durationMinutes,
    channel: row.channel,
    mobile: row.mobile,
    language: row.language,
    interpreterUsed: row.interpreterUsed,
    kind: row.kind,
    topics: row.topics,
    outcomes: row.outcomes,
    nextContactDue: row.nextContactDue,
    notes: row.notes,
    voidedAt: row.voidedAt,
    voidedBy: row.voidedBy,
    voidReason: row.voidReason,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
