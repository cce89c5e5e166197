import { Transactional } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ProblemError, RequestValidationError } from '../common/errors/problem.error';
import { staleVersion } from '../common/http/concurrency';
import { instantCursor, toPage, type Page, type PageQuery } from '../common/http/pagination';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { JobQueue } from '../jobs/job-queue.service';
import { webhookUrlProblem } from './webhook-address';
import {
  WEBHOOK_DELIVERY_JOB,
  WEBHOOK_SECRET_BOX,
  type WebhookDeliveryJobData,
} from './webhook-delivery.job';
import { WebhookSecretBox, newWebhookSecret } from './webhook-secret-box';
import {
  toWebhookDeliveryResponse,
  toWebhookSubscriptionResponse,
  type CreateWebhookSubscriptionRequest,
  type UpdateWebhookSubscriptionRequest,
  type WebhookDeliveryListQuery,
  type WebhookDeliveryResponse,
  type WebhookSubscriptionResponse,
  type WebhookSubscriptionWithSecretResponse,
} from './webhook.dto';
import { WebhookRepository, type WebhookSubscriptionRow } from './webhook.repository';

/** Subscriptions one partner may have. */
export const MAX_SUBSCRIPTIONS_PER_PARTNER = 20;

/** After a rotation the previous secret still signs (and verifies) this long. */
export const PREVIOUS_SECRET_VALID_SECONDS = 24 * 60 * 60;

function subscriptionNotFound(): ProblemError {
  return new ProblemError('notFound', 'No webhook subscription with this id.');
}

/** The partner the calling system acts for (the permission lets partner systems only through). */
function partnerOf(actor: Actor): string {
  if (!actor.partnerId) {
    throw new ProblemError('forbidden', 'Only partner systems have webhook subscriptions.');
  }
  return actor.partnerId;
}

