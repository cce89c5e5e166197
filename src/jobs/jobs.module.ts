import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HousekeepingJob } from './housekeeping.job';
import { HousekeepingRepository } from './housekeeping.repository';
import { JobHandlers } from './job-handler';
import { JobQueue } from './job-queue.service';
import { JobScheduleRepository } from './job-schedule.repository';
import { JobScheduler } from './job-scheduler';

/**
 * The PostgreSQL job queue. Global: any module enqueues through `JobQueue` and adds a job by
 * declaring a `@JobHandlerProvider()` (see `JobHandler`).
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    JobHandlers,
    JobScheduleRepository,
    JobScheduler,
    JobQueue,
    HousekeepingRepository,
    HousekeepingJob,
  ],
  exports: [JobQueue],
})
export class JobsModule {}
