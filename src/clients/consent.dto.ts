import { ApiProperty } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import {
  ValidateBoolean,
  ValidateCodeList,
  ValidateDate,
  ValidateEnum,
  ValidateUUID,
} from '../common/http/validate.decorators';
import { PARTNER_TYPES } from '../partners/partner-types';
import { CONSENT_METHODS, CONSENT_PURPOSES, DATA_CATEGORIES } from '../reference-data/codes';
import { CONSENT_STATUSES, consentStatus, type ConsentStatus } from './consent-rules';
import type { ConsentRow } from './consent.repository';

/** A consent as given. It cannot be changed afterwards (it is evidence); it can only be withdrawn. */
export class CreateConsentRequest {
  @ValidateEnum({
    values: CONSENT_PURPOSES,
    example: 'WEITERGABE_PARTNER',
    description: '`WEITERGABE_PARTNER` (sharing with a partner) needs a recipient and `dataCategories`.',
  })
  purpose!: string;

  @ValidateUUID({
    optional: true,
    nullable: true,
    example: '6e2b9c4d-1f3a-4b5c-8d7e-0a9f1b2c3d4e',
    description:
      'Only for `WEITERGABE_PARTNER`: the one partner the data may go to (422 if there is no such partner). ' +
      'Send either `partnerId` or `partnerType`.',
  })
  partnerId?: string | null;

  @ValidateEnum({
    optional: true,
    nullable: true,
    values: PARTNER_TYPES,
    example: 'JOBCENTER',
    description:
      'Only for `WEITERGABE_PARTNER`: the data may go to any partner of this type. Send either `partnerId` ' +
      'or `partnerType`.',
  })
  partnerType?: string | null;

  @ValidateCodeList({
    optional: true,
    values: DATA_CATEGORIES,
    example: ['STAMMDATEN', 'QUALIFIKATION'],
    description:
      'Only for `WEITERGABE_PARTNER`, and then at least one: what may be shared. `BERATUNGSVERLAUF` covers ' +
      'consultation summaries, never free-text notes.',
  })
  dataCategories?: string[];

  @ValidateDate({ example: '2026-03-10', description: 'Day it was given; not in the future.' })
  givenOn!: string;

  @ValidateEnum({ values: CONSENT_METHODS, example: 'SCHRIFTLICH' })
  method!: string;

  @ValidateDate({
    optional: true,
    nullable: true,
    example: '2027-03-10',
    description: 'Last day the consent covers (after `givenOn`); without it the consent does not expire.',
  })
  expiresOn?: string | null;
}

export class WithdrawConsentRequest {
  @ValidateDate({
    optional: true,
    example: '2026-04-02',
    description:
      'Day the client withdrew the consent, if not today (e.g. a letter received late): not in the future and ' +
      'not before `givenOn`. Left out: now.',
  })
  withdrawnOn?: string;
}

export class ConsentListQuery extends PageQuery {
  @ValidateBoolean({
    optional: true,
    query: true,
    description: '`true`: only consents in force today; `false`: only withdrawn or expired ones.',
  })
  active?: boolean;
}

/** A consent as given, with where it stands today. */
export class ConsentResponse {
  @ApiProperty({ format: 'uuid', example: '8d2f4a6c-0e1b-4c3d-9f5a-7b9d1f3a5c7e' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '6b1f0c8e-2d4a-4f7b-9e3c-5a8d1b2c4e6f' })
  clientId!: string;

  @ApiProperty({ enum: CONSENT_PURPOSES, example: 'WEITERGABE_PARTNER' })
  purpose!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: null })
  partnerId!: string | null;

  @ApiProperty({ enum: PARTNER_TYPES, nullable: true, example: 'JOBCENTER' })
  partnerType!: string | null;

  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true, example: ['STAMMDATEN', 'QUALIFIKATION'] })
  dataCategories!: string[];

  @ApiProperty({ format: 'date', example: '2026-03-10' })
  givenOn!: string;

  @ApiProperty({ enum: CONSENT_METHODS, example: 'SCHRIFTLICH' })
  method!: string;

  @ApiProperty({ format: 'date', nullable: true, type: String, example: '2027-03-10' })
  expiresOn!: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: null,
    description: 'When it was withdrawn (a back-dated withdrawal: midnight UTC of that day); `null` if not.',
  })
  withdrawnAt!: string | null;

  @ApiProperty({
    enum: CONSENT_STATUSES,
    example: 'ACTIVE',
    description: '`WITHDRAWN` once withdrawn; `EXPIRED` after `expiresOn`; `ACTIVE` otherwise.',
  })
  status!: ConsentStatus;

  @ApiProperty({ example: true, description: 'In force today (`status` is `ACTIVE`): data may be shared.' })
  active!: boolean;

  @ApiProperty({ example: 1, description: 'Incremented by the withdrawal; also sent as `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-03-10T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-10T09:30:00.123456Z' })
  updatedAt!: string;
}

export function toConsentResponse(row: ConsentRow, today: string): ConsentResponse {
  const status = consentStatus(row, today);
  return {
    id: row.id,
    clientId: row.clientId,
    purpose: row.purpose,
    partnerId: row.partnerId,
    partnerType: row.partnerType,
    dataCategories: row.dataCategories,
    givenOn: row.givenOn,
    method: row.method,
    expiresOn: row.expiresOn,
    withdrawnAt: row.withdrawnAt,
    status,
    active: status === 'ACTIVE',
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
