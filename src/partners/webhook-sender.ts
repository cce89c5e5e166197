import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress, isDeliverableAddress } from './webhook-address';

/** What one HTTP attempt came to. */
export interface SendResult {
  /** A 2xx answer. */
  ok: boolean;
  statusCode: number | null;
  /** Why it failed, when it did not end in a 2xx: a short class, never a message with details. */
  errorClass: WebhookErrorClass | null;
  durationMs: number;
}

export type WebhookErrorClass =
  | 'timeout'
  | 'refused-address'
  | 'dns'
  | 'connection'
  | 'tls'
  | 'redirect'
  | 'http-status'
  | 'invalid-url'
  | 'signing-secret';

export interface SendOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

/** The most of an answer's body that is read (and thrown away); the rest is cut off. */
const MAX_RESPONSE_BYTES = 64 * 1024;

class RefusedAddressError extends Error {
  readonly code = 'EWEBHOOKADDRESS';
}

/**
 * Resolves the host and checks every address it resolves to; the socket then connects to exactly the
 * checked address (Node's `lookup` hook), so a DNS answer that changes between check and connect
 * (rebinding) cannot reach an internal service.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const refused = addresses.find((entry) => !isDeliverableAddress(entry.address, allowPrivate));
      if (refused || addresses.length === 0) {
        const kind = refused ? classifyAddress(refused.address) : 'no';
        callback(new RefusedAddressError(`${hostname} resolves to a ${kind} address`), '', 0);
        return;
      }
      if (options.all) {
        (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      } else {
        callback(null, addresses[0].address, addresses[0].family);
      }
    });
  };
}

function classify(error: unknown, timedOut: boolean): WebhookErrorClass {
  if (timedOut) {
    return 'timeout';
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (error instanceof RefusedAddressError || code === 'EWEBHOOKADDRESS') {
    return 'refused-address';
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') {
    return 'dns';
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|ERR_TLS/.test(code)) {
    return 'tls';
  }
  return 'connection';
}

/**
 * One POST of a webhook: no redirects followed (a 3xx is a failed attempt), the whole exchange bounded
 * by `timeoutMs`, private addresses refused unless allowed.
 */
export async function sendWebhook(options: SendOptions): Promise<SendResult> {
  const started = Date.now();
  const result = (ok: boolean, statusCode: number | null, errorClass: WebhookErrorClass | null) => ({
    ok,
    statusCode,
    errorClass,
    durationMs: Date.now() - started,
  });
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return result(false, null, 'invalid-url');
  }
  const https = url.protocol === 'https:';
  if (!https && !(options.allowPrivate && url.protocol === 'http:')) {
    return result(false, null, 'invalid-url');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0 && !isDeliverableAddress(host, options.allowPrivate)) {
    // An IP literal is connected to without a lookup: check it here.
    return result(false, null, 'refused-address');
  }
  const body = Buffer.from(options.body, 'utf8');
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          headers: {
            ...options.headers,
            'content-type': 'application/json',
            'content-length': String(body.length),
            'user-agent': 'Anker-Webhooks/1',
          },
          lookup: guardedLookup(options.allowPrivate),
          signal: controller.signal,
          // No connection reuse: each attempt resolves and checks the address anew.
          agent: false,
        },
        resolve,
      );
      request.on('error', reject);
      request.end(body);
    });
    const statusCode = response.statusCode ?? 0;
    // Read (a bounded part of) the answer so that the exchange completes, and discard it.
    await new Promise<void>((resolve, reject) => {
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) {
          response.destroy();
          resolve();
        }
      });
      response.on('end', resolve);
      response.on('close', resolve);
      response.on('error', reject);
    });
    if (timedOut) {
      return result(false, statusCode, 'timeout');
    }
    if (statusCode >= 200 && statusCode < 300) {
      return result(true, statusCode, null);
    }
    return result(false, statusCode, statusCode >= 300 && statusCode < 400 ? 'redirect' : 'http-status');
  } catch (error) {
    return result(false, null, classify(error, timedOut));
  } finally {
    clearTimeout(timer);
  }
}
