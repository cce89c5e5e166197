import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { adminToken, createUser } from './support/auth';
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

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the target exactly as given (absolute-form, too long, bad escapes), which supertest normalises. */
function rawRequest(
  t: TestApp,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  const { port } = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method, path: target, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('problem+json for requests the framework refuses before any route runs', () => {
  let t: TestApp;
  let bearer: string;

  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule] });
    bearer = `Bearer ${await adminToken(t)}`;
  });
  afterAll(() => t.close());

  it('bounds the nesting depth of a JSON body: 400 malformed-body, not a 500 RangeError', async () => {
    const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    const response = await t.http
      .post('/api/v1/probe/echo')
      .set('content-type', 'application/json')
      .send(deep);
    expect([response.status, response.headers['content-type'], response.body.type]).toEqual([
      400,
      PROBLEM,
      'urn:anker:problem:malformed-body',
    ]);
    expect(response.body.detail).toMatch(/nested more than 32 levels/);
    const shallow = await t.http.post('/api/v1/probe/upload').send({ a: { b: [[{ c: '[{' }]] } });
    expect(shallow.status).toBe(201);
  });

  it('answers an absolute-form target as its path: no-store, and a Location on this server', async () => {
    const name = `Netz ${randomBytes(4).toString('hex')}`;
    const created = await rawRequest(
      t,
      'POST',
      'http://evil.example/api/v1/networks',
      { authorization: bearer, 'content-type': 'application/json' },
      JSON.stringify({ name, bundeslaender: ['DE-BE'] }),
    );
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.body) as { id: string }).id;
    expect([created.headers.location, created.headers['cache-control']]).toEqual([
      `/api/v1/networks/${id}`,
      'no-store',
    ]);
    const read = await rawRequest(t, 'GET', `http://evil.example/api/v1/networks/${id}`, {
      authorization: bearer,
    });
    expect([read.status, read.headers['cache-control']]).toEqual([200, 'no-store']);
  });

  it('refuses form bodies on JSON routes with 415; the token endpoint still takes them', async () => {
    const form = await t.http
      .post('/api/v1/networks')
      .set('authorization', bearer)
      .type('form')
      .send({ name: 'Netz per Formular', bundeslaender: 'DE-BE' });
    expect([form.status, form.headers['content-type'], form.body.type]).toEqual([
      415,
      PROBLEM,
      'urn:anker:problem:unsupported-media-type',
    ]);
    const text = await t.http.post('/api/v1/probe/upload').set('content-type', 'text/plain').send('{}');
    expect([text.status, text.body.type]).toEqual([415, 'urn:anker:problem:unsupported-media-type']);

    const user = await createUser(t, { role: 'ADMIN' });
    const token = await t.http
      .post('/api/v1/auth/token')
      .type('form')
      .send({ grant_type: 'password', username: user.email, password: user.password });
    expect(token.status).toBe(200);
    const revoke = await t.http
      .post('/api/v1/auth/revoke')
      .set('authorization', `Bearer ${token.body.access_token}`)
      .type('form')
      .send({ token: token.body.refresh_token });
    expect(revoke.status).toBe(200);
  });

  it.each([
    ['a path parameter over the length limit', `/api/v1/networks/${'a'.repeat(500)}`, 414, 'uri-too-long'],
    ['a target over the header size limit', `/api/v1/networks?q=${'a'.repeat(20_000)}`, 414, 'uri-too-long'],
    ['a bad percent-encoding in a path parameter', '/api/v1/networks/%E0%A4%A', 400, 'malformed-request'],
  ])('answers %s with a problem', async (_case, target, status, slug) => {
    const response = await rawRequest(t, 'GET', target, { authorization: bearer });
    expect([response.status, response.headers['content-type']]).toEqual([status, PROBLEM]);
    expect(JSON.parse(response.body)).toMatchObject({ type: `urn:anker:problem:${slug}`, status });
  });

  it('answers a header section over the size limit with 431 problem+json', async () => {
    const response = await rawRequest(t, 'GET', '/health/live', { 'x-padding': 'a'.repeat(20_000) });
    expect([response.status, response.headers['content-type']]).toEqual([431, PROBLEM]);
    expect(JSON.parse(response.body)).toMatchObject({ type: 'urn:anker:problem:header-fields-too-large' });
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

  it('answers a request that arrives on an open connection while closing with a 503 problem', async () => {
    const t = await createTestApp({ imports: [ProbeModule] });
    const socket = connect(Number(new URL(t.baseUrl).port), '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    try {
      socket.write('GET /api/v1/probe/database-error/slow HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const closing = t.app.close();
      socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
      await closing;
      await ended;
    } finally {
      socket.destroy();
      await t.close().catch(() => undefined);
    }
    const [, second] = received.split(/(?=HTTP\/1\.1 )/);
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/content-type: application\/problem\+json; charset=utf-8/i);
    expect(second).toContain('"type":"urn:anker:problem:service-unavailable"');
  });
});
