import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WriteContext } from '../audit/write-context';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { Caller } from '../common/http/caller.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import { ApiIdParam, CreatedResource, VersionedResource } from '../common/http/resource-headers';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import {
  ClientListQuery,
  ClientResponse,
  ClientSearchRequest,
  ClientSearchResponse,
  CreateClientQuery,
  CreateClientRequest,
  UpdateClientRequest,
} from './client.dto';
import { ClientService } from './client.service';

@ApiTags('Clients')
@Controller('clients')
export class ClientController {
  constructor(private readonly clients: ClientService) {}

  @Post()
  @Idempotent('client')
  @Allow(Permission.ClientWrite)
  @ApiOperation({
    operationId: 'createClient',
    summary: 'Register a client',
    description:
      'The client belongs to your office. When a client of your office has a similar name (case, accents, ' +
      'umlauts, transliteration and name order do not matter) and the same birth date, the answer is ' +
      '409 `duplicate-client` with `candidateIds`; repeat with `?allowDuplicate=true` to register anyway.',
  })
  @CreatedResource(ClientResponse)
  @ApiProblemResponses(400, 409, 422)
  create(
    @Body() body: CreateClientRequest,
    @Query() query: CreateClientQuery,
    @Caller() caller: WriteContext,
  ): Promise<ClientResponse> {
    return this.clients.create(body, query.allowDuplicate ?? false, caller);
  }

  @Get()
  @Allow(Permission.ClientRead)
  @ApiOperation({
    operationId: 'listClients',
    summary: 'List the clients of your office',
    description:
      'Newest first; follow `nextCursor` until it is `null`. Names are not filters here, so they never ' +
      'appear in URLs and logs: use `POST /clients/search`. Every client shown is recorded in its access log.',
  })
  @ApiPageResponse(ClientResponse)
  @ApiProblemResponses(400)
  list(@Query() query: ClientListQuery, @Caller() caller: WriteContext): Promise<Page<ClientResponse>> {
    return this.clients.list(query, caller);
  }

  @Post('search')
  @HttpCode(200)
  @Allow(Permission.ClientRead)
  @ApiOperation({
    operationId: 'searchClients',
    summary: 'Find clients of your office by name',
    description:
      'Tolerates typos, accents, umlauts (ü/ue/u), transliterations (ć/c, Cyrillic) and name order; a part ' +
      'of the name is enough. Ranked: clients born on `birthDate` first, then by similarity (`score`).',
  })
  @ApiOkResponse({ type: ClientSearchResponse })
  @ApiProblemResponses(400)
  async search(
    @Body() body: ClientSearchRequest,
    @Caller() caller: WriteContext,
  ): Promise<ClientSearchResponse> {
    return { items: await this.clients.search(body, caller) };
  }

  @Get(':id')
  @ApiIdParam('client')
  @Allow(Permission.ClientRead)
  @ApiOperation({ operationId: 'getClient', summary: 'Get a client' })
  @VersionedResource(ClientResponse)
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: WriteContext): Promise<ClientResponse> {
    return this.clients.get(id, caller);
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('client')
  @Allow(Permission.ClientWrite)
  @ApiOperation({
    operationId: 'updateClient',
    summary: 'Change a client',
    description:
      'Members left out stay as they are; `null` empties an optional member. Not after erasure (409).',
  })
  @VersionedResource(ClientResponse)
  @ApiProblemResponses(400, 404, 409)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateClientRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<ClientResponse> {
    return this.clients.update(id, body, expectedVersion, caller);
  }
}
