import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { createdAtKeyset, orderAndLimit, type RowOf } from '../common/database/table';
import type { CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { WebhookAttemptEntity } from './webhook-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookMessageEntity } from './webhook-message.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

export type WebhookSubscriptionRow = RowOf<WebhookSubscriptionEntity>;
export type WebhookDeliveryRow = RowOf<WebhookDeliveryEntity>;
export type WebhookAttemptRow = RowOf<WebhookAttemptEntity>;

/** A delivery with its message's type, in the partner's listing. */
export type WebhookDeliveryListRow = WebhookDeliveryRow & { eventType: string };

/** Everything one delivery attempt needs. */
export interface DeliveryWork {
  delivery: WebhookDeliveryRow;
  subscription: WebhookSubscriptionRow;
  message: RowOf<WebhookMessageEntity>;
}

/** All SQL on the webhook tables (subscriptions, the outbox's messages, deliveries and their attempts). */
@Injectable()
export class WebhookRepository {
  constructor(private readonly db: Db) {}

  private get subscriptions() {
    return this.db.table(WebhookSubscriptionEntity);
  }

  private get deliveries() {
    return this.db.table(WebhookDeliveryEntity);
  }

  private get messages() {
    return this.db.table(WebhookMessageEntity);
  }

  private get attempts() {
    return this.db.table(WebhookAttemptEntity);
  }

  // --- the outbox -------------------------------------------------------------------------------

  async insertMessage(message: {
    partnerId: string;
    type: string;
    data: Record<string, unknown>;
  }): Promise<RowOf<WebhookMessageEntity>> {
    const parameters = new SqlParameters();
    return (await this.db.row<RowOf<WebhookMessageEntity>>(
      this.messages.insert(message, parameters),
      parameters.values,
    ))!;
  }

  /**
   * One delivery of the message per active subscription of its partner to its type, each with its own
   * `webhook-id`; answers their ids.
   */
  async insertDeliveries(
    message: { id: string; partnerId: string; type: string },
    attemptsLeft: number,
  ): Promise<{ id: string; attempts: number }[]> {
    return this.db.rows<{ id: string; attempts: number }>(
      `INSERT INTO webhook_deliveries (message_id, subscription_id, webhook_id, attempts_left, next_attempt_at)
       SELECT $1, s.id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), $4, now()
         FROM webhook_subscriptions s
        WHERE s.partner_id = $2 AND s.status = 'ACTIVE' AND $3 = ANY (s.events)
        ORDER BY s.created_at, s.id
       RETURNING id, attempts`,
      [message.id, message.partnerId, message.type, attemptsLeft],
    );
  }

  // --- subscriptions ----------------------------------------------------------------------------

  async insertSubscription(
    subscription: Pick<WebhookSubscriptionRow, 'id' | 'partnerId' | 'url' | 'events' | 'secretEncrypted'>,
  ): Promise<WebhookSubscriptionRow> {
    const parameters = new SqlParameters();
    return (await this.db.row<WebhookSubscriptionRow>(
      this.subscriptions.insert(subscription, parameters),
      parameters.values,
    ))!;
  }

  /** The partner's subscriptions, oldest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async listSubscriptions(
    partnerId: string,
    after: CursorKey | undefined,
    limit: number,
  ): Promise<WebhookSubscriptionRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`partner_id = ${parameters.bind(partnerId)}`];
    if (after) {
      conditions.push(createdAtKeyset(after, 'ASC', parameters));
    }
    return this.db.rows<WebhookSubscriptionRow>(
      `SELECT ${this.subscriptions.columns()} FROM webhook_subscriptions WHERE ${conditions.join(' AND ')}
       ${orderAndLimit(['created_at', 'id'], 'ASC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** One subscription of the partner (locked for the rest of the transaction with `forUpdate`). */
  async findSubscription(
    partnerId: string,
    id: string,
    forUpdate = false,
  ): Promise<WebhookSubscriptionRow | undefined> {
    return this.db.row<WebhookSubscriptionRow>(
      `SELECT ${this.subscriptions.columns()} FROM webhook_subscriptions
        WHERE partner_id = $1 AND id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [partnerId, id],
    );
  }

  async countSubscriptions(partnerId: string): Promise<number> {
    const row = await this.db.row<{ count: number }>(
      'SELECT count(*)::int AS count FROM webhook_subscriptions WHERE partner_id = $1',
      [partnerId],
    );
    return row?.count ?? 0;
  }

  /** Changes URL and/or events if the version still matches; no row: changed meanwhile. */
  async updateSubscription(
    id: string,
    changes: { url?: string; events?: string[] },
    expectedVersion: number,
  ): Promise<WebhookSubscriptionRow | undefined> {
    const parameters = new SqlParameters();
    return this.db.row<WebhookSubscriptionRow>(
      this.subscriptions.versionedUpdate(changes, { id }, expectedVersion, parameters),
      parameters.values,
    );
  }

  /** Deletes a subscription with its deliveries and attempts (the messages stay). */
  async deleteSubscription(id: string): Promise<void> {
    await this.db.run('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
  }

  async rotateSecret(
    id: string,
    secretEncrypted: string,
    previousSecretEncrypted: string,
    previousValidForSeconds: number,
  ): Promise<WebhookSubscriptionRow> {
    return (await this.db.row<WebhookSubscriptionRow>(
      `UPDATE webhook_subscriptions
          SET secret_encrypted = $2, previous_secret_encrypted = $3,
              previous_secret_expires_at = now() + make_interval(secs => $4),
              secret_rotated_at = now(), version = version + 1, updated_at = now()
        WHERE id = $1
       RETURNING ${this.subscriptions.columns()}`,
      [id, secretEncrypted, previousSecretEncrypted, previousValidForSeconds],
    ))!;
  }

  async disableSubscription(id: string, reason: string): Promise<void> {
    await this.db.run(
      `UPDATE webhook_subscriptions
          SET status = 'DISABLED', disabled_at = now(), disabled_reason = $2, version = version + 1,
              updated_at = now()
        WHERE id = $1 AND status = 'ACTIVE'`,
      [id, reason],
    );
  }

  // --- deliveries -------------------------------------------------------------------------------

  /** A delivery with its subscription and message (no lock: the HTTP attempt runs outside a transaction). */
  async findWork(deliveryId: string): Promise<DeliveryWork | undefined> {
    const row = await this.db.row<{
      delivery: WebhookDeliveryRow;
      subscription: WebhookSubscriptionRow;
      message: RowOf<WebhookMessageEntity>;
    }>(
      `SELECT (SELECT to_jsonb(x) FROM (SELECT ${this.deliveries.columns('d')}) x) AS delivery,
              (SELECT to_jsonb(x) FROM (SELECT ${this.subscriptions.columns('s')}) x) AS subscription,
              (SELECT to_jsonb(x) FROM (SELECT ${this.messages.columns('m')}) x) AS message
         FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id
         JOIN webhook_messages m ON m.id = d.message_id
        WHERE d.id = $1`,
      [deliveryId],
    );
    return row;
  }

  async lockDelivery(deliveryId: string): Promise<WebhookDeliveryRow | undefined> {
    return this.db.row<WebhookDeliveryRow>(
      `SELECT ${this.deliveries.columns()} FROM webhook_deliveries WHERE id = $1 FOR UPDATE`,
      [deliveryId],
    );
  }

  /** A delivery of one subscription, locked. */
  async findDeliveryForUpdate(
    subscriptionId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryRow | undefined> {
    return this.db.row<WebhookDeliveryRow>(
      `SELECT ${this.deliveries.columns()} FROM webhook_deliveries
        WHERE subscription_id = $1 AND id = $2 FOR UPDATE`,
      [subscriptionId, deliveryId],
    );
  }

  async insertAttempt(attempt: Omit<WebhookAttemptRow, 'id'>): Promise<void> {
    const parameters = new SqlParameters();
    await this.db.run(this.attempts.insert(attempt, parameters, 'id'), parameters.values);
  }

  /** After an attempt: its count, and the delivery's new state. */
  async updateDelivery(
    id: string,
    change: {
      status: 'PENDING' | 'DELIVERED' | 'DEAD_LETTERED';
      attempts: number;
      attemptsLeft: number;
      nextAttemptAt: Date | null;
    },
  ): Promise<void> {
    await this.db.run(
      `UPDATE webhook_deliveries
          SET status = $2, attempts = $3, attempts_left = $4, next_attempt_at = $5,
              delivered_at = CASE WHEN $2 = 'DELIVERED' THEN now() END,
              dead_lettered_at = CASE WHEN $2 = 'DEAD_LETTERED' THEN now() END,
              updated_at = now()
        WHERE id = $1`,
      [id, change.status, change.attempts, change.attemptsLeft, change.nextAttemptAt],
    );
  }

  /** A dead-lettered delivery gets `attemptsLeft` more attempts, the first at once. */
  async revive(id: string, attemptsLeft: number): Promise<WebhookDeliveryRow> {
    return (await this.db.row<WebhookDeliveryRow>(
      `UPDATE webhook_deliveries
          SET status = 'PENDING', attempts_left = $2, next_attempt_at = now(), dead_lettered_at = NULL,
              updated_at = now()
        WHERE id = $1
       RETURNING ${this.deliveries.columns()}`,
      [id, attemptsLeft],
    ))!;
  }

  /**
   * A subscription's deliveries, newest first, keyset on (created_at, id); `status` filters (and
   * `deliveryId` picks one). Fetches `limit + 1` rows.
   */
  async listDeliveries(
    subscriptionId: string,
    filter: { status?: string },
    after: CursorKey | undefined,
    limit: number,
    deliveryId?: string,
  ): Promise<WebhookDeliveryListRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`d.subscription_id = ${parameters.bind(subscriptionId)}`];
    if (deliveryId) {
      conditions.push(`d.id = ${parameters.bind(deliveryId)}`);
    }
    if (filter.status) {
      conditions.push(`d.status = ${parameters.bind(filter.status)}`);
    }
    if (after) {
      conditions.push(createdAtKeyset(after, 'DESC', parameters, 'd'));
    }
    return this.db.rows<WebhookDeliveryListRow>(
      `SELECT ${this.deliveries.columns('d')}, m.type AS "eventType"
         FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
        WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['d.created_at', 'd.id'], 'DESC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** The attempts of these deliveries, in order. */
  async attemptsOf(deliveryIds: string[]): Promise<WebhookAttemptRow[]> {
    if (deliveryIds.length === 0) {
      return [];
    }
    return this.db.rows<WebhookAttemptRow>(
      `SELECT ${this.attempts.columns()} FROM webhook_attempts
        WHERE delivery_id = ANY ($1::uuid[]) ORDER BY delivery_id, number`,
      [deliveryIds],
    );
  }

  /**
   * Deletes up to `limit` events older than `days` days none of whose deliveries is still pending (their
   * deliveries and attempts go with them); answers how many.
   */
  async deleteFinishedMessages(days: number, limit: number): Promise<number> {
    return this.db.run(
      `DELETE FROM webhook_messages WHERE id IN (
         SELECT m.id FROM webhook_messages m
          WHERE m.created_at < now() - make_interval(days => $1)
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.message_id = m.id AND d.status = 'PENDING')
          ORDER BY m.created_at LIMIT $2)`,
      [days, limit],
    );
  }

  /** Deliveries by state across all partners (for `/metrics`). */
  async countByStatus(): Promise<{ status: string; count: number }[]> {
    return this.db.rows<{ status: string; count: number }>(
      'SELECT status, count(*)::int AS count FROM webhook_deliveries GROUP BY status',
    );
  }
}
