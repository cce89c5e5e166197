import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateBy } from 'class-validator';
import { OptionalNotNull, Trim } from '../common/http/transforms';
import { QUALIFICATION_KINDS } from '../reference-data/codes';
import { IsCountry } from './client-validators';
import type { QualificationRow } from './qualification.repository';

const YEAR_MIN = 1900;
const TITLE_MAX = 300;

/** A year from 1900 up to the current one (checked at request time, so it moves with the calendar). */
function IsAwardYear(): PropertyDecorator {
  return ValidateBy({
    name: 'isAwardYear',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= YEAR_MIN &&
        value <= new Date().getUTCFullYear(),
      defaultMessage: () => `must be a year from ${YEAR_MIN} to the current year`,
    },
  });
}

/** The optional members, `null` empties them on `PATCH`. */
class QualificationDetails {
  @ApiPropertyOptional({
    example: 'Master Pflegewissenschaft',
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: TITLE_MAX,
    description: 'German translation of the title, if known. Free text: removed on erasure.',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, TITLE_MAX)
  titleDe?: string | null;

  @ApiPropertyOptional({
    example: 2012,
    type: 'integer',
    nullable: true,
    description: 'Year the qualification was awarded (1900 to the current year).',
  })
  @IsOptional()
  @IsAwardYear()
  yearAwarded?: number | null;

  @ApiPropertyOptional({
    example: 48,
    type: 'integer',
    minimum: 1,
    maximum: 240,
    nullable: true,
    description: 'Length of the training or study programme in months.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(240)
  durationMonths?: number | null;

  @ApiPropertyOptional({
    example: 36,
    type: 'integer',
    minimum: 0,
    maximum: 720,
    nullable: true,
    description: 'Professional experience in the occupation, in months.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(720)
  experienceMonths?: number | null;
}

export class CreateQualificationRequest extends QualificationDetails {
  @ApiProperty({ enum: QUALIFICATION_KINDS, example: 'HOCHSCHULABSCHLUSS' })
  @IsDefined({ message: 'is required' })
  @IsIn(QUALIFICATION_KINDS)
  kind!: string;

  @ApiProperty({
    example: 'Магістр медсестринства',
    minLength: 1,
    maxLength: TITLE_MAX,
    description: 'The title as on the certificate, in its original language. Free text: removed on erasure.',
  })
  @IsDefined({ message: 'is required' })
  @Trim()
  @IsString()
  @Length(1, TITLE_MAX)
  titleOriginal!: string;

  @ApiProperty({ example: 'UA', description: 'ISO 3166-1 alpha-2 country where it was awarded.' })
  @IsDefined({ message: 'is required' })
  @IsCountry()
  country!: string;
}

/** Members left out stay as they are; `null` empties an optional member. */
export class UpdateQualificationRequest extends QualificationDetails {
  @ApiPropertyOptional({ enum: QUALIFICATION_KINDS, example: 'HOCHSCHULABSCHLUSS' })
  @OptionalNotNull()
  @IsIn(QUALIFICATION_KINDS)
  kind?: string;

  @ApiPropertyOptional({ example: 'Магістр медсестринства', minLength: 1, maxLength: TITLE_MAX })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @Length(1, TITLE_MAX)
  titleOriginal?: string;

  @ApiPropertyOptional({ example: 'UA', description: 'ISO 3166-1 alpha-2.' })
  @OptionalNotNull()
  @IsCountry()
  country?: string;
}

/** A foreign qualification of a client. After erasure the titles are `null`. */
export class QualificationResponse {
  @ApiProperty({ format: 'uuid', example: '3a7c1e5f-9b2d-4f6a-8c0e-1d3b5f7a9c2e' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '6b1f0c8e-2d4a-4f7b-9e3c-5a8d1b2c4e6f' })
  clientId!: string;

  @ApiProperty({ enum: QUALIFICATION_KINDS, example: 'HOCHSCHULABSCHLUSS' })
  kind!: string;

  @ApiProperty({ example: 'Магістр медсестринства', nullable: true, type: String })
  titleOriginal!: string | null;

  @ApiProperty({ example: 'Master Pflegewissenschaft', nullable: true, type: String })
  titleDe!: string | null;

  @ApiProperty({ example: 'UA' })
  country!: string;

  @ApiProperty({ example: 2012, nullable: true, type: Number })
  yearAwarded!: number | null;

  @ApiProperty({ example: 48, nullable: true, type: Number })
  durationMonths!: number | null;

  @ApiProperty({ example: 36, nullable: true, type: Number })
  experienceMonths!: number | null;

  @ApiProperty({ example: 1, description: 'Incremented by every change; also sent as `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-03-10T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-10T09:30:00.123456Z' })
  updatedAt!: string;
}

export function toQualificationResponse(row: QualificationRow): QualificationResponse {
  return {
    id: row.id,
    clientId: row.clientId,
    kind: row.kind,
    titleOriginal: row.titleOriginal,
    titleDe: row.titleDe,
    country: row.country,
    yearAwarded: row.yearAwarded,
    durationMonths: row.durationMonths,
    experienceMonths: row.experienceMonths,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
