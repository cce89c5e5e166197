import type { ActorRole } from './roles';

/**
 * What a route may require, as `resource.action`. Every route declares one (or more) with `@Allow(…)`
 * or is `@Public()`; the global guard denies anything else. Who holds which permission is this table
 * only; `test/route-permissions.snapshot.md` shows every route with the roles that may call it.
 */
export enum Permission {
  Self = 'self.read',
  NetworkRead = 'network.read',
  NetworkWrite = 'network.write',
  OfficeRead = 'office.read',
  OfficeWrite = 'office.write',
  UserRead = 'user.read',
  UserWrite = 'user.write',
  PartnerRead = 'partner.read',
  PartnerWrite = 'partner.write',
  ApiClientRead = 'api-client.read',
  ApiClientWrite = 'api-client.write',
  AuditRead = 'audit.read',
}

export const ROLE_PERMISSIONS: Readonly<Record<ActorRole, readonly Permission[]>> = {
  ADMIN: Object.values(Permission),
  COORDINATOR: [Permission.Self],
  ADVISER: [Permission.Self],
  PARTNER: [Permission.Self],
};

export function roleHas(role: ActorRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
