import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import { AuditEventQuery, AuditEventResponse } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('Administration')
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow(Permission.AuditRead)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'listAuditEvents',
    summary: 'List audit events, newest first',
    description:
      'The append-only audit log: who did what to which resource, when, and with what outcome (never the data ' +
      'values). Filters combine with AND; `from` is inclusive, `to` exclusive. Pages are ordered by ' +
      '`occurredAt` descending (ties by `id`); follow `nextCursor` until it is `null`.',
  })
  @ApiPageResponse(AuditEventResponse)
  @ApiProblemResponses(400)
  list(@Query() query: AuditEventQuery): Promise<Page<AuditEventResponse>> {
    return this.audit.list(query);
  }
}
