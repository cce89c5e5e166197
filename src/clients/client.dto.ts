import { ApiProperty } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import {
  ValidateBoolean,
  ValidateCodeList,
  ValidateDate,
  ValidateEmail,
  ValidateEnum,
  ValidateInstant,
  ValidateInt,
  ValidateString,
} from '../common/http/validate.decorators';
import { BUNDESLAENDER } from '../organisation/bundesland';
import {
  ACCESS_ROUTES,
  BENEFITS,
  EMPLOYMENT_STATUSES,
  GENDERS,
  GERMAN_LEVELS,
  RESIDENCE_STATUSES,
} from '../reference-data/codes';
import { ValidateCountry, ValidateNationalities, ValidateNationality } from './client-validators';
import type { ClientRow } from './client.repository';

const PHONE = /^\+?[0-9 ()/-]{3,30}$/;
const POSTAL_CODE = /^[A-Za-z0-9 -]{2,10}$/;
const YEAR_MIN = 1900;
const YEAR_MAX = 2100;
const GENDER_DESCRIPTION = 'W, M, D (divers) or X (no answer).';

/** Birth date, contact data and statistical profile: optional, `null` empties a member on `PATCH`. */
class ClientProfileFields {
  @ValidateDate({
    optional: true,
    nullable: true,
    example: '1991-04-17',
    description: 'Sets `birthYear` too. Not in the future, not before 1900.',
  })
  birthDate?: string | null;

  @ValidateEmail({ optional: true, nullable: true, max: 200, example: 'amina.haddad@example.org' })
  email?: string | null;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    pattern: PHONE,
    patternMessage: 'must be a phone number (digits, spaces, + ( ) / -)',
    example: '+49 30 1234567',
  })
  phone?: string | null;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    max: 10,
    pattern: POSTAL_CODE,
    patternMessage: 'must be a postal code (2–10 letters or digits)',
    example: '10115',
  })
  postalCode?: string | null;

  @ValidateString({ optional: true, nullable: true, trim: true, min: 1, max: 100, example: 'Berlin' })
  city?: string | null;

  @ValidateInt({
    optional: true,
    nullable: true,
    min: YEAR_MIN,
    max: YEAR_MAX,
    example: 1991,
    description: 'Only when the birth date is unknown; derived from `birthDate` otherwise.',
  })
  birthYear?: number | null;

  @ValidateCountry({ optional: true, nullable: true, example: 'SY', description: 'ISO 3166-1 alpha-2.' })
  countryOfBirth?: string | null;

  @ValidateNationalities({
    optional: true,
    maxItems: 5,
    example: ['SY'],
    description: 'ISO 3166-1 alpha-2 codes; `XX` unknown, `XS` stateless. At most 5.',
  })
  nationalities?: string[];

  @ValidateEnum({ optional: true, nullable: true, values: BUNDESLAENDER, example: 'DE-BE' })
  residenceBundesland?: string | null;

  @ValidateInt({
    optional: true,
    nullable: true,
    min: YEAR_MIN,
    max: YEAR_MAX,
    example: 2019,
    description: 'Year of arrival in Germany.',
  })
  arrivalYear?: number | null;

  @ValidateEnum({ optional: true, nullable: true, values: RESIDENCE_STATUSES, example: 'AE_16D' })
  residenceStatus?: string | null;

  @ValidateEnum({ optional: true, nullable: true, values: GERMAN_LEVELS, example: 'B1' })
  germanLevel?: string | null;

  @ValidateInt({
    optional: true,
    nullable: true,
    min: 0,
    max: 8,
    example: 6,
    description: 'ISCED 2011 level.',
  })
  iscedLevel?: number | null;

  @ValidateEnum({ optional: true, nullable: true, values: EMPLOYMENT_STATUSES, example: 'ARBEITSLOS' })
  employmentStatus?: string | null;

  @ValidateCodeList({
    optional: true,
    values: BENEFITS,
    example: ['SGB_II'],
    description: '`KEINE` stands alone.',
  })
  benefits?: string[];

  @ValidateEnum({ optional: true, nullable: true, values: ACCESS_ROUTES, example: 'JOBCENTER' })
  accessRoute?: string | null;
}

export class CreateClientRequest extends ClientProfileFields {
  @ValidateString({ trim: true, min: 1, max: 100, example: 'Amina' })
  firstName!: string;

  @ValidateString({ trim: true, min: 1, max: 100, example: 'Haddad' })
  lastName!: string;

  @ValidateEnum({ values: GENDERS, example: 'W', description: GENDER_DESCRIPTION })
  gender!: string;
}

/** Members left out stay as they are; `null` empties an optional member. */
export class UpdateClientRequest extends ClientProfileFields {
  @ValidateString({ optional: true, trim: true, min: 1, max: 100, example: 'Amina' })
  firstName?: string;

  @ValidateString({ optional: true, trim: true, min: 1, max: 100, example: 'Haddad' })
  lastName?: string;

  @ValidateEnum({ optional: true, values: GENDERS, example: 'W', description: GENDER_DESCRIPTION })
  gender?: string;
}

export class CreateClientQuery {
  @ValidateBoolean({
    optional: true,
    query: true,
    default: false,
    description:
      'Create the client even though a likely duplicate exists (after checking the `candidateIds` of the 409 answer).',
  })
  allowDuplicate?: boolean;
}

/** Filters of `GET /clients`; names are never filters here (use `POST /clients/search`). */
export class ClientListQuery extends PageQuery {
  @ValidateNationality({ optional: true, example: 'SY', description: 'Clients holding this nationality.' })
  nationality?: string;

  @ValidateEnum({ optional: true, values: RESIDENCE_STATUSES })
  residenceStatus?: string;

  @ValidateEnum({ optional: true, values: GENDERS })
  gender?: string;

  @ValidateInstant({ optional: true, description: 'Registered at or after this instant.' })
  createdAfter?: string;

  @ValidateInstant({ optional: true, description: 'Registered before this instant.' })
  createdBefore?: string;

  @ValidateBoolean({
    optional: true,
    query: true,
    description: '`true`: only erased clients; `false`: only clients not erased.',
  })
  erased?: boolean;
}

export class ClientSearchRequest {
  @ValidateString({
    trim: true,
    min: 2,
    max: 200,
    example: 'Amina Hadad',
    description: 'Full or partial name in any order; spelling variants, accents and typos are tolerated.',
  })
  name!: string;

  @ValidateDate({ optional: true, example: '1991-04-17', description: 'Clients born that day rank first.' })
  birthDate?: string;

  @ValidateInt({ optional: true, min: 1, max: 50, default: 20 })
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
