import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length } from 'class-validator';
import { BUNDESLAENDER } from './bundesland';
import type { NetworkRow } from './network.repository';
import { OptionalNotNull, Trim } from '../common/http/transforms';

export class CreateNetworkRequest {
  @ApiProperty({ example: 'IQ Netzwerk Berlin', minLength: 1, maxLength: 200, description: 'Unique.' })
  @Trim()
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    enum: BUNDESLAENDER,
    isArray: true,
    example: ['DE-BE'],
    description: 'ISO 3166-2 codes of the Länder the network covers (at least one, each once).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BUNDESLAENDER.length)
  @ArrayUnique()
  @IsIn(BUNDESLAENDER, { each: true })
  bundeslaender!: string[];
}

/** Members left out stay as they are. */
export class UpdateNetworkRequest {
  @ApiPropertyOptional({ example: 'IQ Netzwerk Berlin-Brandenburg', minLength: 1, maxLength: 200 })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: BUNDESLAENDER, isArray: true, example: ['DE-BE', 'DE-BB'] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BUNDESLAENDER.length)
  @ArrayUnique()
  @IsIn(BUNDESLAENDER, { each: true })
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
