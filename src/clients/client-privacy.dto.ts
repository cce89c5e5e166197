import { ApiProperty } from '@nestjs/swagger';
import { AuditEventResponse } from '../audit/audit.dto';
import { PageQuery } from '../common/http/pagination';
import { ValidateDate } from '../common/http/validate.decorators';
import { ClientResponse } from './client.dto';

export class TimelineQuery extends PageQuery {
  @ValidateDate({ optional: true, example: '2026-01-01', description: 'Entries on or after this day.' })
  from?: string;

  @ValidateDate({ optional: true, example: '2026-12-31', description: 'Entries on or before this day.' })
  to?: string;
}

/** One event in a client's history (codes and dates only; never notes or other free text). */
export class TimelineEntryResponse {
  @ApiProperty({ format: 'date', example: '2026-03-10' })
  date!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-10T09:30:00.123456Z' })
  recordedAt!: string;

  @ApiProperty({
    example: 'consultation',
    description:
      '`consultation`, `consent.given`, `consent.withdrawn`, `qualification.added`; later modules add their own ' +
      '(recognition case transitions, enrolments, referrals).',
  })
  type!: string;

  @ApiProperty({ example: 'consultation' })
  resourceType!: string;

  @ApiProperty({ format: 'uuid', example: '2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5e7a' })
  resourceId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { kind: 'ERSTBERATUNG', channel: 'PERSOENLICH', topics: ['ANERKENNUNG_INFO'] },
  })
  details!: Record<string, unknown>;
}

export class DataRecipientResponse {
  @ApiProperty({ format: 'uuid' })
  partnerId!: string;

  @ApiProperty({ example: 'Jobcenter Berlin Mitte' })
  partnerName!: string;

  @ApiProperty({ example: 'referral' })
  resourceType!: string;

  @ApiProperty({ format: 'uuid' })
  resourceId!: string;

  @ApiProperty({ format: 'date', example: '2026-03-12' })
  sharedOn!: string;

  @ApiProperty({ type: [String], example: ['STAMMDATEN', 'QUALIFIKATION'] })
  dataCategories!: string[];
}

export class ErasedPartResponse {
  @ApiProperty({ example: 'consultations' })
  name!: string;

  @ApiProperty({ example: 3, description: 'Records whose personal data or free texts were removed.' })
  rowsErased!: number;
}

/** What an Art. 17 erasure removed, and who had received the client's data before. */
export class ErasureResponse {
  @ApiProperty({ format: 'uuid' })
  clientId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  erasedAt!: string;

  @ApiProperty({
    type: [String],
    example: ['firstName', 'lastName', 'birthDate', 'email', 'phone', 'postalCode', 'city'],
    description: 'Identity and contact members of the client that are now empty for good.',
  })
  identityErased!: string[];

  @ApiProperty({ type: [ErasedPartResponse] })
  parts!: ErasedPartResponse[];

  @ApiProperty({
    type: [DataRecipientResponse],
    description:
      'Partners that had received data about the client before the erasure. Their copies are not recalled ' +
      'by Anker; tell them under Art. 19 GDPR.',
  })
  dataRecipients!: DataRecipientResponse[];
}

/** The Art. 15/20 document: everything stored about the client, one member per part. */
export class ClientExportResponse {
  @ApiProperty({ example: 'anker.client-export.v1' })
  format!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  exportedAt!: string;

  @ApiProperty({ type: ClientResponse })
  client!: ClientResponse;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'object', additionalProperties: true } },
    example: { consents: [], consultations: [], qualifications: [] },
    description:
      'One member per kind of record (consents, consultations incl. notes, qualifications; later modules ' +
      'add recognition cases, enrolments, referrals with their recipients), each complete.',
  })
  records!: Record<string, unknown[]>;

  @ApiProperty({
    type: [AuditEventResponse],
    description: 'Every recorded access to the client’s data, oldest first.',
  })
  accessLog!: AuditEventResponse[];
}
