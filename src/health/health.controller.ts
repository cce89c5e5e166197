import { Public } from '../auth/auth.decorators';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { IndicatorStatus, LivenessResponse, ReadinessResponse } from './health.dto';
import { HealthService } from './health.service';

@ApiTags('Operations')
@ApiExtraModels(IndicatorStatus)
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @Header('cache-control', 'no-store')
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({ type: LivenessResponse })
  live(): LivenessResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: the database answers, all migrations are applied and the job queue runs',
    description: 'Answers 503 `not-ready` with the failing checks while the service cannot serve requests.',
  })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiProblemResponses(503)
  async ready(): Promise<ReadinessResponse> {
    const result = await this.health.readiness();
    return { status: 'ok', details: result.details };
  }
}
