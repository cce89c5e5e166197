import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AuditService } from '../audit/audit.service';
import { ProblemError } from '../common/errors/problem.error';
import type { Actor } from './actor';
import {
  PASSWORD_CHANGE_KEY,
  PERMISSIONS_KEY,
  PUBLIC_KEY,
  type AuthenticatedRequest,
} from './auth.decorators';
import type { Principal } from './auth.service';
import { guardsPersonalData, roleHas, type Permission } from './permissions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHALLENGE = { 'www-authenticate': 'Bearer realm="anker"' };

/**
 * The global guard: `@Public()` routes pass; every other route needs a valid access token of an open
 * session whose role holds all permissions named by `@Allow(…)`. A route that declares neither is
 * refused (deny by default). An account whose password an administrator set may only set its own.
 */
@Injectable()
export class AccessGuard extends AuthGuard('bearer') {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    await super.canActivate(context); // Passport: BearerStrategy verifies the token and re-reads the principal
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { user?: Principal }>();
    const principal = request.user as Principal;
    const { actor } = principal;
    request.actor = actor;
    request.sessionId = principal.sessionId;
    const required =
      this.reflector.getAllAndOverride<Permission[] | undefined>(PERMISSIONS_KEY, targets) ?? [];
    if (
      principal.passwordChangeRequired &&
      !this.reflector.getAllAndOverride<boolean>(PASSWORD_CHANGE_KEY, targets)
    ) {
      await this.recordRefusal(request, actor, required);
      throw new ProblemError(
        'passwordChangeRequired',
        'An administrator set your password: set your own with POST /api/v1/auth/password first.',
      );
    }
    if (required.length === 0 || !required.every((permission) => roleHas(actor.role, permission))) {
      await this.recordRefusal(request, actor, required);
      throw new ProblemError('forbidden', 'Your role may not use this operation.');
    }
    return true;
  }

  /**
   * Passport's answer for a request it did not authenticate: 401 with the strategy's reason. Any other
   * error of the strategy (the database is away while the session is re-read) is not a verdict on the
   * token: it goes to the problem filter (503 with Retry-After), so clients retry instead of signing in.
   */
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error instanceof Error && !(error instanceof ProblemError)) {
      throw error;
    }
    if (error || !user) {
      throw unauthenticated(
        error instanceof ProblemError ? error.detail : 'A valid access token is required.',
      );
    }
    return user;
  }

  /**
   * A refused route of clients' personal data stays in the audit log (`DENIED`) — also when the
   * account may not use it yet because an administrator set its password.
   */
  private async recordRefusal(
    request: AuthenticatedRequest,
    actor: Actor,
    required: readonly Permission[],
  ): Promise<void> {
    if (!guardsPersonalData(required)) {
      return;
    }
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const route = request.routeOptions.url ?? request.url;
    const clientId = params.clientId ?? (route.startsWith('/api/v1/clients/:id') ? params.id : undefined);
    await this.audit.recordDenied({
      actor,
      action: 'access.denied',
      resourceType: 'route',
      resourceId: `${request.method} ${route}`,
      clientId: clientId !== undefined && UUID.test(clientId) ? clientId : null,
    });
  }
}

/** Missing, malformed, expired or forged tokens, closed sessions, deactivated or revoked principals. */
function unauthenticated(detail: string): ProblemError {
  return new ProblemError('unauthenticated', detail, { headers: CHALLENGE });
}
