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

/** Every tag the operations use, described once (Swagger UI groups by them). */
const TAGS = [
  {
    name: 'Authentication',
    description: 'Tokens (OAuth 2.0 password, client credentials, refresh), sign-out, own password.',
  },
  {
    name: 'Administration',
    description: 'Networks, offices, users and partner systems with their API clients (administrators).',
  },
  {
    name: 'Clients',
    description:
      'Clients of the caller’s office: profile, qualifications, consents, consultations, data-subject rights.',
  },
  {
    name: 'Recognition cases',
    description: 'Recognition procedures with their legal steps and BQFG deadlines.',
  },
  {
    name: 'Adaptation qualifications',
    description: 'The offer catalogue and enrolments into adaptation qualifications.',
  },
  { name: 'Reference data', description: 'Code lists: occupations (KldB 2010), countries, enumerations.' },
  { name: 'Operations', description: 'Health, metrics, audit log and the retention rule.' },
  {
    name: 'Referrals',
    description:
      'Advisers refer a client, with her consent, to a partner (job centre, chamber, authority …).',
  },
  {
    name: 'Partner API',
    description:
      'For partner systems (client credentials): the referrals addressed to them, and their answers.',
  },
  {
    name: 'Partner webhooks',
    description: 'Partner systems subscribe to events (Standard Webhooks signatures, retries with back-off).',
  },
];

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
        description:
          'Access token from `POST /api/v1/auth/token`: a JWT issued and checked following RFC8725 ' +
          '(JSON Web Token Best Current Practices): one algorithm (HS256) allowed, `alg: none` and any ' +
          'other refused, `iss`, `aud` and `exp` checked on every request, the session checked too.',
      },
      'bearer',
    )
    .build();
  config.tags = [...TAGS];
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDto],
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  addInternalErrorResponse(document);
  declareTags(document);
  // Relative: the server that serves this document, whichever environment it is. Partner systems
  // call the API directly, so it is not internal.
  const server = {
    url: '/',
    description: 'The server serving this document (local, staging or production alike)',
  };
  document.servers = [Object.assign(server, { 'x-internal': false })];

  return document;
}

/** Tags used by operations but missing from TAGS are still declared (by name), so the list is complete. */
function declareTags(document: OpenAPIObject): void {
  const declared = new Set((document.tags ?? []).map((tag) => tag.name));
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      for (const name of pathItem[method]?.tags ?? []) {
        if (!declared.has(name)) {
          declared.add(name);
          document.tags = [...(document.tags ?? []), { name }];
        }
      }
    }
  }
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
