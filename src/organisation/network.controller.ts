import type { WriteContext } from '../audit/write-context';
import { Caller } from '../common/http/caller.decorator';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiPageResponse, PageQuery, type Page } from '../common/http/pagination';
import { ApiIdParam, CreatedResource, VersionedResource } from '../common/http/resource-headers';
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
  @CreatedResource(NetworkResponse)
  @ApiProblemResponses(400, 409)
  create(@Body() body: CreateNetworkRequest, @Caller() caller: WriteContext): Promise<NetworkResponse> {
    return this.networks.create(body, caller);
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
  @VersionedResource(NetworkResponse)
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<NetworkResponse> {
    return this.networks.get(id);
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
  @VersionedResource(NetworkResponse)
  @ApiProblemResponses(400, 404, 409)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateNetworkRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<NetworkResponse> {
    return this.networks.update(id, body, expectedVersion, caller);
  }
}
