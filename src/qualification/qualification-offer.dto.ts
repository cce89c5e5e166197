import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PageQuery } from '../common/http/pagination';
import { BooleanQuery, IsDateOnly, OptionalNotNull, Trim } from './dto-helpers';
import { BUNDESLAENDER } from '../organisation/bundesland';
import { ENROLMENT_STATUSES, OFFER_DELIVERIES, OFFER_FORMATS, OFFER_TYPES } from '../reference-data/codes';
import type { OfferEnrolmentRow } from './enrolment.repository';
import type { OfferRow } from './qualification-offer.repository';

const KLDB = /^\d{5}$/;
const KLDB_PREFIX = /^\d{1,5}$/;
export const MAX_CAPACITY = 10_000;
const MAX_OCCUPATIONS = 50;
const DESCRIPTION_MAX_LENGTH = 4000;

/** Members shared by the creating request and the change (validated the same way). */
class OfferFields {
  @ApiPropertyOptional({ example: 'DE-BE', enum: BUNDESLAENDER, nullable: true })
  @IsOptional()
  @IsIn(BUNDESLAENDER)
  bundesland?: string | null;

  @ApiPropertyOptional({ example: 'Berlin', nullable: true, maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 100)
  city?: string | null;

  @ApiPropertyOptional({
    example: 'Berufsbegleitend, 6 Monate; Praxisphasen in Kliniken der Region.',
    nullable: true,
    maxLength: DESCRIPTION_MAX_LENGTH,
    description: 'About the measure (never about a person).',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, DESCRIPTION_MAX_LENGTH)
  description?: string | null;

  @ApiPropertyOptional({ format: 'date', example: '2026-12-18', nullable: true })
  @IsOptional()
  @IsDateOnly()
  endsOn?: string | null;
}

export class CreateOfferRequest extends OfferFields {
  @ApiProperty({ example: 'Anpassungslehrgang Pflege', minLength: 1, maxLength: 200 })
  @IsDefined({ message: 'is required' })
  @Trim()
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ enum: OFFER_TYPES, example: 'ANPASSUNGSLEHRGANG' })
  @IsDefined({ message: 'is required' })
  @IsIn(OFFER_TYPES)
  type!: string;

  @ApiProperty({ format: 'uuid', description: 'The provider, a partner (typically `BILDUNGSTRAEGER`).' })
  @IsDefined({ message: 'is required' })
  @IsUUID('all', { message: 'must be a UUID' })
  providerPartnerId!: string;

  @ApiProperty({
    example: ['81302'],
    isArray: true,
    description: 'KldB 2010 codes of the reference occupations (see `GET /reference-data/occupations`).',
  })
  @IsDefined({ message: 'is required' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_OCCUPATIONS)
  @ArrayUnique({ message: 'referenceOccupations must not repeat a code' })
  @Matches(KLDB, { each: true, message: 'each value must be a KldB 2010 code of five digits' })
  referenceOccupations!: string[];

  @ApiProperty({ enum: OFFER_FORMATS, example: 'KURS' })
  @IsDefined({ message: 'is required' })
  @IsIn(OFFER_FORMATS)
  format!: string;

  @ApiProperty({ enum: OFFER_DELIVERIES, example: 'HYBRID' })
  @IsDefined({ message: 'is required' })
  @IsIn(OFFER_DELIVERIES)
  delivery!: string;

  @ApiProperty({ example: 12, minimum: 1, maximum: MAX_CAPACITY })
  @IsDefined({ message: 'is required' })
  @IsInt()
  @Min(1)
  @Max(MAX_CAPACITY)
  capacity!: number;

  @ApiProperty({ format: 'date', example: '2026-06-01' })
  @IsDefined({ message: 'is required' })
  @IsDateOnly()
  startsOn!: string;

  @ApiPropertyOptional({ default: false, description: 'Funded by the IQ programme.' })
  @IsOptional()
  @IsBoolean()
  iqFunded?: boolean;
}

/** Members left out stay; `null` empties an optional one. */
export class UpdateOfferRequest extends OfferFields {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ enum: OFFER_TYPES })
  @OptionalNotNull()
  @IsIn(OFFER_TYPES)
  type?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNotNull()
  @IsUUID('all', { message: 'must be a UUID' })
  providerPartnerId?: string;

  @ApiPropertyOptional({ example: ['81302'], isArray: true })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_OCCUPATIONS)
  @ArrayUnique({ message: 'referenceOccupations must not repeat a code' })
  @Matches(KLDB, { each: true, message: 'each value must be a KldB 2010 code of five digits' })
  referenceOccupations?: string[];

  @ApiPropertyOptional({ enum: OFFER_FORMATS })
  @OptionalNotNull()
  @IsIn(OFFER_FORMATS)
  format?: string;

  @ApiPropertyOptional({ enum: OFFER_DELIVERIES })
  @OptionalNotNull()
  @IsIn(OFFER_DELIVERIES)
  delivery?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_CAPACITY,
    description:
      'Below the seats taken: 409. Raised: the oldest waiting enrolments get the new seats at once.',
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(MAX_CAPACITY)
  capacity?: number;

  @ApiPropertyOptional({ format: 'date' })
  @OptionalNotNull()
  @IsDateOnly()
  startsOn?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  iqFunded?: boolean;
}

