import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor';
import { Allow, CurrentActor } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import {
  ApiCreatedResourceResponse,
  ApiIdParam,
  ApiResourceResponse,
  setCreated,
  setEtag,
} from '../common/http/resource-headers';
import { CreateOfficeRequest, OfficeListQuery, OfficeResponse, UpdateOfficeRequest } from './office.dto';
import { OfficeService } from './office.service';

@ApiTags('Administration')
@Controller('offices')
export class OfficeController {
  constructor(private readonly offices: OfficeService) {}

  @Post()
  @Idempotent('office')
  @Allow(Permission.OfficeWrite)
  @ApiOperation({ operationId: 'createOffice', summary: 'Create an office' })
  @ApiCreatedResourceResponse(OfficeResponse)
  @ApiProblemResponses(400, 409, 422)
  async create(
    @Body() body: CreateOfficeRequest,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OfficeResponse> {
    const office = await this.offices.create(body, { actor, requestId: request.id });
    setCreated(request, reply, office);
    return office;
  }

  @Get()
  @Allow(Permission.OfficeRead)
  @ApiOperation({
    operationId: 'listOffices',
    summary: 'List offices',
    description: 'Oldest first, optionally of one network; follow `nextCursor` until it is `null`.',
  })
  @ApiPageResponse(OfficeResponse)
  @ApiProblemResponses(400)
  list(@Query() query: OfficeListQuery): Promise<Page<OfficeResponse>> {
    return this.offices.list(query);
  }

  @Get(':id')
  @ApiIdParam('office')
  @Allow(Permission.OfficeRead)
  @ApiOperation({ operationId: 'getOffice', summary: 'Get an office' })
  @ApiResourceResponse(OfficeResponse)
  @ApiProblemResponses(400, 404)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OfficeResponse> {
    const office = await this.offices.get(id);
    setEtag(reply, office);
    return office;
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('office')
  @Allow(Permission.OfficeWrite)
  @ApiOperation({
    operationId: 'updateOffice',
    summary: 'Change an office',
    description:
      'Members left out stay as they are; the version is incremented. An office stays in its network.',
  })
  @ApiResourceResponse(OfficeResponse)
  @ApiProblemResponses(400, 404, 409)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOfficeRequest,
    @IfMatch() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OfficeResponse> {
    const office = await this.offices.update(id, body, expectedVersion, { actor, requestId: request.id });
    setEtag(reply, office);
    return office;
  }
}
