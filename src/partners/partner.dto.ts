import { ApiProperty } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import { ValidateEnum, ValidateString } from '../common/http/validate.decorators';
import { BUNDESLAENDER } from '../organisation/bundesland';
import { PARTNER_TYPES, type PartnerType } from './partner-types';
import type { PartnerRow } from './partner.repository';

export class CreatePartnerRequest {
  @ValidateString({ trim: true, min: 1, max: 200, example: 'Jobcenter Berlin Mitte' })
  name!: string;

  @ValidateEnum({ values: PARTNER_TYPES, example: 'JOBCENTER' })
  type!: PartnerType;

  @ValidateEnum({
    optional: true,
    nullable: true,
    values: BUNDESLAENDER,
    example: 'DE-BE',
    description: 'ISO 3166-2 code of the Land; leave out (or `null`) for a partner working nation-wide.',
  })
  bundesland?: string | null;
}

/** Members left out stay as they are; `bundesland: null` removes the Land. */
export class UpdatePartnerRequest {
  @ValidateString({ optional: true, trim: true, min: 1, max: 200, example: 'Jobcenter Berlin Mitte' })
  name?: string;

  @ValidateEnum({ optional: true, values: PARTNER_TYPES, example: 'JOBCENTER' })
  type?: PartnerType;

  @ValidateEnum({ optional: true, nullable: true, values: BUNDESLAENDER, example: 'DE-BE' })
  bundesland?: string | null;
}

export class PartnerListQuery extends PageQuery {
  @ValidateEnum({ optional: true, values: PARTNER_TYPES, description: 'Only partners of this type.' })
  type?: PartnerType;
}

/** A cooperation partner (Kooperationspartner). */
export class PartnerResponse {
  @ApiProperty({ format: 'uuid', example: '6e2b9c4d-1f3a-4b5c-8d7e-0a9f1b2c3d4e' })
  id!: string;

  @ApiProperty({ example: 'Jobcenter Berlin Mitte' })
  name!: string;

  @ApiProperty({ enum: PARTNER_TYPES, example: 'JOBCENTER' })
  type!: PartnerType;

  @ApiProperty({ enum: BUNDESLAENDER, nullable: true, type: String, example: 'DE-BE' })
  bundesland!: string | null;

  @ApiProperty({ example: 1, description: 'Incremented by every change; also sent as `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  updatedAt!: string;
}

export function toPartnerResponse(row: PartnerRow): PartnerResponse {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    bundesland: row.bundesland,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
