import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WriteContext } from '../audit/write-context';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { Caller } from '../common/http/caller.decorator';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import {
  DueClientResponse,
  RetentionPreviewQuery,
  RetentionRunQuery,
  RetentionRunResponse,
} from './retention.dto';
import { RetentionService } from './retention.service';

@ApiTags('Administration')
@Controller('retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get('preview')
  @Allow(Permission.RetentionRead)
  @ApiOperation({
    operationId: 'previewRetention',
    summary: 'Clients the retention rule erases now',
    description:
      'Clients with no activity (consultation, case transition, change of the record, …) for RETENTION_YEARS ' +
      'and no open recognition case: what the next run erases. Ids and dates only, no names. Administrators see ' +
      'every office, coordinators the offices of their network. Ordered by `dueOn`, then `clientId`.',
  })
  @ApiPageResponse(DueClientResponse)
  @ApiProblemResponses(400)
  preview(
    @Query() query: RetentionPreviewQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<DueClientResponse>> {
    return this.retention.preview(query, caller);
  }

  @Post('runs')
  @HttpCode(200)
  @Allow(Permission.RetentionRun)
  @ApiOperation({
    operationId: 'runRetention',
    summary: 'Run the retention rule now',
    description:
      'Erases every client due (see the preview) through the Art. 17 erasure, audited with the system as the ' +
      'actor, and answers with the run (`erased`, `failed`) when it has finished. The daily run (RETENTION_CRON) ' +
      'does the same; this works also with RETENTION_ENABLED=false.',
  })
  @ApiOkResponse({ type: RetentionRunResponse })
  @ApiProblemResponses()
  run(@Caller() caller: WriteContext): Promise<RetentionRunResponse> {
    return this.retention.run('MANUAL', caller);
  }

  @Get('runs')
  @Allow(Permission.RetentionRun)
  @ApiOperation({
    operationId: 'listRetentionRuns',
    summary: 'Retention runs, newest first',
    description:
      'Every run, scheduled or manual, with when it started and finished and how many clients it erased.',
  })
  @ApiPageResponse(RetentionRunResponse)
  @ApiProblemResponses(400)
  runs(@Query() query: RetentionRunQuery): Promise<Page<RetentionRunResponse>> {
    return this.retention.runs(query);
  }
}
