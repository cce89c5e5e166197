import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WriteContext } from '../audit/write-context';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { Caller } from '../common/http/caller.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { ApiPageResponse, PageQuery, type Page } from '../common/http/pagination';
import { ApiIdParam, CreatedResource, VersionedResource } from '../common/http/resource-headers';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { ApiClientIdParam } from './client-record-headers';
import {
  CreateQualificationRequest,
  QualificationResponse,
  UpdateQualificationRequest,
} from './qualification.dto';
import { QualificationService } from './qualification.service';

@ApiTags('Clients')
@ApiClientIdParam()
@Controller('clients/:clientId/qualifications')
export class QualificationController {
  constructor(private readonly qualifications: QualificationService) {}

  @Post()
  @Idempotent('qualification')
  @Allow(Permission.ClientWrite)
  @ApiOperation({
    operationId: 'createQualification',
    summary: 'Record a foreign qualification of a client',
    description:
      'The title as on the certificate (`titleOriginal`) and its German translation are free text and are ' +
      'removed when the client is erased; kind, country and the figures stay for statistics. ' +
      'Not after erasure (409 `client-erased`).',
  })
  @CreatedResource(QualificationResponse)
  @ApiProblemResponses(400, 404, 409)
  create(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Body() body: CreateQualificationRequest,
    @Caller() caller: WriteContext,
  ): Promise<QualificationResponse> {
    return this.qualifications.create(clientId, body, caller);
  }

  @Get()
  @Allow(Permission.ClientRead)
  @ApiOperation({
    operationId: 'listQualifications',
    summary: "List a client's foreign qualifications",
    description: 'Oldest first; follow `nextCursor` until it is `null`. Recorded in the client’s access log.',
  })
  @ApiPageResponse(QualificationResponse)
  @ApiProblemResponses(400, 404)
  list(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Query() query: PageQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<QualificationResponse>> {
    return this.qualifications.list(clientId, query, caller);
  }

  @Get(':id')
  @ApiIdParam('qualification')
  @Allow(Permission.ClientRead)
  @ApiOperation({
    operationId: 'getQualification',
    summary: 'Get a foreign qualification',
    description: 'Only under the client it belongs to (404 otherwise). Recorded in the client’s access log.',
  })
  @VersionedResource(QualificationResponse)
  @ApiProblemResponses(400, 404)
  get(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: WriteContext,
  ): Promise<QualificationResponse> {
    return this.qualifications.get(clientId, id, caller);
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('qualification')
  @Allow(Permission.ClientWrite)
  @ApiOperation({
    operationId: 'updateQualification',
    summary: 'Change a foreign qualification',
    description:
      'Members left out stay as they are; `null` empties an optional member. Not after erasure (409).',
  })
  @VersionedResource(QualificationResponse)
  @ApiProblemResponses(400, 404, 409)
  update(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateQualificationRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<QualificationResponse> {
    return this.qualifications.update(clientId, id, body, expectedVersion, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiIfMatch()
  @ApiIdParam('qualification')
  @Allow(Permission.ClientWrite)
  @ApiOperation({
    operationId: 'deleteQualification',
    summary: 'Delete a foreign qualification',
    description:
      'Removes a qualification recorded by mistake, for good. Send its current `ETag` as `If-Match`. ' +
      '409 `still-referenced` while a recognition case refers to it; 409 `client-erased` after erasure.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(400, 404, 409)
  async delete(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<void> {
    await this.qualifications.delete(clientId, id, expectedVersion, caller);
  }
}
