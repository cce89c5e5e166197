import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WriteContext } from '../audit/write-context';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { Caller } from '../common/http/caller.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import { ApiIdParam, CreatedResource, VersionedResource } from '../common/http/resource-headers';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { ApiClientIdParam } from './client-record-headers';
import {
  ConsultationListQuery,
  ConsultationResponse,
  CreateConsultationRequest,
  UpdateConsultationRequest,
  VoidConsultationRequest,
} from './consultation.dto';
import { ConsultationService } from './consultation.service';

@ApiTags('Clients')
@ApiClientIdParam()
@Controller('clients/:clientId/consultations')
export class ConsultationController {
  constructor(private readonly consultations: ConsultationService) {}

  @Post()
  @Idempotent('consultation')
  @Allow(Permission.ClientWrite)
  @ApiOperation({
    operationId: 'createConsultation',
    summary: 'Log a consultation with a client',
    description:
      'You are recorded as its adviser; it belongs to the client’s office. `kind` is derived: the client’s ' +
      'earliest consultation is the `ERSTBERATUNG`, so logging a back-dated one can turn the previous first ' +
      'one into a `FOLGEBERATUNG` (its version goes up). `notes` are never logged or shared. ' +
      'Not after erasure (409 `client-erased`).',
  })
  @CreatedResource(ConsultationResponse)
  @ApiProblemResponses(400, 404, 409)
  create(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Body() body: CreateConsultationRequest,
    @Caller() caller: WriteContext,
  ): Promise<ConsultationResponse> {
    return this.consultations.create(clientId, body, caller);
  }

  @Get()
  @Allow(Permission.ClientRead)
  @ApiOperation({
    operationId: 'listConsultations',
    summary: "List a client's consultations",
    description:
      'Newest first by the day held, optionally between `from` and `to` (inclusive); follow `nextCursor` ' +
      'until it is `null`. Recorded in the client’s access log.',
  })
  @ApiPageResponse(ConsultationResponse)
  @ApiProblemResponses(400, 404)
  list(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Query() query: ConsultationListQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<ConsultationResponse>> {
    return this.consultations.list(clientId, query, caller);
  }

  @Get(':id')
  @ApiIdParam('consultation')
  @Allow(Permission.ClientRead)
  @ApiOperation({
    operationId: 'getConsultation',
    summary: 'Get a consultation',
    description: 'Only under the client it belongs to (404 otherwise). Recorded in the client’s access log.',
  })
  @VersionedResource(ConsultationResponse)
  @ApiProblemResponses(400, 404)
  get(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: WriteContext,
  ): Promise<ConsultationResponse> {
    return this.consultations.get(clientId, id, caller);
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('consultation')
  @Allow(Permission.ClientWrite)
  @ApiOperation({
    operationId: 'updateConsultation',
    summary: 'Change a consultation',
    description:
      'Members left out stay as they are; `null` empties `language`, `nextContactDue` or `notes`. `kind` ' +
      'cannot be sent: re-dating (`heldOn`) derives it anew for all the client’s consultations. ' +
      'Not after erasure (409).',
  })
  @VersionedResource(ConsultationResponse)
  @ApiProblemResponses(400, 404, 409)
  update(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateConsultationRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<ConsultationResponse> {
    return this.consultations.update(clientId, id, body, expectedVersion, caller);
  }

  @Post(':id/void')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiIdParam('consultation')
  @Allow(Permission.ClientWrite)
  @ApiOperation({
    operationId: 'voidConsultation',
    summary: 'Void a mis-entered consultation',
    description:
      'A consultation logged by mistake is voided, never deleted (Art. 5(1)(d) and Art. 16 GDPR): it keeps its ' +
      'data and stays in the list, the timeline and the access log with `voidedAt`, `voidedBy` and `voidReason`, ' +
      'but leaves the statistics and the Erst-/Folgeberatung derivation (another consultation may become the ' +
      '`ERSTBERATUNG`). A voided consultation cannot be changed or voided again (409). `reason` is required.',
  })
  @VersionedResource(ConsultationResponse)
  @ApiProblemResponses(400, 404, 409)
  void(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: VoidConsultationRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<ConsultationResponse> {
    return this.consultations.void(clientId, id, body, expectedVersion, caller);
  }
}
