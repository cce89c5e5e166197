import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface QueueDepth {
  queue: string;
  state: string;
  count: number;
}

@Injectable()
export class MetricsService {
  /** One registry per application instance, so several apps in one process (tests) never collide. */
  readonly registry = new Registry();

  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly problems = new Counter({
    name: 'http_problems_total',
    help: 'Error responses by problem type',
    labelNames: ['type', 'status'] as const,
    registers: [this.registry],
  });

  private readonly jobDuration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Duration of job attempts run by this process, by queue and outcome (completed, failed)',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  private readonly jobFailures = new Counter({
    name: 'job_failures_total',
    help: 'Failed job attempts in this process, by queue (each is retried until its retry limit)',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  private queueDepthSource: (() => Promise<QueueDepth[]>) | undefined;

  constructor() {
    const depthSource = () => this.queueDepthSource;
    // Read from the database on every scrape: the queue is shared by all processes, so every process
    // reports the same depth (aggregate with max, not sum).
    new Gauge({
      name: 'job_queue_depth',
      help: 'Jobs waiting (created, retry) or running (active), by queue and state, across all processes',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        const source = depthSource();
        this.reset();
        if (source) {
          for (const { queue, state, count } of await source()) {
            this.set({ queue, state }, count);
          }
        }
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** `route` is the route pattern (`/api/v1/clients/:id`), never the raw URL, to bound cardinality. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status: String(status) }, seconds);
  }

  countProblem(type: string, status: number): void {
    this.problems.inc({ type, status: String(status) });
  }

  observeJob(queue: string, outcome: 'completed' | 'failed', seconds: number): void {
    this.jobDuration.observe({ queue, outcome }, seconds);
    if (outcome === 'failed') {
      this.jobFailures.inc({ queue });
    }
  }

  /** The job queue registers how to count its jobs (see `job_queue_depth`). */
  setQueueDepthSource(source: () => Promise<QueueDepth[]>): void {
    this.queueDepthSource = source;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
