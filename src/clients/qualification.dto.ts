import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { ValidateEnum, ValidateInt, ValidateString } from '../common/http/validate.decorators';
import { QUALIFICATION_KINDS } from '../reference-data/codes';
import { ValidateCountry } from './client-validators';
import type { QualificationRow } from './qualification.repository';

const YEAR_MIN = 1900;
const TITLE_MAX = 300;

/** Not after the current year (checked at request time, so it moves with the calendar). */
function IsNotAfterThisYear(): PropertyDecorator {
  return ValidateBy({
    name: 'isNotAfterThisYear',
    validator: {
      validate: (value: unknown) => typeof value !== 'number' || value <= new Date().getUTCFullYear(),
      defaultMessage: () => `must be a year from ${YEAR_MIN} to the current year`,
    },
  });
}

/** The optional members, `null` empties them on `PATCH`. */
class QualificationDetails {
  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    min: 1,
    max: TITLE_MAX,
    example: 'Master Pflegewissenschaft',
    description: 'German translation of the title, if known. Free text: removed on erasure.',
  })
  titleDe?: string | null;

  @ValidateInt({
    optional: true,
    nullable: true,
    min: YEAR_MIN,
    example: 2012,
    description: 'Year the qualification was awarded (1900 to the current year).',
  })
  @IsNotAfterThisYear()
  yearAwarded?: number | null;

  @ValidateInt({
    optional: true,
    nullable: true,
    min: 1,
    max: 240,
    example: 48,
    description: 'Length of the training or study programme in months.',
  })
  durationMonths?: number | null;

  @ValidateInt({
    optional: true,
    nullable: true,
    min: 0,
    max: 720,
    example: 36,
    description: 'Professional experience in the occupation, in months.',
  })
  experienceMonths?: number | null;
}

const TITLE_ORIGINAL_DESCRIPTION =
  'The title as on the certificate, in its original language. Free text: removed on erasure.';

export class CreateQualificationRequest extends QualificationDetails {
  @ValidateEnum({ values: QUALIFICATION_KINDS, example: 'HOCHSCHULABSCHLUSS' })
  kind!: string;

  @ValidateString({
    trim: true,
    min: 1,
    max: TITLE_MAX,
    example: 'Магістр медсестринства',
    description: TITLE_ORIGINAL_DESCRIPTION,
  })
  titleOriginal!: string;

  @ValidateCountry({ example: 'UA', description: 'ISO 3166-1 alpha-2 country where it was awarded.' })
  country!: string;
}

/** Members left out stay as they are; `null` empties an optional member. */
export class UpdateQualificationRequest extends QualificationDetails {
  @ValidateEnum({ optional: true, values: QUALIFICATION_KINDS, example: 'HOCHSCHULABSCHLUSS' })
  kind?: string;

  @ValidateString({
    optional: true,
    trim: true,
    min: 1,
    max: TITLE_MAX,
    example: 'Магістр медсестринства',
    description: TITLE_ORIGINAL_DESCRIPTION,
  })
  titleOriginal?: string;

  @ValidateCountry({ optional: true, example: 'UA', description: 'ISO 3166-1 alpha-2.' })
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
