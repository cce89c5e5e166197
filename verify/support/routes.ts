import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Fixtures, NetworkObjects, OfficeObjects, PartnerObjects, Role } from './fixtures';

/**
 * The routes the suite covers, generated rather than listed: the operations of the app's OpenAPI
 * document, with who may call each from the route permission table (`test/route-permissions.md`,
 * which `test/access-control.e2e-spec.ts` keeps equal to the routes the app registers). A route
 * added later is covered by the next run without editing the suite; if its path names an object the
 * suite cannot supply, `pathFor` fails naming the route.
 */

export const ROLES: readonly Role[] = ['ADMIN', 'COORDINATOR', 'ADVISER', 'PARTNER'];

export interface RouteRule {
  method: string;
  /** OpenAPI form: `/api/v1/clients/{clientId}/consents/{id}`. */
  path: string;
  /** The permissions it requires (empty for public routes). */
  requires: string[];
  public: boolean;
  /** The roles that hold every required permission. */
  roles: ReadonlySet<Role>;
}

const ROUTE_TABLE = resolve(__dirname, '..', '..', 'test', 'route-permissions.md');

export function loadRouteRules(file = ROUTE_TABLE): RouteRule[] {
  const rules: RouteRule[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // | method | path | requires | ADMIN | COORDINATOR | ADVISER | PARTNER |
    if (cells.length < 9 || !/^(GET|POST|PUT|PATCH|DELETE)$/.test(cells[1])) {
      continue;
    }
    const path = cells[2].replace(/`/g, '').replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const requires =
      cells[3] === 'public' ? [] : cells[3].split(',').map((part) => part.replace(/`/g, '').trim());
    const roles = new Set<Role>(ROLES.filter((_, index) => cells[4 + index] === 'yes'));
    rules.push({ method: cells[1], path, requires, public: cells[3] === 'public', roles });
  }
  if (rules.length === 0) {
    throw new Error(`no routes found in ${file}`);
  }
  return rules;
}

/** A scope whose objects fill a path: one office, its network, one partner. */
export interface ObjectScope {
  office: OfficeObjects;
  network: NetworkObjects;
  partner: PartnerObjects;
  /** Which of the office's clients (and so which of its objects) to use. */
  clientIndex?: number;
}

/**
 * What a path parameter names, by the collection segment in front of it (`/clients/{id}` → a client).
 * The one map to extend when a route names a new kind of object; an unmapped one fails the checks.
 */
export const PATH_OBJECTS: Record<string, (scope: ObjectScope, fixtures: Fixtures) => string> = {
  clients: (s) => s.office.clientIds[s.clientIndex ?? 0] ?? s.office.clientIds[0],
  consents: (s) => s.office.consentId,
  consultations: (s) => s.office.consultationId,
  qualifications: (s) => s.office.qualificationId,
  'recognition-cases': (s) => s.office.recognitionCaseId,
  enrolments: (s) => s.office.enrolmentId,
  'qualification-offers': (s) => s.network.offerId,
  networks: (s) => s.network.networkId,
  offices: (s) => s.office.officeId,
  users: (s) => s.office.spareUserId,
  partners: (s) => s.partner.partnerId,
  'api-clients': (s) => s.partner.spareApiClientId,
  occupations: () => '81302',
  // The partner API (`/api/v1/partner/…`): a partner system's own objects.
  'partner/referrals': (s) => need(s.partner.referralId, 'a referral to the partner'),
  'partner/webhooks': (s) => need(s.partner.webhookId, 'a webhook subscription of the partner'),
  'partner/deliveries': (s) => need(s.partner.deliveryId, 'a webhook delivery of the partner'),
  referrals: (s) => need(s.office.referralId, 'a referral of the office'),
};

function need(id: string | undefined, what: string): string {
  if (id === undefined) {
    throw new UnmappedRouteError(`the fixtures have no ${what}`);
  }
  return id;
}

/** The key of a path parameter's collection: `/api/v1/partner/referrals/{id}` → `partner/referrals`. */
function collectionKey(segments: string[], index: number): string {
  const collection = segments[index - 1];
  return segments[3] === 'partner' && index > 4 ? `partner/${collection}` : collection;
}

/**
 * Whose objects each collection holds: an adviser sees the objects of their office, a coordinator
 * those of their network, a partner its own; the rest are the administrators' (no tenant).
 */
export const OBJECT_TENANT: Record<string, 'office' | 'network' | 'partner' | 'none'> = {
  clients: 'office',
  consents: 'office',
  consultations: 'office',
  qualifications: 'office',
  'recognition-cases': 'office',
  enrolments: 'office',
  'qualification-offers': 'network',
  networks: 'none',
  offices: 'none',
  users: 'none',
  partners: 'none',
  'api-clients': 'none',
  occupations: 'none',
  referrals: 'office',
  'partner/referrals': 'partner',
  'partner/webhooks': 'partner',
  'partner/deliveries': 'partner',
};

/** The tenant level of a route's objects: the most specific among its path parameters. */
export function tenantOf(path: string): 'office' | 'network' | 'partner' | 'none' {
  const segments = path.split('/');
  const levels = segments
    .map((segment, index) =>
      /^\{.+\}$/.test(segment) ? OBJECT_TENANT[collectionKey(segments, index)] : undefined,
    )
    .filter((level) => level !== undefined);
  for (const level of ['office', 'network', 'partner'] as const) {
    if (levels.includes(level)) {
      return level;
    }
  }
  return 'none';
}

export class UnmappedRouteError extends Error {}

/** The concrete path of a route for the objects of a scope; throws `UnmappedRouteError` naming the route. */
export function pathFor(method: string, path: string, scope: ObjectScope, fixtures: Fixtures): string {
  const segments = path.split('/');
  return segments
    .map((segment, index) => {
      const parameter = /^\{(.+)\}$/.exec(segment);
      if (!parameter) {
        return segment;
      }
      const collection = collectionKey(segments, index);
      const resolveObject = PATH_OBJECTS[collection];
      if (resolveObject === undefined) {
        throw new UnmappedRouteError(
          `${method} ${path}: no fixture object for {${parameter[1]}} after /${collection}/ — add one to PATH_OBJECTS in verify/support/routes.ts`,
        );
      }
      return encodeURIComponent(resolveObject(scope, fixtures));
    })
    .join('/');
}

export function hasPathParameters(path: string): boolean {
  return /\{[^}]+\}/.test(path);
}

/** The scope of a principal's own objects (the first office/network/partner for unscoped ones). */
export function ownScope(
  fixtures: Fixtures,
  principal: { officeId?: string; networkId?: string; partnerId?: string },
): ObjectScope {
  const office =
    fixtures.offices.find((candidate) => candidate.officeId === principal.officeId) ??
    fixtures.offices.find((candidate) => candidate.networkId === principal.networkId) ??
    fixtures.offices[0];
  const network =
    fixtures.networks.find((candidate) => candidate.networkId === office.networkId) ?? fixtures.networks[0];
  const partner =
    fixtures.partners.find((candidate) => candidate.partnerId === principal.partnerId) ??
    fixtures.partners[0];
  return { office, network, partner };
}
