import { ApiProperty } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import { ValidateCodeList, ValidateEnum, ValidateString } from '../common/http/validate.decorators';
import { MAX_WEBHOOK_URL_LENGTH } from './webhook-address';
import { DELIVERY_STATUSES } from './webhook-delivery.entity';
import { WEBHOOK_EVENT_TYPES } from './webhook-outbox.service';
import type { WebhookAttemptRow, WebhookDeliveryListRow, WebhookSubscriptionRow } from './webhook.repository';

const EXAMPLE_URL = 'https://fachverfahren.jobcenter-example.de/anker/webhooks';

export class CreateWebhookSubscriptionRequest {
  @ValidateString({
    trim: true,
    min: 1,
    max: MAX_WEBHOOK_URL_LENGTH,
    example: EXAMPLE_URL,
    description:
      'Where the events are POSTed: an `https://` URL without credentials or fragment, at most 2048 ' +
      'characters. Its host must resolve to public addresses only (checked at every delivery).',
  })
  url!: string;

  @ValidateCodeList({
    values: WEBHOOK_EVENT_TYPES,
    minItems: 1,
    example: ['referral.created', 'referral.cancelled'],
    description: 'The event types to receive (at least one).',
  })
  events!: string[];
}

/** Members left out stay as they are; at least one must be sent. The secret does not change. */
export class UpdateWebhookSubscriptionRequest {
  @ValidateString({
    optional: true,
    trim: true,
    min: 1,
    max: MAX_WEBHOOK_URL_LENGTH,
    example: EXAMPLE_URL,
    description: 'A new endpoint; the same rules as when subscribing.',
  })
  url?: string;

  @ValidateCodeList({
    optional: true,
    values: WEBHOOK_EVENT_TYPES,
    minItems: 1,
    example: ['referral.created', 'referral.cancelled', 'referral.expired'],
    description: 'The event types to receive from now on (replaces the list).',
  })
  events?: string[];
}

export class WebhookSubscriptionResponse {
  @ApiProperty({ format: 'uuid', example: '5d7e1f0a-3c2b-4a69-8e15-2b9c4f7d6a01' })
  id!: string;

  @ApiProperty({ example: EXAMPLE_URL })
  url!: string;

  @ApiProperty({
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
    example: ['referral.created', 'referral.cancelled'],
  })
  events!: string[];

  @ApiProperty({
    enum: ['ACTIVE', 'DISABLED'],
    example: 'ACTIVE',
    description:
      '`DISABLED` after the endpoint answered `410 Gone`: no events are sent to it any more. Delete it and ' +
      'subscribe again to resume.',
  })
  status!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  disabledAt!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  disabledReason!: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-12-01T08:00:00.000000Z',
    description: 'When the secret was last rotated.',
  })
  secretRotatedAt!: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-12-02T08:00:00.000000Z',
    description:
      'Until then the secret before the last rotation still signs too: `webhook-signature` carries both ' +
      'signatures, space-separated.',
  })
  previousSecretExpiresAt!: string | null;

  @ApiProperty({ example: 1, description: 'Goes up with every change; the `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  updatedAt!: string;
}

const SECRET_DESCRIPTION =
  'The signing secret (Standard Webhooks: `whsec_` and base64 of 32 random bytes). Shown in this response ' +
  'only — store it now; the server keeps it encrypted and never shows it again. A replay of the request ' +
  'with the same `Idempotency-Key` answers without it: rotate the secret if the first answer was lost.';

/** The answer to subscribing or rotating: the only time a secret is shown. */
export class WebhookSubscriptionWithSecretResponse extends WebhookSubscriptionResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2Z0k1Q8aLXo=',
    description: SECRET_DESCRIPTION,
    required: false,
  })
  secret?: string;
}

export class WebhookDeliveryListQuery extends PageQuery {
  @ValidateEnum({
    optional: true,
    values: DELIVERY_STATUSES,
    description: 'Only deliveries in this state (`DEAD_LETTERED` lists what can be retried).',
  })
  status?: string;
}

export class WebhookAttemptResponse {
  @ApiProperty({ example: 1, description: '1 for the first attempt.' })
  number!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.412000Z' })
  attemptedAt!: string;

  @ApiProperty({ example: 87 })
  durationMs!: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 503,
    description: 'Your endpoint’s HTTP status, when it answered.',
  })
  statusCode!: number | null;

  @ApiProperty({
    nullable: true,
    type: String,
    enum: [
      'timeout',
      'refused-address',
      'dns',
      'connection',
      'tls',
      'redirect',
      'http-status',
      'invalid-url',
      'signing-secret',
    ],
    example: 'http-status',
    description:
      'Why the attempt failed: `timeout` (no complete answer within the limit), `refused-address` (the host ' +
      'resolved to a private, loopback or link-local address), `dns`, `connection`, `tls`, `redirect` (a 3xx — ' +
      'redirects are never followed), `http-status` (any other non-2xx), `signing-secret` (not sent: our ' +
      'side could not read the signing secret — an operator problem). `null` on success.',
  })
  errorClass!: string | null;

  @ApiProperty({ example: false })
  succeeded!: boolean;
}

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid', example: '9a4c2e71-0f3b-4d8a-b6e5-7c1d2f3a4b5c' })
  id!: string;

  @ApiProperty({
    example: 'msg_2b7f0c9e4d1a4e8f9c3b6a5d7e8f0a1b',
    description: 'The `webhook-id` header: the same on every attempt, so your endpoint can drop duplicates.',
  })
  webhookId!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, example: 'referral.created' })
  eventType!: string;

  @ApiProperty({
    enum: DELIVERY_STATUSES,
    example: 'PENDING',
    description:
      '`PENDING` (waiting for its next attempt), `DELIVERED` (your endpoint answered 2xx) or `DEAD_LETTERED` ' +
      '(every attempt failed; retry it with `POST …/deliveries/{deliveryId}/retry`).',
  })
  status!: string;

  @ApiProperty({ type: [WebhookAttemptResponse] })
  attempts!: WebhookAttemptResponse[];

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-11-22T09:31:12.000000Z',
    description: 'When the next attempt is due (`PENDING` only).',
  })
  nextAttemptAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  deliveredAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  deadLetteredAt!: string | null;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-22T09:30:00.123456Z',
    description: 'When the event happened.',
  })
  createdAt!: string;
}

export function toWebhookSubscriptionResponse(row: WebhookSubscriptionRow): WebhookSubscriptionResponse {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    status: row.status,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
    secretRotatedAt: row.secretRotatedAt,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toWebhookAttemptResponse(row: WebhookAttemptRow): WebhookAttemptResponse {
  return {
    number: row.number,
    attemptedAt: row.attemptedAt,
    durationMs: row.durationMs,
    statusCode: row.statusCode,
    errorClass: row.errorClass,
    succeeded: row.succeeded,
  };
}

export function toWebhookDeliveryResponse(
  row: WebhookDeliveryListRow,
  attempts: WebhookAttemptRow[],
): WebhookDeliveryResponse {
  return {
    id: row.id,
    webhookId: row.webhookId,
    eventType: row.eventType,
    status: row.status,
    attempts: attempts.map(toWebhookAttemptResponse),
    nextAttemptAt: row.status === 'PENDING' ? row.nextAttemptAt : null,
    deliveredAt: row.deliveredAt,
    deadLetteredAt: row.deadLetteredAt,
    createdAt: row.createdAt,
  };
}
