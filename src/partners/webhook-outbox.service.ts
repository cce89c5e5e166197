import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { JobQueue } from '../jobs/job-queue.service';
import { WEBHOOK_DELIVERY_JOB, type WebhookDeliveryJobData } from './webhook-delivery.job';
import { WebhookRepository } from './webhook.repository';

/** The events partner systems can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'referral.created',
  'referral.cancelled',
  'referral.expired',
  'consent.withdrawn',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** One event for one partner. `data` holds ids, types, states and times — never personal data. */
export interface WebhookEvent {
  type: WebhookEventType;
  partnerId: string;
  data: Record<string, unknown>;
}

/**
 * The transactional outbox of partner webhooks. `publish` writes the event, one delivery per active
 * subscription of the partner to that type, and their delivery jobs, in the transaction of the calling
 * service method (or a transaction of its own when there is none): a change that rolls back sends
 * nothing, and the request that causes an event never waits for its delivery.
 */
@Injectable()
export class WebhookOutbox {
  constructor(
    private readonly repository: WebhookRepository,
    private readonly queue: JobQueue,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Transactional()
  async publish(event: WebhookEvent): Promise<void> {
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(event.type)) {
      throw new Error(`"${event.type}" is not a webhook event type.`);
    }
    const message = await this.repository.insertMessage({
      partnerId: event.partnerId,
      type: event.type,
      data: event.data,
    });
    const deliveries = await this.repository.insertDeliveries(
      { id: message.id, partnerId: event.partnerId, type: event.type },
      this.config.webhooks.maxAttempts,
    );
    for (const delivery of deliveries) {
      const data: WebhookDeliveryJobData = { deliveryId: delivery.id, attempt: delivery.attempts + 1 };
      await this.queue.enqueue(WEBHOOK_DELIVERY_JOB, data);
    }
  }
}
