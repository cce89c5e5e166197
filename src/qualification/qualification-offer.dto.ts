import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, Matches } from 'class-validator';
import { PageQuery } from '../common/http/pagination';
import {
  Field,
  type FieldOptions,
  ValidateBoolean,
  ValidateDate,
  ValidateEnum,
  ValidateInt,
  ValidateString,
  ValidateUUID,
} from '../common/http/validate.decorators';
import { BUNDESLAENDER } from '../organisation/bundesland';
import { ENROLMENT_STATUSES, OFFER_DELIVERIES, OFFER_FORMATS, OFFER_TYPES } from '../reference-data/codes';
import type { OfferEnrolmentRow } from './enrolment.repository';
import type { OfferRow } from './qualification-offer.repository';

const KLDB = /^\d{5}$/;
const KLDB_PREFIX = /^\d{1,5}$/;
export const MAX_CAPACITY = 10_000;
const MAX_OCCUPATIONS = 50;
const DESCRIPTION_MAX_LENGTH = 4000;

/** KldB 2010 codes of reference occupations: 1 to `MAX_OCCUPATIONS` distinct five-digit codes. */
function ValidateOccupations(options: FieldOptions): PropertyDecorator {
  return Field(
    options,
    {
      type: [String],
      minItems: 1,
      maxItems: MAX_OCCUPATIONS,
      uniqueItems: true,
      items: { type: 'string', pattern: KLDB.source },
    },
    IsArray({ message: 'must be a list' }),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_OCCUPATIONS),
    ArrayUnique({ message: 'referenceOccupations must not repeat a code' }),
    Matches(KLDB, { each: true, message: 'each value must be a KldB 2010 code of five digits' }),
  );
}

/** Members shared by the creating request and the change (validated the same way). */
class OfferFields {
  @ValidateEnum({ optional: true, nullable: true, values: BUNDESLAENDER, example: 'DE-BE' })
  bundesland?: string | null;

  @ValidateString({ optional: true, nullable: true, trim: true, min: 1, max: 100, example: 'Berlin' })
  city?: string | null;

  @ValidateString({
    optional: true,
    nullable: true,
    trim: true,
    min: 1,
    max: DESCRIPTION_MAX_LENGTH,
    example: 'Berufsbegleitend, 6 Monate; Praxisphasen in Kliniken der Region.',
    description: 'About the measure (never about a person).',
  })
  description?: string | null;

  @ValidateDate({ optional: true, nullable: true, example: '2026-12-18' })
  endsOn?: string | null;
}

export class CreateOfferRequest extends OfferFields {
  @ValidateString({ trim: true, min: 1, max: 200, example: 'Anpassungslehrgang Pflege' })
  title!: string;

  @ValidateEnum({ values: OFFER_TYPES, example: 'ANPASSUNGSLEHRGANG' })
  type!: string;

  @ValidateUUID({ description: 'The provider, a partner (typically `BILDUNGSTRAEGER`).' })
  providerPartnerId!: string;

  @ValidateOccupations({
    example: ['81302'],
    description: 'KldB 2010 codes of the reference occupations (see `GET /reference-data/occupations`).',
  })
  referenceOccupations!: string[];

  @ValidateEnum({ values: OFFER_FORMATS, example: 'KURS' })
  format!: string;

  @ValidateEnum({ values: OFFER_DELIVERIES, example: 'HYBRID' })
  delivery!: string;

  @ValidateInt({ min: 1, max: MAX_CAPACITY, example: 12 })
  capacity!: number;

  @ValidateDate({ example: '2026-06-01' })
  startsOn!: string;

  @ValidateBoolean({ optional: true, default: false, description: 'Funded by the IQ programme.' })
  iqFunded?: boolean;
}

/** Members left out stay; `null` empties an optional one. */
export class UpdateOfferRequest extends OfferFields {
  @ValidateString({ optional: true, trim: true, min: 1, max: 200 })
  title?: string;

  @ValidateEnum({ optional: true, values: OFFER_TYPES })
  type?: string;

  @ValidateUUID({ optional: true })
  providerPartnerId?: string;

  @ValidateOccupations({ optional: true, example: ['81302'] })
  referenceOccupations?: string[];

  @ValidateEnum({ optional: true, values: OFFER_FORMATS })
  format?: string;

  @ValidateEnum({ optional: true, values: OFFER_DELIVERIES })
  delivery?: string;

  @ValidateInt({
    optional: true,
    min: 1,
    max: MAX_CAPACITY,
    description:
      'Below the seats taken: 409. Raised: the oldest waiting enrolments get the new seats at once.',
  })
  capacity?: number;

  @ValidateDate({ optional: true })
  startsOn?: string;

  @ValidateBoolean({ optional: true })
  iqFunded?: boolean;
}

export class OfferListQuery extends PageQuery {
  @ValidateString({
    optional: true,
    pattern: KLDB_PREFIX,
    patternMessage: 'must be 1–5 digits of a KldB code',
    example: '813',
    description: 'Offers leading to this reference occupation (a KldB code or its first 1–4 digits).',
  })
  kldb?: string;

  @ValidateEnum({ optional: true, values: OFFER_TYPES })
  type?: string;

  @ValidateUUID({ optional: true })
  networkId?: string;

  @ValidateDate({ optional: true, description: 'Offers starting after this day.' })
  startsAfter?: string;

  @ValidateBoolean({
    optional: true,
    query: true,
    description: '`true`: offers with a free seat; `false`: fully booked ones.',
  })
  hasSeats?: boolean;

  @ValidateEnum({ optional: true, values: BUNDESLAENDER })
  bundesland?: string;

  @ValidateEnum({ optional: true, values: OFFER_DELIVERIES })
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

  @ApiProperty({ type: [String], example: ['81302'] })
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
