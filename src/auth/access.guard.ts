import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ProblemError } from '../common/errors/problem.error';
import type { Actor } from './actor';
import { PERMISSIONS_KEY, PUBLIC_KEY, type AuthenticatedRequest } from './auth.decorators';
import { roleHas, type Permission } from './permissions';

const CHALLENGE = { 'www-authenticate': 'Bearer realm="anker"' };

/**
 * The global guard: `@Public()` routes pass; every other route needs a valid access token whose role
 * holds all permissions named by `@Allow(…)`. A route that declares neither is refused (deny by default).
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { user?: Actor }>();
    const actor = request.user as Actor;
    request.actor = actor;
    const required =
      this.reflector.getAllAndOverride<Permission[] | undefined>(PERMISSIONS_KEY, targets) ?? [];
    if (required.length === 0 || !required.every((permission) => roleHas(actor.role, permission))) {
      throw new ProblemError('forbidden', 'Your role may not use this operation.');
    }
    return true;
  }

  /** Missing, malformed, expired or forged tokens, and tokens of deactivated or revoked principals: 401. */
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error || !user) {
      const detail = error instanceof ProblemError ? error.detail : 'A valid access token is required.';
      throw new ProblemError('unauthenticated', detail, { headers: CHALLENGE });
    }
    return user;
  }
}
