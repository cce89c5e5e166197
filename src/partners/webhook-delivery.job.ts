import { Transactional } from '@nestjs-cls/transactional';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { JobHandlerProvider, type JobHandler, type JobOptions } from '../jobs/job-handler';
import { JobQueue } from '../jobs/job-queue.service';
import { backoffDelayMs } from './webhook-backoff';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookSecretBox } from './webhook-secret-box';
import { sendWebhook, type SendResult } from './webhook-sender';
import { WebhookRepository, type DeliveryWork } from './webhook.repository';

export const WEBHOOK_DELIVERY_JOB = 'webhooks.deliver';

/** The job of one delivery attempt: which delivery, and which attempt (a stale duplicate is skipped). */
export interface WebhookDeliveryJobData {
  deliveryId: string;
  attempt: number;
}

/** Injection token of the `WebhookSecretBox` (its key is resolved at start-up). */
export const WEBHOOK_SECRET_BOX = Symbol('WEBHOOK_SECRET_BOX');

/** The subscription is disabled when its endpoint answers this (the partner removed it). */
const GONE = 410;

/** The JSON body partners receive. */
export function webhookPayload(work: Pick<DeliveryWork, 'message'>): string {
  return JSON.stringify({
    type: work.message.type,
    timestamp: work.message.createdAt,
    data: work.message.data,
  });
}

/**
 * `webhook-signature`: `v1,<base64>` with the current secret, and during the 24 hours after a
 * rotation also with the previous one, space-separated (receivers accept any one that verifies).
 */
export function webhookSignature(
  secrets: readonly string[],
  webhookId: string,
  sentAt: Date,
  payload: string,
): string {
  return secrets.map((secret) => new Webhook(secret).sign(webhookId, sentAt, payload)).join(' ');
}

/**
 * Makes one attempt of a delivery and records it; on failure schedules the next attempt (exponential
 * back-off with full jitter) as a new job, in the same transaction as the record, or dead-letters the
 * delivery after its last attempt. The HTTP call runs outside any transaction. A process killed during
 * the call leaves the job active; pg-boss retries it after its expiry, and the attempt is made again
 * (with the same `webhook-id`, so the receiver can drop a duplicate).
 */
@JobHandlerProvider()
@Injectable()
export class WebhookDeliveryJob implements JobHandler<WebhookDeliveryJobData> {
  readonly name = WEBHOOK_DELIVERY_JOB;
  readonly options: JobOptions;
  private readonly logger = new Logger(WebhookDeliveryJob.name);

  constructor(
    private readonly repository: WebhookRepository,
    private readonly queue: JobQueue,
    private readonly metrics: WebhookMetrics,
    @Inject(WEBHOOK_SECRET_BOX) private readonly secrets: WebhookSecretBox,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.options = {
      // Retries of the job itself: only when recording fails (database trouble) or the process died.
      retryLimit: 5,
      retryDelaySeconds: 5,
      retryBackoff: true,
      expireInSeconds: Math.ceil(config.webhooks.timeoutMs / 1000) + 60,
      // Deliveries mostly wait on partners' endpoints: one slow endpoint must not hold up the others.
      concurrency: config.webhooks.concurrency,
    };
  }

  async handle(data: WebhookDeliveryJobData): Promise<void> {
    const work = await this.repository.findWork(data.deliveryId);
    if (!work || work.delivery.status !== 'PENDING' || work.delivery.attempts + 1 !== data.attempt) {
      // Deleted with its subscription, finished, or this job is a duplicate of one that already ran.
      return;
    }
    if (work.subscription.status !== 'ACTIVE') {
      await this.finish(work, data.attempt, undefined);
      return;
    }
    const result = await this.attempt(work);
    await this.finish(work, data.attempt, result);
  }

  private async attempt(work: DeliveryWork): Promise<SendResult & { attemptedAt: Date }> {
    const attemptedAt = new Date();
    const secrets = this.signingSecrets(work, attemptedAt);
    if (!secrets) {
      const result: SendResult = { ok: false, statusCode: null, errorClass: 'signing-secret', durationMs: 0 };
      this.metrics.observeAttempt(result);
      return { ...result, attemptedAt };
    }
    const payload = webhookPayload(work);
    // Signed with the wall-clock time: receivers compare it with theirs (Standard Webhooks: ±5 minutes).
    const result = await sendWebhook({
      url: work.subscription.url,
      body: payload,
      headers: {
        'webhook-id': work.delivery.webhookId,
        'webhook-timestamp': String(Math.floor(attemptedAt.getTime() / 1000)),
        'webhook-signature': webhookSignature(secrets, work.delivery.webhookId, attemptedAt, payload),
      },
      timeoutMs: this.config.webhooks.timeoutMs,
      allowPrivate: this.config.webhooks.allowPrivateUrls,
    });
    this.metrics.observeAttempt(result);
    return { ...result, attemptedAt };
  }

