import { ApiProperty } from '@nestjs/swagger';

export class LivenessResponse {
  @ApiProperty({ example: 'ok', enum: ['ok'] })
  status!: 'ok';
}

export class IndicatorStatus {
  @ApiProperty({ example: 'up', enum: ['up', 'down'] })
  status!: 'up' | 'down';
}

export class ReadinessResponse {
  @ApiProperty({ example: 'ok', enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({
    description: 'Each check by name.',
    example: { database: { status: 'up' }, migrations: { status: 'up' } },
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/IndicatorStatus' },
  })
  details!: Record<string, IndicatorStatus>;
}
