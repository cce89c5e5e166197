import { randomBytes } from 'node:crypto';
import { hashSecret } from '../../src/auth/password';
import type { UserRole } from '../../src/auth/roles';
import type { TestApp } from './test-app';

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/** Inserts a user directly (arranging a test); signing in then goes through the real token endpoint. */
export async function createUser(
  t: TestApp,
  input: {
    role: UserRole;
    officeId?: string;
    networkId?: string;
    email?: string;
    password?: string;
    active?: boolean;
  },
): Promise<TestUser> {
  const email = (
    input.email ?? `${input.role.toLowerCase()}-${randomBytes(4).toString('hex')}@example.org`
  ).toLowerCase();
  const password = input.password ?? `pw-${randomBytes(12).toString('base64url')}`;
  const { rows } = await t.db.query<{ id: string }>(
    `INSERT INTO users (email, display_name, role, office_id, network_id, password_hash, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      email,
      `Test ${input.role}`,
      input.role,
      input.officeId ?? null,
      input.networkId ?? null,
      await hashSecret(password),
      input.active ?? true,
    ],
  );
  return { id: rows[0].id, email, password };
}

/** A network and an office in it, for users that need a scope. */
export async function createOffice(
  t: TestApp,
  name = `Office ${randomBytes(3).toString('hex')}`,
): Promise<{ networkId: string; officeId: string }> {
  const network = await t.db.query<{ id: string }>(
    `INSERT INTO networks (name, bundeslaender) VALUES ($1, '{DE-BE}') RETURNING id`,
    [`Network ${randomBytes(4).toString('hex')}`],
  );
  const office = await t.db.query<{ id: string }>(
    `INSERT INTO offices (network_id, name, bundesland) VALUES ($1, $2, 'DE-BE') RETURNING id`,
    [network.rows[0].id, name],
  );
  return { networkId: network.rows[0].id, officeId: office.rows[0].id };
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** A password sign-in through the real token endpoint. */
export async function signInOnly(t: TestApp, user: { email: string; password: string }): Promise<TokenPair> {
  const response = await t.http
    .post('/api/v1/auth/token')
    .send({ grant_type: 'password', username: user.email, password: user.password });
  if (response.status !== 200) {
    throw new Error(`Sign-in failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return {
    accessToken: response.body.access_token as string,
    refreshToken: response.body.refresh_token as string,
  };
}

async function changePassword(t: TestApp, token: string, currentPassword: string, newPassword: string) {
  const response = await t.http
    .post('/api/v1/auth/password')
    .auth(token, { type: 'bearer' })
    .send({ currentPassword, newPassword });
  if (response.status !== 204) {
    throw new Error(`Password change failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
}

/**
 * Signs in; for a user whose password an administrator set (created through `POST /users`), first
 * does what the person would do — set their own — and then sets the same password back, so that
 * tests keep using the password they chose. The session signed in here stays valid throughout.
 */
export async function signIn(t: TestApp, user: { email: string; password: string }): Promise<TokenPair> {
  const tokens = await signInOnly(t, user);
  const { rows } = await t.db.query<{ required: boolean }>(
    'SELECT password_change_required AS required FROM users WHERE email = $1',
    [user.email.toLowerCase()],
  );
  if (rows[0]?.required) {
    const interim = `interim-${randomBytes(12).toString('base64url')}`;
    await changePassword(t, tokens.accessToken, user.password, interim);
    await changePassword(t, tokens.accessToken, interim, user.password);
  }
  return tokens;
}

export async function tokenFor(t: TestApp, user: { email: string; password: string }): Promise<string> {
  return (await signIn(t, user)).accessToken;
}

export async function adminToken(t: TestApp): Promise<string> {
  return tokenFor(t, await createUser(t, { role: 'ADMIN' }));
}

/** Tokens for one user of each role (adviser and coordinator with their scope). */
export async function roleTokens(t: TestApp): Promise<Record<'ADMIN' | 'COORDINATOR' | 'ADVISER', string>> {
  const { networkId, officeId } = await createOffice(t);
  const [admin, coordinator, adviser] = await Promise.all([
    createUser(t, { role: 'ADMIN' }),
    createUser(t, { role: 'COORDINATOR', networkId }),
    createUser(t, { role: 'ADVISER', officeId }),
  ]);
  return {
    ADMIN: await tokenFor(t, admin),
    COORDINATOR: await tokenFor(t, coordinator),
    ADVISER: await tokenFor(t, adviser),
  };
}

export interface TestApiClient {
  partnerId: string;
  id: string;
  clientId: string;
  clientSecret: string;
}

/** A partner with one API client, inserted directly; its token comes from the real token endpoint. */
export async function createApiClient(t: TestApp, partnerType = 'JOBCENTER'): Promise<TestApiClient> {
  const partner = await t.db.query<{ id: string }>(
    `INSERT INTO partners (name, type) VALUES ($1, $2) RETURNING id`,
    [`Partner ${randomBytes(3).toString('hex')}`, partnerType],
  );
  const clientId = `pc_${randomBytes(16).toString('base64url')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const client = await t.db.query<{ id: string }>(
    `INSERT INTO api_clients (partner_id, client_id, secret_hash, name) VALUES ($1, $2, $3, 'test') RETURNING id`,
    [partner.rows[0].id, clientId, await hashSecret(clientSecret)],
  );
  return { partnerId: partner.rows[0].id, id: client.rows[0].id, clientId, clientSecret };
}

export async function partnerToken(t: TestApp, client: TestApiClient): Promise<string> {
  const response = await t.http.post('/api/v1/auth/token').send({
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  if (response.status !== 200) {
    throw new Error(`client_credentials failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body.access_token as string;
}
