/**
 * A small HTTP client for the verification suite: every check talks to the real app over HTTP,
 * like a partner system would. Bodies are parsed when they are JSON; the raw text is kept for the
 * leak checks.
 */
export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The raw body. */
  text: string;
  /** The parsed body when the response is JSON (or problem+json), otherwise undefined. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON, checked by the caller
  body: any;
  /** Milliseconds from sending to the end of the body. */
  ms: number;
}

export interface ApiRequest {
  token?: string;
  /** A JSON value (serialised) … */
  body?: unknown;
  /** … or a raw body sent as is (with `contentType`). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  ifMatch?: string;
  /** Abort after this many milliseconds (default 30 s). */
  timeoutMs?: number;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, options: ApiRequest = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token !== undefined) {
      headers.authorization = `Bearer ${options.token}`;
    }
    if (options.idempotencyKey !== undefined) {
      headers['idempotency-key'] = options.idempotencyKey;
    }
    if (options.ifMatch !== undefined) {
      headers['if-match'] = options.ifMatch;
    }
    let body: string | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      if (options.contentType !== undefined) {
        headers['content-type'] = options.contentType;
      }
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    let parsed: unknown;
    if (/json/.test(type) && text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: parsed,
      ms: performance.now() - started,
    };
  }

  /** A request that must answer `expected`; anything else throws with the problem it got. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON, checked by the caller
  async expect(expected: number, method: string, path: string, options: ApiRequest = {}): Promise<any> {
    const response = await this.request(method, path, options);
    if (response.status !== expected) {
      throw new Error(
        `${method} ${path}: expected ${expected}, got ${response.status} ${response.text.slice(0, 500)}`,
      );
    }
    return response.body;
  }
}
