import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { guardsPersonalData, type Permission } from '../../src/auth/permissions';
import type { Figure, VerifyCheck, VerifyContext } from '../check';
import { berlinToday, createFixtures, type Fixtures, type Principal } from '../support/fixtures';
import type { ApiResponse } from '../support/http';
import { deref, listOperations, type Operation, type Schema } from '../support/openapi';
import {
  hasPathParameters,
  loadRouteRules,
  ownScope,
  pathFor,
  tenantOf,
  UnmappedRouteError,
  type ObjectScope,
  type RouteRule,
} from '../support/routes';
import { suiteApp } from '../support/suite-app';

/**
 * The security matrix, generated from the routes (the app's OpenAPI document and the route
 * permission table), so that a route added later is covered without editing this file:
 * - every route without a token → 401; every role and partner client the route does not allow → 403;
 * - every route naming an object (`{id}`) × every caller the route allows, with the objects of a
 *   foreign office (same network and another network) / network / partner → 404;
 * - the database is unchanged by all of it (a fingerprint of every table), and each refused access
 *   to client personal data left exactly one `DENIED` audit event.
 */

const CONCURRENCY = 8;

/**
 * Objects every caller of a route may read whatever their tenant (documented in the API): the
 * qualification-offer catalogue is shared by all networks; only its network's coordinators change an
 * offer or see its enrolments.
 */
const SHARED_ACROSS_TENANTS = new Set(['GET /api/v1/qualification-offers/{id}']);

/** Tables whose rows change with any authenticated request (sessions, rate limits, idempotency, jobs). */
const BOOKKEEPING_TABLES = new Set([
  'idempotency_keys',
  'sessions',
  'refresh_tokens',
  'sign_in_limits',
  'job_schedule_ticks',
  // The delivery worker keeps retrying the fixtures' webhook endpoints (unreachable on purpose) in the
  // background, with back-off: its attempts change these rows whatever the probes do.
  'webhook_deliveries',
  'webhook_attempts',
]);

type Expectation = 401 | 403 | 404;

interface Probe {
  rule: RouteRule;
  op: Operation;
  expected: Expectation;
  principal?: Principal;
  /** Why this answer is expected, e.g. "ADVISER office 0 → office 1 (same network)". */
  reason: string;
  path: string;
  body?: unknown;
  headers: Record<string, string>;
  /** A refused access to client personal data: exactly one DENIED audit event expected. */
  personal: boolean;
  requestId: string;
}

export async function fingerprint(db: Pool): Promise<Map<string, string>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const result = new Map<string, string>();
  for (const { name } of tables) {
    if (BOOKKEEPING_TABLES.has(name)) {
      continue;
    }
    const filter = name === 'audit_events' ? ` WHERE t.outcome <> 'DENIED'` : '';
    const { rows } = await db.query<{ count: number; digest: string | null }>(
      `SELECT count(*)::int AS count, md5(string_agg(row_data, '|' ORDER BY row_data)) AS digest
         FROM (SELECT t::text AS row_data FROM "${name}" t${filter}) rows`,
    );
    result.set(name, `${rows[0].count}:${rows[0].digest ?? 'empty'}`);
  }
  return result;
}

