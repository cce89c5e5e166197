import { ApiProperty } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import {
  ValidateEnum,
  ValidateInstant,
  ValidateString,
  ValidateUUID,
} from '../common/http/validate.decorators';
import type { AuditEventRow } from './audit.repository';

export const AUDIT_OUTCOMES = ['SUCCESS', 'FAILURE', 'DENIED'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_ACTOR_KINDS = ['user', 'partner', 'anonymous', 'system'] as const;

/** Filters of `GET /audit-events`; every filter narrows the result (they combine with AND). */
export class AuditEventQuery extends PageQuery {
  @ValidateUUID({ optional: true, description: 'Only events of this user (or API client).' })
  actorId?: string;

  @ValidateString({
    optional: true,
    min: 1,
    max: 100,
    example: 'user',
    description: 'Only events on this kind of resource.',
  })
  resourceType?: string;

  @ValidateString({
    optional: true,
    min: 1,
    max: 200,
    example: '3f1c2a9e-5b7d-4e8a-9c6f-2d4b8a1e7c3d',
    description: 'Only events on this resource (usually combined with `resourceType`).',
  })
  resourceId?: string;

  @ValidateUUID({
    optional: true,
    description: 'Only events that touched the personal data of this counselling client.',
  })
  clientId?: string;

  @ValidateString({
    optional: true,
    min: 1,
    max: 100,
    example: 'auth.sign-in',
    description: 'Only events of this action (`resource.verb`).',
  })
  action?: string;

  @ValidateEnum({ optional: true, values: AUDIT_OUTCOMES })
  outcome?: AuditOutcome;

  @ValidateInstant({
    optional: true,
    example: '2026-11-01T00:00:00Z',
    description: 'Only events at or after this instant (inclusive).',
  })
  from?: string;

  @ValidateInstant({
    optional: true,
    example: '2026-12-01T00:00:00Z',
    description: 'Only events before this instant (exclusive). Must not be before `from`.',
  })
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
