import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PageQuery } from '../common/http/pagination';
import { BooleanQuery, OptionalNotNull, Trim } from '../common/http/transforms';
import { IsCodeList, IsDateOnly } from '../common/http/validators';
import { BUNDESLAENDER } from '../organisation/bundesland';
import {
  ACCESS_ROUTES,
  BENEFITS,
  EMPLOYMENT_STATUSES,
  GENDERS,
  GERMAN_LEVELS,
  RESIDENCE_STATUSES,
} from '../reference-data/codes';
import { IsCountry, IsNationality } from './client-validators';
import type { ClientRow } from './client.repository';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE = 'must be an ISO 8601 instant with a time zone, e.g. 2026-11-22T09:30:00Z';
const PHONE = /^\+?[0-9 ()/-]{3,30}$/;
const YEAR_MIN = 1900;

/** Birth date, contact data and statistical profile: optional, `null` empties a member on `PATCH`. */
class ClientProfileFields {
  @ApiPropertyOptional({
    format: 'date',
    example: '1991-04-17',
    nullable: true,
    description: 'Sets `birthYear` too. Not in the future, not before 1900.',
    type: String,
  })
  @IsOptional()
  @IsDateOnly()
  birthDate?: string | null;

  @ApiPropertyOptional({ example: 'amina.haddad@example.org', nullable: true, maxLength: 200, type: String })
  @IsOptional()
  @Trim()
  @IsEmail({}, { message: 'must be an e-mail address' })
  @Length(3, 200)
  email?: string | null;

  @ApiPropertyOptional({ example: '+49 30 1234567', nullable: true, pattern: PHONE.source, type: String })
  @IsOptional()
  @Trim()
  @Matches(PHONE, { message: 'must be a phone number (digits, spaces, + ( ) / -)' })
  phone?: string | null;

  @ApiPropertyOptional({ example: '10115', nullable: true, maxLength: 10, type: String })
  @IsOptional()
  @Trim()
  @Matches(/^[A-Za-z0-9 -]{2,10}$/, { message: 'must be a postal code (2–10 letters or digits)' })
  postalCode?: string | null;

