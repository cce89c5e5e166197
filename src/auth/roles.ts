/** Roles of people; partner systems act with the role PARTNER. */
export const USER_ROLES = ['ADMIN', 'COORDINATOR', 'ADVISER'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export type ActorRole = UserRole | 'PARTNER';
export const ACTOR_ROLES: readonly ActorRole[] = [...USER_ROLES, 'PARTNER'];
