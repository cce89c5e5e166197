import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ProblemError } from '../common/errors/problem.error';
import type { Actor } from './actor';
import { PERMISSIONS_KEY, PUBLIC_KEY, type AuthenticatedRequest } from './auth.decorators';
import { AuditService } from '../audit/audit.service';
import { guardsPersonalData, roleHas, type Permission } from './permissions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHALLENGE = { 'www-authenticate': 'Bearer realm="anker"' };

/**
 * The global guard: `@Public()` routes pass; every other route needs a valid access token whose role
 * holds all permissions named by `@Allow(…)`. A route that declares neither is refused (deny by default).
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
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
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { user?: Actor }>();
    const actor = request.user as Actor;
    request.actor = actor;
    const required =
      this.reflector.getAllAndOverride<Permission[] | undefined>(PERMISSIONS_KEY, targets) ?? [];
    if (required.length === 0 || !required.every((permission) => roleHas(actor.role, permission))) {
      if (guardsPersonalData(required)) {
        await this.recordRefusal(request, actor);
      }
      throw new ProblemError('forbidden', 'Your role may not use this operation.');
    }
    return true;
  }

  /** A role refused a route of clients' personal data: the attempt stays in the audit log (`DENIED`). */
  private async recordRefusal(request: AuthenticatedRequest, actor: Actor): Promise<void> {
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

  /** Missing, malformed, expired or forged tokens, and tokens of deactivated or revoked principals: 401. */
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error || !user) {
      const detail = error instanceof ProblemError ? error.detail : 'A valid access token is required.';
      throw new ProblemError('unauthenticated', detail, { headers: CHALLENGE });
    }
    return user;
  }
}
