import {
  createHash,
  createHmac,
  createSecretKey,
  randomUUID,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool, type PoolClient, type QueryConfig } from 'pg';
import { nameKey } from '../src/clients/name-key';
import { CASELOAD_REPORT_SQL } from './caseload-report-sql';

/**
 * The ceiling: bare `node:http` + `pg` doing the database work the API does per request — the HS256
 * token check (KeyObject), the user re-read, the office-scoped query, the audit insert, and for the
 * write the same transaction (idempotency record, lock, insert, Erst/Folge derivation, audit, stored
 * answer). The SQL texts are the API's own (read with bench/trace-sql.js), sent as named prepared
 * statements like the API's `Db`. No framework, no validation library, no DTO mapping: what is left
 * when the application costs nothing. Not a product: it serves the benchmark only.
 *
 * Environment: CEILING_DATABASE_URL, PORT, JWT_SIGNING_KEY (base64url), JWT_ISSUER, JWT_AUDIENCE,
 * DB_POOL_MAX.
 */

const pool = new Pool({
  connectionString: process.env.CEILING_DATABASE_URL,
  max: Number(process.env.DB_POOL_MAX ?? 10),
});
/** Reports have a pool of their own in the API (REPORTS_POOL_MAX), so here too. */
const reportPool = new Pool({
  connectionString: process.env.CEILING_DATABASE_URL,
  max: Number(process.env.REPORTS_POOL_MAX ?? 2),
});
/** Caseload reports by parameters, network, rollup state and day, as the API keeps them. */
const reportCache = new Map<string, unknown>();
const key: KeyObject = createSecretKey(Buffer.from(process.env.JWT_SIGNING_KEY ?? '', 'base64url'));
const issuer = process.env.JWT_ISSUER ?? 'anker';
const audience = process.env.JWT_AUDIENCE ?? 'anker-api';

const UTC = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const CLIENT_COLUMNS = `id AS "id", office_id AS "officeId", first_name AS "firstName", last_name AS "lastName", to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", email AS "email", phone AS "phone", postal_code AS "postalCode", city AS "city", gender AS "gender", birth_year AS "birthYear", country_of_birth AS "countryOfBirth", nationalities AS "nationalities", residence_bundesland AS "residenceBundesland", arrival_year AS "arrivalYear", residence_status AS "residenceStatus", german_level AS "germanLevel", isced_level AS "iscedLevel", employment_status AS "employmentStatus", benefits AS "benefits", access_route AS "accessRoute", ${UTC('erased_at')} AS "erasedAt", version AS "version", ${UTC('created_at')} AS "createdAt", ${UTC('updated_at')} AS "updatedAt"`;

const CASE_COLUMNS = `id AS "id", client_id AS "clientId", office_id AS "officeId", qualification_id AS "qualificationId", kldb AS "kldb", occupation_title AS "occupationTitle", regulated AS "regulated", legal_basis AS "legalBasis", procedure_kind AS "procedureKind", authority_partner_id AS "authorityPartnerId", fast_track AS "fastTrack", applied_from_abroad AS "appliedFromAbroad", follow_up_of AS "followUpOf", follow_up_other_occupation AS "followUpOtherOccupation", fees_eur::float8 AS "feesEur", funding AS "funding", status AS "status", outcome AS "outcome", to_char(submitted_on, 'YYYY-MM-DD') AS "submittedOn", to_char(documents_requested_on, 'YYYY-MM-DD') AS "documentsRequestedOn", to_char(documents_complete_on, 'YYYY-MM-DD') AS "documentsCompleteOn", to_char(decided_on, 'YYYY-MM-DD') AS "decidedOn", to_char(first_decided_on, 'YYYY-MM-DD') AS "firstDecidedOn", to_char(appeal_filed_on, 'YYYY-MM-DD') AS "appealFiledOn", to_char(extended_until, 'YYYY-MM-DD') AS "extendedUntil", suspended_days AS "suspendedDays", to_char(suspended_since, 'YYYY-MM-DD') AS "suspendedSince", to_char(receipt_confirmation_due_on, 'YYYY-MM-DD') AS "receiptConfirmationDueOn", to_char(receipt_confirmed_on, 'YYYY-MM-DD') AS "receiptConfirmedOn", to_char(decision_due_on, 'YYYY-MM-DD') AS "decisionDueOn", to_char(decision_reminder_on, 'YYYY-MM-DD') AS "decisionReminderOn", deadline_bundesland AS "deadlineBundesland", processing_days AS "processingDays", recognised_in_eu_eea_ch AS "recognisedInEuEeaCh", notes AS "notes", version AS "version", ${UTC('created_at')} AS "createdAt", ${UTC('updated_at')} AS "updatedAt"`;

