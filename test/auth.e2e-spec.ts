import { createHmac, randomBytes } from 'node:crypto';
import {
  createApiClient,
  createOffice,
  createUser,
  partnerToken,
  signIn,
  tokenFor,
  type TestUser,
} from './support/auth';
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

  beforeAll(async () => {
    const signingKey = randomBytes(32).toString('base64url');
    key = Buffer.from(signingKey, 'base64url');
    t = await createTestApp({ env: { JWT_SIGNING_KEY: signingKey, SIGN_IN_MAX_FAILURES: '3' } });
    const { officeId } = await createOffice(t);
    adviser = await createUser(t, { role: 'ADVISER', officeId });
  });
  afterAll(() => t.close());

  const validClaims = () => ({
    sub: adviser.id,
    kind: 'user',
    role: 'ADVISER',
    iss: 'anker',
    aud: 'anker-api',
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 600,
  });

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
      const token = forgeToken({ alg: 'HS256', typ: 'JWT' }, validClaims(), key);
      await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
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

  it('revokes a refresh token (RFC 7009)', async () => {
    const { accessToken, refreshToken } = await signIn(t, adviser);
    await t.http
      .post('/api/v1/auth/revoke')
      .auth(accessToken, { type: 'bearer' })
      .send({ token: refreshToken })
      .expect(200);
    await t.http
      .post('/api/v1/auth/token')
      .send({ grant_type: 'refresh_token', refresh_token: refreshToken })
      .expect(400);
    await t.http
      .post('/api/v1/auth/revoke')
      .auth(accessToken, { type: 'bearer' })
      .send({ token: 'unknown' })
      .expect(200);
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
