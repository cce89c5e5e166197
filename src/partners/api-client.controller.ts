import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { WriteContext } from '../audit/write-context';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { Caller } from '../common/http/caller.decorator';
import { ApiPageResponse, PageQuery, type Page } from '../common/http/pagination';
import { MatchesPipe } from '../common/http/validation';
import { ApiClientResponse, CreateApiClientRequest, CreatedApiClientResponse } from './api-client.dto';
import { ApiClientService } from './api-client.service';

/** A `clientId` (`pc_` and base64url) or an `id` (a UUID). */
const API_CLIENT_REFERENCE = /^[A-Za-z0-9_-]{1,100}$/;

@ApiTags('Administration')
@ApiParam({ name: 'id', format: 'uuid', description: 'The partner.' })
@Controller('partners/:id/api-clients')
export class ApiClientController {
  constructor(private readonly apiClients: ApiClientService) {}

  @Post()
  @Allow(Permission.ApiClientWrite)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'createApiClient',
    summary: 'Create machine credentials for a partner system',
    description:
      'Answers the `clientId` and the `clientSecret` for the `client_credentials` grant. The secret is shown ' +
      'in this response only; the server keeps just an argon2id hash of it.',
  })
  @ApiCreatedResponse({ type: CreatedApiClientResponse })
  @ApiProblemResponses(400, 404)
  create(
    @Param('id', ParseUUIDPipe) partnerId: string,
    @Body() body: CreateApiClientRequest,
    @Caller() caller: WriteContext,
  ): Promise<CreatedApiClientResponse> {
    return this.apiClients.create(partnerId, body, caller);
  }

  @Get()
  @Allow(Permission.ApiClientRead)
  @ApiOperation({
    operationId: 'listApiClients',
    summary: 'List a partner’s API clients',
    description:
      'Oldest first, revoked ones included (with `revokedAt`); never a secret. Follow `nextCursor` until it ' +
      'is `null`.',
  })
  @ApiPageResponse(ApiClientResponse)
  @ApiProblemResponses(400, 404)
  list(
    @Param('id', ParseUUIDPipe) partnerId: string,
    @Query() query: PageQuery,
  ): Promise<Page<ApiClientResponse>> {
    return this.apiClients.list(partnerId, query);
  }

  @Delete(':clientId')
  @Allow(Permission.ApiClientWrite)
  @HttpCode(204)
  @ApiOperation({
    operationId: 'revokeApiClient',
    summary: 'Revoke an API client at once',
    description:
      'The client obtains no more tokens and the tokens it holds stop working on their next request. The ' +
      'client stays listed with `revokedAt`. Revoking a revoked client answers 204 again.',
  })
  @ApiParam({
    name: 'clientId',
    description: 'The public `clientId` (`pc_…`) of the client, or its `id`.',
    example: 'pc_q3Zr8vN1xK0bT5yW2mJ7hA',
    schema: { type: 'string', pattern: API_CLIENT_REFERENCE.source, example: 'pc_q3Zr8vN1xK0bT5yW2mJ7hA' },
  })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked).' })
  @ApiProblemResponses(400, 404)
  async revoke(
    @Param('id', ParseUUIDPipe) partnerId: string,
    @Param('clientId', new MatchesPipe(API_CLIENT_REFERENCE, 'must be a clientId (pc_…) or an id'))
    clientId: string,
    @Caller() caller: WriteContext,
  ): Promise<void> {
    await this.apiClients.revoke(partnerId, clientId, caller);
  }
}
