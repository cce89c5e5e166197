import type { WriteContext } from '../audit/write-context';
import { Caller } from '../common/http/caller.decorator';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import { ApiIdParam, CreatedResource, VersionedResource } from '../common/http/resource-headers';
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
  @CreatedResource(PartnerResponse)
  @ApiProblemResponses(400)
  create(@Body() body: CreatePartnerRequest, @Caller() caller: WriteContext): Promise<PartnerResponse> {
    return this.partners.create(body, caller);
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
  @VersionedResource(PartnerResponse)
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<PartnerResponse> {
    return this.partners.get(id);
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
  @VersionedResource(PartnerResponse)
  @ApiProblemResponses(400, 404)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdatePartnerRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<PartnerResponse> {
    return this.partners.update(id, body, expectedVersion, caller);
  }
}
