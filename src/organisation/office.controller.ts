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
  @CreatedResource(OfficeResponse)
  @ApiProblemResponses(400, 409, 422)
  create(@Body() body: CreateOfficeRequest, @Caller() caller: WriteContext): Promise<OfficeResponse> {
    return this.offices.create(body, caller);
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
  @VersionedResource(OfficeResponse)
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<OfficeResponse> {
    return this.offices.get(id);
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
  @VersionedResource(OfficeResponse)
  @ApiProblemResponses(400, 404, 409)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOfficeRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<OfficeResponse> {
    return this.offices.update(id, body, expectedVersion, caller);
  }
}
