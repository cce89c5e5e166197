import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AuditService } from '../src/audit/audit.service';
import { encodeCursor } from '../src/common/http/pagination';
import { createOffice, createUser, tokenFor, type TestUser } from './support/auth';
import { databaseUrl, TEST_ENV } from './support/test-database';
import { createTestApp, type TestApp } from './support/test-app';

const PROBLEM = 'application/problem+json; charset=utf-8';
const MICROSECOND_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface AuditItem {
  id: string;
  occurredAt: string;
  actorKind: string;
  actorId: string | null;
  role: string | null;
  officeId: string | null;
  networkId: string | null;
  partnerId: string | null;
  apiClientId: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  clientId: string | null;
  requestId: string | null;
  outcome: string;
}

describe('audit log', () => {
  let t: TestApp;
  let admin: TestUser;
  let adviser: TestUser;
  let coordinator: TestUser;
  let adminBearer: string;
  let adviserBearer: string;
  let coordinatorBearer: string;
  let officeId: string;
  let networkId: string;
  const unknownEmail = `nobody-${randomUUID().slice(0, 8)}@example.org`;
  const wrongPassword = `wrong-${randomUUID()}`;
  /** Every e-mail, password and display name a test used; none may reach the audit log. */
  const secrets: string[] = [unknownEmail, wrongPassword];
  /** Every password a test used; none may reach the server log either. */
  const passwords: string[] = [wrongPassword];

  const list = (query: Record<string, string | number> = {}, bearer = adminBearer) =>
    t.http.get('/api/v1/audit-events').query(query).set('authorization', `Bearer ${bearer}`);

  /** The same selection straight from the database, newest first. */
  async function idsInDatabase(where = 'TRUE', parameters: unknown[] = []): Promise<string[]> {
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id FROM audit_events WHERE ${where} ORDER BY occurred_at DESC, id DESC`,
      parameters,
    );
    return rows.map((row) => row.id);
  }

  async function listAll(query: Record<string, string | number> = {}): Promise<AuditItem[]> {
    const response = await list({ ...query, limit: 200 }).expect(200);
    expect(response.body.nextCursor).toBeNull();
    return response.body.items as AuditItem[];
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ officeId, networkId } = await createOffice(t));
    admin = await createUser(t, { role: 'ADMIN' });
    adviser = await createUser(t, { role: 'ADVISER', officeId });
    coordinator = await createUser(t, { role: 'COORDINATOR', networkId });
    for (const user of [admin, adviser, coordinator]) {
      secrets.push(user.email, user.password);
      passwords.push(user.password);
    }
    secrets.push('Test ADMIN', 'Test ADVISER', 'Test COORDINATOR');
    // In this order, so that the log lists them the other way round.
    adminBearer = await tokenFor(t, admin);
    adviserBearer = await tokenFor(t, adviser);
    coordinatorBearer = await tokenFor(t, coordinator);
    // Two failed sign-ins: a wrong password for a known account, and an unknown account.
    for (const username of [adviser.email, unknownEmail]) {
      await t.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'password', username, password: wrongPassword })
        .expect(400);
    }
  });
  afterAll(() => t.close());

  describe('append-only table', () => {
    it('refuses UPDATE, DELETE and TRUNCATE with SQLSTATE 42501 and keeps the row as it was', async () => {
      await t.app.get(AuditService).record({
        actor: 'system',
        action: 'test.append-only',
        resourceType: 'probe',
        resourceId: 'probe-1',
      });
      const before = await t.db.query(`SELECT * FROM audit_events WHERE action = 'test.append-only'`);
      expect(before.rows).toHaveLength(1);
      expect(before.rows[0]).toMatchObject({ actor_kind: 'system', actor_id: null, outcome: 'SUCCESS' });
      const id = before.rows[0].id as string;
      const count = async () =>
        (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events')).rows[0].n;
      const total = await count();

      await expect(
        t.db.query(`UPDATE audit_events SET outcome = 'FAILURE', resource_id = 'changed' WHERE id = $1`, [
          id,
        ]),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(t.db.query('DELETE FROM audit_events WHERE id = $1', [id])).rejects.toMatchObject({
        code: '42501',
      });
      await expect(t.db.query('DELETE FROM audit_events')).rejects.toMatchObject({ code: '42501' });
      await expect(t.db.query('TRUNCATE audit_events')).rejects.toMatchObject({ code: '42501' });

      const after = await t.db.query('SELECT * FROM audit_events WHERE id = $1', [id]);
      expect(after.rows).toEqual(before.rows);
      expect(await count()).toBe(total);
    });

    it('gives events time-ordered ids (UUID version 7 with the time of the insert)', async () => {
      const audit = t.app.get(AuditService);
      for (const resourceId of ['v7-1', 'v7-2', 'v7-3']) {
        await audit.record({ actor: 'system', action: 'test.uuid-v7', resourceType: 'probe', resourceId });
        await new Promise((wait) => setTimeout(wait, 2));
      }
      const { rows } = await t.db.query<{ id: string; at: string }>(
        `SELECT id::text, (extract(epoch FROM occurred_at) * 1000)::bigint::text AS at
           FROM audit_events WHERE action = 'test.uuid-v7' ORDER BY resource_id`,
      );
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const millis = parseInt(row.id.replace(/-/g, '').slice(0, 12), 16);
        expect(Math.abs(millis - Number(row.at))).toBeLessThanOrEqual(1);
      }
      expect([...rows.map((row) => row.id)].sort()).toEqual(rows.map((row) => row.id));
    });
  });

  describe('GET /audit-events', () => {
    it('lists every event newest first, with the sign-ins of each user', async () => {
      const response = await list({ limit: 200 }).expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body.nextCursor).toBeNull();
      const items = response.body.items as AuditItem[];
      expect(items.map((item) => item.id)).toEqual(await idsInDatabase());

      for (const [earlier, later] of items.slice(1).map((item, index) => [item, items[index]])) {
        expect(Date.parse(later.occurredAt)).toBeGreaterThanOrEqual(Date.parse(earlier.occurredAt));
        expect(later.occurredAt >= earlier.occurredAt).toBe(true);
      }

      const signIn = (user: TestUser) =>
        items.findIndex(
          (item) => item.action === 'auth.sign-in' && item.actorId === user.id && item.outcome === 'SUCCESS',
        );
      expect(signIn(coordinator)).toBeGreaterThanOrEqual(0);
      expect(signIn(coordinator)).toBeLessThan(signIn(adviser));
      expect(signIn(adviser)).toBeLessThan(signIn(admin));

      const adviserSignIn = items[signIn(adviser)];
      expect(Object.keys(adviserSignIn).sort()).toEqual(
        [
          'id',
          'occurredAt',
          'actorKind',
          'actorId',
          'role',
          'officeId',
          'networkId',
          'partnerId',
          'apiClientId',
          'action',
          'resourceType',
          'resourceId',
          'clientId',
          'requestId',
          'outcome',
        ].sort(),
      );
      expect(adviserSignIn).toEqual({
        id: expect.stringMatching(UUID),
        occurredAt: expect.stringMatching(MICROSECOND_INSTANT),
        actorKind: 'user',
        actorId: adviser.id,
        role: 'ADVISER',
        officeId,
        // The adviser's network comes with the office, or is not recorded for advisers.
        networkId: adviserSignIn.networkId,
        partnerId: null,
        apiClientId: null,
        action: 'auth.sign-in',
        resourceType: 'user',
        resourceId: adviser.id,
        clientId: null,
        requestId: expect.stringMatching(UUID),
        outcome: 'SUCCESS',
      });
      expect([null, networkId]).toContain(adviserSignIn.networkId);
      const stored = await t.db.query<{ occurred_at: Date; us: string }>(
        `SELECT occurred_at, to_char(occurred_at AT TIME ZONE 'UTC', 'US') AS us FROM audit_events WHERE id = $1`,
        [adviserSignIn.id],
      );
      expect(Date.parse(adviserSignIn.occurredAt)).toBe(stored.rows[0].occurred_at.getTime());
      expect(adviserSignIn.occurredAt.slice(20, 26)).toBe(stored.rows[0].us);
    });

    it('filters by actor', async () => {
      const items = await listAll({ actorId: adviser.id });
      expect(items.length).toBeGreaterThanOrEqual(1);
      expect(items.every((item) => item.actorId === adviser.id)).toBe(true);
      expect(items.map((item) => item.id)).toEqual(await idsInDatabase('actor_id = $1', [adviser.id]));
      expect(await listAll({ actorId: randomUUID() })).toEqual([]);
    });

    it('filters by resource, action and outcome', async () => {
      const onAdviser = await listAll({ resourceType: 'user', resourceId: adviser.id });
      // The adviser's own sign-in and the failed attempt with the wrong password.
      expect(onAdviser.map((item) => [item.action, item.outcome, item.actorKind])).toEqual([
        ['auth.sign-in', 'FAILURE', 'anonymous'],
        ['auth.sign-in', 'SUCCESS', 'user'],
      ]);

      const failures = await listAll({ action: 'auth.sign-in', outcome: 'FAILURE' });
      expect(failures.map((item) => item.id)).toEqual(
        await idsInDatabase(`action = 'auth.sign-in' AND outcome = 'FAILURE'`),
      );
      expect(failures).toHaveLength(2);
      expect(failures.every((item) => item.actorId === null && item.actorKind === 'anonymous')).toBe(true);

      const users = await listAll({ resourceType: 'user' });
      expect(users.map((item) => item.id)).toEqual(await idsInDatabase(`resource_type = 'user'`));
      expect(await listAll({ resourceType: 'no-such-type' })).toEqual([]);
    });

    it('filters by counselling client', async () => {
      const clientId = randomUUID();
      await t.app.get(AuditService).record({
        actor: null,
        action: 'client.read',
        resourceType: 'client',
        resourceId: clientId,
        clientId,
      });
      const items = await listAll({ clientId });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ clientId, action: 'client.read', resourceId: clientId });
    });

    it('filters by time: from inclusive, to exclusive, to the microsecond', async () => {
      const all = await listAll();
      expect(all.length).toBeGreaterThanOrEqual(5);
      const pivot = all[2].occurredAt;
      expect((await listAll({ from: pivot })).map((item) => item.id)).toEqual(
        all.slice(0, 3).map((i) => i.id),
      );
      expect((await listAll({ to: pivot })).map((item) => item.id)).toEqual(all.slice(3).map((i) => i.id));
      expect(await listAll({ from: pivot, to: pivot })).toEqual([]);
      // One microsecond later excludes the pivot from `from`, and includes it in `to`.
      const { rows } = await t.db.query<{ next: string }>(
        `SELECT to_char(($1::timestamptz + interval '1 microsecond') AT TIME ZONE 'UTC',
                        'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS next`,
        [pivot],
      );
      expect((await listAll({ from: rows[0].next })).map((item) => item.id)).toEqual(
        all.slice(0, 2).map((i) => i.id),
      );
      expect((await listAll({ to: rows[0].next })).map((item) => item.id)).toEqual(
        all.slice(2).map((i) => i.id),
      );
      // Any time zone offset names the same instant.
      expect(await listAll({ from: '2000-01-01T01:00:00+01:00', to: '2000-01-01T00:00:00Z' })).toEqual([]);
      expect((await listAll({ from: '2000-01-01T00:00:00+01:00' })).length).toBe(all.length);
    });

    it('walks every event with limit=1 and ends with a null cursor', async () => {
      const all = (await listAll()).map((item) => item.id);
      const walked: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page <= all.length; page++) {
        const response = await list(cursor ? { limit: 1, cursor } : { limit: 1 }).expect(200);
        const items = response.body.items as AuditItem[];
        expect(items).toHaveLength(1);
        walked.push(items[0].id);
        cursor = response.body.nextCursor as string | null;
        if (cursor === null) {
          break;
        }
        expect(typeof cursor).toBe('string');
      }
      expect(cursor).toBeNull();
      expect(walked).toEqual(all);
    });

    it('pages through a filtered list', async () => {
      const all = (await listAll({ resourceType: 'user' })).map((item) => item.id);
      const first = await list({ resourceType: 'user', limit: 2 }).expect(200);
      expect(first.body.items.map((item: AuditItem) => item.id)).toEqual(all.slice(0, 2));
      const second = await list({ resourceType: 'user', limit: 2, cursor: first.body.nextCursor }).expect(
        200,
      );
      expect(second.body.items.map((item: AuditItem) => item.id)).toEqual(all.slice(2, 4));
    });

    it.each([
      ['a cursor that is not one', { cursor: 'abc' }, '#/cursor'],
      ['a cursor with foreign characters', { cursor: 'a.b/c' }, '#/cursor'],
      ['a forged cursor', { cursor: encodeCursor({ sortKey: 'yesterday', id: 'x' }) }, '#/cursor'],
      [
        'a forged cursor with a bad id',
        { cursor: encodeCursor({ sortKey: '2026-01-01T00:00:00.000000Z', id: 'not-a-uuid' }) },
        '#/cursor',
      ],
      ['from after to', { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, '#/to'],
      [
        'from after to by a microsecond',
        { from: '2026-01-01T00:00:00.000002Z', to: '2026-01-01T00:00:00.000001Z' },
        '#/to',
      ],
      ['from that is not an instant', { from: 'yesterday' }, '#/from'],
      ['to without a time zone', { to: '2026-01-01T00:00:00' }, '#/to'],
      ['a date instead of an instant', { from: '2026-01-01' }, '#/from'],
      ['an impossible date', { from: '2026-02-30T00:00:00Z' }, '#/from'],
      ['an actorId that is not a UUID', { actorId: '42' }, '#/actorId'],
      ['a clientId that is not a UUID', { clientId: 'x' }, '#/clientId'],
      ['an unknown outcome', { outcome: 'MAYBE' }, '#/outcome'],
      ['limit 0', { limit: 0 }, '#/limit'],
      ['limit above 200', { limit: 201 }, '#/limit'],
      ['an unknown filter', { email: 'a@example.org' }, '#/email'],
    ])('answers %s with 400', async (_name, query, pointer) => {
      const response = await list(query).expect(400);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.body).toMatchObject({ type: 'urn:anker:problem:validation-error', status: 400 });
      expect((response.body.errors as { pointer: string }[]).map((error) => error.pointer)).toContain(
        pointer,
      );
    });

    it.each([
      ['ADVISER', () => adviserBearer],
      ['COORDINATOR', () => coordinatorBearer],
    ])('refuses %s with 403', async (_role, bearer) => {
      const response = await list({}, bearer()).expect(403);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.body).toMatchObject({ type: 'urn:anker:problem:forbidden', status: 403 });
      expect(response.body.items).toBeUndefined();
    });

    it('refuses a request without a token with 401', async () => {
      const response = await t.http.get('/api/v1/audit-events').expect(401);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.body).toMatchObject({ type: 'urn:anker:problem:unauthenticated', status: 401 });
      await t.http.get('/api/v1/audit-events').set('authorization', 'Bearer not-a-token').expect(401);
    });
  });

  describe('npm run admin:create', () => {
    const email = `Root-${randomUUID().slice(0, 8)}@Example.org`;
    const password = `admin-${randomUUID()}`;
    const displayName = 'Ada Administrator';

    function createAdmin(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
      const adminUrl = process.env[TEST_ENV.adminUrl];
      if (!adminUrl) {
        throw new Error(`${TEST_ENV.adminUrl} is not set`);
      }
      return new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['-r', 'ts-node/register/transpile-only', 'src/scripts/create-admin.ts'],
          {
            cwd: join(__dirname, '..'),
            env: {
              ...process.env,
              DATABASE_URL: databaseUrl(adminUrl, t.databaseName),
              ADMIN_EMAIL: '',
              ADMIN_PASSWORD: '',
            },
            stdio: ['pipe', 'pipe', 'pipe'],
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(input);
      });
    }

    const usersWith = async (address: string) =>
      (
        await t.db.query<{
          id: string;
          role: string;
          display_name: string;
          password_hash: string;
          active: boolean;
        }>('SELECT id, role, display_name, password_hash, active FROM users WHERE email = $1', [
          address.toLowerCase(),
        ])
      ).rows;

    beforeAll(() => {
      secrets.push(email.toLowerCase(), password, displayName);
      passwords.push(password);
    });

    it('creates an administrator from piped answers, without printing the password', async () => {
      const result = await createAdmin(`${email}\n${displayName}\n${password}\n${password}\n`);
      expect(result.stderr).not.toContain(password);
      expect(result.stdout).not.toContain(password);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Administrator ${email.toLowerCase()} created.`);

      const users = await usersWith(email);
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ role: 'ADMIN', display_name: displayName, active: true });
      expect(users[0].password_hash).toMatch(/^\$argon2id\$v=19\$/);

      const events = await listAll({ resourceType: 'user', resourceId: users[0].id, action: 'user.create' });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actorKind: 'system', actorId: null, role: null, outcome: 'SUCCESS' });
    }, 90_000);

    it('refuses an e-mail address that is taken, in any case, with exit code 1', async () => {
      const result = await createAdmin(`${email.toUpperCase()}\nSomeone Else\n${password}x\n${password}x\n`);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/already exists/);
      expect(result.stdout).not.toContain('created.');
      const users = await usersWith(email);
      expect(users).toHaveLength(1);
      expect(users[0].display_name).toBe(displayName);
    }, 90_000);

    it.each([
      [
        'an address that is not one',
        (other: string) => `not-an-address\nName\n${other}\n${other}\n`,
        /e-mail/i,
      ],
      ['a short password', () => `short-${randomUUID().slice(0, 4)}@example.org\nName\nshort\nshort\n`, /12/],
      [
        'two different passwords',
        (other: string) => `differ-${randomUUID().slice(0, 4)}@example.org\nName\n${other}\n${other}-2\n`,
        /differ/,
      ],
      ['input that ends early', () => `early-${randomUUID().slice(0, 4)}@example.org\nName\n`, /ended/],
    ])(
      'refuses %s with exit code 1 and creates nobody',
      async (_name, input, message) => {
        const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
        const result = await createAdmin(input(`other-${randomUUID()}`));
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(message);
        expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(
          rows[0].n,
        );
      },
      90_000,
    );

    it('lets the new administrator sign in and read the audit log', async () => {
      const bearer = await tokenFor(t, { email, password });
      const response = await list({ action: 'auth.sign-in', limit: 1 }, bearer).expect(200);
      expect(response.body.items[0]).toMatchObject({
        actorId: (await usersWith(email))[0].id,
        role: 'ADMIN',
        outcome: 'SUCCESS',
      });
    });
  });

  describe('privacy', () => {
    it('never stores an e-mail address, password or display name in the audit log', async () => {
      const { rows } = await t.db.query<{ text: string }>(
        'SELECT row_to_json(audit_events)::text AS text FROM audit_events',
      );
      expect(rows.length).toBeGreaterThanOrEqual(8);
      for (const { text } of rows) {
        for (const secret of secrets) {
          expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
        }
      }
      for (const line of t.logLines()) {
        for (const secret of passwords) {
          expect(line).not.toContain(secret);
        }
      }
    });
  });
});
