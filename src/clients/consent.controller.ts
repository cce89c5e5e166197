import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  ConsentListQuery,
  ConsentResponse,
  CreateConsentRequest,
  WithdrawConsentRequest,
} from './consent.dto';
import { ConsentService } from './consent.service';

@ApiTags('Clients')
@ApiClientIdParam()
@Controller('clients/:clientId/consents')
export class ConsentController {
  constructor(private readonly consents: ConsentService) {}

  @Post()
  @Idempotent('consent')
  @Allow(Permission.ClientWrite)
  @ApiOperation({
    operationId: 'createConsent',
    summary: 'Record a consent the client gave',
    description:
      'For `WEITERGABE_PARTNER` name the recipient by exactly one of `partnerId` (422 if there is no such ' +
      'partner) or `partnerType`, and at least one of `dataCategories`; other purposes carry none of them. ' +
      'A consent is evidence: it cannot be changed or deleted, only withdrawn. Not after erasure (409).',
  })
  @CreatedResource(ConsentResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  create(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Body() body: CreateConsentRequest,
    @Caller() caller: WriteContext,
  ): Promise<ConsentResponse> {
    return this.consents.create(clientId, body, caller);
  }

  @Get()
  @Allow(Permission.ClientRead)
  @ApiOperation({
    operationId: 'listConsents',
    summary: "List a client's consents",
    description:
      'Oldest first, withdrawn and expired ones included unless `active` says otherwise; follow `nextCursor` ' +
      'until it is `null`. Recorded in the client’s access log.',
  })
  @ApiPageResponse(ConsentResponse)
  @ApiProblemResponses(400, 404)
  list(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Query() query: ConsentListQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<ConsentResponse>> {
    return this.consents.list(clientId, query, caller);
  }

  @Get(':id')
  @ApiIdParam('consent')
  @Allow(Permission.ClientRead)
  @ApiOperation({
    operationId: 'getConsent',
    summary: 'Get a consent',
    description: 'With `status` and `active` as of today. Recorded in the client’s access log.',
  })
  @VersionedResource(ConsentResponse)
  @ApiProblemResponses(400, 404)
  get(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: WriteContext,
  ): Promise<ConsentResponse> {
    return this.consents.get(clientId, id, caller);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiIdParam('consent')
  @Allow(Permission.ClientWrite)
  @ApiOperation({
    operationId: 'withdrawConsent',
    summary: 'Withdraw a consent',
    description:
      'For good: the consent is kept as evidence (`status` `WITHDRAWN`) but covers no further sharing. Send ' +
      'its current `ETag` as `If-Match`; the body is optional (`withdrawnOn` for a back-dated withdrawal). ' +
      'A consent that is already withdrawn answers 409 `conflict`; after erasure 409 `client-erased`.',
  })
  @ApiBody({ type: WithdrawConsentRequest, required: false })
  @VersionedResource(ConsentResponse)
  @ApiProblemResponses(400, 404, 409)
  withdraw(
    @Param('clientId', ParseUUIDPipe) clientId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: WithdrawConsentRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<ConsentResponse> {
    return this.consents.withdraw(clientId, id, body, expectedVersion, caller);
  }
}