export class OfferListQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '813',
    pattern: KLDB_PREFIX.source,
    description: 'Offers leading to this reference occupation (a KldB code or its first 1–4 digits).',
  })
  @IsOptional()
  @Matches(KLDB_PREFIX, { message: 'must be 1–5 digits of a KldB code' })
  kldb?: string;

  @ApiPropertyOptional({ enum: OFFER_TYPES })
  @IsOptional()
  @IsIn(OFFER_TYPES)
  type?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  networkId?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Offers starting after this day.' })
  @IsOptional()
  @IsDateOnly()
  startsAfter?: string;

  @ApiPropertyOptional({ description: '`true`: offers with a free seat; `false`: fully booked ones.' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  hasSeats?: boolean;

  @ApiPropertyOptional({ enum: BUNDESLAENDER })
  @IsOptional()
  @IsIn(BUNDESLAENDER)
  bundesland?: string;

  @ApiPropertyOptional({ enum: OFFER_DELIVERIES })
  @IsOptional()
  @IsIn(OFFER_DELIVERIES)
  delivery?: string;
}

export class OfferEnrolmentsQuery extends PageQuery {}

export class OfferResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  networkId!: string;

  @ApiProperty({ example: 'Anpassungslehrgang Pflege' })
  title!: string;

  @ApiProperty({ enum: OFFER_TYPES, example: 'ANPASSUNGSLEHRGANG' })
  type!: string;

  @ApiProperty({ format: 'uuid' })
  providerPartnerId!: string;

  @ApiProperty({ example: ['81302'], isArray: true })
  referenceOccupations!: string[];

  @ApiProperty({ enum: OFFER_FORMATS, example: 'KURS' })
  format!: string;

  @ApiProperty({ enum: OFFER_DELIVERIES, example: 'HYBRID' })
  delivery!: string;

  @ApiProperty({ example: 12 })
  capacity!: number;

  @ApiProperty({ example: 12, description: 'Enrolments ZUGESAGT or LAUFEND; never above `capacity`.' })
  seatsTaken!: number;

  @ApiProperty({ example: 0, description: '`capacity − seatsTaken`.' })
  seatsFree!: number;

  @ApiProperty({ example: 3, description: 'Enrolments on the waiting list.' })
  waitlisted!: number;

  @ApiProperty({ format: 'date', example: '2026-06-01' })
  startsOn!: string;

  @ApiProperty({ format: 'date', nullable: true, type: String, example: '2026-12-18' })
  endsOn!: string | null;

  @ApiProperty({ example: true })
  iqFunded!: boolean;

  @ApiProperty({ nullable: true, type: String, example: 'DE-BE' })
  bundesland!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Berlin' })
  city!: string | null;

  @ApiProperty({ nullable: true, type: String })
  description!: string | null;

  @ApiProperty({ example: 2, description: 'Incremented by every change; also sent as `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/** An enrolment as the offer's coordinator sees it: no name, no free text. */
export class OfferEnrolmentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    example: '3f9a0c2b7d1e4a56',
    description: 'The client as a pseudonym: stable within this offer, not linkable to the client’s record.',
  })
  clientPseudonym!: string;

  @ApiProperty({ format: 'uuid', description: 'The advising office.' })
  officeId!: string;

  @ApiProperty({ enum: ENROLMENT_STATUSES, example: 'ZUGESAGT' })
  status!: string;

  @ApiProperty({ nullable: true, type: Number, example: null })
  waitlistPosition!: number | null;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  confirmedOn!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  startedOn!: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  endedOn!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export function toOfferResponse(row: OfferRow): OfferResponse {
  return {
    id: row.id,
    networkId: row.networkId,
    title: row.title,
    type: row.type,
    providerPartnerId: row.providerPartnerId,
    referenceOccupations: row.referenceOccupations,
    format: row.format,
    delivery: row.delivery,
    capacity: row.capacity,
    seatsTaken: row.seatsTaken,
    seatsFree: row.capacity - row.seatsTaken,
    waitlisted: row.waitlisted,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    iqFunded: row.iqFunded,
    bundesland: row.bundesland,
    city: row.city,
    description: row.description,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toOfferEnrolmentResponse(row: OfferEnrolmentRow): OfferEnrolmentResponse {
  return {
    id: row.id,
    clientPseudonym: row.clientPseudonym,
    officeId: row.officeId,
    status: row.status,
    waitlistPosition: row.waitlistPosition,
    confirmedOn: row.confirmedOn,
    startedOn: row.startedOn,
    endedOn: row.endedOn,
    createdAt: row.createdAt,
  };
}
