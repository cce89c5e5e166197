import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import type { SendResult } from './webhook-sender';
import { WebhookRepository } from './webhook.repository';

export type DeliveryOutcome = 'delivered' | 'retry_scheduled' | 'dead_lettered';

/** The webhook metrics, registered on the application's registry (`/metrics`). */
@Injectable()
export class WebhookMetrics implements OnModuleInit {
  private attempts: Counter<'result'> | undefined;
  private outcomes: Counter<'outcome'> | undefined;
  private durations: Histogram<'result'> | undefined;

  constructor(
    private readonly metrics: MetricsService,
    private readonly repository: WebhookRepository,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    this.attempts = new Counter({
      name: 'webhook_attempts_total',
      help: 'Webhook delivery attempts made by this process, by result (success, or the error class)',
      labelNames: ['result'] as const,
      registers,
    });
    this.outcomes = new Counter({
      name: 'webhook_delivery_outcomes_total',
      help: 'What became of deliveries after an attempt in this process: delivered, retry_scheduled, dead_lettered',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.durations = new Histogram({
      name: 'webhook_attempt_duration_seconds',
      help: 'Duration of webhook delivery attempts made by this process, by result',
      labelNames: ['result'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const repository = this.repository;
    // Read on every scrape: the deliveries are shared by all processes (aggregate with max, not sum).
    new Gauge({
      name: 'webhook_deliveries',
      help: 'Webhook deliveries by state (PENDING, DELIVERED, DEAD_LETTERED), across all processes',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        this.reset();
        try {
          for (const { status, count } of await repository.countByStatus()) {
            this.set({ status }, count);
          }
        } catch {
          // The database is reported by /health/ready; a scrape still answers.
        }
      },
    });
  }

  observeAttempt(result: SendResult): void {
    const label = result.ok ? 'success' : (result.errorClass ?? 'error');
    this.attempts?.inc({ result: label });
    this.durations?.observe({ result: label }, result.durationMs / 1000);
  }

  countOutcome(outcome: DeliveryOutcome): void {
    this.outcomes?.inc({ outcome });
  }
}
