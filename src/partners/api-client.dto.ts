import { ApiProperty } from '@nestjs/swagger';
import { ValidateString } from '../common/http/validate.decorators';
import type { ApiClientRow } from './api-client.repository';

export class CreateApiClientRequest {
  @ValidateString({
    trim: true,
    min: 1,
    max: 200,
    example: 'Fachverfahren',
    description: 'What the credentials are for, so that administrators can tell clients apart.',
  })
  name!: string;
}

/** An API client as listed: never its secret or the secret's hash. */
export class ApiClientResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90' })
  id!: string;

  @ApiProperty({
    example: 'pc_q3Zr8vN1xK0bT5yW2mJ7hA',
    description: 'Public identifier, the `client_id` of the `client_credentials` grant.',
  })
  clientId!: string;

  @ApiProperty({ example: 'Fachverfahren' })
  name!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: null,
    description:
      'When the client was revoked; a revoked client obtains no tokens and its tokens stop working.',
  })
  revokedAt!: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-11-23T07:12:45.000000Z',
    description: 'Last successful `client_credentials` sign-in.',
  })
  lastUsedAt!: string | null;
}

/** The answer to creating an API client: the only time the secret is ever shown. */
export class CreatedApiClientResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90' })
  id!: string;

  @ApiProperty({ example: 'pc_q3Zr8vN1xK0bT5yW2mJ7hA', description: 'The `client_id`.' })
  clientId!: string;

  @ApiProperty({
    example: 'Xl3VjZ0aQm8yT1rW5nB9cK2dF7gH4sJ6pL0oE3uI8tA',
    description:
      'The `client_secret`. Shown only in this response (only a hash is stored): store it in the partner ' +
      'system now. A lost secret cannot be recovered; create a new client and revoke the old one.',
  })
  clientSecret!: string;

  @ApiProperty({ example: 'Fachverfahren' })
  name!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  createdAt!: string;
}

export function toApiClientResponse(row: ApiClientRow): ApiClientResponse {
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export function toCreatedApiClientResponse(
  row: ApiClientRow,
  clientSecret: string,
): CreatedApiClientResponse {
  return {
    id: row.id,
    clientId: row.clientId,
    clientSecret,
    name: row.name,
    createdAt: row.createdAt,
  };
}
