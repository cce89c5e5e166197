import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessResponse {
  @ApiProperty({ example: 'ok', enum: ['ok'] })
  status!: 'ok';
}

export class IndicatorStatus {
  @ApiProperty({ example: 'up', enum: ['up', 'down'] })
  status!: 'up' | 'down';

  @ApiPropertyOptional({
    enum: ['in-process', 'external'],
    description: 'Only `jobs`: whether this process runs the job workers.',
    example: 'in-process',
  })
  workers?: 'in-process' | 'external';
}

export class ReadinessResponse {
  @ApiProperty({ example: 'ok', enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({
    description:
      'Each check by name. `jobs` tells whether this process runs the job workers (`in-process`) or only ' +
      'enqueues (`external`: JOBS_IN_PROCESS=false, the workers run in `npm run worker`).',
    example: {
      database: { status: 'up' },
      migrations: { status: 'up' },
      jobs: { status: 'up', workers: 'in-process' },
    },
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/IndicatorStatus' },
  })
  details!: Record<string, IndicatorStatus>;
}
