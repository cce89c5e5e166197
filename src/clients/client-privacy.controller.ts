import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditEventResponse } from '../audit/audit.dto';
import type { WriteContext } from '../audit/write-context';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { Caller } from '../common/http/caller.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { ApiPageResponse, PageQuery, type Page } from '../common/http/pagination';
import { ApiIdParam } from '../common/http/resource-headers';
import {
  ClientExportResponse,
  ErasureResponse,
  TimelineEntryResponse,
  TimelineQuery,
} from './client-privacy.dto';
import { ClientPrivacyService } from './client-privacy.service';

@ApiTags('Clients')
@Controller('clients/:id')
export class ClientPrivacyController {
  constructor(private readonly privacy: ClientPrivacyService) {}

  @Get('access-log')
  @ApiIdParam('client')
  @Allow(Permission.ClientRead)
  @ApiOperation({
    operationId: 'getClientAccessLog',
    summary: "Who read or changed the client's data",
    description: 'Every audited access to the client’s personal data, newest first (this read included).',
  })
  @ApiPageResponse(AuditEventResponse)
  @ApiProblemResponses(400, 404)
  accessLog(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<AuditEventResponse>> {
    return this.privacy.accessLog(id, query.cursor, query.limit, caller);
  }

  @Get('export')
  @ApiIdParam('client')
  @Allow(Permission.ClientExport)
  @ApiOperation({
    operationId: 'exportClient',
    summary: 'Art. 15/20 GDPR: everything stored about the client',
    description:
      'One JSON document: the client, every kind of record (consultations with their notes, consents, ' +
      'qualifications, and what later modules store), and the complete access log. Sent as a download.',
  })
  @ApiOkResponse({ type: ClientExportResponse })
  @ApiProblemResponses(400, 404)
  async export(
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClientExportResponse> {
    const document = await this.privacy.export(id, caller);
    void reply.header('content-disposition', `attachment; filename="client-${id}.json"`);
    return document;
  }

  @Post('erasure')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiIdParam('client')
  @Allow(Permission.ClientErase)
  @ApiOperation({
    operationId: 'eraseClient',
    summary: 'Art. 17 GDPR: erase the client’s personal data',
    description:
      'Irreversibly removes identity, contact data, notes and other free texts of the client and all their ' +
      'records, in one transaction. The statistical profile (gender, birth year, nationalities, …) stays under ' +
      'the same random id, so past reports do not change. Send the client’s current `ETag` as `If-Match`. ' +
      'The answer lists the partners that had received data. Afterwards the client reads as erased and ' +
      'cannot be changed (409 `client-erased`).',
  })
  @ApiOkResponse({ type: ErasureResponse })
  @ApiProblemResponses(400, 404, 409)
  erase(
    @Param('id', ParseUUIDPipe) id: string,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<ErasureResponse> {
    return this.privacy.erase(id, expectedVersion, caller);
  }

  @Get('timeline')
  @ApiIdParam('client')
  @Allow(Permission.ClientRead)
  @ApiOperation({
    operationId: 'getClientTimeline',
    summary: 'Everything that happened with the client, in date order',
    description:
      'Consultations, consents given and withdrawn, qualifications added, and the events of later modules ' +
      '(recognition case transitions, enrolments, referrals); oldest first. Codes and dates only, never notes.',
  })
  @ApiPageResponse(TimelineEntryResponse)
  @ApiProblemResponses(400, 404)
  timeline(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: TimelineQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<TimelineEntryResponse>> {
    return this.privacy.timeline(id, query, caller);
  }
}
