import { ApiProperty } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import type { DueClientRow, RetentionRunRow } from './retention.repository';

/** `GET /retention/preview`: the clients the next run would erase (ids only). */
export class RetentionPreviewQuery extends PageQuery {}

export class DueClientResponse {
  @ApiProperty({ format: 'uuid' })
  clientId!: string;

  @ApiProperty({ format: 'uuid' })
  officeId!: string;

  @ApiProperty({
    format: 'date',
    example: '2023-03-13',
    description: 'The day of the last activity (German calendar).',
  })
  lastActivityOn!: string;

  @ApiProperty({ format: 'date', example: '2026-03-13', description: 'Last activity plus RETENTION_YEARS.' })
  dueOn!: string;
}

export class RetentionRunQuery extends PageQuery {}

export class RetentionRunResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['SCHEDULE', 'MANUAL'] })
  trigger!: 'SCHEDULE' | 'MANUAL';

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The administrator of a manual run.',
  })
  requestedBy!: string | null;

  @ApiProperty({
    format: 'date',
    description:
      'The day the rule was applied for: due were clients whose last activity plus RETENTION_YEARS is on or before it.',
  })
  asOf!: string;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: '`null` while the run is in progress.',
  })
  finishedAt!: string | null;

  @ApiProperty({ description: 'Clients erased by the run.' })
  erased!: number;

  @ApiProperty({ description: 'Clients whose erasure failed; they are due again at the next run.' })
  failed!: number;
}

export function toDueClientResponse(row: DueClientRow): DueClientResponse {
  return {
    clientId: row.clientId,
    officeId: row.officeId,
    lastActivityOn: row.lastActivityOn,
    dueOn: row.dueOn,
  };
}

export function toRetentionRunResponse(row: RetentionRunRow): RetentionRunResponse {
  return {
    id: row.id,
    trigger: row.trigger as RetentionRunResponse['trigger'],
    requestedBy: row.requestedBy,
    asOf: row.asOf,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    erased: row.erased,
    failed: row.failed,
  };
}
