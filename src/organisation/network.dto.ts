import { ApiProperty } from '@nestjs/swagger';
import { ValidateCodeList, ValidateString } from '../common/http/validate.decorators';
import { BUNDESLAENDER } from './bundesland';
import type { NetworkRow } from './network.repository';

export class CreateNetworkRequest {
  @ValidateString({ trim: true, min: 1, max: 200, example: 'IQ Netzwerk Berlin', description: 'Unique.' })
  name!: string;

  @ValidateCodeList({
    values: BUNDESLAENDER,
    minItems: 1,
    example: ['DE-BE'],
    description: 'ISO 3166-2 codes of the Länder the network covers (at least one, each once).',
  })
  bundeslaender!: string[];
}

/** Members left out stay as they are. */
export class UpdateNetworkRequest {
  @ValidateString({ optional: true, trim: true, min: 1, max: 200, example: 'IQ Netzwerk Berlin-Brandenburg' })
  name?: string;

  @ValidateCodeList({ optional: true, values: BUNDESLAENDER, minItems: 1, example: ['DE-BE', 'DE-BB'] })
  bundeslaender?: string[];
}

/** A regional IQ network (Landesnetzwerk). */
export class NetworkResponse {
  @ApiProperty({ format: 'uuid', example: 'c5e8a1b3-7d2f-4a6c-9e0b-3f1d5a7c9e24' })
  id!: string;

  @ApiProperty({ example: 'IQ Netzwerk Berlin' })
  name!: string;

  @ApiProperty({ enum: BUNDESLAENDER, isArray: true, example: ['DE-BE'] })
  bundeslaender!: string[];

  @ApiProperty({ example: 1, description: 'Incremented by every change; also sent as `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  updatedAt!: string;
}

export function toNetworkResponse(row: NetworkRow): NetworkResponse {
  return {
    id: row.id,
    name: row.name,
    bundeslaender: row.bundeslaender,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
