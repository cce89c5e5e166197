import type { Actor } from '../auth/actor';
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