/** A body that passes validation (so that a 404 comes from the scope): examples, own ids, today. */
function exampleBody(
  doc: Schema,
  schema: Schema | undefined,
  scope: ObjectScope,
  fixtures: Fixtures,
): unknown {
  if (!schema) {
    return undefined;
  }
  const today = berlinToday();
  const ids: Record<string, string> = {
    clientId: scope.office.clientIds[0],
    offerId: scope.network.offerId,
    recognitionCaseId: scope.office.recognitionCaseId,
    qualificationId: scope.office.qualificationId,
    authorityPartnerId: fixtures.authorityPartnerId,
    providerPartnerId: fixtures.providerPartnerId,
    partnerId: scope.partner.partnerId,
    networkId: scope.network.networkId,
    officeId: scope.office.officeId,
  };
  const value = (name: string, property: Schema): unknown => {
    const resolved = deref(doc, property);
    if (name in ids && resolved.format === 'uuid') {
      return ids[name];
    }
    if (resolved.format === 'date') {
      return today;
    }
    // The first value of a code list is the plain case (an example may need companion fields).
    if (Array.isArray(resolved.enum)) {
      return resolved.enum[0];
    }
    if (resolved.example !== undefined) {
      return resolved.example;
    }
    if (resolved.default !== undefined) {
      return resolved.default;
    }
    switch (resolved.type) {
      case 'integer':
      case 'number':
        return resolved.minimum ?? 1;
      case 'boolean':
        return false;
      case 'array':
        return resolved.minItems ? [value(name, (resolved.items as Schema) ?? {})] : [];
      case 'object':
        return build(resolved);
      default:
        return 'Beispiel';
    }
  };
  const build = (object: Schema): Record<string, unknown> => {
    const properties = (object.properties ?? {}) as Record<string, Schema>;
    const required = (object.required as string[] | undefined) ?? [];
    const body: Record<string, unknown> = {};
    for (const name of required) {
      if (properties[name]) {
        body[name] = value(name, properties[name]);
      }
    }
    if (required.length === 0) {
      // A change with nothing in it may be refused as such: send the first documented field.
      const first =
        Object.entries(properties).find(([, property]) => deref(doc, property).example !== undefined) ??
        Object.entries(properties)[0];
      if (first) {
        body[first[0]] = value(first[0], first[1]);
      }
    }
    return body;
  };
  return build(deref(doc, schema));
}

function headersFor(op: Operation): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const param of op.parameters) {
    if (param.in === 'header' && /^if-match$/i.test(param.name as string)) {
      headers['if-match'] = '"1"';
    }
    if (param.in === 'header' && /^idempotency-key$/i.test(param.name as string)) {
      headers['idempotency-key'] = randomUUID();
    }
  }
  return headers;
}

/** Foreign scopes of a caller for a route's tenant level: [label, scope]. */
function foreignScopes(fixtures: Fixtures, principal: Principal, tenant: string): [string, ObjectScope][] {
  const own = ownScope(fixtures, principal);
  if (tenant === 'office' && principal.role === 'ADVISER') {
    return fixtures.offices
      .filter((office) => office.officeId !== own.office.officeId)
      .map((office) => {
        const network =
          fixtures.networks.find((candidate) => candidate.networkId === office.networkId) ?? own.network;
        const label = office.networkId === own.network.networkId ? 'same network' : 'another network';
        return [`office ${fixtures.offices.indexOf(office)} (${label})`, { ...own, office, network }];
      });
  }
  if (tenant === 'network' && principal.role === 'COORDINATOR') {
    return fixtures.networks
      .filter((network) => network.networkId !== own.network.networkId)
      .map((network) => {
        const office =
          fixtures.offices.find((candidate) => candidate.networkId === network.networkId) ?? own.office;
        return [`network ${fixtures.networks.indexOf(network)}`, { ...own, office, network }];
      });
  }
  if (tenant === 'partner' && principal.role === 'PARTNER') {
    return fixtures.partners
      .filter((partner) => partner.partnerId !== own.partner.partnerId)
      .map((partner) => [`partner ${fixtures.partners.indexOf(partner)}`, { ...own, partner }]);
  }
  return [];
}

