import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/**
 * One HTTP exchange as the fault checks need it: a fresh TCP connection per request (no keep-alive
 * pool, so "accepted" means "this request's connection was open and its bytes were sent"), a hard
 * client-side timeout, and transport errors returned as data rather than thrown.
 */
export interface CallResult {
  /** 0 when there was no HTTP response (see `error`). */
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body, when the body was JSON. */
  body: unknown;
  /** ECONNREFUSED, ECONNRESET, TIMEOUT, … when there was no response. */
  error?: string;
  startedAt: number;
  /** When the request (headers and body) had been handed to the socket, if it was. */
  sentAt?: number;
  endedAt: number;
  ms: number;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The client gives up after this many ms (error TIMEOUT); default 30 s. */
  timeoutMs?: number;
}

export function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const url = new URL(path, baseUrl);
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body), 'utf8');
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  const startedAt = Date.now();
  return new Promise((resolveCall) => {
    let settled = false;
    let sentAt: number | undefined;
    const finish = (result: Omit<CallResult, 'startedAt' | 'endedAt' | 'ms' | 'sentAt'>) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      const endedAt = Date.now();
      resolveCall({ ...result, startedAt, sentAt, endedAt, ms: endedAt - startedAt });
    };
    const req = httpRequest(
      {
        method,
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error: NodeJS.ErrnoException) =>
          finish({ status: 0, headers: {}, text: '', body: undefined, error: error.code ?? error.message }),
        );
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          if (/json/.test(response.headers['content-type'] ?? '') && text.length > 0) {
            try {
              body = JSON.parse(text);
            } catch {
              body = undefined;
            }
          }
          finish({ status: response.statusCode ?? 0, headers: response.headers, text, body });
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, headers: {}, text: '', body: undefined, error: 'TIMEOUT' });
    }, options.timeoutMs ?? 30_000);
    req.on('finish', () => (sentAt = Date.now()));
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        status: 0,
        headers: {},
        text: '',
        body: undefined,
        error: error.code ?? (error.message === 'socket hang up' ? 'ECONNRESET' : error.message),
      }),
    );
    req.end(payload);
  });
}

/** Throws unless the call answered `expected`; returns the JSON body. */
export async function expectStatus<T = Record<string, unknown>>(
  what: string,
  expected: number,
  pending: Promise<CallResult>,
): Promise<T> {
  const result = await pending;
  if (result.status !== expected) {
    throw new Error(
      `${what}: expected ${expected}, got ${result.status || result.error} ${result.text.slice(0, 500)}`,
    );
  }
  return result.body as T;
}

/** The problem type's last segment ("urn:anker:problem:service-unavailable" → "service-unavailable"). */
export function problemType(result: CallResult): string | undefined {
  const type = (result.body as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type.split(/[/:]/).pop() : undefined;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/** "201×40, 503×3, ECONNRESET×1": the answers of many calls at a glance. */
export function histogram(results: CallResult[]): string {
  const counts = new Map<string, number>();
  for (const result of results) {
    const label = result.status ? String(result.status) : (result.error ?? 'error');
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, count]) => `${label}×${count}`)
    .join(', ');
}