const CONSULTATION_RETURNING = `id AS "id", client_id AS "clientId", office_id AS "officeId", adviser_id AS "adviserId", to_char(held_on, 'YYYY-MM-DD') AS "heldOn", duration_minutes AS "durationMinutes", channel AS "channel", mobile AS "mobile", language AS "language", interpreter_used AS "interpreterUsed", kind AS "kind", topics AS "topics", outcomes AS "outcomes", to_char(next_contact_due, 'YYYY-MM-DD') AS "nextContactDue", notes AS "notes", ${UTC('voided_at')} AS "voidedAt", voided_by AS "voidedBy", void_reason AS "voidReason", version AS "version", ${UTC('created_at')} AS "createdAt", ${UTC('updated_at')} AS "updatedAt"`;

/** The API's statements, verbatim. */
const SQL = {
  user: `SELECT u.id, u.email, u.display_name AS "displayName", u.role, u.office_id AS "officeId", COALESCE(u.network_id, o.network_id) AS "networkId", u.password_hash AS "passwordHash", u.active, u.password_change_required AS "passwordChangeRequired", ${UTC('u.password_set_by_admin_at')} AS "passwordSetByAdminAt" FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN offices o ON o.id = u.office_id WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND u.active`,
  client: `SELECT ${CLIENT_COLUMNS} FROM clients WHERE id = $1 AND office_id = $2`,
  clientList: `SELECT ${CLIENT_COLUMNS} FROM clients WHERE office_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
  clientSearch: `SELECT ${CLIENT_COLUMNS}, round(greatest(similarity(name_key, $2), word_similarity($2, name_key))::numeric, 2)::float8 AS score FROM clients WHERE office_id = $1 AND erased_at IS NULL AND (name_key % $2 OR $2 <% name_key) ORDER BY (birth_date IS NOT DISTINCT FROM $3::date AND $3 IS NOT NULL) DESC, greatest(similarity(name_key, $2), word_similarity($2, name_key)) DESC, id LIMIT $4`,
  audit: `INSERT INTO audit_events (actor_kind, actor_id, role, office_id, network_id, partner_id, api_client_id, action, resource_type, resource_id, client_id, request_id, caller_request_id, outcome) SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[], $12::uuid[], $13::text[], $14::text[])`,
  idempotencyExpired: `DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND created_at < now() - interval '24 hours'`,
  idempotencyClaim: `INSERT INTO idempotency_keys (principal, key, operation, request_hash, scope) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (principal, key) DO NOTHING`,
  clientLock: `SELECT ${CLIENT_COLUMNS} FROM clients WHERE id = $1 AND office_id = $2 FOR UPDATE`,
  consultationInsert: `INSERT INTO consultations (held_on, duration_minutes, channel, mobile, language, interpreter_used, topics, outcomes, next_contact_due, notes, client_id, office_id, adviser_id, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ${CONSULTATION_RETURNING}`,
  deriveKinds: `UPDATE consultations c SET kind = ranked.kind, version = c.version + CASE WHEN c.id = $2::uuid THEN 0 ELSE 1 END, updated_at = now() FROM (SELECT id, CASE WHEN row_number() OVER (ORDER BY held_on, created_at, id) = 1 THEN $3 ELSE $4 END AS kind FROM consultations WHERE client_id = $1 AND voided_at IS NULL) ranked WHERE c.id = ranked.id AND c.client_id = $1 AND c.kind <> ranked.kind RETURNING c.id`,
  idempotencyStore: `UPDATE idempotency_keys SET status = $3, response_headers = $4, response_body = $5 WHERE principal = $1 AND key = $2`,
  overdueCases: `SELECT ${CASE_COLUMNS} FROM recognition_cases WHERE office_id = $1 AND status IN ('IN_PRUEFUNG', 'GEHEMMT') AND decision_due_on < $2::date ORDER BY created_at DESC, id DESC LIMIT $3`,
  differences: `SELECT id AS "id", case_id AS "caseId", description AS "description", compensation_options AS "compensationOptions" FROM substantial_differences WHERE case_id = ANY($1::uuid[]) ORDER BY created_at, id`,
  qualificationCountries: `SELECT id, client_id AS "clientId", country FROM client_qualifications WHERE id = ANY($1::uuid[])`,
  apiClient: `SELECT c.id, c.client_id AS "clientId", c.partner_id AS "partnerId", p.name AS "partnerName", c.secret_hash AS "secretHash", c.revoked_at IS NOT NULL AS revoked FROM api_clients c JOIN partners p ON p.id = c.partner_id WHERE c.id = $1`,
  syncPage: `SELECT r.id AS "id", r.client_id AS "clientId", r.office_id AS "officeId", r.partner_id AS "partnerId", r.consent_id AS "consentId", r.recognition_case_id AS "recognitionCaseId", r.reason AS "reason", r.data_categories AS "dataCategories", r.message AS "message", to_char(r.due_by, 'YYYY-MM-DD') AS "dueBy", r.status AS "status", to_char(r.sent_on, 'YYYY-MM-DD') AS "sentOn", to_char(r.answered_on, 'YYYY-MM-DD') AS "answeredOn", to_char(r.closed_on, 'YYYY-MM-DD') AS "closedOn", r.decline_reason AS "declineReason", r.outcome AS "outcome", r.decision AS "decision", r.cancel_reason AS "cancelReason", r.change_xid AS "changeXid", r.version AS "version", ${UTC('r.created_at')} AS "createdAt", ${UTC('r.updated_at')} AS "updatedAt", p.name AS "partnerName", p.type AS "partnerType", o.name AS "officeName" FROM referrals r JOIN partners p ON p.id = r.partner_id JOIN offices o ON o.id = r.office_id WHERE r.partner_id = $1 AND r.change_xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint ORDER BY r.change_xid, r.id LIMIT $2`,
  rollupState: `SELECT ${UTC('refreshed_at')} AS "refreshedAt", duration_ms AS "durationMs", row_count::float8 AS "rowCount", to_char(stock_through, 'YYYY-MM-DD') AS "stockThrough" FROM report_rollup_state WHERE name = $1`,
  networkNames: `SELECT id::text AS id, name FROM networks WHERE id = ANY($1::uuid[])`,
  officeNames: `SELECT id::text AS id, name FROM offices WHERE id = ANY($1::uuid[])`,
} as const;

/** Named prepared statements, one name per text (as the API's Db does). */
function statement(name: keyof typeof SQL, values: unknown[]): QueryConfig {
  return { name: `ceiling_${name}`, text: SQL[name], values };
}

interface Caller {
  userId: string;
  role: string;
  officeId: string | null;
  networkId: string | null;
}

class HttpError extends Error {
  constructor(readonly status: number) {
    super(String(status));
  }
}

/** HS256 with a KeyObject; issuer, audience, expiry; the claims the API relies on. */
function verifyToken(header: string | undefined): { sub: string; sid: string | null; kind: string } {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) {
    throw new HttpError(401);
  }
  const expected = createHmac('sha256', key).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401);
  }
  const header64 = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  const now = Date.now() / 1000;
  if (
    header64.alg !== 'HS256' ||
    claims.iss !== issuer ||
    claims.aud !== audience ||
    typeof claims.exp !== 'number' ||
    claims.exp < now ||
    typeof claims.sub !== 'string' ||
    (claims.kind === 'user' && typeof claims.sid !== 'string') ||
    (claims.kind !== 'user' && claims.kind !== 'partner')
  ) {
    throw new HttpError(401);
  }
  return { sub: claims.sub, sid: typeof claims.sid === 'string' ? claims.sid : null, kind: claims.kind };
}

/** The user re-read of every request: active, in an open session. */
async function caller(db: Pool | PoolClient, request: IncomingMessage): Promise<Caller> {
  const token = verifyToken(request.headers.authorization);
  if (token.kind !== 'user') {
    throw new HttpError(403);
  }
  const { rows } = await db.query<{
    id: string;
    role: string;
    officeId: string | null;
    networkId: string | null;
  }>(statement('user', [token.sid, token.sub]));
  if (rows.length === 0) {
    throw new HttpError(401);
  }
  return { userId: rows[0].id, role: rows[0].role, officeId: rows[0].officeId, networkId: rows[0].networkId };
}

/** One audit event per client shown or written, in one statement (the API's recordAll). */
function auditValues(
  who: Caller,
  action: string,
  resourceType: string,
  resources: { id: string; clientId: string }[],
): unknown[] {
  const requestId = randomUUID();
  const column = <T>(value: T) => resources.map(() => value);
  return [
    column('user'),
    column(who.userId),
    column(who.role),
    column(who.officeId),
    column(who.networkId),
    column(null),
    column(null),
    column(action),
    column(resourceType),
    resources.map((resource) => resource.id),
    resources.map((resource) => resource.clientId),
    column(requestId),
    column(null),
    column('SUCCESS'),
  ];
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    throw new HttpError(400);
  }
}

function berlinToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://ceiling');
  const path = url.pathname;
  const send = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };
  if (path === '/health/ready') {
    await pool.query('SELECT 1');
    return send(200, { status: 'ok' });
  }
  let match: RegExpExecArray | null;
  if (request.method === 'GET' && (match = /^\/api\/v1\/clients\/([^/]+)$/.exec(path))) {
    if (!UUID.test(match[1])) {
      throw new HttpError(400);
    }
    const who = await caller(pool, request);
    const { rows } = await pool.query(statement('client', [match[1], who.officeId]));
    if (rows.length === 0) {
      throw new HttpError(404);
    }
    await pool.query(
      statement('audit', auditValues(who, 'client.read', 'client', [{ id: match[1], clientId: match[1] }])),
    );
    return send(200, rows[0]);
  }
  if (request.method === 'GET' && path === '/api/v1/clients') {
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 20)));
    const who = await caller(pool, request);
    const { rows } = await pool.query<{ id: string; createdAt: string }>(
      statement('clientList', [who.officeId, limit + 1]),
    );
    const items = rows.slice(0, limit);
    if (items.length > 0) {
      await pool.query(
        statement(
          'audit',
          auditValues(
            who,
            'client.list',
            'client',
            items.map((row) => ({ id: row.id, clientId: row.id })),
          ),
        ),
      );
    }
    const last = items[items.length - 1];
    return send(200, {
      items,
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(`${last.createdAt}|${last.id}`).toString('base64url')
          : null,
    });
  }
  if (request.method === 'POST' && path === '/api/v1/clients/search') {
    const body = (await readBody(request)) as { name?: string; birthDate?: string; limit?: number };
    // The same pure normaliser as the API: the same parameter, the same database work.
    const name = typeof body?.name === 'string' ? nameKey(body.name) : '';
    if (name.length < 2) {
      throw new HttpError(400);
    }
    const who = await caller(pool, request);
    const { rows } = await pool.query<{ id: string }>(
      statement('clientSearch', [who.officeId, name, body.birthDate ?? null, body.limit ?? 20]),
    );
    if (rows.length > 0) {
      await pool.query(
        statement(
          'audit',
          auditValues(
            who,
            'client.search',
            'client',
            rows.map((row) => ({ id: row.id, clientId: row.id })),
          ),
        ),
      );
    }
    return send(200, rows);
  }
  if (request.method === 'POST' && (match = /^\/api\/v1\/clients\/([^/]+)\/consultations$/.exec(path))) {
    const clientId = match[1];
    const idempotencyKey = request.headers['idempotency-key'];
    const body = (await readBody(request)) as Record<string, unknown>;
    if (
      !UUID.test(clientId) ||
      typeof idempotencyKey !== 'string' ||
      typeof body?.heldOn !== 'string' ||
      body.heldOn > berlinToday()
    ) {
      throw new HttpError(400);
    }
    const who = await caller(pool, request);
    const principal = `user:${who.userId}`;
    const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const connection = await pool.connect();
    try {
      await connection.query('START TRANSACTION');
      await connection.query(statement('idempotencyExpired', [principal, idempotencyKey]));
      const claimed = await connection.query(
        statement('idempotencyClaim', [
          principal,
          idempotencyKey,
          `POST ${path}`,
          requestHash,
          `${who.role}|${who.officeId}|${who.networkId}|-`,
        ]),
      );
      if (claimed.rowCount === 0) {
        throw new HttpError(409);
      }
      const locked = await connection.query(statement('clientLock', [clientId, who.officeId]));
      if (locked.rows.length === 0) {
        throw new HttpError(404);
      }
      const inserted = await connection.query<{ id: string }>(
        statement('consultationInsert', [
          body.heldOn,
          body.durationMinutes,
          body.channel,
          body.mobile ?? false,
          body.language ?? null,
          body.interpreterUsed ?? false,
          body.topics,
          body.outcomes ?? [],
          body.nextContactDue ?? null,
          body.notes ?? null,
          clientId,
          who.officeId,
          who.userId,
          'FOLGEBERATUNG',
        ]),
      );
      const row = inserted.rows[0] as Record<string, unknown>;
      const changed = await connection.query<{ id: string }>(
        statement('deriveKinds', [clientId, row.id, 'ERSTBERATUNG', 'FOLGEBERATUNG']),
      );
      if (changed.rows.some((changedRow) => changedRow.id === row.id)) {
        row.kind = row.kind === 'ERSTBERATUNG' ? 'FOLGEBERATUNG' : 'ERSTBERATUNG';
      }
      await connection.query(
        statement(
          'audit',
          auditValues(who, 'consultation.create', 'consultation', [{ id: String(row.id), clientId }]),
        ),
      );
      await connection.query(
        statement('idempotencyStore', [
          principal,
          idempotencyKey,
          201,
          JSON.stringify({ 'cache-control': 'no-store' }),
          JSON.stringify(row),
        ]),
      );
      await connection.query('COMMIT');
      return send(201, row);
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }
  if (request.method === 'GET' && path === '/api/v1/recognition-cases') {
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 20)));
    const who = await caller(pool, request);
    const { rows } = await pool.query<{ id: string; clientId: string; qualificationId: string | null }>(
      statement('overdueCases', [who.officeId, berlinToday(), limit + 1]),
    );
    const items = rows.slice(0, limit);
    if (items.length > 0) {
      await pool.query(statement('differences', [items.map((row) => row.id)]));
      await pool.query(
        statement('qualificationCountries', [
          items.flatMap((row) => (row.qualificationId ? [row.qualificationId] : [])),
        ]),
      );
      const clients = [...new Map(items.map((row) => [row.clientId, row])).values()];
      await pool.query(
        statement(
          'audit',
          auditValues(
            who,
            'recognition-case.list',
            'recognition-case',
            clients.map((row) => ({ id: row.id, clientId: row.clientId })),
          ),
        ),
      );
    }
    return send(200, { items, nextCursor: null });
  }
  if (request.method === 'GET' && path === '/api/v1/partner/referrals') {
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 20)));
    const token = verifyToken(request.headers.authorization);
    if (token.kind !== 'partner') {
      throw new HttpError(403);
    }
    const client = await pool.query<{ partnerId: string; revoked: boolean }>(
      statement('apiClient', [token.sub]),
    );
    if (client.rows.length === 0 || client.rows[0].revoked) {
      throw new HttpError(401);
    }
    const { rows } = await pool.query<{ id: string; changeXid: string }>(
      statement('syncPage', [client.rows[0].partnerId, limit + 1]),
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const cursor = last ? Buffer.from(JSON.stringify([last.changeXid, last.id])).toString('base64url') : null;
    return send(200, { items, nextCursor: rows.length > limit ? cursor : null, resumeCursor: cursor });
  }
  if (request.method === 'GET' && path === '/api/v1/reports/caseload') {
    const from = url.searchParams.get('from') ?? '';
    const to = url.searchParams.get('to') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || to < from) {
      throw new HttpError(400);
    }
    const who = await caller(pool, request);
    if (who.role !== 'COORDINATOR' || !who.networkId) {
      throw new HttpError(403);
    }
    const network = who.networkId;
    await pool.query(
      statement('audit', [
        ['user'],
        [who.userId],
        [who.role],
        [null],
        [network],
        [null],
        [null],
        ['report.read'],
        ['report'],
        [`caseload${url.search}`],
        [null],
        [randomUUID()],
        [null],
        ['SUCCESS'],
      ]),
    );
    const state = await reportPool.query<{ refreshedAt: string; stockThrough: string }>(
      statement('rollupState', ['reports']),
    );
    await reportPool.query(statement('networkNames', [[network]]));
    // As the API: the same report from the same rollups is served from memory, computed once.
    const { refreshedAt, stockThrough } = state.rows[0];
    const key = JSON.stringify([url.search, network, refreshedAt, berlinToday()]);
    const cached = reportCache.get(key);
    if (cached) {
      return send(200, cached);
    }
    // The last month whose month-end stock the office-month rollup holds and that has ended.
    const [year, month] = berlinToday().split('-').map(Number);
    const lastEnded = new Date(Date.UTC(year, month - 1, 0)).toISOString().slice(0, 10);
    const covered = stockThrough < lastEnded ? stockThrough : lastEnded;
    const values = { from, to, stockMonth: `${covered.slice(0, 7)}-01`, network };
    const results = await Promise.all(
      CASELOAD_REPORT_SQL.map((query, index) =>
        reportPool.query<Record<string, unknown>>({
          name: `ceiling_report_${index}`,
          text: query.text,
          values: query.parameters.map((name) => values[name]),
        }),
      ),
    );
    const offices = [
      ...new Set(
        results
          .flatMap((result) => result.rows.map((row) => row.k_office))
          .filter((id): id is string => typeof id === 'string'),
      ),
    ];
    await reportPool.query(statement('officeNames', [offices]));
    const body = { dataAsOf: refreshedAt, rows: results.map((result) => result.rows) };
    reportCache.set(key, body);
    return send(200, body);
  }
  throw new HttpError(404);
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    const status = error instanceof HttpError ? error.status : 500;
    if (status === 500) {
      console.error(error);
    }
    if (!response.headersSent) {
      response.writeHead(status, { 'content-type': 'application/problem+json' });
    }
    response.end(JSON.stringify({ status }));
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1');

const stop = () => {
  server.close();
  void pool.end();
  void reportPool.end();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
