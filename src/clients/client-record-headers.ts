import { ApiParam } from '@nestjs/swagger';

/** The `{clientId}` path parameter of the routes below `/clients/{clientId}/…`. */
export function ApiClientIdParam() {
  return ApiParam({
    name: 'clientId',
    format: 'uuid',
    description: 'The client (of your office) the record belongs to.',
  });
}
