import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../common/http/pagination';
import { BUNDESLAENDER } from '../organisation/bundesland';
import { OptionalNotNull, Trim } from '../common/http/transforms';
import { PARTNER_TYPES, type PartnerType } from './partner-types';
import type { PartnerRow } from './partner.repository';

export class CreatePartnerRequest {
  @ApiProperty({ example: 'Jobcenter Berlin Mitte', minLength: 1, maxLength: 200 })
  @Trim()
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: PARTNER_TYPES, example: 'JOBCENTER' })
  @IsIn(PARTNER_TYPES)
  type!: PartnerType;

  @ApiPropertyOptional({
    enum: BUNDESLAENDER,
    nullable: true,
    example: 'DE-BE',
    description: 'ISO 3166-2 code of the Land; leave out (or `null`) for a partner working nation-wide.',
  })
  @IsOptional()
  @IsIn(BUNDESLAENDER)
  bundesland?: string | null;
}

/** Members left out stay as they are; `bundesland: null` removes the Land. */
export class UpdatePartnerRequest {
  @ApiPropertyOptional({ example: 'Jobcenter Berlin Mitte', minLength: 1, maxLength: 200 })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: PARTNER_TYPES, example: 'JOBCENTER' })
  @OptionalNotNull()
  @IsIn(PARTNER_TYPES)
  type?: PartnerType;

  @ApiPropertyOptional({ enum: BUNDESLAENDER, nullable: true, example: 'DE-BE' })
  @IsOptional()
  @IsIn(BUNDESLAENDER)
  bundesland?: string | null;
}

export class PartnerListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PARTNER_TYPES, description: 'Only partners of this type.' })
  @IsOptional()
  @IsIn(PARTNER_TYPES)
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
