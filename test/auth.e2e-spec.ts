import { createHmac, randomBytes } from 'node:crypto';
import {
  adminToken,
  createApiClient,
  createOffice,
  createUser,
  partnerToken,
  signIn,
  signInOnly,
  tokenFor,
  type TestUser,
} from './support/auth';
import { expectProblem, patchCurrent } from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const PROBLEM = 'application/problem+json; charset=utf-8';

function base64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Builds a JWT by hand, to present tokens the server must refuse. */
function forgeToken(header: object, claims: object, key: Buffer | null): string {
  const unsigned = `${base64url(header)}.${base64url(claims)}`;
  const signature = key ? createHmac('sha256', key).update(unsigned).digest('base64url') : '';
  return `${unsigned}.${signature}`;
}

/** The claims of a token the server issued (read, not verified). */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

async function meStatus(t: TestApp, token: string): Promise<number> {
  return (await t.http.get('/api/v1/auth/me').auth(token, { type: 'bearer' })).status;
}

async function auditCount(t: TestApp, action: string, outcome: string): Promise<number> {
  const { rows } = await t.db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM audit_events WHERE action = $1 AND outcome = $2',
    [action, outcome],
  );
  return rows[0].count;
}

describe('tokens', () => {
  let t: TestApp;
  let key: Buffer;
  let adviser: TestUser;
  /** The session of one real sign-in of the adviser: forged tokens name it to get past the session check. */
  let sessionId: string;

  beforeAll(async () => {
    const signingKey = randomBytes(32).toString('base64url');
    key = Buffer.from(signingKey, 'base64url');
    t = await createTestApp({ env: { JWT_SIGNING_KEY: signingKey, SIGN_IN_MAX_FAILURES: '3' } });
    const { officeId } = await createOffice(t);
    adviser = await createUser(t, { role: 'ADVISER', officeId });
    sessionId = claimsOf(await tokenFor(t, adviser)).sid as string;
  });
  afterAll(() => t.close());

  const now = () => Math.floor(Date.now() / 1000);
  const validClaims = (): Record<string, unknown> => ({
    sub: adviser.id,
    kind: 'user',
    role: 'ADVISER',
    sid: sessionId,
    iss: 'anker',
    aud: 'anker-api',
    iat: now(),
    exp: now() + 600,
  });
  const without = (claim: string) => {
    const claims = validClaims();
    delete claims[claim];
    return claims;
  };
  const signed = (claims: object) => forgeToken({ alg: 'HS256', typ: 'JWT' }, claims, key);

  it('issues a bearer token for a password sign-in (JSON and form bodies) and answers /auth/me', async () => {
    const json = await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'password', username: adviser.email.toUpperCase(), password: adviser.password })
      .expect(200);
    expect(json.headers['cache-control']).toBe('no-store');
    expect(json.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
    });
    const form = await t.http
      .post('/api/v1/auth/token')
      .type('form')
      .send({ grant_type: 'password', username: adviser.email, password: adviser.password })
      .expect(200);
    const me = await t.http
      .get('/api/v1/auth/me')
      .auth(form.body.access_token, { type: 'bearer' })
      .expect(200);
    expect(me.body).toMatchObject({ kind: 'user', id: adviser.id, role: 'ADVISER', email: adviser.email });
    expect(me.body.officeId).toEqual(expect.any(String));
    expect(me.body.networkId).toEqual(expect.any(String));
  });

  it('issues partner systems a token for client credentials (body or HTTP Basic), without a refresh token', async () => {
    const client = await createApiClient(t, 'KAMMER');
    const body = await t.http
      .post('/api/v1/auth/token')
      .send({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      })
      .expect(200);
    expect(body.body.refresh_token).toBeUndefined();
    const basic = await t.http
      .post('/api/v1/auth/token')
      .auth(client.clientId, client.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(200);
    const me = await t.http
      .get('/api/v1/auth/me')
      .auth(basic.body.access_token, { type: 'bearer' })
      .expect(200);
    expect(me.body).toMatchObject({
      kind: 'partner',
      role: 'PARTNER',
      partnerId: client.partnerId,
      clientId: client.clientId,
    });
    const { rows } = await t.db.query('SELECT last_used_at FROM api_clients WHERE id = $1', [client.id]);
    expect(rows[0].last_used_at).not.toBeNull();

    const wrong = await t.http
      .post('/api/v1/auth/token')
      .auth(client.clientId, 'wrong-secret')
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect(wrong.headers['www-authenticate']).toBe('Basic realm="anker"');
  });

  it('stops accepting tokens of a revoked API client at once', async () => {
    const client = await createApiClient(t);
    const token = await partnerToken(t, client);
    await t.http.get('/api/v1/auth/me').auth(token, { type: 'bearer' }).expect(200);
    await t.db.query('UPDATE api_clients SET revoked_at = now() WHERE id = $1', [client.id]);
    await t.http.get('/api/v1/auth/me').auth(token, { type: 'bearer' }).expect(401);
    const again = await t.http
      .post('/api/v1/auth/token')
      .send({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      })
      .expect(401);
    expect(again.body.error).toBe('invalid_client');
  });

  it('answers OAuth errors for bad requests', async () => {
    const missing = await t.http.post('/api/v1/auth/token').send({ grant_type: 'password' }).expect(400);
    expect(missing.body).toEqual({
      error: 'invalid_request',
      error_description: expect.stringContaining('username'),
    });
    const unsupported = await t.http.post('/api/v1/auth/token').send({ grant_type: 'implicit' }).expect(400);
    expect(unsupported.body.error).toBe('unsupported_grant_type');
    const wrong = await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'password', username: adviser.email, password: 'not the password' })
      .expect(400);
    expect(wrong.body.error).toBe('invalid_grant');
    const unknown = await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'password', username: 'nobody@example.org', password: 'whatever-long-enough' })
      .expect(400);
    expect(unknown.body).toEqual(wrong.body);
  });

  describe('refuses with 401 problem+json', () => {
    const cases: [string, () => string | undefined][] = [
      ['a missing token', () => undefined],
      ['a malformed token', () => 'not-a-jwt'],
      [
        'an expired token',
        () => forgeToken({ alg: 'HS256', typ: 'JWT' }, { ...validClaims(), exp: 1_000_000 }, key),
      ],
      [
        'a token with a wrong signature',
        () => forgeToken({ alg: 'HS256', typ: 'JWT' }, validClaims(), randomBytes(32)),
      ],
      ['a token with alg none', () => forgeToken({ alg: 'none', typ: 'JWT' }, validClaims(), null)],
      [
        'a token for another audience',
        () => forgeToken({ alg: 'HS256', typ: 'JWT' }, { ...validClaims(), aud: 'other' }, key),
      ],
      [
        'a token from another issuer',
        () => forgeToken({ alg: 'HS256', typ: 'JWT' }, { ...validClaims(), iss: 'evil' }, key),
      ],
      ['a token without exp (jsonwebtoken alone would accept it forever)', () => signed(without('exp'))],
      ['a token without iat', () => signed(without('iat'))],
      [
        'a token older than ACCESS_TOKEN_TTL_SECONDS, even if its exp lies ahead (maxAge)',
        () => signed({ ...validClaims(), iat: now() - 901, exp: now() + 3600 }),
      ],
      ['a token issued in the future', () => signed({ ...validClaims(), iat: now() + 600 })],
      ['a user token without a session', () => signed(without('sid'))],
      [
        'a user token naming an unknown session',
        () => signed({ ...validClaims(), sid: '5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61' }),
      ],
      [
        'a token for an unknown user',
        () =>
          forgeToken(
            { alg: 'HS256', typ: 'JWT' },
            { ...validClaims(), sub: '5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61' },
            key,
          ),
      ],
    ];
    it.each(cases)('%s', async (_name, token) => {
      const value = token();
      const request = t.http.get('/api/v1/auth/me');
      const response = await (value ? request.set('Authorization', `Bearer ${value}`) : request).expect(401);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="anker"');
      expect(response.body).toMatchObject({ type: 'urn:anker:problem:unauthenticated', status: 401 });
    });

    it('a correctly signed token (control: the forging helper is right)', async () => {
      await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${signed(validClaims())}`)
        .expect(200);
    });
  });

  it('stops accepting the tokens of a deactivated user at once', async () => {
    const { officeId } = await createOffice(t);
    const user = await createUser(t, { role: 'ADVISER', officeId });
    const { accessToken, refreshToken } = await signIn(t, user);
    await t.http.get('/api/v1/auth/me').auth(accessToken, { type: 'bearer' }).expect(200);
    await t.db.query('UPDATE users SET active = false, deactivated_at = now() WHERE id = $1', [user.id]);
    await t.http.get('/api/v1/auth/me').auth(accessToken, { type: 'bearer' }).expect(401);
    await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: refreshToken })
      .expect(400);
    const again = await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'password', username: user.email, password: user.password })
      .expect(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('rotates refresh tokens and revokes the family when a used one comes back', async () => {
    const first = await signIn(t, adviser);
    const rotated = await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: first.refreshToken })
      .expect(200);
    const second = rotated.body.refresh_token as string;
    expect(second).not.toBe(first.refreshToken);

    const reuse = await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: first.refreshToken })
      .expect(400);
    expect(reuse.body.error).toBe('invalid_grant');
    // The whole family is revoked: the legitimately rotated token no longer works either.
    await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: second })
      .expect(400);
    expect(await auditCount(t, 'auth.refresh-token-reuse', 'DENIED')).toBe(1);
  });

  it('gives exactly one winner when one refresh token is used concurrently', async () => {
    const { refreshToken } = await signIn(t, adviser);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.http.post('/api/v1/auth/token').send({ grant_type: 'refresh_token', refresh_token: refreshToken }),
      ),
    );
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
  });

  it('revokes a refresh token (RFC 7009), and the access tokens of its session stop working at once', async () => {
    const other = await signIn(t, adviser);
    const { accessToken, refreshToken } = await signIn(t, adviser);
    const rotated = await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: refreshToken })
      .expect(200);
    await t.http
      .post('/api/v1/auth/revoke')
      .auth(accessToken, { type: 'bearer' })
      .send({ token: rotated.body.refresh_token })
      .expect(200);
    await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token })
      .expect(400);
    // Both access tokens of the session, before and after the rotation; other sessions stay.
    expect(await meStatus(t, accessToken)).toBe(401);
    expect(await meStatus(t, rotated.body.access_token as string)).toBe(401);
    expect(await meStatus(t, other.accessToken)).toBe(200);
    await t.http
      .post('/api/v1/auth/revoke')
      .auth(other.accessToken, { type: 'bearer' })
      .send({ token: 'unknown' })
      .expect(200);
  });

  it('ends the access tokens of a session whose refresh token was reused', async () => {
    const first = await signIn(t, adviser);
    const rotated = await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: first.refreshToken })
      .expect(200);
    expect(await meStatus(t, rotated.body.access_token as string)).toBe(200);
    await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: first.refreshToken })
      .expect(400);
    expect(await meStatus(t, first.accessToken)).toBe(401);
    expect(await meStatus(t, rotated.body.access_token as string)).toBe(401);
  });

  it('ends every access token of a user an administrator deactivates, also after reactivation', async () => {
    const { officeId } = await createOffice(t);
    const user = await createUser(t, { role: 'ADVISER', officeId });
    const { accessToken } = await signIn(t, user);
    const admin = await adminToken(t);
    expect((await patchCurrent(t, admin, `/api/v1/users/${user.id}`, { active: false })).status).toBe(200);
    expect((await patchCurrent(t, admin, `/api/v1/users/${user.id}`, { active: true })).status).toBe(200);
    expect(await meStatus(t, accessToken)).toBe(401);
    expect(await meStatus(t, await tokenFor(t, user))).toBe(200);
  });

  it('audits under its own request id and keeps the caller’s X-Request-Id apart', async () => {
    const supplied = '5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61';
    const ids: string[] = [];
    for (const callerId of [supplied, supplied, 'gateway-trace:42']) {
      const response = await t.http
        .post('/api/v1/auth/token')
        .set('X-Request-Id', callerId)
        .send({ grant_type: 'password', username: adviser.email, password: adviser.password })
        .expect(200);
      ids.push(response.headers['x-request-id']);
    }
    expect(new Set(ids).size).toBe(3);
    expect(ids).not.toContain(supplied);
    const { rows } = await t.db.query(
      `SELECT request_id, caller_request_id FROM audit_events
        WHERE action = 'auth.sign-in' AND request_id = ANY($1::uuid[]) ORDER BY occurred_at`,
      [ids],
    );
    expect(rows).toEqual([
      { request_id: ids[0], caller_request_id: supplied },
      { request_id: ids[1], caller_request_id: supplied },
      { request_id: ids[2], caller_request_id: 'gateway-trace:42' },
    ]);
  });

  it('answers 400 invalid_request for HTTP Basic credentials with bad percent-encoding', async () => {
    for (const raw of ['pc_x%zz:secret', 'pc_x:secret%']) {
      const response = await t.http
        .post('/api/v1/auth/token')
        .set('Authorization', `Basic ${Buffer.from(raw).toString('base64')}`)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(400);
      expect(response.body).toEqual({
        error: 'invalid_request',
        error_description: expect.stringContaining('percent-encoded'),
      });
    }
  });

  it('answers 429 after repeated failed sign-ins for one account, even with the right password', async () => {
    const { officeId } = await createOffice(t);
    const user = await createUser(t, { role: 'ADVISER', officeId });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await t.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'password', username: user.email, password: `wrong-${attempt}-password` })
        .expect(400);
    }
    const locked = await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'password', username: user.email, password: user.password })
      .expect(429);
    expect(locked.body.error).toBe('slow_down');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Another account from the same address is not locked by this one.
    await tokenFor(t, adviser);
  });

  it('audits sign-ins, successful and failed, without personal values', async () => {
    const { rows } = await t.db.query<Record<string, unknown>>(
      "SELECT * FROM audit_events WHERE action = 'auth.sign-in' ORDER BY occurred_at",
    );
    expect(rows.filter((row) => row.outcome === 'SUCCESS').length).toBeGreaterThan(3);
    expect(rows.filter((row) => row.outcome === 'FAILURE').length).toBeGreaterThan(3);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(adviser.email);
    expect(text).not.toContain(adviser.password);
    expect(text).not.toContain('nobody@example.org');
  });

  it('never writes passwords, tokens or secrets to the log', async () => {
    const { accessToken, refreshToken } = await signIn(t, adviser);
    await t.http.get('/api/v1/auth/me').auth(accessToken, { type: 'bearer' }).expect(200);
    const log = t.logLines().join('\n');
    for (const secret of [adviser.password, accessToken, refreshToken, adviser.email]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('rate limit per principal', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => t.close());

  it('answers 429 problem+json with Retry-After once a principal exceeds its budget', async () => {
    const { officeId } = await createOffice(t);
    const token = await tokenFor(t, await createUser(t, { role: 'ADVISER', officeId }));
    const statuses: number[] = [];
    let limited: { headers: Record<string, string>; body: Record<string, unknown> } | undefined;
    for (let request = 0; request < 8; request += 1) {
      const response = await t.http.get('/api/v1/auth/me').auth(token, { type: 'bearer' });
      statuses.push(response.status);
      if (response.status === 429) {
        limited = response;
      }
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(limited?.headers['content-type']).toBe(PROBLEM);
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited?.body).toMatchObject({ type: 'urn:anker:problem:too-many-requests', status: 429 });
  });

  it('counts refused requests too: 403 against the principal', async () => {
    const { officeId } = await createOffice(t);
    const token = await tokenFor(t, await createUser(t, { role: 'ADVISER', officeId }));
    const statuses: number[] = [];
    for (let request = 0; request < 7; request += 1) {
      statuses.push((await t.http.get('/api/v1/audit-events').auth(token, { type: 'bearer' })).status);
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429]);
  });
});

describe('rate limit for requests without a valid token', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => t.close());

  it('counts 401s against the address, so a bad token cannot hammer the principal lookup', async () => {
    const statuses: number[] = [];
    for (let request = 0; request < 7; request += 1) {
      const response = await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer not-a-jwt-${request}`);
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});

describe('sign-in limit under concurrency', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { SIGN_IN_MAX_FAILURES: '5', SIGN_IN_MAX_FAILURES_PER_ADDRESS: '1000' } });
  });
  afterAll(() => t.close());

  it('checks no more than SIGN_IN_MAX_FAILURES of 30 parallel wrong passwords for one account', async () => {
    const { officeId } = await createOffice(t);
    const user = await createUser(t, { role: 'ADVISER', officeId });
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, attempt) =>
        t.http
          .post('/api/v1/auth/token')
          .send({ grant_type: 'password', username: user.email, password: `wrong password ${attempt}` }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array<number>(5).fill(400), ...Array<number>(25).fill(429)]);
    // Only the five let through were evaluated (and audited as failed sign-ins).
    const { rows } = await t.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM audit_events
        WHERE action = 'auth.sign-in' AND outcome = 'FAILURE' AND resource_id = $1`,
      [user.id],
    );
    expect(rows[0].count).toBe(5);
    // The refused attempts were no guesses: only the five count against the address.
    const address = await t.db.query<{ failures: number }>(
      "SELECT failures FROM sign_in_limits WHERE key LIKE 'address:%'",
    );
    expect(address.rows).toEqual([{ failures: 5 }]);
  });
});

describe('passwords an administrator sets are one-time', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminBearer: string;
  let officeId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { SIGN_IN_MAX_FAILURES: '3' } });
    ({ officeId } = await createOffice(t));
    admin = await createUser(t, { role: 'ADMIN' });
    adminBearer = await tokenFor(t, admin);
  });
  afterAll(() => t.close());

  async function createAdviser(password: string): Promise<{ id: string; email: string }> {
    const email = `one-time-${randomBytes(4).toString('hex')}@example.org`;
    const response = await t.http
      .post('/api/v1/users')
      .auth(adminBearer, { type: 'bearer' })
      .send({ email, displayName: 'Einmal Passwort', role: 'ADVISER', officeId, password });
    expect(response.status).toBe(201);
    return { id: response.body.id as string, email };
  }

  const changePassword = (token: string, currentPassword: string, newPassword: string) =>
    t.http
      .post('/api/v1/auth/password')
      .auth(token, { type: 'bearer' })
      .send({ currentPassword, newPassword });

  it('lets an account created by an administrator do nothing but set its own password', async () => {
    const adviser = await createAdviser('set by the admin');
    const { accessToken } = await signInOnly(t, { email: adviser.email, password: 'set by the admin' });
    for (const path of ['/api/v1/auth/me', '/api/v1/clients', '/api/v1/reference-data/countries']) {
      const refused = await t.http.get(path).auth(accessToken, { type: 'bearer' });
      expectProblem(refused, 403, 'password-change-required');
      expect(refused.body.detail).toContain('POST /api/v1/auth/password');
    }
    expectProblem(
      await changePassword(accessToken, 'set by the admin', 'set by the admin'),
      400,
      'validation-error',
    );
    const wrong = await changePassword(accessToken, 'not the password', 'my very own password');
    expectProblem(wrong, 400, 'validation-error');
    expect(wrong.body.errors).toEqual([{ pointer: '#/currentPassword', detail: expect.any(String) }]);

    await changePassword(accessToken, 'set by the admin', 'my very own password').expect(204);
    // The same session goes on, now with everything the role allows.
    const me = await t.http.get('/api/v1/auth/me').auth(accessToken, { type: 'bearer' }).expect(200);
    expect(Date.parse(me.body.passwordSetByAdministratorAt as string)).toBeGreaterThan(Date.now() - 60_000);
    await t.http.get('/api/v1/clients').auth(accessToken, { type: 'bearer' }).expect(200);
    expect(
      (await signInOnly(t, { email: adviser.email, password: 'my very own password' })).accessToken,
    ).toEqual(expect.any(String));
    const events = await t.db.query<{ action: string; actor_id: string; outcome: string }>(
      `SELECT action, actor_id, outcome FROM audit_events
        WHERE resource_id = $1 AND action IN ('user.create', 'auth.change-password') ORDER BY occurred_at`,
      [adviser.id],
    );
    expect(events.rows).toEqual([
      { action: 'user.create', actor_id: admin.id, outcome: 'SUCCESS' },
      { action: 'auth.change-password', actor_id: adviser.id, outcome: 'FAILURE' },
      { action: 'auth.change-password', actor_id: adviser.id, outcome: 'SUCCESS' },
    ]);
  });

  it('makes a reset one-time too, audits it with the administrator as actor, and tells the user', async () => {
    const adviser = await createAdviser('first admin password');
    const own = await signIn(t, { email: adviser.email, password: 'first admin password' });
    const before = await t.http.get('/api/v1/auth/me').auth(own.accessToken, { type: 'bearer' }).expect(200);

    const reset = await patchCurrent(t, adminBearer, `/api/v1/users/${adviser.id}`, {
      password: 'admin knows this one',
    });
    expect(reset.status).toBe(200);
    // The adviser's session ended with the reset; the administrator's sign-in can only set a password.
    expect(await meStatus(t, own.accessToken)).toBe(401);
    const asAdviser = await signInOnly(t, { email: adviser.email, password: 'admin knows this one' });
    expectProblem(
      await t.http.get('/api/v1/clients').auth(asAdviser.accessToken, { type: 'bearer' }),
      403,
      'password-change-required',
    );
    await changePassword(asAdviser.accessToken, 'admin knows this one', 'the adviser again').expect(204);
    const after = await t.http
      .get('/api/v1/auth/me')
      .auth(asAdviser.accessToken, { type: 'bearer' })
      .expect(200);
    expect(Date.parse(after.body.passwordSetByAdministratorAt as string)).toBeGreaterThan(
      Date.parse(before.body.passwordSetByAdministratorAt as string),
    );
    const { rows } = await t.db.query(
      `SELECT actor_id FROM audit_events WHERE action = 'user.set-password' AND resource_id = $1`,
      [adviser.id],
    );
    expect(rows).toEqual([{ actor_id: admin.id }]);
  });

  it('ends the other sessions when a person changes their password, and keeps their own', async () => {
    const { officeId: office } = await createOffice(t);
    const user = await createUser(t, { role: 'ADVISER', officeId: office, password: 'the old password' });
    const stolen = await signIn(t, user);
    const mine = await signIn(t, user);
    await changePassword(mine.accessToken, 'the old password', 'the new password').expect(204);
    expect(await meStatus(t, stolen.accessToken)).toBe(401);
    await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: stolen.refreshToken })
      .expect(400);
    expect(await meStatus(t, mine.accessToken)).toBe(200);
    await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: mine.refreshToken })
      .expect(200);
    const me = await t.http.get('/api/v1/auth/me').auth(mine.accessToken, { type: 'bearer' }).expect(200);
    expect(me.body.passwordSetByAdministratorAt).toBeNull();
  });

  it('counts wrong current passwords like failed sign-ins (429), and refuses partner systems (403)', async () => {
    const { officeId: office } = await createOffice(t);
    const user = await createUser(t, { role: 'ADVISER', officeId: office, password: 'the real password' });
    const { accessToken } = await signIn(t, user);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await changePassword(accessToken, `guess number ${attempt}`, 'whatever new pw')).status).toBe(
        400,
      );
    }
    const limited = await changePassword(accessToken, 'the real password', 'whatever new pw');
    expectProblem(limited, 429, 'too-many-requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    const partner = await partnerToken(t, await createApiClient(t));
    expectProblem(await changePassword(partner, 'x', 'a long enough password'), 403, 'forbidden');
  });

  it('does not make administrators change a password they set for themselves', async () => {
    const self = await createUser(t, { role: 'ADMIN' });
    const bearer = await tokenFor(t, self);
    expect(
      (await patchCurrent(t, bearer, `/api/v1/users/${self.id}`, { password: 'my own admin pw' })).status,
    ).toBe(200);
    const again = await signInOnly(t, { email: self.email, password: 'my own admin pw' });
    await t.http.get('/api/v1/users').auth(again.accessToken, { type: 'bearer' }).expect(200);
  });
});

describe('first administrator', () => {
  it('is created on first start from ADMIN_EMAIL and ADMIN_PASSWORD, and can sign in', async () => {
    const t = await createTestApp({
      env: { ADMIN_EMAIL: 'Leitung@Example.org', ADMIN_PASSWORD: 'a long enough password' },
    });
    try {
      const { rows } = await t.db.query<{ id: string; email: string; role: string; password_hash: string }>(
        'SELECT id, email, role, password_hash FROM users',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ email: 'leitung@example.org', role: 'ADMIN' });
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
      const token = await tokenFor(t, { email: 'leitung@example.org', password: 'a long enough password' });
      const me = await t.http.get('/api/v1/auth/me').auth(token, { type: 'bearer' }).expect(200);
      expect(me.body.role).toBe('ADMIN');
      const audit = await t.db.query(
        "SELECT count(*)::int AS count FROM audit_events WHERE action = 'user.create'",
      );
      expect(audit.rows[0].count).toBe(1);
      expect(t.logLines().join('\n')).not.toContain('a long enough password');
    } finally {
      await t.close();
    }
  });

  it('is not created when users exist, and the log says how to create one when none does', async () => {
    const t = await createTestApp();
    try {
      expect(t.logLines().join('\n')).toContain('npm run admin:create');
      const { rows } = await t.db.query('SELECT count(*)::int AS count FROM users');
      expect(rows[0].count).toBe(0);
    } finally {
      await t.close();
    }
  });
});
