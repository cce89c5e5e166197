import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { ProblemTypes } from '../common/errors/problem-types';
import { ProblemDto } from '../common/http/problem.dto';
import packageJson from '../../package.json';

const DESCRIPTION = `
Case-management API for recognition and qualification counselling in the programme
"Integration durch Qualifizierung (IQ)".

**Conventions.** Base path \`/api/v1\`; JSON in UTF-8; ids are UUIDs; dates \`YYYY-MM-DD\`, instants ISO 8601 UTC.
Every response carries an \`X-Request-Id\` header (send your own UUID to correlate).

**Errors** are RFC 9457 \`application/problem+json\` objects (schema \`Problem\`); \`instance\` is the request id.
Problem types:

| type | status | meaning |
|---|---|---|
${Object.values(ProblemTypes)
  .map((problem) => `| \`${problem.type}\` | ${problem.status} | ${problem.description} |`)
  .join('\n')}
`.trim();

/** The OpenAPI document, as served at /openapi.json and checked in as openapi.json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Anker API')
    .setVersion(packageJson.version)
    .setDescription(DESCRIPTION)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Access token from `POST /api/v1/auth/token`.',
      },
      'bearer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDto],
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  addInternalErrorResponse(document);
  return document;
}

/** Any operation can fail unexpectedly; say so once for all of them. */
function addInternalErrorResponse(document: OpenAPIObject): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem[method];
      if (operation && !operation.responses['500']) {
        operation.responses['500'] = {
          description: ProblemTypes.internal.description,
          content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
        };
      }
    }
  }
}