const check: VerifyCheck = {
  name: 'security-matrix',
  async run(context: VerifyContext): Promise<Figure[]> {
    const app = await suiteApp(context);
    const fixtures = await createFixtures(app.api, context, {
      admin: app.admin,
      seed: context.seed + 1,
      tag: `matrix${context.seed % 100000}`,
      clientsPerOffice: 1,
      log: (message) => context.log(message),
    });
    const docResponse = await app.api.request('GET', '/openapi.json');
    const doc = docResponse.body as Schema;
    const operations = new Map(listOperations(doc).map((op) => [`${op.method} ${op.path}`, op]));
    const rules = loadRouteRules();

    // The inventory: the permission table and the OpenAPI document list the same API routes.
    const ruleKeys = new Set(rules.map((rule) => `${rule.method} ${rule.path}`));
    const undocumented = [...ruleKeys].filter((key) => !operations.has(key));
    const missingRules = [...operations.keys()].filter((key) => key.includes(' /api/') && !ruleKeys.has(key));

    const probes: Probe[] = [];
    const unmapped: string[] = [];
    for (const rule of rules) {
      const key = `${rule.method} ${rule.path}`;
      const op = operations.get(key);
      if (!op || rule.public) {
        continue;
      }
      const personal = guardsPersonalData(rule.requires as Permission[]);
      const probe = (
        expected: Expectation,
        principal: Principal | undefined,
        reason: string,
        scope: ObjectScope,
      ): void => {
        try {
          probes.push({
            rule,
            op,
            expected,
            principal,
            reason,
            path: pathFor(rule.method, rule.path, scope, fixtures),
            body: exampleBody(doc, op.requestSchema, ownScope(fixtures, principal ?? {}), fixtures),
            headers: headersFor(op),
            personal: personal && expected !== 401,
            requestId: randomUUID(),
          });
        } catch (error) {
          if (!(error instanceof UnmappedRouteError)) {
            throw error;
          }
          if (!unmapped.includes(error.message)) {
            unmapped.push(error.message);
          }
        }
      };
      const home = ownScope(fixtures, {});
      probe(401, undefined, 'no token', home);
      for (const principal of fixtures.principals) {
        if (!rule.roles.has(principal.role)) {
          probe(403, principal, `${principal.label} (role not allowed)`, ownScope(fixtures, principal));
        } else if (hasPathParameters(rule.path) && !SHARED_ACROSS_TENANTS.has(key)) {
          for (const [label, scope] of foreignScopes(fixtures, principal, tenantOf(rule.path))) {
            probe(404, principal, `${principal.label} → ${label}`, scope);
          }
        }
      }
    }
    // Mapping problems must show even for routes no one is allowed on.
    for (const rule of rules) {
      if (hasPathParameters(rule.path)) {
        try {
          pathFor(rule.method, rule.path, ownScope(fixtures, {}), fixtures);
        } catch (error) {
          if (error instanceof UnmappedRouteError && !unmapped.includes(error.message)) {
            unmapped.push(error.message);
          }
        }
      }
    }

    const before = await fingerprint(app.db);
    context.log(`${probes.length} probes over ${rules.length} routes, ${CONCURRENCY} at a time`);
    const wrong: string[] = [];
    const notProblem: string[] = [];
    const undocumentedStatus: string[] = [];
    const counts = { 401: 0, 403: 0, 404: 0 };
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        const probe = probes[next++];
        counts[probe.expected] += 1;
        let response: ApiResponse;
        try {
          response = await app.api.request(probe.rule.method, probe.path, {
            token: probe.principal?.token,
            body: probe.body,
            headers: { ...probe.headers, 'x-request-id': probe.requestId },
          });
        } catch (error) {
          wrong.push(`${probe.rule.method} ${probe.rule.path} [${probe.reason}]: ${String(error)}`);
          continue;
        }
        const label = `${probe.rule.method} ${probe.rule.path} [${probe.reason}]`;
        if (response.status !== probe.expected) {
          wrong.push(
            `${label}: ${response.status} instead of ${probe.expected} ${response.text.slice(0, 160)}`,
          );
        } else if (
          !/^application\/problem\+json/.test(response.headers.get('content-type') ?? '') ||
          response.body?.status !== probe.expected
        ) {
          notProblem.push(`${label}: ${response.headers.get('content-type')} ${response.text.slice(0, 100)}`);
        }
        const responses = (probe.op.operation.responses ?? {}) as Record<string, unknown>;
        if (response.status === probe.expected && !(String(probe.expected) in responses)) {
          undocumentedStatus.push(`${probe.rule.method} ${probe.rule.path}: ${probe.expected}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const after = await fingerprint(app.db);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (table) => before.get(table) !== after.get(table),
    );

    const personalProbes = probes.filter((probe) => probe.personal);
    // Each probe sent its own X-Request-Id, which the audit events keep as the caller's request id.
    const { rows } = await app.db.query<{ request_id: string; count: number }>(
      `SELECT caller_request_id AS request_id, count(*)::int AS count FROM audit_events
        WHERE outcome = 'DENIED' AND caller_request_id = ANY($1::text[]) GROUP BY caller_request_id`,
      [personalProbes.map((probe) => probe.requestId)],
    );
    const denied = new Map(rows.map((row) => [row.request_id, row.count]));
    const auditMisses = personalProbes
      .filter((probe) => denied.get(probe.requestId) !== 1)
      .map(
        (probe) =>
          `${probe.rule.method} ${probe.rule.path} [${probe.reason}]: ${denied.get(probe.requestId) ?? 0} DENIED events`,
      );

    const show = (title: string, lines: string[]) => {
      for (const line of lines.slice(0, 10)) {
        context.log(`${title}: ${line}`);
      }
      if (lines.length > 10) {
        context.log(`${title}: … and ${lines.length - 10} more`);
      }
    };
    show('wrong status', wrong);
    show('not a problem', notProblem);
    show('status not documented', [...new Set(undocumentedStatus)]);
    show('audit', auditMisses);
    show('unmapped', unmapped);
    show('inventory', [
      ...undocumented.map((key) => `${key}: in the permission table, not in OpenAPI`),
      ...missingRules.map((key) => `${key}: in OpenAPI, not in the permission table`),
    ]);
    show('database changed', changed);

    const uniqueUndocumented = [...new Set(undocumentedStatus)];
    return [
      {
        figure: 'matrix: routes = OpenAPI operations = permission table',
        target: 'same set',
        measured: `${rules.length} routes; ${undocumented.length} not in OpenAPI, ${missingRules.length} not in the table`,
        ok: undocumented.length === 0 && missingRules.length === 0,
      },
      {
        figure: 'matrix: routes naming an object the suite cannot supply',
        target: '0',
        measured:
          unmapped.length === 0
            ? '0'
            : `${unmapped.length}: ${unmapped.map((line) => line.split(':')[0]).join('; ')}`,
        ok: unmapped.length === 0,
      },
      {
        figure: 'matrix: no token → 401, role not allowed → 403, foreign office/network/partner → 404',
        target: '0 other answers',
        measured: `${wrong.length} of ${probes.length} (401: ${counts[401]}, 403: ${counts[403]}, 404: ${counts[404]} probes)`,
        ok: wrong.length === 0 && probes.length > 0,
      },
      {
        figure: 'matrix: refusals that are not problem+json',
        target: '0',
        measured: String(notProblem.length),
        ok: notProblem.length === 0,
      },
      {
        figure: 'matrix: refusal statuses documented on their operation',
        target: 'all',
        measured: uniqueUndocumented.length === 0 ? 'all' : `${uniqueUndocumented.length} missing`,
        ok: uniqueUndocumented.length === 0,
      },
      {
        figure: 'matrix: database fingerprint (rows + hash of every table)',
        target: 'unchanged',
        measured:
          changed.length === 0 ? `unchanged (${after.size} tables)` : `changed: ${changed.join(', ')}`,
        ok: changed.length === 0,
      },
      {
        figure: 'matrix: one DENIED audit event per refused personal-data access',
        target: `${personalProbes.length} of ${personalProbes.length}`,
        measured: `${personalProbes.length - auditMisses.length} of ${personalProbes.length}`,
        ok: auditMisses.length === 0 && personalProbes.length > 0,
      },
    ];
  },
};

export default check;
