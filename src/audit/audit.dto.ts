import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQuery } from '../common/http/pagination';
import type { AuditEventRow } from './audit.repository';

export const AUDIT_OUTCOMES = ['SUCCESS', 'FAILURE', 'DENIED'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_ACTOR_KINDS = ['user', 'partner', 'anonymous', 'system'] as const;

/** An instant with a date, a time and a time zone (`Z` or `±hh:mm`); up to microseconds. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE = 'must be an ISO 8601 instant with a time zone, e.g. 2026-11-22T09:30:00Z';

/** Filters of `GET /audit-events`; every filter narrows the result (they combine with AND). */
export class AuditEventQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only events of this user (or API client).' })
  @IsOptional()
  @IsUUID('all')
  actorId?: string;

  @ApiPropertyOptional({ example: 'user', description: 'Only events on this kind of resource.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  resourceType?: string;

  @ApiPropertyOptional({
    example: '3f1c2a9e-5b7d-4e8a-9c6f-2d4b8a1e7c3d',
    description: 'Only events on this resource (usually combined with `resourceType`).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  resourceId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only events that touched the personal data of this counselling client.',
  })
  @IsOptional()
  @IsUUID('all')
  clientId?: string;

  @ApiPropertyOptional({
    example: 'auth.sign-in',
    description: 'Only events of this action (`resource.verb`).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  action?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: AuditOutcome;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-01T00:00:00Z',
    description: 'Only events at or after this instant (inclusive).',
  })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-12-01T00:00:00Z',
    description: 'Only events before this instant (exclusive). Must not be before `from`.',
  })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  to?: string;
}

/** One audit event: who did what to which resource, when, with what outcome. Never data values. */
export class AuditEventResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90' })
  id!: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-22T09:30:00.123456Z',
    description: 'When it happened, UTC, with microseconds.',
  })
  occurredAt!: string;

  @ApiProperty({
    enum: AUDIT_ACTOR_KINDS,
    example: 'user',
    description:
      '`user` (a person), `partner` (a partner system), `anonymous` (e.g. a failed sign-in) or `system` ' +
      '(an administrative command such as `npm run admin:create`).',
  })
  actorKind!: string;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '3f1c2a9e-5b7d-4e8a-9c6f-2d4b8a1e7c3d',
    description: 'User id, or the id of the partner system’s API client.',
  })
  actorId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'ADVISER', description: 'Role at the time.' })
  role!: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: 'a7d9e2f4-1c3b-4e5a-8f6d-9b0c2e4a6d81',
  })
  officeId!: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: 'c5e8a1b3-7d2f-4a6c-9e0b-3f1d5a7c9e24',
  })
  networkId!: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: null })
  partnerId!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Public `client_id` of the partner system’s API client, when a partner system acted.',
  })
  apiClientId!: string | null;

  @ApiProperty({ example: 'auth.sign-in', description: '`resource.verb`.' })
  action!: string;

  @ApiProperty({ example: 'user' })
  resourceType!: string;

  @ApiProperty({ nullable: true, type: String, example: '3f1c2a9e-5b7d-4e8a-9c6f-2d4b8a1e7c3d' })
  resourceId!: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: null,
    description: 'The counselling client whose personal data was touched.',
  })
  clientId!: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '9d2b4f6a-8c1e-4a3d-b5f7-0e2c4a6b8d13',
    description: 'Request id (the `X-Request-Id` of the request, also in the server log).',
  })
  requestId!: string | null;

  @ApiProperty({ enum: AUDIT_OUTCOMES, example: 'SUCCESS' })
  outcome!: AuditOutcome;
}

/** Whitelists the fields of an audit row for the response. */
export function toAuditEventResponse(row: AuditEventRow): AuditEventResponse {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    actorKind: row.actorKind,
    actorId: row.actorId,
    role: row.role,
    officeId: row.officeId,
    networkId: row.networkId,
    partnerId: row.partnerId,
    apiClientId: row.apiClientId,
    action: row.action,
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    clientId: row.clientId,
    requestId: row.requestId,
    outcome: row.outcome,
  };
}
