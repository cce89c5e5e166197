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
import { CreatePartnerRequest, PartnerListQuery, PartnerResponse, UpdatePartnerRequest } from './partner.dto';
import { PartnerService } from './partner.service';

@ApiTags('Administration')
@Controller('partners')
export class PartnerController {
  constructor(private readonly partners: PartnerService) {}

  @Post()
  @Idempotent('partner')
  @Allow(Permission.PartnerWrite)
  @ApiOperation({ operationId: 'createPartner', summary: 'Create a partner' })
  @ApiCreatedResourceResponse(PartnerResponse)
  @ApiProblemResponses(400)
  async create(
    @Body() body: CreatePartnerRequest,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PartnerResponse> {
    const partner = await this.partners.create(body, { actor, requestId: request.id });
    setCreated(request, reply, partner);
    return partner;
  }

  @Get()
  @Allow(Permission.PartnerRead)
  @ApiOperation({
    operationId: 'listPartners',
    summary: 'List partners',
    description: 'Oldest first, optionally of one type; follow `nextCursor` until it is `null`.',
  })
  @ApiPageResponse(PartnerResponse)
  @ApiProblemResponses(400)
  list(@Query() query: PartnerListQuery): Promise<Page<PartnerResponse>> {
    return this.partners.list(query);
  }

  @Get(':id')
  @ApiIdParam('partner')
  @Allow(Permission.PartnerRead)
  @ApiOperation({ operationId: 'getPartner', summary: 'Get a partner' })
  @ApiResourceResponse(PartnerResponse)
  @ApiProblemResponses(400, 404)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PartnerResponse> {
    const partner = await this.partners.get(id);
    setEtag(reply, partner);
    return partner;
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('partner')
  @Allow(Permission.PartnerWrite)
  @ApiOperation({
    operationId: 'updatePartner',
    summary: 'Change a partner',
    description:
      'Members left out stay as they are (`bundesland: null` removes the Land); the version is incremented.',
  })
  @ApiResourceResponse(PartnerResponse)
  @ApiProblemResponses(400, 404)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdatePartnerRequest,
    @IfMatch() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PartnerResponse> {
    const partner = await this.partners.update(id, body, expectedVersion, { actor, requestId: request.id });
    setEtag(reply, partner);
    return partner;
  }
}
