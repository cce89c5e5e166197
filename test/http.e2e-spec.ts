import { ProbeModule } from './support/probe.module';
import { createTestApp, type TestApp } from './support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HTTP basics: health, headers, docs, limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: { BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://berater.example.org' },
      imports: [ProbeModule],
    });
  });
  afterAll(() => t.close());

  it('answers liveness and readiness', async () => {
    const live = await t.http.get('/health/live').expect(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body).toEqual({
      status: 'ok',
      details: {
        database: { status: 'up' },
        migrations: { status: 'up' },
        jobs: { status: 'up', workers: 'in-process' },
      },
    });
    expect(ready.headers['cache-control']).toBe('no-store');
  });

  it('sends security headers and no X-Powered-By', async () => {
    const response = await t.http.get('/health/live').expect(200);
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('gives every response a request id of its own making; a caller id is logged beside it', async () => {
    const generated = await t.http.get('/health/live');
    expect(generated.headers['x-request-id']).toMatch(UUID);
    const supplied = '5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61';
    const answered = await t.http.get('/does-not-exist').set('X-Request-Id', supplied).expect(404);
    const own = answered.headers['x-request-id'];
    expect(own).toMatch(UUID);
    expect(own).not.toBe(supplied);
    expect(answered.body.instance).toBe(`urn:uuid:${own}`);
    const line = t
      .logLines()
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.msg === 'request completed' && entry.requestId === own);
    expect(line).toMatchObject({ callerRequestId: supplied });
    const refused = await t.http.get('/health/live').set('X-Request-Id', 'not a uuid; DROP TABLE');
    expect(refused.headers['x-request-id']).toMatch(UUID);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await t.http.get('/api/v1/nothing-here').expect(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toEqual({
      type: 'urn:anker:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'No such resource.',
      instance: `urn:uuid:${response.headers['x-request-id']}`,
    });
  });

  it('refuses a body over the size limit with 413 and keeps serving', async () => {
    const response = await t.http
      .post('/api/v1/probe/upload')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(4096) }))
      .expect(413);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toMatchObject({ type: 'urn:anker:problem:payload-too-large', status: 413 });
    await t.http.get('/health/live').expect(200);
  });

  it('answers malformed JSON with 400 malformed-body, without parser text', async () => {
    const response = await t.http
      .post('/api/v1/probe/upload')
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(response.body).toMatchObject({ type: 'urn:anker:problem:malformed-body', status: 400 });
    expect(JSON.stringify(response.body)).not.toMatch(/Unexpected|position|JSON\.parse/);
  });

  it('answers an unsupported media type with 415', async () => {
    const response = await t.http
      .post('/api/v1/probe/upload')
      .set('content-type', 'application/xml')
      .send('<a/>')
      .expect(415);
    expect(response.body).toMatchObject({ type: 'urn:anker:problem:unsupported-media-type', status: 415 });
  });

  it('allows only configured CORS origins', async () => {
    const allowed = await t.http
      .options('/health/live')
      .set('Origin', 'https://berater.example.org')
      .set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://berater.example.org');
    const other = await t.http
      .options('/health/live')
      .set('Origin', 'https://evil.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the OpenAPI document with the problem schema and the security scheme', async () => {
    const response = await t.http.get('/openapi.json').expect(200);
    const document = response.body;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe('Anker API');
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.schemas.ProblemDto.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance']),
    );
    expect(
      document.paths['/health/ready'].get.responses['503'].content['application/problem+json'],
    ).toBeDefined();
    expect(document.paths['/api/v1/probe/echo']).toBeDefined();
    for (const pathItem of Object.values<Record<string, { operationId: string }>>(document.paths)) {
      for (const operation of Object.values(pathItem)) {
        expect(operation.operationId).toBeTruthy();
      }
    }
  });

  it('serves the interactive docs', async () => {
    const response = await t.http.get('/docs').expect(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.text).toContain('swagger');
  });

  it('exposes Prometheus metrics with request durations by route pattern', async () => {
    await t.http.get('/health/live').expect(200);
    const response = await t.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} \d+/,
    );
    expect(response.text).toContain('process_cpu_user_seconds_total');
  });

  it('logs one structured line per request with id, method, route, status and duration', async () => {
    const response = await t.http
      .get('/health/live')
      .set('Authorization', 'Bearer secret-token-value')
      .expect(200);
    const requestId = response.headers['x-request-id'];
    const line = t
      .logLines()
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.requestId === requestId && entry.msg === 'request completed');
    expect(line).toMatchObject({ method: 'GET', route: '/health/live', status: 200, level: 'info' });
    expect(typeof line?.durationMs).toBe('number');
    expect(t.logLines().join('\n')).not.toContain('secret-token-value');
  });
});
