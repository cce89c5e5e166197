import type { Response } from 'supertest';
import type { TestApp } from './test-app';

export const PROBLEM = 'application/problem+json; charset=utf-8';

type Method = 'get' | 'post' | 'patch' | 'delete';

/** A bearer-authenticated call with a JSON body (none for GET). */
export function call(
  t: TestApp,
  token: string,
  method: Method,
  path: string,
  body?: object,
  headers: Record<string, string> = {},
): Promise<Response> {
  const pending = t.http[method](path).auth(token, { type: 'bearer' }).set(headers);
  return body === undefined ? pending : pending.send(body);
}

/** The audit events of one action on one resource (ids are stored as text). */
export async function auditCount(t: TestApp, action: string, resourceId: string): Promise<number> {
  const { rows } = await t.db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM audit_events WHERE action = $1 AND resource_id = $2',
    [action, resourceId],
  );
  return rows[0].count;
}

export interface AuditRow {
  action: string;
  outcome: string;
  actorId: string | null;
  requestId: string | null;
}

/** Every audit event of a resource, oldest first: `action/outcome/actorId/requestId`. */
export async function auditTrail(t: TestApp, resourceType: string, resourceId: string): Promise<AuditRow[]> {
  const { rows } = await t.db.query<AuditRow>(
    `SELECT action, outcome, actor_id AS "actorId", request_id AS "requestId"
       FROM audit_events WHERE resource_type = $1 AND resource_id = $2 ORDER BY occurred_at, id`,
    [resourceType, resourceId],
  );
  return rows;
}

/** A validation problem: 400, problem+json, and the JSON pointers it names. */
export function pointersOf(response: Response): string[] {
  expect({
    status: response.status,
    type: response.body.type,
    contentType: response.headers['content-type'],
  }).toEqual({
    status: 400,
    type: 'urn:anker:problem:validation-error',
    contentType: PROBLEM,
  });
  return [...new Set((response.body.errors as { pointer: string }[]).map((error) => error.pointer))].sort();
}

/** Asserts a problem of this status and type. */
export function expectProblem(response: Response, status: number, slug: string): void {
  expect({
    status: response.status,
    type: response.body.type,
    contentType: response.headers['content-type'],
  }).toEqual({
    status,
    type: `urn:anker:problem:${slug}`,
    contentType: PROBLEM,
  });
}

/** Walks a list from the first page to the last and answers the pages' ids. */
export async function pages(t: TestApp, token: string, path: string): Promise<string[][]> {
  const result: string[][] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = cursor === null ? path : `${path}${separator}cursor=${encodeURIComponent(cursor)}`;
    const response = await call(t, token, 'get', url);
    expect(response.status).toBe(200);
    result.push((response.body.items as { id: string }[]).map((item) => item.id));
    cursor = response.body.nextCursor as string | null;
  } while (cursor !== null && result.length < 20);
  return result;
}

export const SOME_ID = '5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61';

/**
 * PATCH as a client does it: read the resource for its `ETag`, then send the change with `If-Match`.
 * (For an id that does not exist, any version is sent, so the answer is the 404 of the PATCH itself.)
 */
export async function patchCurrent(t: TestApp, token: string, path: string, body: object): Promise<Response> {
  const current = await call(t, token, 'get', path);
  const etag = current.status === 200 ? current.headers.etag : '"1"';
  return call(t, token, 'patch', path, body, { 'if-match': etag });
}