/** A partner system's webhook subscriptions and deliveries: its own only (others answer 404). */
@Injectable()
export class WebhookService {
  constructor(
    private readonly repository: WebhookRepository,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly changes: VersionedChanges,
    @Inject(WEBHOOK_SECRET_BOX) private readonly secrets: WebhookSecretBox,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Subscribes; the answer carries the signing secret, the only time it is shown. */
  @Transactional()
  async create(
    request: CreateWebhookSubscriptionRequest,
    context: WriteContext,
  ): Promise<WebhookSubscriptionWithSecretResponse> {
    const partnerId = partnerOf(context.actor);
    this.checkUrl(request.url);
    const existing = await this.repository.countSubscriptions(partnerId);
    if (existing >= MAX_SUBSCRIPTIONS_PER_PARTNER) {
      throw new ProblemError(
        'conflict',
        `A partner can have at most ${MAX_SUBSCRIPTIONS_PER_PARTNER} webhook subscriptions; delete one first.`,
      );
    }
    const id = randomUUID();
    const secret = newWebhookSecret();
    const row = await this.repository.insertSubscription({
      id,
      partnerId,
      url: request.url,
      events: [...request.events].sort(),
      secretEncrypted: this.secrets.seal(secret, id),
    });
    await this.audit.record(auditEvent(context, 'webhook-subscription.create', 'webhook-subscription', id));
    return { ...toWebhookSubscriptionResponse(row), secret };
  }

  async list(query: PageQuery, context: WriteContext): Promise<Page<WebhookSubscriptionResponse>> {
    const after = instantCursor(query.cursor);
    const rows = await this.repository.listSubscriptions(partnerOf(context.actor), after, query.limit);
    return toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.createdAt, id: row.id }),
      toWebhookSubscriptionResponse,
    );
  }

  async get(id: string, context: WriteContext): Promise<WebhookSubscriptionResponse> {
    return toWebhookSubscriptionResponse(await this.find(id, context));
  }

  /**
   * Changes the URL and/or the events (`If-Match`); the secret stays. Deliveries already waiting go to
   * the new URL; events already published are not added or removed.
   */
  @Transactional()
  async update(
    id: string,
    request: UpdateWebhookSubscriptionRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<WebhookSubscriptionResponse> {
    const changes = { url: request.url, events: request.events ? [...request.events].sort() : undefined };
    if (isEmptyChange(changes)) {
      throw emptyPatchError();
    }
    if (changes.url !== undefined) {
      this.checkUrl(changes.url);
    }
    return this.changes.apply({
      load: () => this.repository.findSubscription(partnerOf(context.actor), id, true),
      notFound: subscriptionNotFound,
      expectedVersion,
      apply: async (current) => {
        const row = await this.repository.updateSubscription(current.id, changes, expectedVersion);
        if (!row) {
          throw staleVersion(current.version);
        }
        return toWebhookSubscriptionResponse(row);
      },
      audit: (result) =>
        auditEvent(context, 'webhook-subscription.update', 'webhook-subscription', result.id),
    });
  }

  /** Deletes the subscription with its delivery log; pending deliveries are not sent. */
  @Transactional()
  async delete(id: string, context: WriteContext): Promise<void> {
    const subscription = await this.find(id, context, true);
    await this.repository.deleteSubscription(subscription.id);
    await this.audit.record(
      auditEvent(context, 'webhook-subscription.delete', 'webhook-subscription', subscription.id),
    );
  }

  /**
   * A new secret signs from now on; the current one becomes the previous one and keeps signing for 24
   * hours (a secret from an earlier rotation is dropped at once).
   */
  @Transactional()
  async rotateSecret(id: string, context: WriteContext): Promise<WebhookSubscriptionWithSecretResponse> {
    const subscription = await this.find(id, context, true);
    const secret = newWebhookSecret();
    const row = await this.repository.rotateSecret(
      subscription.id,
      this.secrets.seal(secret, subscription.id),
      subscription.secretEncrypted,
      PREVIOUS_SECRET_VALID_SECONDS,
    );
    await this.audit.record(
      auditEvent(context, 'webhook-subscription.rotate-secret', 'webhook-subscription', subscription.id),
    );
    return { ...toWebhookSubscriptionResponse(row), secret };
  }

  async listDeliveries(
    id: string,
    query: WebhookDeliveryListQuery,
    context: WriteContext,
  ): Promise<Page<WebhookDeliveryResponse>> {
    const after = instantCursor(query.cursor);
    const subscription = await this.find(id, context);
    const rows = await this.repository.listDeliveries(
      subscription.id,
      { status: query.status },
      after,
      query.limit,
    );
    const shown = rows.slice(0, query.limit);
    const attempts = await this.repository.attemptsOf(shown.map((row) => row.id));
    return toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.createdAt, id: row.id }),
      (row) =>
        toWebhookDeliveryResponse(
          row,
          attempts.filter((attempt) => attempt.deliveryId === row.id),
        ),
    );
  }

  /**
   * Sends a dead-lettered delivery again: one attempt, at once (in the background), with the same
   * `webhook-id`. If it fails, the delivery is dead-lettered again.
   */
  @Transactional()
  async retryDelivery(
    id: string,
    deliveryId: string,
    context: WriteContext,
  ): Promise<WebhookDeliveryResponse> {
    const subscription = await this.find(id, context, true);
    const delivery = await this.repository.findDeliveryForUpdate(subscription.id, deliveryId);
    if (!delivery) {
      throw new ProblemError('notFound', 'No delivery with this id for this webhook subscription.');
    }
    if (delivery.status !== 'DEAD_LETTERED') {
      throw new ProblemError(
        'conflict',
        `Only a dead-lettered delivery can be retried; this one is ${delivery.status}.`,
        { extensions: { deliveryStatus: delivery.status } },
      );
    }
    if (subscription.status !== 'ACTIVE') {
      throw new ProblemError(
        'conflict',
        'The subscription is disabled (its endpoint answered 410 Gone); subscribe again to receive events.',
      );
    }
    await this.repository.revive(delivery.id, 1);
    const job: WebhookDeliveryJobData = { deliveryId: delivery.id, attempt: delivery.attempts + 1 };
    await this.queue.enqueue(WEBHOOK_DELIVERY_JOB, job);
    await this.audit.record(auditEvent(context, 'webhook-delivery.retry', 'webhook-delivery', delivery.id));
    const [row] = await this.repository.listDeliveries(subscription.id, {}, undefined, 1, delivery.id);
    const attempts = await this.repository.attemptsOf([delivery.id]);
    return toWebhookDeliveryResponse(row, attempts);
  }

  private checkUrl(url: string): void {
    const problem = webhookUrlProblem(url, this.config.webhooks.allowPrivateUrls);
    if (problem) {
      throw new RequestValidationError([{ pointer: '#/url', detail: problem }]);
    }
  }

  private async find(id: string, context: WriteContext, forUpdate = false): Promise<WebhookSubscriptionRow> {
    const subscription = await this.repository.findSubscription(partnerOf(context.actor), id, forUpdate);
    if (!subscription) {
      throw subscriptionNotFound();
    }
    return subscription;
  }
}
