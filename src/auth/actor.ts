import type { ActorRole } from './roles';

/**
 * Who is calling, as carried by the access token and checked against the database on every request.
 * Repositories take the actor (or its office/network/partner) as the scope of every query.
 */
export interface Actor {
  kind: 'user' | 'partner';
  /** The user id, or for a partner system the id of its API client. */
  id: string;
  role: ActorRole;
  officeId: string | null;
  networkId: string | null;
  partnerId: string | null;
  /** The public `clientId` of a partner system's API client. */
  apiClientId: string | null;
}
