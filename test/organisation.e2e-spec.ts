import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { adminToken, createOffice, createUser, tokenFor, type TestUser } from './support/auth';
import {
  SOME_ID,
  auditCount,
  auditTrail,
  call,
  expectProblem,
  pages,
  patchCurrent,
  pointersOf,
} from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const unique = (prefix: string) => `${prefix} ${randomBytes(4).toString('hex')}`;

describe('organisation administration: networks, offices, users', () => {
  let t: TestApp;
  let admin: TestUser;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, { role: 'ADMIN' });
    token = await tokenFor(t, admin);
  });
  afterAll(() => t.close());

  const post = (path: string, body: object) => call(t, token, 'post', `/api/v1${path}`, body);
  const patch = (path: string, body: object) => patchCurrent(t, token, `/api/v1${path}`, body);
  const get = (path: string) => call(t, token, 'get', `/api/v1${path}`);

  async function network(name = unique('Netzwerk'), bundeslaender = ['DE-BE']): Promise<string> {
    const response = await post('/networks', { name, bundeslaender });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  async function office(networkId: string, name = unique('Beratungsstelle')): Promise<string> {
    const response = await post('/offices', { networkId, name, bundesland: 'DE-BE' });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  async function count(table: 'networks' | 'offices' | 'users'): Promise<number> {
    const { rows } = await t.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`);
    return rows[0].count;
  }

  describe('networks', () => {
    it('creates, reads, lists and changes a network with Location, ETag and one audit event per write', async () => {
      const name = unique('IQ Netzwerk Berlin');
      const created = await post('/networks', { name, bundeslaender: ['DE-BE', 'DE-BB'] });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(created.headers.location).toBe(`/api/v1/networks/${id}`);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name,
        bundeslaender: ['DE-BE', 'DE-BB'],
        version: 1,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
        updatedAt: expect.any(String),
      });
      const { rows } = await t.db.query('SELECT name, bundeslaender, version FROM networks WHERE id = $1', [
        id,
      ]);
      expect(rows).toEqual([{ name, bundeslaender: ['DE-BE', 'DE-BB'], version: 1 }]);
      expect(await auditTrail(t, 'network', id)).toEqual([
        {
          action: 'network.create',
          outcome: 'SUCCESS',
          actorId: admin.id,
          requestId: created.headers['x-request-id'],
        },
      ]);

      const read = await get(`/networks/${id}`);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.body).toEqual(created.body);

      const changed = await patch(`/networks/${id}`, { name: `${name} und Brandenburg` });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toMatchObject({
        id,
        name: `${name} und Brandenburg`,
        bundeslaender: ['DE-BE', 'DE-BB'],
        version: 2,
        createdAt: created.body.createdAt,
      });
      const again = await patch(`/networks/${id}`, { bundeslaender: ['DE-BB'] });
      expect(again.body).toMatchObject({
        name: `${name} und Brandenburg`,
        bundeslaender: ['DE-BB'],
        version: 3,
      });
      expect(again.headers.etag).toBe('"3"');
      expect((await get(`/networks/${id}`)).body).toEqual(again.body);
      expect(await auditCount(t, 'network.update', id)).toBe(2);
      expect(await auditCount(t, 'network.create', id)).toBe(1);

      const list = await get('/networks?limit=200');
      expect(list.status).toBe(200);
      expect(list.body.items).toContainEqual(again.body);
    });

    it('refuses a second network with the same name (409), on create and on rename', async () => {
      const name = unique('Doppelt');
      await network(name);
      const before = await count('networks');
      const duplicate = await post('/networks', { name, bundeslaender: ['DE-BY'] });
      expectProblem(duplicate, 409, 'conflict');
      expect(duplicate.body.detail).toContain(name);
      expect(await count('networks')).toBe(before);

      const other = await network();
      const rename = await patch(`/networks/${other}`, { name });
      expectProblem(rename, 409, 'conflict');
      expect((await get(`/networks/${other}`)).body.version).toBe(1);
      expect(await auditCount(t, 'network.update', other)).toBe(0);
    });

    it('validates the body with one pointer per field', async () => {
      const before = await count('networks');
      expect(pointersOf(await post('/networks', {}))).toEqual(['#/bundeslaender', '#/name']);
      expect(pointersOf(await post('/networks', { name: '   ', bundeslaender: ['DE-XX'] }))).toEqual([
        '#/bundeslaender',
        '#/name',
      ]);
      expect(pointersOf(await post('/networks', { name: 'N', bundeslaender: [] }))).toEqual([
        '#/bundeslaender',
      ]);
      expect(pointersOf(await post('/networks', { name: 'N', bundeslaender: ['DE-BE', 'DE-BE'] }))).toEqual([
        '#/bundeslaender',
      ]);
      expect(
        pointersOf(await post('/networks', { name: 'x'.repeat(201), bundeslaender: ['DE-BE'] })),
      ).toEqual(['#/name']);
      expect(await count('networks')).toBe(before);

      const id = await network();
      expect(pointersOf(await patch(`/networks/${id}`, { name: null }))).toEqual(['#/name']);
      expect(pointersOf(await patch(`/networks/${id}`, {}))).toEqual(['#']);
      expect((await get(`/networks/${id}`)).body.version).toBe(1);
    });

    it('refuses mass assignment of id, version and timestamps (400) and changes nothing', async () => {
      const name = unique('Massen');
      for (const extra of [{ id: SOME_ID }, { version: 7 }, { createdAt: '2020-01-01T00:00:00Z' }]) {
        const response = await post('/networks', { name, bundeslaender: ['DE-BE'], ...extra });
        expect(pointersOf(response)).toEqual([`#/${Object.keys(extra)[0]}`]);
      }
      const { rows } = await t.db.query('SELECT 1 FROM networks WHERE name = $1 OR id = $2', [name, SOME_ID]);
      expect(rows).toEqual([]);

      const id = await network();
      const before = (await get(`/networks/${id}`)).body;
      for (const extra of [{ id: SOME_ID }, { version: 7 }, { updatedAt: '2020-01-01T00:00:00Z' }]) {
        const response = await patch(`/networks/${id}`, { name: 'Übernommen', ...extra });
        expect(response.status).toBe(400);
      }
      expect((await get(`/networks/${id}`)).body).toEqual(before);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const missing = await get(`/networks/${SOME_ID}`);
      expectProblem(missing, 404, 'not-found');
      expect(missing.body.detail).toBe('No network with this id.');
      expectProblem(await patch(`/networks/${SOME_ID}`, { name: 'Niemand' }), 404, 'not-found');
      expectProblem(await get('/networks/not-a-uuid'), 400, 'validation-error');
    });

    it('pages through the list with a cursor (oldest first)', async () => {
      await t.reset();
      admin = await createUser(t, { role: 'ADMIN' });
      token = await tokenFor(t, admin);
      const ids = [await network(), await network(), await network()];

      const first = await get('/networks?limit=2');
      expect(first.status).toBe(200);
      expect(first.body.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 2));
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await get(`/networks?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2]]);
      expect(second.body.nextCursor).toBeNull();

      expect(pointersOf(await get('/networks?limit=0'))).toEqual(['#/limit']);
      expect(pointersOf(await get('/networks?limit=201'))).toEqual(['#/limit']);
      const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url');
      expect(pointersOf(await get(`/networks?cursor=${forged}`))).toEqual(['#/cursor']);
    });
  });

  describe('offices', () => {
    it('creates, reads, filters, pages and changes offices of a network', async () => {
      const networkId = await network();
      const otherNetwork = await network();
      const name = unique('Beratungsstelle Mitte');
      const created = await post('/offices', { networkId, name, bundesland: 'DE-BE' });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(created.headers.location).toBe(`/api/v1/offices/${id}`);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toEqual({
        id,
        networkId,
        name,
        bundesland: 'DE-BE',
        mobile: false,
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await auditCount(t, 'office.create', id)).toBe(1);

      const read = await get(`/offices/${id}`);
      expect(read.headers.etag).toBe('"1"');
      expect(read.body).toEqual(created.body);

      const changed = await patch(`/offices/${id}`, { mobile: true, bundesland: 'DE-BB' });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toMatchObject({
        id,
        networkId,
        name,
        bundesland: 'DE-BB',
        mobile: true,
        version: 2,
      });
      expect(await auditCount(t, 'office.update', id)).toBe(1);
      const { rows } = await t.db.query('SELECT bundesland, mobile, version FROM offices WHERE id = $1', [
        id,
      ]);
      expect(rows).toEqual([{ bundesland: 'DE-BB', mobile: true, version: 2 }]);

      // The same name is fine in another network.
      await office(otherNetwork, name);
      const second = await office(networkId);
      const third = await office(networkId);
      expect(await pages(t, token, `/api/v1/offices?networkId=${networkId}&limit=2`)).toEqual([
        [id, second],
        [third],
      ]);
      const firstPage = await get(`/offices?networkId=${networkId}&limit=2`);
      expect(firstPage.body.nextCursor).toEqual(expect.any(String));
      const lastPage = await get(
        `/offices?networkId=${networkId}&limit=2&cursor=${firstPage.body.nextCursor}`,
      );
      expect(lastPage.body).toEqual({ items: [expect.objectContaining({ id: third })], nextCursor: null });
      expect(pointersOf(await get('/offices?networkId=nope'))).toEqual(['#/networkId']);
    });

    it('refuses a duplicate name within one network (409) and an unknown network (422)', async () => {
      const networkId = await network();
      const name = unique('Stelle');
      const id = await office(networkId, name);
      expectProblem(await post('/offices', { networkId, name, bundesland: 'DE-BE' }), 409, 'conflict');
      const otherId = await office(networkId);
      expectProblem(await patch(`/offices/${otherId}`, { name }), 409, 'conflict');

      const before = await count('offices');
      const unknown = await post('/offices', {
        networkId: SOME_ID,
        name: unique('Stelle'),
        bundesland: 'DE-BE',
      });
      expectProblem(unknown, 422, 'unprocessable');
      expect(unknown.body.detail).toBe('networkId: no network with this id.');
      expect(await count('offices')).toBe(before);
      expect((await get(`/offices/${id}`)).body.version).toBe(1);
    });

    it('validates, refuses mass assignment and moving an office, answers 404 for unknown ids', async () => {
      const networkId = await network();
      expect(pointersOf(await post('/offices', {}))).toEqual(['#/bundesland', '#/name', '#/networkId']);
      expect(
        pointersOf(await post('/offices', { networkId: 'x', name: 'A', bundesland: 'BE', mobile: 'yes' })),
      ).toEqual(['#/bundesland', '#/mobile', '#/networkId']);
      const name = unique('Massen');
      expect(
        pointersOf(await post('/offices', { networkId, name, bundesland: 'DE-BE', id: SOME_ID, version: 3 })),
      ).toEqual(['#/id', '#/version']);
      expect((await t.db.query('SELECT 1 FROM offices WHERE name = $1', [name])).rows).toEqual([]);

      const id = await office(networkId);
      const before = (await get(`/offices/${id}`)).body;
      const otherNetwork = await network();
      expect(pointersOf(await patch(`/offices/${id}`, { networkId: otherNetwork }))).toEqual(['#/networkId']);
      expect(pointersOf(await patch(`/offices/${id}`, { mobile: null }))).toEqual(['#/mobile']);
      expect(pointersOf(await patch(`/offices/${id}`, { version: 9, name: 'Neu' }))).toEqual(['#/version']);
      expect((await get(`/offices/${id}`)).body).toEqual(before);

      expectProblem(await get(`/offices/${SOME_ID}`), 404, 'not-found');
      expectProblem(await patch(`/offices/${SOME_ID}`, { mobile: true }), 404, 'not-found');
    });
  });

  describe('users', () => {
    /** Every user response: never the password, never a hash. */
    function expectNoSecrets(response: Response, ...passwords: string[]): void {
      const text = response.text;
      expect(text).not.toContain('$argon2');
      expect(text).not.toMatch(/password/i);
      for (const password of passwords) {
        expect(text).not.toContain(password);
      }
    }

    async function signInStatus(email: string, password: string): Promise<number> {
      const response = await t.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'password', username: email, password });
      return response.status;
    }

    it('creates an adviser: e-mail in lower case, password hashed with argon2id and never returned', async () => {
      const networkId = await network();
      const officeId = await office(networkId);
      const password = `Geheim-${randomBytes(8).toString('hex')}`;
      const local = `Berater.${randomBytes(3).toString('hex')}`;
      const created = await post('/users', {
        email: `${local}@Example.ORG`,
        displayName: 'Aylin Demir',
        role: 'ADVISER',
        officeId,
        password,
      });
      expect(created.status).toBe(201);
      expectNoSecrets(created, password);
      const id = created.body.id as string;
      expect(created.headers.location).toBe(`/api/v1/users/${id}`);
      expect(created.headers.etag).toBe('"1"');
      expect(created.headers['cache-control']).toBe('no-store');
      expect(created.body).toEqual({
        id,
        email: `${local.toLowerCase()}@example.org`,
        displayName: 'Aylin Demir',
        role: 'ADVISER',
        officeId,
        networkId,
        active: true,
        deactivatedAt: null,
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const { rows } = await t.db.query(
        'SELECT email, password_hash AS "passwordHash", network_id AS "networkId" FROM users WHERE id = $1',
        [id],
      );
      expect(rows[0].email).toBe(`${local.toLowerCase()}@example.org`);
      expect(rows[0].networkId).toBeNull();
      expect(rows[0].passwordHash).toMatch(/^\$argon2id\$/);
      expect(rows[0].passwordHash).not.toContain(password);
      expect(await auditCount(t, 'user.create', id)).toBe(1);

      // The stored hash is the password's: the adviser signs in through the real token endpoint.
      const adviserToken = await tokenFor(t, { email: created.body.email, password });
      const me = await t.http.get('/api/v1/auth/me').auth(adviserToken, { type: 'bearer' });
      expect(me.body).toMatchObject({ id, role: 'ADVISER', officeId, networkId });

      const read = await get(`/users/${id}`);
      expectNoSecrets(read, password);
      expect(read.headers.etag).toBe('"1"');
      expect(read.headers['cache-control']).toBe('no-store');
      expect(read.body).toEqual(created.body);

      const list = await get(`/users?officeId=${officeId}`);
      expectNoSecrets(list, password);
      expect(list.body.items).toEqual([created.body]);
    });

    it('creates coordinators and administrators with the scope their role needs', async () => {
      const networkId = await network();
      const coordinator = await post('/users', {
        email: `koordination-${randomBytes(3).toString('hex')}@example.org`,
        displayName: 'Jonas Weber',
        role: 'COORDINATOR',
        networkId,
        password: 'a long enough password',
      });
      expect(coordinator.status).toBe(201);
      expect(coordinator.body).toMatchObject({ role: 'COORDINATOR', networkId, officeId: null });
      expectNoSecrets(coordinator, 'a long enough password');

      const administrator = await post('/users', {
        email: `admin-${randomBytes(3).toString('hex')}@example.org`,
        displayName: 'Leitung',
        role: 'ADMIN',
        password: 'another long password',
      });
      expect(administrator.status).toBe(201);
      expect(administrator.body).toMatchObject({ role: 'ADMIN', networkId: null, officeId: null });
    });

    it('refuses scopes that do not fit the role (400), unknown offices and networks (422), taken e-mails (409)', async () => {
      const networkId = await network();
      const officeId = await office(networkId);
      const base = { displayName: 'Test', password: 'twelve chars!' };
      const email = () => `scope-${randomBytes(4).toString('hex')}@example.org`;
      const before = await count('users');

      const noOffice = await post('/users', { ...base, email: email(), role: 'ADVISER' });
      expect(pointersOf(noOffice)).toEqual(['#/officeId']);
      expect(noOffice.body.errors).toEqual([
        { pointer: '#/officeId', detail: 'is required for the role ADVISER' },
      ]);
      expect(pointersOf(await post('/users', { ...base, email: email(), role: 'COORDINATOR' }))).toEqual([
        '#/networkId',
      ]);
      expect(
        pointersOf(await post('/users', { ...base, email: email(), role: 'ADVISER', officeId, networkId })),
      ).toEqual(['#/networkId']);
      expect(
        pointersOf(await post('/users', { ...base, email: email(), role: 'ADMIN', officeId, networkId })),
      ).toEqual(['#/networkId', '#/officeId']);
      expect(
        pointersOf(await post('/users', { ...base, email: email(), role: 'ADVISER', officeId: 'x' })),
      ).toEqual(['#/officeId']);

      const unknownOffice = await post('/users', {
        ...base,
        email: email(),
        role: 'ADVISER',
        officeId: SOME_ID,
      });
      expectProblem(unknownOffice, 422, 'unprocessable');
      expect(unknownOffice.body.detail).toBe('officeId: no office with this id.');
      const unknownNetwork = await post('/users', {
        ...base,
        email: email(),
        role: 'COORDINATOR',
        networkId: SOME_ID,
      });
      expectProblem(unknownNetwork, 422, 'unprocessable');
      expect(await count('users')).toBe(before);

      const taken = email();
      expect((await post('/users', { ...base, email: taken, role: 'ADVISER', officeId })).status).toBe(201);
      const duplicate = await post('/users', { ...base, email: taken.toUpperCase(), role: 'ADMIN' });
      expectProblem(duplicate, 409, 'conflict');
      expect(duplicate.body.detail).not.toContain(taken);
      expect(await count('users')).toBe(before + 1);
    });

    it('validates the body, refuses mass assignment and leaves the database unchanged', async () => {
      const before = await count('users');
      expect(pointersOf(await post('/users', {}))).toEqual([
        '#/displayName',
        '#/email',
        '#/password',
        '#/role',
      ]);
      expect(
        pointersOf(
          await post('/users', { email: 'not-an-address', displayName: '', role: 'BOSS', password: 'short' }),
        ),
      ).toEqual(['#/displayName', '#/email', '#/password', '#/role']);
      expect(
        pointersOf(
          await post('/users', {
            email: 'a@example.org',
            displayName: 'A',
            role: 'ADMIN',
            password: 'x'.repeat(1025),
          }),
        ),
      ).toEqual(['#/password']);

      const email = `massen-${randomBytes(4).toString('hex')}@example.org`;
      const valid = { email, displayName: 'Massen', role: 'ADMIN', password: 'a valid password' };
      for (const extra of [
        { passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB' },
        { id: SOME_ID },
        { version: 5 },
        { createdAt: '2020-01-01T00:00:00Z' },
        { active: false },
        { deactivatedAt: '2020-01-01T00:00:00Z' },
      ]) {
        const response = await post('/users', { ...valid, ...extra });
        expect(pointersOf(response)).toEqual([`#/${Object.keys(extra)[0]}`]);
        expect(response.text).not.toContain('a valid password');
      }
      expect(await count('users')).toBe(before);
      expect((await t.db.query('SELECT 1 FROM users WHERE email = $1', [email])).rows).toEqual([]);

      const created = await post('/users', valid);
      const id = created.body.id as string;
      const hashBefore = (await t.db.query('SELECT password_hash FROM users WHERE id = $1', [id])).rows[0];
      for (const extra of [
        { passwordHash: 'x' },
        { email: 'other@example.org' },
        { version: 9 },
        { id: SOME_ID },
        { deactivatedAt: null },
      ]) {
        expect(pointersOf(await patch(`/users/${id}`, { displayName: 'Neu', ...extra }))).toEqual([
          `#/${Object.keys(extra)[0]}`,
        ]);
      }
      expect(pointersOf(await patch(`/users/${id}`, { password: 'short' }))).toEqual(['#/password']);
      expect(pointersOf(await patch(`/users/${id}`, { active: 'no' }))).toEqual(['#/active']);
      expect(pointersOf(await patch(`/users/${id}`, {}))).toEqual(['#']);
      const after = await get(`/users/${id}`);
      expect(after.body).toEqual(created.body);
      expect((await t.db.query('SELECT password_hash FROM users WHERE id = $1', [id])).rows[0]).toEqual(
        hashBefore,
      );
    });

    it('changes name, role and scope consistently, one audit event per write', async () => {
      const networkId = await network();
      const officeId = await office(networkId);
      const otherOffice = await office(networkId);
      const created = await post('/users', {
        email: `wechsel-${randomBytes(4).toString('hex')}@example.org`,
        displayName: 'Wechsel',
        role: 'ADVISER',
        officeId,
        password: 'initial password',
      });
      const id = created.body.id as string;

      const renamed = await patch(`/users/${id}`, { displayName: 'Wechsel-Neu' });
      expect(renamed.status).toBe(200);
      expect(renamed.headers.etag).toBe('"2"');
      expect(renamed.headers['cache-control']).toBe('no-store');
      expect(renamed.body).toMatchObject({
        displayName: 'Wechsel-Neu',
        role: 'ADVISER',
        officeId,
        version: 2,
      });
      expectNoSecrets(renamed, 'initial password');
      expect(await auditCount(t, 'user.update', id)).toBe(1);

      const moved = await patch(`/users/${id}`, { officeId: otherOffice });
      expect(moved.body).toMatchObject({ officeId: otherOffice, networkId, version: 3 });

      // An adviser becoming coordinator needs a network; the office is dropped.
      expect(pointersOf(await patch(`/users/${id}`, { role: 'COORDINATOR' }))).toEqual(['#/networkId']);
      expect(pointersOf(await patch(`/users/${id}`, { networkId }))).toEqual(['#/networkId']);
      const promoted = await patch(`/users/${id}`, { role: 'COORDINATOR', networkId });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ role: 'COORDINATOR', networkId, officeId: null, version: 4 });
      const { rows } = await t.db.query(
        'SELECT role, office_id AS "officeId", network_id AS "networkId" FROM users WHERE id = $1',
        [id],
      );
      expect(rows).toEqual([{ role: 'COORDINATOR', officeId: null, networkId }]);
      expectProblem(await patch(`/users/${id}`, { officeId }), 400, 'validation-error');

      const toAdmin = await patch(`/users/${id}`, { role: 'ADMIN' });
      expect(toAdmin.body).toMatchObject({ role: 'ADMIN', networkId: null, officeId: null, version: 5 });
      const unknownOffice = await patch(`/users/${id}`, { role: 'ADVISER', officeId: SOME_ID });
      expectProblem(unknownOffice, 422, 'unprocessable');
      expect((await get(`/users/${id}`)).body).toMatchObject({ role: 'ADMIN', version: 5 });

      expect(await auditCount(t, 'user.update', id)).toBe(4);
      expect(await auditCount(t, 'user.create', id)).toBe(1);
    });

    it('deactivates without deleting: the user can no longer sign in, the row and history stay', async () => {
      const { officeId } = await createOffice(t);
      const password = 'deactivation password';
      const created = await post('/users', {
        email: `aus-${randomBytes(4).toString('hex')}@example.org`,
        displayName: 'Bald inaktiv',
        role: 'ADVISER',
        officeId,
        password,
      });
      const id = created.body.id as string;
      const email = created.body.email as string;
      const userToken = await tokenFor(t, { email, password });

      const deactivated = await patch(`/users/${id}`, { active: false });
      expect(deactivated.status).toBe(200);
      expectNoSecrets(deactivated, password);
      expect(deactivated.body).toMatchObject({ active: false, version: 2 });
      expect(Date.parse(deactivated.body.deactivatedAt as string)).toBeGreaterThan(Date.now() - 60_000);
      const { rows } = await t.db.query('SELECT active, deactivated_at FROM users WHERE id = $1', [id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].active).toBe(false);
      expect(rows[0].deactivated_at).toBeInstanceOf(Date);
      expect(await auditCount(t, 'user.deactivate', id)).toBe(1);
      expect(await auditCount(t, 'user.update', id)).toBe(0);

      expect(await signInStatus(email, password)).toBe(400);
      const refused = await t.http.get('/api/v1/auth/me').auth(userToken, { type: 'bearer' });
      expect(refused.status).toBe(401);

      // Deactivating again keeps the first time.
      const again = await patch(`/users/${id}`, { active: false });
      expect(again.body.deactivatedAt).toBe(deactivated.body.deactivatedAt);
      expect(await auditCount(t, 'user.deactivate', id)).toBe(1);

      expect((await get(`/users?officeId=${officeId}&active=false`)).body.items).toEqual([
        expect.objectContaining({ id, active: false }),
      ]);
      expect((await get(`/users?officeId=${officeId}&active=true`)).body.items).toEqual([]);

      const reactivated = await patch(`/users/${id}`, { active: true });
      expect(reactivated.body).toMatchObject({ active: true, deactivatedAt: null });
      expect(await auditCount(t, 'user.reactivate', id)).toBe(1);
      expect(await signInStatus(email, password)).toBe(200);
    });

    it('sets a new password (re-hashed); the old one and its sessions stop working', async () => {
      const created = await post('/users', {
        email: `pw-${randomBytes(4).toString('hex')}@example.org`,
        displayName: 'Passwort',
        role: 'ADMIN',
        password: 'the old password',
      });
      const id = created.body.id as string;
      const session = await t.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'password', username: created.body.email, password: 'the old password' })
        .expect(200);
      const hashBefore = (await t.db.query('SELECT password_hash FROM users WHERE id = $1', [id])).rows[0]
        .password_hash as string;
      const changed = await patch(`/users/${id}`, { password: 'the new password' });
      expect(changed.status).toBe(200);
      expectNoSecrets(changed, 'the old password', 'the new password');
      const hashAfter = (await t.db.query('SELECT password_hash FROM users WHERE id = $1', [id])).rows[0]
        .password_hash as string;
      expect(hashAfter).toMatch(/^\$argon2id\$/);
      expect(hashAfter).not.toBe(hashBefore);
      expect(await signInStatus(created.body.email as string, 'the old password')).toBe(400);
      expect(await signInStatus(created.body.email as string, 'the new password')).toBe(200);
      // The refresh token and the access token issued before the change end with the change.
      await t.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'refresh_token', refresh_token: session.body.refresh_token })
        .expect(400);
      await t.http.get('/api/v1/auth/me').auth(session.body.access_token, { type: 'bearer' }).expect(401);
      // Sign-ins are audited on the user too; the administrative writes are the user.* events.
      const writes = (await auditTrail(t, 'user', id)).filter((event) => event.action.startsWith('user.'));
      expect(writes).toEqual([
        expect.objectContaining({ action: 'user.create' }),
        expect.objectContaining({ action: 'user.set-password', actorId: admin.id }),
      ]);
    });

    it('does not let an administrator deactivate themselves or change their own role', async () => {
      const self = await patch(`/users/${admin.id}`, { active: false });
      expectProblem(self, 422, 'unprocessable');
      expectProblem(
        await patch(`/users/${admin.id}`, { role: 'COORDINATOR', networkId: await network() }),
        422,
        'unprocessable',
      );
      const { rows } = await t.db.query('SELECT active, role, version FROM users WHERE id = $1', [admin.id]);
      expect(rows).toEqual([{ active: true, role: 'ADMIN', version: 1 }]);
      expect((await patch(`/users/${admin.id}`, { displayName: 'Ich selbst' })).status).toBe(200);
    });

    it('filters by role, office, network (coordinators and the advisers of its offices) and pages', async () => {
      const networkId = await network();
      const officeId = await office(networkId);
      const otherOffice = await office(networkId);
      const make = async (role: string, scope: object) => {
        const response = await post('/users', {
          email: `liste-${randomBytes(4).toString('hex')}@example.org`,
          displayName: 'Liste',
          role,
          password: 'list password!',
          ...scope,
        });
        expect(response.status).toBe(201);
        return response.body.id as string;
      };
      const advisers = [
        await make('ADVISER', { officeId }),
        await make('ADVISER', { officeId }),
        await make('ADVISER', { officeId }),
      ];
      const elsewhere = await make('ADVISER', { officeId: otherOffice });
      const coordinator = await make('COORDINATOR', { networkId });

      expect(await pages(t, token, `/api/v1/users?officeId=${officeId}&limit=2`)).toEqual([
        advisers.slice(0, 2),
        [advisers[2]],
      ]);
      const first = await get(`/users?officeId=${officeId}&limit=2`);
      const second = await get(`/users?officeId=${officeId}&limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      expectNoSecrets(first, 'list password!');

      expect((await pages(t, token, `/api/v1/users?networkId=${networkId}`)).flat()).toEqual([
        ...advisers,
        elsewhere,
        coordinator,
      ]);
      expect((await pages(t, token, `/api/v1/users?networkId=${networkId}&role=COORDINATOR`)).flat()).toEqual(
        [coordinator],
      );
      expect((await pages(t, token, `/api/v1/users?networkId=${networkId}&active=true`)).flat()).toHaveLength(
        5,
      );
      expect(pointersOf(await get('/users?role=BOSS&active=maybe'))).toEqual(['#/active', '#/role']);
    });

    it('answers 404 for unknown users', async () => {
      expectProblem(await get(`/users/${SOME_ID}`), 404, 'not-found');
      expectProblem(await patch(`/users/${SOME_ID}`, { displayName: 'Niemand' }), 404, 'not-found');
    });
  });

  describe('access', () => {
    const routes: [method: 'get' | 'post' | 'patch', path: string][] = [
      ['post', '/api/v1/networks'],
      ['get', '/api/v1/networks'],
      ['get', `/api/v1/networks/${SOME_ID}`],
      ['patch', `/api/v1/networks/${SOME_ID}`],
      ['post', '/api/v1/offices'],
      ['get', '/api/v1/offices'],
      ['get', `/api/v1/offices/${SOME_ID}`],
      ['patch', `/api/v1/offices/${SOME_ID}`],
      ['post', '/api/v1/users'],
      ['get', '/api/v1/users'],
      ['get', `/api/v1/users/${SOME_ID}`],
      ['patch', `/api/v1/users/${SOME_ID}`],
    ];

    it('refuses coordinators and advisers on every route with 403 problem+json, and writes nothing', async () => {
      const { networkId, officeId } = await createOffice(t);
      const tokens = {
        COORDINATOR: await tokenFor(t, await createUser(t, { role: 'COORDINATOR', networkId })),
        ADVISER: await tokenFor(t, await createUser(t, { role: 'ADVISER', officeId })),
      };
      const networksBefore = await count('networks');
      const body = { name: unique('Verboten'), bundeslaender: ['DE-BE'] };
      for (const [role, roleToken] of Object.entries(tokens)) {
        for (const [method, path] of routes) {
          const response = await call(t, roleToken, method, path, method === 'get' ? undefined : body);
          expect({
            role,
            route: `${method} ${path}`,
            status: response.status,
            type: response.body.type,
          }).toEqual({
            role,
            route: `${method} ${path}`,
            status: 403,
            type: 'urn:anker:problem:forbidden',
          });
        }
      }
      expect(await count('networks')).toBe(networksBefore);
    });

    it('answers 401 without a token', async () => {
      for (const [method, path] of routes) {
        expect((await t.http[method](path).send({})).status).toBe(401);
      }
    });

    it('works for a freshly issued administrator token', async () => {
      const fresh = await adminToken(t);
      expect((await call(t, fresh, 'get', '/api/v1/users?limit=1')).status).toBe(200);
    });
  });
});
