import { call, sleep, type CallResult } from './http-call';
import { clientBody } from './office-setup';

/**
 * A write load as a careful API client produces it: each worker creates clients one after another,
 * every creation with its own `Idempotency-Key`; on a 503 or a transport error it retries the same
 * request with the same key (after a short pause) until it gets an answer it can act on. Every
 * exchange is recorded, so the checks can reconcile acknowledged writes with the database afterwards.
 */
export interface WriteAttempt {
  key: string;
  result: CallResult;
}

export interface AcknowledgedWrite {
  key: string;
  /** The created client's id from the 201 body. */
  id: string;
  /** The marker in the client's last name ("Load <key>"). */
  lastName: string;
}

export interface WriteLoadResult {
  attempts: WriteAttempt[];
  acknowledged: AcknowledgedWrite[];
  /** Keys whose retries ran out (still unacknowledged when the load stopped). */
  abandoned: string[];
  /** Answers that are neither 2xx, nor 503, nor a transport error (a 500, an unexpected 4xx). */
  unexpected: WriteAttempt[];
}

export interface WriteLoadOptions {
  baseUrl: string | (() => string);
  token: string;
  workers: number;
  /** Unique per load: keys are `${keyPrefix}-${worker}-${n}`. */
  keyPrefix: string;
  /** Keep starting new writes while this returns true. */
  running: () => boolean;
  /** Pause before a retry (default 200 ms). */
  retryDelayMs?: number;
  /** A started write gives up after this long (default 30 s). */
  maxRetryMs?: number;
  /** Client-side request timeout (default 15 s). */
  timeoutMs?: number;
}

export async function runWriteLoad(options: WriteLoadOptions): Promise<WriteLoadResult> {
  const result: WriteLoadResult = { attempts: [], acknowledged: [], abandoned: [], unexpected: [] };
  const baseUrl = typeof options.baseUrl === 'string' ? () => options.baseUrl as string : options.baseUrl;
  const worker = async (index: number) => {
    for (let n = 0; options.running(); n += 1) {
      const key = `${options.keyPrefix}-${index}-${n}`;
      const body = clientBody(key);
      const started = Date.now();
      for (;;) {
        const response = await call(baseUrl(), 'POST', '/api/v1/clients', {
          token: options.token,
          body,
          headers: { 'idempotency-key': key },
          timeoutMs: options.timeoutMs ?? 15_000,
        });
        const attempt = { key, result: response };
        result.attempts.push(attempt);
        if (response.status === 201 || response.status === 200) {
          const id = (response.body as { id?: unknown } | undefined)?.id;
          result.acknowledged.push({
            key,
            id: typeof id === 'string' ? id : '',
            lastName: String(body.lastName),
          });
          break;
        }
        const retryable = response.status === 503 || response.status === 0;
        if (!retryable) {
          result.unexpected.push(attempt);
          break;
        }
        if (Date.now() - started > (options.maxRetryMs ?? 30_000)) {
          result.abandoned.push(key);
          break;
        }
        await sleep(options.retryDelayMs ?? 200);
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, index) => worker(index)));
  return result;
}

/** Summary numbers of a load for the figures. */
export function describeLoad(load: WriteLoadResult): {
  requests: number;
  serverErrors: number;
  unavailable: number;
  unavailableWithoutRetryAfter: number;
  transportErrors: number;
  slowestMs: number;
} {
  const results = load.attempts.map((attempt) => attempt.result);
  const unavailable = results.filter((result) => result.status === 503);
  return {
    requests: results.length,
    serverErrors: results.filter((result) => result.status >= 500 && result.status !== 503).length,
    unavailable: unavailable.length,
    unavailableWithoutRetryAfter: unavailable.filter((result) => !result.headers['retry-after']).length,
    transportErrors: results.filter((result) => result.status === 0).length,
    slowestMs: Math.max(0, ...results.map((result) => result.ms)),
  };
}
