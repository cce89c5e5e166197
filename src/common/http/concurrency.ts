import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ProblemError } from '../errors/problem.error';
import { ApiProblemResponses } from './api-problem-responses.decorator';

const ENTITY_TAG = /^(?:W\/)?"(\d{1,9})"$/;

export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version a change is based on, from `If-Match: "<version>"`. Missing: 428. A value that is no
 * version of ours cannot match the current one: 412 (the service answers 412 for a stale version too).
 */
export function expectedVersion(ifMatch: string | undefined): number {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new ProblemError('preconditionRequired', 'Send If-Match with the ETag of the version you read.');
  }
  const match = ENTITY_TAG.exec(ifMatch.trim());
  if (!match) {
    throw new ProblemError('preconditionFailed', 'If-Match must be the ETag of a version, like "3".');
  }
  return Number(match[1]);
}

/** The change was based on an older version: 412 with the current `ETag`. */
export function staleVersion(currentVersion: number): ProblemError {
  return new ProblemError(
    'preconditionFailed',
    `The resource is at version ${currentVersion}; read it again and repeat your change.`,
    { headers: { etag: etagOf(currentVersion) } },
  );
}

/** After an UPDATE … WHERE version = expected found no row: gone (404) or changed meanwhile (412). */
export function notFoundOrStale(
  current: { version: number } | undefined,
  notFound: () => ProblemError,
): ProblemError {
  return current ? staleVersion(current.version) : notFound();
}

/** `@IfMatch() expected: number` on PATCH and transition handlers. */
export const IfMatch = createParamDecorator((_data: unknown, context: ExecutionContext): number =>
  expectedVersion(context.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);

/** Documents the required `If-Match` header with its 412 and 428 answers. */
export function ApiIfMatch() {
  return applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: true,
      description: 'The `ETag` of the version the change is based on.',
      schema: { type: 'string', maxLength: 13, pattern: '^(W/)?"[0-9]{1,9}"$', example: '"1"' },
    }),
    ApiProblemResponses(412, 428),
  );
}
