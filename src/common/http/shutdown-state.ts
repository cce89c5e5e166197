import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/**
 * Whether the application is shutting down. Set in the first phase of Nest's shutdown (module
 * destroy hooks), before the job workers finish their jobs (`beforeApplicationShutdown`) and long
 * before Fastify closes: from then on new HTTP requests get a 503 problem while requests in flight
 * complete.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy {
  closing = false;

  onModuleDestroy(): void {
    this.closing = true;
  }
}
