import { ApiProperty } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import {
  ValidateBoolean,
  ValidateEnum,
  ValidateString,
  ValidateUUID,
} from '../common/http/validate.decorators';
import { BUNDESLAENDER } from './bundesland';
import type { OfficeRow } from './office.repository';

export class CreateOfficeRequest {
  @ValidateUUID({ example: 'c5e8a1b3-7d2f-4a6c-9e0b-3f1d5a7c9e24', description: 'Must exist.' })
  networkId!: string;

  @ValidateString({
    trim: true,
    min: 1,
    max: 200,
    example: 'Beratungsstelle Mitte',
    description: 'Unique within the network.',
  })
  name!: string;

  @ValidateEnum({ values: BUNDESLAENDER, example: 'DE-BE', description: 'ISO 3166-2 code of the Land.' })
  bundesland!: string;

  @ValidateBoolean({
    optional: true,
    default: false,
    example: false,
    description: 'A mobile (outreach) office.',
  })
  mobile?: boolean;
}

/** Members left out stay as they are. An office does not move to another network. */
export class UpdateOfficeRequest {
  @ValidateString({ optional: true, trim: true, min: 1, max: 200, example: 'Beratungsstelle Berlin-Mitte' })
  name?: string;

  @ValidateEnum({ optional: true, values: BUNDESLAENDER, example: 'DE-BE' })
  bundesland?: string;

  @ValidateBoolean({ optional: true, example: true })
  mobile?: boolean;
}

export class OfficeListQuery extends PageQuery {
  @ValidateUUID({ optional: true, description: 'Only offices of this network.' })
  networkId?: string;
}

/** A counselling office (Beratungsstelle). */
export class OfficeResponse {
  @ApiProperty({ format: 'uuid', example: 'a7d9e2f4-1c3b-4e5a-8f6d-9b0c2e4a6d81' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: 'c5e8a1b3-7d2f-4a6c-9e0b-3f1d5a7c9e24' })
  networkId!: string;

  @ApiProperty({ example: 'Beratungsstelle Mitte' })
  name!: string;

  @ApiProperty({ enum: BUNDESLAENDER, example: 'DE-BE' })
  bundesland!: string;

  @ApiProperty({ example: false })
  mobile!: boolean;

  @ApiProperty({ example: 1, description: 'Incremented by every change; also sent as `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  updatedAt!: string;
}

export function toOfficeResponse(row: OfficeRow): OfficeResponse {
  return {
    id: row.id,
    networkId: row.networkId,
    name: row.name,
    bundesland: row.bundesland,
    mobile: row.mobile,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