  @ApiPropertyOptional({ example: 'Berlin', nullable: true, maxLength: 100, type: String })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 100)
  city?: string | null;

  @ApiPropertyOptional({
    example: 1991,
    nullable: true,
    description: 'Only when the birth date is unknown; derived from `birthDate` otherwise.',
    type: Number,
  })
  @IsOptional()
  @IsInt()
  @Min(YEAR_MIN)
  @Max(2100)
  birthYear?: number | null;

  @ApiPropertyOptional({ example: 'SY', nullable: true, description: 'ISO 3166-1 alpha-2.', type: String })
  @IsOptional()
  @IsCountry()
  countryOfBirth?: string | null;

  @ApiPropertyOptional({
    type: [String],
    example: ['SY'],
    description: 'ISO 3166-1 alpha-2 codes; `XX` unknown, `XS` stateless. At most 5.',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayUnique({ message: 'nationalities must not repeat a code' })
  @ArrayMaxSize(5)
  @IsNationality({ each: true })
  nationalities?: string[];

  @ApiPropertyOptional({ enum: BUNDESLAENDER, example: 'DE-BE', nullable: true })
  @IsOptional()
  @IsIn(BUNDESLAENDER)
  residenceBundesland?: string | null;

  @ApiPropertyOptional({
    example: 2019,
    nullable: true,
    description: 'Year of arrival in Germany.',
    type: Number,
  })
  @IsOptional()
  @IsInt()
  @Min(YEAR_MIN)
  @Max(2100)
  arrivalYear?: number | null;

  @ApiPropertyOptional({ enum: RESIDENCE_STATUSES, example: 'AE_16D', nullable: true })
  @IsOptional()
  @IsIn(RESIDENCE_STATUSES)
  residenceStatus?: string | null;

  @ApiPropertyOptional({ enum: GERMAN_LEVELS, example: 'B1', nullable: true })
  @IsOptional()
  @IsIn(GERMAN_LEVELS)
  germanLevel?: string | null;

  @ApiPropertyOptional({
    example: 6,
    minimum: 0,
    maximum: 8,
    nullable: true,
    description: 'ISCED 2011 level.',
    type: Number,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(8)
  iscedLevel?: number | null;

  @ApiPropertyOptional({ enum: EMPLOYMENT_STATUSES, example: 'ARBEITSLOS', nullable: true })
  @IsOptional()
  @IsIn(EMPLOYMENT_STATUSES)
  employmentStatus?: string | null;

  @ApiPropertyOptional({
    enum: BENEFITS,
    isArray: true,
    example: ['SGB_II'],
    description: '`KEINE` stands alone.',
  })
  @OptionalNotNull()
  @IsCodeList(BENEFITS)
  benefits?: string[];

  @ApiPropertyOptional({ enum: ACCESS_ROUTES, example: 'JOBCENTER', nullable: true })
  @IsOptional()
  @IsIn(ACCESS_ROUTES)
  accessRoute?: string | null;
}

export class CreateClientRequest extends ClientProfileFields {
  @ApiProperty({ example: 'Amina', minLength: 1, maxLength: 100 })
  @IsDefined({ message: 'is required' })
  @Trim()
  @IsString()
  @Length(1, 100)
  firstName!: string;

  @ApiProperty({ example: 'Haddad', minLength: 1, maxLength: 100 })
  @IsDefined({ message: 'is required' })
  @Trim()
  @IsString()
  @Length(1, 100)
  lastName!: string;

  @ApiProperty({ enum: GENDERS, example: 'W', description: 'W, M, D (divers) or X (no answer).' })
  @IsDefined({ message: 'is required' })
  @IsIn(GENDERS)
  gender!: string;
}

/** Members left out stay as they are; `null` empties an optional member. */
export class UpdateClientRequest extends ClientProfileFields {
  @ApiPropertyOptional({ example: 'Amina', minLength: 1, maxLength: 100 })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @Length(1, 100)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Haddad', minLength: 1, maxLength: 100 })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @Length(1, 100)
  lastName?: string;

  @ApiPropertyOptional({ enum: GENDERS, example: 'W', description: 'W, M, D (divers) or X (no answer).' })
  @OptionalNotNull()
  @IsIn(GENDERS)
  gender?: string;
}

export class CreateClientQuery {
  @ApiPropertyOptional({
    default: false,
    description:
      'Create the client even though a likely duplicate exists (after checking the `candidateIds` of the 409 answer).',
  })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  allowDuplicate?: boolean;
}

/** Filters of `GET /clients`; names are never filters here (use `POST /clients/search`). */
export class ClientListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'SY', description: 'Clients holding this nationality.' })
  @IsOptional()
  @IsNationality()
  nationality?: string;

  @ApiPropertyOptional({ enum: RESIDENCE_STATUSES })
  @IsOptional()
  @IsIn(RESIDENCE_STATUSES)
  residenceStatus?: string;

  @ApiPropertyOptional({ enum: GENDERS })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Registered at or after this instant.' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  createdAfter?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Registered before this instant.' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  createdBefore?: string;

  @ApiPropertyOptional({ description: '`true`: only erased clients; `false`: only clients not erased.' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  erased?: boolean;
}

export class ClientSearchRequest {
  @ApiProperty({
    example: 'Amina Hadad',
    minLength: 2,
    maxLength: 200,
    description: 'Full or partial name in any order; spelling variants, accents and typos are tolerated.',
  })
  @Trim()
  @IsString()
  @Length(2, 200)
  name!: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '1991-04-17',
    description: 'Clients born that day rank first.',
  })
  @IsOptional()
  @IsDateOnly()
  birthDate?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}

