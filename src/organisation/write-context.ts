import type { Actor } from '../auth/actor';
import type { AuditRecord } from '../audit/audit.service';

/** Who makes an administrative change, and in which request: what its audit event records. */
export interface WriteContext {
  actor: Actor;
  requestId: string;
}

/** The audit event of one administrative change (ids only, never values). */
export function auditEvent(
  context: WriteContext,
  action: string,
  resourceType: string,
  resourceId: string,
): AuditRecord {
  return { actor: context.actor, action, resourceType, resourceId, requestId: context.requestId };
}
