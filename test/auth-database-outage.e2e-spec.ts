import { createOffice, createUser, signIn } from './support/auth';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Every request re-reads its session from the database. When that read fails (the database is away,
 * or does not answer in time), the token has not been judged: the answer is 503 with Retry-After, so
 * that clients retry — never a 401 that would send every user back to the sign-in.
 */
describe('authentication while the database does not answer', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { DB_STATEMENT_TIMEOUT_MS: '300', DB_RETRY_AFTER_SECONDS: '7' } });
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After, not 401, when the session cannot be read', async () => {
    const { officeId } = await createOffice(t);
    const adviser = await createUser(t, { role: 'ADVISER', officeId });
    const { accessToken } = await signIn(t, adviser);
    expect((await t.http.get('/api/v1/auth/me').auth(accessToken, { type: 'bearer' })).status).toBe(200);

    const holder = await t.db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
      const blocked = await t.http.get('/api/v1/auth/me').auth(accessToken, { type: 'bearer' });
      expect(blocked.status).toBe(503);
      expect(blocked.headers['retry-after']).toBe('7');
      expect(blocked.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(blocked.body.type).toBe('urn:anker:problem:service-unavailable');
      expect(blocked.headers['www-authenticate']).toBeUndefined();
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }

    expect((await t.http.get('/api/v1/auth/me').auth(accessToken, { type: 'bearer' })).status).toBe(200);
  });
});