/** A client as the adviser's office sees it. After erasure the identity members are `null`. */
export class ClientResponse {
  @ApiProperty({ format: 'uuid', example: '6b1f0c8e-2d4a-4f7b-9e3c-5a8d1b2c4e6f' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: 'a7d9e2f4-1c3b-4e5a-8f6d-9b0c2e4a6d81' })
  officeId!: string;

  @ApiProperty({ example: 'Amina', nullable: true, type: String })
  firstName!: string | null;

  @ApiProperty({ example: 'Haddad', nullable: true, type: String })
  lastName!: string | null;

  @ApiProperty({ format: 'date', example: '1991-04-17', nullable: true, type: String })
  birthDate!: string | null;

  @ApiProperty({ example: 'amina.haddad@example.org', nullable: true, type: String })
  email!: string | null;

  @ApiProperty({ example: '+49 30 1234567', nullable: true, type: String })
  phone!: string | null;

  @ApiProperty({ example: '10115', nullable: true, type: String })
  postalCode!: string | null;

  @ApiProperty({ example: 'Berlin', nullable: true, type: String })
  city!: string | null;

  @ApiProperty({ enum: GENDERS, example: 'W' })
  gender!: string;

  @ApiProperty({ example: 1991, nullable: true, type: Number })
  birthYear!: number | null;

  @ApiProperty({ example: 'SY', nullable: true, type: String })
  countryOfBirth!: string | null;

  @ApiProperty({ type: [String], example: ['SY'] })
  nationalities!: string[];

  @ApiProperty({ enum: BUNDESLAENDER, example: 'DE-BE', nullable: true })
  residenceBundesland!: string | null;

  @ApiProperty({ example: 2019, nullable: true, type: Number })
  arrivalYear!: number | null;

  @ApiProperty({ enum: RESIDENCE_STATUSES, example: 'AE_16D', nullable: true })
  residenceStatus!: string | null;

  @ApiProperty({ enum: GERMAN_LEVELS, example: 'B1', nullable: true })
  germanLevel!: string | null;

  @ApiProperty({ example: 6, nullable: true, type: Number })
  iscedLevel!: number | null;

  @ApiProperty({ enum: EMPLOYMENT_STATUSES, example: 'ARBEITSLOS', nullable: true })
  employmentStatus!: string | null;

  @ApiProperty({ enum: BENEFITS, isArray: true, example: ['SGB_II'] })
  benefits!: string[];

  @ApiProperty({ enum: ACCESS_ROUTES, example: 'JOBCENTER', nullable: true })
  accessRoute!: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: null,
    description: 'When the personal data was erased (Art. 17); `null` while it is kept.',
  })
  erasedAt!: string | null;

  @ApiProperty({ example: 1, description: 'Incremented by every change; also sent as `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  updatedAt!: string;
}

export class ClientSearchHit extends ClientResponse {
  @ApiProperty({ example: 0.86, description: 'Name similarity 0–1 (1 = same normalised name).' })
  score!: number;
}

export class ClientSearchResponse {
  @ApiProperty({ type: [ClientSearchHit] })
  items!: ClientSearchHit[];
}

export function toClientResponse(row: ClientRow): ClientResponse {
  return {
    id: row.id,
    officeId: row.officeId,
    firstName: row.firstName,
    lastName: row.lastName,
    birthDate: row.birthDate,
    email: row.email,
    phone: row.phone,
    postalCode: row.postalCode,
    city: row.city,
    gender: row.gender,
    birthYear: row.birthYear,
    countryOfBirth: row.countryOfBirth,
    nationalities: row.nationalities,
    residenceBundesland: row.residenceBundesland,
    arrivalYear: row.arrivalYear,
    residenceStatus: row.residenceStatus,
    germanLevel: row.germanLevel,
    iscedLevel: row.iscedLevel,
    employmentStatus: row.employmentStatus,
    benefits: row.benefits,
    accessRoute: row.accessRoute,
    erasedAt: row.erasedAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
