import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor';
import { Allow, CurrentActor } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiPageResponse, PageQuery, type Page } from '../common/http/pagination';
import {
  ApiCreatedResourceResponse,
  ApiIdParam,
  ApiResourceResponse,
  setCreated,
  setEtag,
} from '../common/http/resource-headers';
import { CreateNetworkRequest, NetworkResponse, UpdateNetworkRequest } from './network.dto';
import { NetworkService } from './network.service';

@ApiTags('Administration')
@Controller('networks')
export class NetworkController {
  constructor(private readonly networks: NetworkService) {}

  @Post()
  @Idempotent('network')
  @Allow(Permission.NetworkWrite)
  @ApiOperation({ operationId: 'createNetwork', summary: 'Create a network' })
  @ApiCreatedResourceResponse(NetworkResponse)
  @ApiProblemResponses(400, 409)
  async create(
    @Body() body: CreateNetworkRequest,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NetworkResponse> {
    const network = await this.networks.create(body, { actor, requestId: request.id });
    setCreated(request, reply, network);
    return network;
  }

  @Get()
  @Allow(Permission.NetworkRead)
  @ApiOperation({
    operationId: 'listNetworks',
    summary: 'List networks',
    description: 'Oldest first; follow `nextCursor` until it is `null`.',
  })
  @ApiPageResponse(NetworkResponse)
  @ApiProblemResponses(400)
  list(@Query() query: PageQuery): Promise<Page<NetworkResponse>> {
    return this.networks.list(query);
  }

  @Get(':id')
  @ApiIdParam('network')
  @Allow(Permission.NetworkRead)
  @ApiOperation({ operationId: 'getNetwork', summary: 'Get a network' })
  @ApiResourceResponse(NetworkResponse)
  @ApiProblemResponses(400, 404)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NetworkResponse> {
    const network = await this.networks.get(id);
    setEtag(reply, network);
    return network;
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('network')
  @Allow(Permission.NetworkWrite)
  @ApiOperation({
    operationId: 'updateNetwork',
    summary: 'Change a network',
    description: 'Members left out stay as they are; the version is incremented.',
  })
  @ApiResourceResponse(NetworkResponse)
  @ApiProblemResponses(400, 404, 409)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateNetworkRequest,
    @IfMatch() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NetworkResponse> {
    const network = await this.networks.update(id, body, expectedVersion, { actor, requestId: request.id });
    setEtag(reply, network);
    return network;
  }
}
