import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from './webhook-sender';

describe('sendWebhook', () => {
  let server: Server;
  let port: number;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests += 1;
      if (request.url === '/redirect') {
        response.writeHead(307, { location: 'http://169.254.169.254/' }).end();
      } else if (request.url === '/slow') {
        setTimeout(() => response.writeHead(200).end(), 1_000);
      } else {
        response.writeHead(request.url === '/fail' ? 503 : 204).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (url: string, allowPrivate = true, timeoutMs = 2_000) =>
    sendWebhook({ url, headers: { 'webhook-id': 'msg_1' }, body: '{}', timeoutMs, allowPrivate });

  it('reports a 2xx as delivered and anything else with its status', async () => {
    expect(await send(`http://127.0.0.1:${port}/ok`)).toMatchObject({
      ok: true,
      statusCode: 204,
      errorClass: null,
    });
    expect(await send(`http://127.0.0.1:${port}/fail`)).toMatchObject({
      ok: false,
      statusCode: 503,
      errorClass: 'http-status',
    });
  });

  it('never follows a redirect', async () => {
    const before = requests;
    expect(await send(`http://127.0.0.1:${port}/redirect`)).toMatchObject({
      ok: false,
      statusCode: 307,
      errorClass: 'redirect',
    });
    expect(requests).toBe(before + 1);
  });

  it('gives up after the timeout', async () => {
    const result = await send(`http://127.0.0.1:${port}/slow`, true, 200);
    expect(result).toMatchObject({ ok: false, errorClass: 'timeout' });
    expect(result.durationMs).toBeLessThan(900);
  });

  it('refuses loopback addresses, literal or resolved, unless private addresses are allowed', async () => {
    const before = requests;
    for (const url of [
      `https://127.0.0.1:${port}/ok`,
      `https://localhost:${port}/ok`,
      `https://[::1]:${port}/ok`,
      `https://[::ffff:127.0.0.1]:${port}/ok`,
    ]) {
      expect([url, (await send(url, false)).errorClass]).toEqual([url, 'refused-address']);
    }
    // Without the flag, http:// is refused before any connection.
    expect((await send(`http://localhost:${port}/ok`, false)).errorClass).toBe('invalid-url');
    expect(requests).toBe(before);
    expect(await send(`http://localhost:${port}/ok`, true)).toMatchObject({ ok: true });
  });

  it('classifies what cannot connect', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await send(`http://127.0.0.1:${closedPort}/`)).errorClass).toBe('connection');
    expect((await send('http://no-such-host.invalid/')).errorClass).toBe('dns');
    expect((await send('not a url')).errorClass).toBe('invalid-url');
  });
});
