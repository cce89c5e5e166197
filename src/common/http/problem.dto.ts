import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({
    example: '#/birthDate',
    description: 'JSON pointer (RFC 6901) to the member, as a URI fragment.',
  })
  pointer!: string;

  @ApiProperty({ example: 'must be a date in the form YYYY-MM-DD' })
  detail!: string;
}

/** RFC 9457 problem details; every error response of the API has this shape. */
export class ProblemDto {
  @ApiProperty({
    example: 'urn:anker:problem:validation-error',
    description: 'Stable identifier of the problem kind; see the catalogue in the API description.',
  })
  type!: string;

  @ApiProperty({ example: 'The request is not valid' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'birthDate: must be a date in the form YYYY-MM-DD' })
  detail!: string;

  @ApiProperty({
    example: 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e',
    description: 'The request id (also in the `X-Request-Id` header and the server log).',
  })
  instance!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present on `validation-error`.' })
  errors?: FieldErrorDto[];
}
