import { ProbeModule } from './support/probe.module';
import { createTestApp, type TestApp } from './support/test-app';

const PROBLEM = 'application/problem+json; charset=utf-8';
const validBody = {
  name: 'Amina',
  birthDate: '1990-04-01',
  iscedLevel: 6,
  addresses: [{ postalCode: '10115' }],
};

/** No body may ever carry a stack trace, SQL or driver text. */
function expectNoInternals(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(text).not.toMatch(
    /SELECT|INSERT|DELETE|CREATE|pg_sleep|pg_terminate_backend|duplicate key|violates|relation "/i,
  );
  expect(text).not.toMatch(/QueryFailedError|DatabaseError|stack/);
}

describe('problem+json for every error class', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule] });
  });
  afterAll(() => t.close());

  it('passes a valid body through', async () => {
    const response = await t.http.post('/api/v1/probe/echo').send(validBody).expect(201);
    expect(response.body).toEqual(validBody);
  });

  it('answers invalid fields with 400 and one JSON pointer per problem', async () => {
    const response = await t.http
      .post('/api/v1/probe/echo')
      .send({
        name: '',
        birthDate: '01.04.1990',
        iscedLevel: 9,
        addresses: [{ postalCode: '10115' }, { postalCode: '1' }],
      })
      .expect(400);
    expect(response.headers['content-type']).toBe(PROBLEM);
    expect(response.body).toMatchObject({
      type: 'urn:anker:problem:validation-error',
      title: 'The request is not valid',
      status: 400,
      instance: `urn:uuid:${response.headers['x-request-id']}`,
    });
    const pointers = (response.body.errors as { pointer: string; detail: string }[]).map(
      (error) => error.pointer,
    );
    expect(pointers.sort()).toEqual(['#/addresses/1/postalCode', '#/birthDate', '#/iscedLevel', '#/name']);
    for (const error of response.body.errors as { detail: string }[]) {
      expect(error.detail.length).toBeGreaterThan(5);
    }
  });

  it('refuses unknown properties (mass assignment) instead of dropping them', async () => {
    const response = await t.http
      .post('/api/v1/probe/echo')
      .send({
        ...validBody,
        id: '1b0c5d02-52b2-4c4e-9c0e-6ad4a1b9c0de',
        officeId: 'x',
        version: 3,
        createdAt: 'now',
      })
      .expect(400);
    const pointers = (response.body.errors as { pointer: string }[]).map((error) => error.pointer).sort();
    expect(pointers).toEqual(['#/createdAt', '#/id', '#/officeId', '#/version']);
  });

  it.each([
    ['unique', 409, 'urn:anker:problem:conflict'],
    ['foreign-key-missing', 422, 'urn:anker:problem:unprocessable'],
    ['foreign-key-referenced', 409, 'urn:anker:problem:still-referenced'],
    ['serialization', 409, 'urn:anker:problem:concurrent-update'],
  ])('maps the PostgreSQL error "%s" to %i', async (kind, status, type) => {
    const response = await t.http.get(`/api/v1/probe/database-error/${kind}`).expect(status);
    expect(response.headers['content-type']).toBe(PROBLEM);
    expect(response.body).toMatchObject({
      type,
      status,
      instance: `urn:uuid:${response.headers['x-request-id']}`,
    });
    expect(response.headers['retry-after']).toBeUndefined();
    expectNoInternals(response.body);
  });

  it.each(['statement-timeout', 'lost-connection'])(
    'answers "%s" with 503 service-unavailable and Retry-After, then keeps serving',
    async (kind) => {
      const response = await t.http.get(`/api/v1/probe/database-error/${kind}`).expect(503);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.headers['retry-after']).toBe(String(t.config.database.retryAfterSeconds));
      expect(response.body).toMatchObject({ type: 'urn:anker:problem:service-unavailable', status: 503 });
      expectNoInternals(response.body);
      await t.http.get('/health/ready').expect(200);
    },
  );

  it('answers an unexpected error with a generic 500 and logs it with the request id', async () => {
    const response = await t.http.get('/api/v1/probe/database-error/unexpected').expect(500);
    expect(response.body).toEqual({
      type: 'urn:anker:problem:internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the `instance` when you report it.',
      instance: `urn:uuid:${response.headers['x-request-id']}`,
    });
    expectNoInternals(response.body);
    const logged = t
      .logLines()
      .map((line) => JSON.parse(line) as { requestId?: string; level: string; msg: string })
      .filter((entry) => entry.requestId === response.headers['x-request-id']);
    expect(logged.map((entry) => entry.level)).toEqual(expect.arrayContaining(['error', 'info']));
  });

  it('never writes SQL parameters or constraint details of a failed query to the log', async () => {
    await t.http.get('/api/v1/probe/database-error/unique').expect(409);
    const log = t.logLines().join('\n');
    expect(log).not.toContain('duplicate key');
    expect(log).not.toContain('Key (id)=(1)');
  });
});

describe('pool exhaustion', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      imports: [ProbeModule],
      env: { DB_POOL_MAX: '1', DB_POOL_ACQUIRE_TIMEOUT_MS: '200', DB_RETRY_AFTER_SECONDS: '7' },
    });
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After when no connection frees up in time', async () => {
    // supertest sends on then(): start the slow request now, holding the only connection.
    const slow = t.http.get('/api/v1/probe/database-error/slow').then((response) => response);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const starved = await t.http.get('/api/v1/probe/database-error/unique');
    expect(starved.status).toBe(503);
    expect(starved.headers['retry-after']).toBe('7');
    expect(starved.body).toMatchObject({ type: 'urn:anker:problem:service-unavailable' });
    expect((await slow).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  it('lets a request in flight finish while the app closes, then refuses new connections', async () => {
    const t = await createTestApp({ imports: [ProbeModule] });
    let closed = false;
    try {
      const inFlight = t.http.get('/api/v1/probe/database-error/slow').then((response) => response);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const closing = t.app.close().then(() => (closed = true));
      const response = await inFlight;
      expect(response.status).toBe(200);
      await closing;
      await expect(fetch(`${t.baseUrl}/health/live`)).rejects.toThrow();
    } finally {
      if (!closed) {
        await t.app.close();
      }
      await t.close().catch(() => undefined);
    }
  });
});