  /**
   * The secrets that sign now: the current one, and the previous one during its overlap. Undefined when
   * they cannot be decrypted (the key they were sealed with is gone): nothing is sent unsigned.
   */
  private signingSecrets(work: DeliveryWork, now: Date): string[] | undefined {
    const { subscription } = work;
    try {
      const secrets = [this.secrets.open(subscription.secretEncrypted, subscription.id)];
      if (
        subscription.previousSecretEncrypted !== null &&
        subscription.previousSecretExpiresAt !== null &&
        Date.parse(subscription.previousSecretExpiresAt) > now.getTime()
      ) {
        secrets.push(this.secrets.open(subscription.previousSecretEncrypted, subscription.id));
      }
      return secrets;
    } catch {
      this.logger.error(
        { subscriptionId: subscription.id },
        'A webhook signing secret cannot be decrypted: WEBHOOK_SECRET_KEY (or, when it is unset, the JWT ' +
          'signing key) is not the one it was stored with. The attempt counts as failed.',
      );
      return undefined;
    }
  }

  /**
   * Records the attempt (none when the subscription is disabled) and moves the delivery on, in one
   * transaction with the next attempt's job.
   */
  @Transactional()
  private async finish(
    work: DeliveryWork,
    attempt: number,
    result: (SendResult & { attemptedAt: Date }) | undefined,
  ): Promise<void> {
    const delivery = await this.repository.lockDelivery(work.delivery.id);
    if (!delivery || delivery.status !== 'PENDING' || delivery.attempts + 1 !== attempt) {
      return;
    }
    if (!result) {
      await this.repository.updateDelivery(delivery.id, {
        status: 'DEAD_LETTERED',
        attempts: delivery.attempts,
        attemptsLeft: 0,
        nextAttemptAt: null,
      });
      this.metrics.countOutcome('dead_lettered');
      return;
    }
    await this.repository.insertAttempt({
      deliveryId: delivery.id,
      number: attempt,
      attemptedAt: result.attemptedAt.toISOString(),
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      errorClass: result.errorClass,
      succeeded: result.ok,
    });
    const attemptsLeft = Math.max(delivery.attemptsLeft - 1, 0);
    if (result.ok) {
      await this.repository.updateDelivery(delivery.id, {
        status: 'DELIVERED',
        attempts: attempt,
        attemptsLeft,
        nextAttemptAt: null,
      });
      this.metrics.countOutcome('delivered');
      return;
    }
    if (result.statusCode === GONE) {
      await this.repository.disableSubscription(work.subscription.id, 'The endpoint answered 410 Gone.');
      this.logger.warn(
        { subscriptionId: work.subscription.id, partnerId: work.subscription.partnerId },
        'Webhook subscription disabled: its endpoint answered 410 Gone',
      );
    }
    if (attemptsLeft === 0 || result.statusCode === GONE) {
      await this.repository.updateDelivery(delivery.id, {
        status: 'DEAD_LETTERED',
        attempts: attempt,
        attemptsLeft: 0,
        nextAttemptAt: null,
      });
      this.metrics.countOutcome('dead_lettered');
      return;
    }
    const delayMs = backoffDelayMs(attempt, {
      baseMs: this.config.webhooks.retryBaseMs,
      maxMs: this.config.webhooks.retryMaxMs,
    });
    const nextAttemptAt = new Date(Date.now() + delayMs);
    await this.repository.updateDelivery(delivery.id, {
      status: 'PENDING',
      attempts: attempt,
      attemptsLeft,
      nextAttemptAt,
    });
    const next: WebhookDeliveryJobData = { deliveryId: delivery.id, attempt: attempt + 1 };
    await this.queue.enqueue(WEBHOOK_DELIVERY_JOB, next, { startAfter: nextAttemptAt });
    this.metrics.countOutcome('retry_scheduled');
  }
}
