import { SetMetadata, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import type { Actor } from './actor';
import type { Permission } from './permissions';

export const PERMISSIONS_KEY = 'anker:permissions';
export const PUBLIC_KEY = 'anker:public';
export const PASSWORD_CHANGE_KEY = 'anker:open-during-password-change';

/** The route needs a valid access token whose role holds every one of these permissions. */
export function Allow(...permissions: [Permission, ...Permission[]]) {
  return applyDecorators(
    SetMetadata(PERMISSIONS_KEY, permissions),
    ApiBearerAuth('bearer'),
    ApiProblemResponses(401, 403, 429),
  );
}

/** The route needs no access token (token endpoint, health, metrics, docs). */
export function Public() {
  return SetMetadata(PUBLIC_KEY, true);
}

/**
 * The one route an account whose password an administrator set may use (to set its own); every other
 * route answers 403 `password-change-required` until then.
 */
export function OpenDuringPasswordChange() {
  return SetMetadata(PASSWORD_CHANGE_KEY, true);
}

export interface AuthenticatedRequest extends FastifyRequest {
  actor?: Actor;
  /** The session of a person's access token (partner systems have none). */
  sessionId?: string;
}

/** The authenticated caller of an `@Allow` route. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) {
    throw new Error('CurrentActor used on a route without @Allow');
  }
  return actor;
});
