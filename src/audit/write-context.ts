import type { Actor } from '../auth/actor';
import { ProblemError } from '../common/errors/problem.error';
import type { AuditRecord } from './audit.service';

/** Who reads or changes something, and in which request: what its audit event records. */
export interface WriteContext {
  actor: Actor;
  requestId: string;
}

/** The audit event of one read or change (ids only, never values); `clientId` when it touches a client's data. */
export function auditEvent(
  context: WriteContext,
  action: string,
  resourceType: string,
  resourceId: string,
  clientId?: string,
): AuditRecord {
  return {
    actor: context.actor,
    action,
    resourceType,
    resourceId,
    clientId: clientId ?? null,
    requestId: context.requestId,
  };
}

/**
 * The office an adviser works in: the scope of everything they read or change. Advisers always belong
 * to one (checked when the user is saved); other roles never reach a route that asks.
 */
export function officeOfAdviser(context: Pick<WriteContext, 'actor'>, work: string): string {
  if (!context.actor.officeId) {
    throw new ProblemError('forbidden', `Only advisers of an office work with ${work}.`);
  }
  return context.actor.officeId;
}
