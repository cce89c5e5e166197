import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { resolveSigningKey } from '../auth/signing-key';
import { WEBHOOK_SECRET_BOX, WebhookDeliveryJob } from './webhook-delivery.job';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookOutbox } from './webhook-outbox.service';
import { WebhookPruneJob } from './webhook-prune.job';
import { WebhookSecretBox, deriveWebhookKey } from './webhook-secret-box';
import { WebhookController } from './webhook.controller';
import { WebhookRepository } from './webhook.repository';
import { WebhookService } from './webhook.service';

/**
 * Signed webhooks to partner systems (Standard Webhooks): the outbox other modules publish events to
 * (`WebhookOutbox`), their delivery job, and the partners' subscription API.
 */
@Module({
  controllers: [WebhookController],
  providers: [
    WebhookRepository,
    WebhookService,
    WebhookOutbox,
    WebhookMetrics,
    WebhookDeliveryJob,
    WebhookPruneJob,
    {
      provide: WEBHOOK_SECRET_BOX,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) =>
        new WebhookSecretBox(
          deriveWebhookKey(
            config.webhooks.secretKey,
            config.webhooks.secretKey ? Buffer.alloc(0) : await resolveSigningKey(config.auth),
          ),
        ),
    },
  ],
  exports: [WebhookOutbox],
})
export class WebhooksModule {}
