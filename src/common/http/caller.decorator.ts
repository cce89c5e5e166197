import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { WriteContext } from '../../audit/write-context';
import type { AuthenticatedRequest } from '../../auth/auth.decorators';

/**
 * `@Caller() caller: WriteContext` on an `@Allow` route: who calls (the authenticated actor) and in
 * which request (the request id), as services and their audit events need it.
 */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): WriteContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor) {
    throw new Error('Caller used on a route without @Allow');
  }
  return { actor: request.actor, requestId: request.id };
});
