import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { WriteContext } from '../audit/write-context';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { Caller } from '../common/http/caller.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { ApiPageResponse, PageQuery, type Page } from '../common/http/pagination';
import { ApiIdParam, CreatedResource, VersionedResource } from '../common/http/resource-headers';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import {
  CreateWebhookSubscriptionRequest,
  UpdateWebhookSubscriptionRequest,
  WebhookDeliveryListQuery,
  WebhookDeliveryResponse,
  WebhookSubscriptionResponse,
  WebhookSubscriptionWithSecretResponse,
} from './webhook.dto';
import { WebhookService } from './webhook.service';

@ApiTags('Partner webhooks')
@Controller('partner/webhooks')
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post()
  @Idempotent('webhook-subscription', { withheld: ['secret'] })
  @Allow(Permission.PartnerWebhookWrite)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'createWebhookSubscription',
    summary: 'Subscribe to events',
    description:
      'Your system receives each event of the chosen `events` as a signed POST to `url` (Standard Webhooks: ' +
      '`webhook-id`, `webhook-timestamp`, `webhook-signature`). The answer carries the signing `secret` — ' +
      'the only time it is shown. `url` must be `https://`, without credentials; its host must resolve to ' +
      'public addresses (checked again at every delivery). At most 20 subscriptions per partner (409).',
  })
  @CreatedResource(WebhookSubscriptionWithSecretResponse)
  @ApiProblemResponses(400, 409)
  create(
    @Body() body: CreateWebhookSubscriptionRequest,
    @Caller() caller: WriteContext,
  ): Promise<WebhookSubscriptionWithSecretResponse> {
    return this.webhooks.create(body, caller);
  }

  @Get()
  @Allow(Permission.PartnerWebhookRead)
  @ApiOperation({
    operationId: 'listWebhookSubscriptions',
    summary: 'List your webhook subscriptions',
    description: 'Oldest first; never a secret. Follow `nextCursor` until it is `null`.',
  })
  @ApiPageResponse(WebhookSubscriptionResponse)
  @ApiProblemResponses(400)
  list(
    @Query() query: PageQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<WebhookSubscriptionResponse>> {
    return this.webhooks.list(query, caller);
  }

  @Get(':id')
  @ApiIdParam('webhook subscription')
  @Allow(Permission.PartnerWebhookRead)
  @ApiOperation({
    operationId: 'getWebhookSubscription',
    summary: 'Get a webhook subscription',
    description: 'Only your own (404 otherwise); never its secret.',
  })
  @VersionedResource(WebhookSubscriptionResponse)
  @ApiProblemResponses(400, 404)
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: WriteContext,
  ): Promise<WebhookSubscriptionResponse> {
    return this.webhooks.get(id, caller);
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('webhook subscription')
  @Allow(Permission.PartnerWebhookWrite)
  @ApiOperation({
    operationId: 'updateWebhookSubscription',
    summary: 'Change the URL or the events of a subscription',
    description:
      'Members left out stay as they are; the secret does not change. Send the `ETag` you read as `If-Match` ' +
      '(428 without it, 412 if the subscription changed meanwhile). Deliveries still waiting go to the new URL.',
  })
  @VersionedResource(WebhookSubscriptionResponse)
  @ApiProblemResponses(400, 404)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateWebhookSubscriptionRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<WebhookSubscriptionResponse> {
    return this.webhooks.update(id, body, expectedVersion, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiIdParam('webhook subscription')
  @Allow(Permission.PartnerWebhookWrite)
  @ApiOperation({
    operationId: 'deleteWebhookSubscription',
    summary: 'Unsubscribe',
    description:
      'No further events are sent to it, including deliveries still waiting for a retry; its delivery log and ' +
      'its secrets are deleted with it.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(400, 404)
  async delete(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: WriteContext): Promise<void> {
    await this.webhooks.delete(id, caller);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiIdParam('webhook subscription')
  @Allow(Permission.PartnerWebhookWrite)
  @ApiOperation({
    operationId: 'rotateWebhookSecret',
    summary: 'Rotate the signing secret',
    description:
      'Answers a new `secret` (shown only here). For the next 24 hours (`previousSecretExpiresAt`) every ' +
      'delivery carries two signatures, space-separated in `webhook-signature`: one with the new secret and ' +
      'one with the previous one, so your endpoint keeps verifying while you deploy the new secret. Rotating ' +
      'again within the 24 hours drops the older secret at once.',
  })
  @VersionedResource(WebhookSubscriptionWithSecretResponse)
  @ApiProblemResponses(400, 404)
  rotateSecret(
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: WriteContext,
  ): Promise<WebhookSubscriptionWithSecretResponse> {
    return this.webhooks.rotateSecret(id, caller);
  }

  @Get(':id/deliveries')
  @ApiIdParam('webhook subscription')
  @Allow(Permission.PartnerWebhookRead)
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'List the deliveries of a subscription',
    description:
      'Newest first, each with its `webhook-id`, event type, state, every attempt (time, duration, your ' +
      'status code or the error class) and the next retry. `?status=DEAD_LETTERED` lists what failed for good.',
  })
  @ApiPageResponse(WebhookDeliveryResponse)
  @ApiProblemResponses(400, 404)
  listDeliveries(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: WebhookDeliveryListQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<WebhookDeliveryResponse>> {
    return this.webhooks.listDeliveries(id, query, caller);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiIdParam('webhook subscription')
  @ApiParam({
    name: 'deliveryId',
    format: 'uuid',
    description: 'A dead-lettered delivery of the subscription.',
  })
  @Allow(Permission.PartnerWebhookWrite)
  @ApiOperation({
    operationId: 'retryWebhookDelivery',
    summary: 'Send a dead-lettered delivery again',
    description:
      'One more attempt, made at once in the background with the same `webhook-id` and payload (a fresh ' +
      '`webhook-timestamp` and signature). Follow it in the delivery list; if it fails, the delivery is ' +
      'dead-lettered again. 409 for a delivery that is not dead-lettered, or a disabled subscription.',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse, description: 'The attempt is queued.' })
  @ApiProblemResponses(400, 404, 409)
  retryDelivery(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @Caller() caller: WriteContext,
  ): Promise<WebhookDeliveryResponse> {
    return this.webhooks.retryDelivery(id, deliveryId, caller);
  }
}
