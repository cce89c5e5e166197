import { Transactional } from '@nestjs-cls/transactional';
import { Injectable, Module } from '@nestjs/common';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookOutbox, type WebhookEvent } from '../../src/partners/webhook-outbox.service';
import { WebhooksModule } from '../../src/partners/webhooks.module';

/**
 * Produces webhook events the way a module's change does: `WebhookOutbox.publish` inside the change's
 * transaction. Test-only (the referrals module is the real producer).
 */
@Injectable()
export class WebhookEventProbe {
  constructor(private readonly outbox: WebhookOutbox) {}

  /** Publishes `events` in one transaction; `fail` throws after publishing, rolling it all back. */
  @Transactional()
  async change(events: WebhookEvent[], options: { fail?: boolean } = {}): Promise<void> {
    for (const event of events) {
      await this.outbox.publish(event);
    }
    if (options.fail) {
      throw new Error('the change fails after publishing');
    }
  }
}

@Module({ imports: [WebhooksModule], providers: [WebhookEventProbe] })
export class WebhookProbesModule {}

/** One request the receiver got. */
export interface ReceivedWebhook {
  /** The request's path (and query). */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
  /** What the receiver answered (`hang` when it never answered). */
  answer: number | 'hang';
}

/** What the receiver does with the n-th request (1-based). */
export type ReceiverBehaviour = (
  n: number,
  request: { headers: IncomingHttpHeaders; body: string },
) => number | 'hang';

/**
 * A partner's webhook endpoint on 127.0.0.1: answers each request as `behaviour` says (a status, or
 * `hang` to never answer so the sender times out) and keeps every request.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly hanging: ServerResponse[] = [];
  private server: Server | undefined;
  behaviour: ReceiverBehaviour = () => 204;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = this.behaviour(this.received.length + 1, { headers: request.headers, body });
        this.received.push({
          path: request.url ?? '',
          headers: request.headers,
          body,
          receivedAt: Date.now(),
          answer,
        });
        if (answer === 'hang') {
          this.hanging.push(response);
          return;
        }
        if (answer >= 300 && answer < 400) {
          response.setHeader('location', 'http://169.254.169.254/latest/meta-data/');
        }
        response.statusCode = answer;
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** Drops the connections of requests left hanging (their sender sees a reset). */
  dropHanging(): void {
    for (const response of this.hanging.splice(0)) {
      response.destroy();
    }
  }

  async stop(): Promise<void> {
    for (const response of this.hanging.splice(0)) {
      response.destroy();
    }
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
