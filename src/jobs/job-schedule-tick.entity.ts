import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One claimed tick of a recurring job. Every process with workers wakes at each tick and tries to
 * insert the tick; the primary key lets exactly one succeed, and that one enqueues the job in the same
 * transaction, so a tick runs at most once however many processes there are.
 */
@Entity({ name: 'job_schedule_ticks' })
export class JobScheduleTickEntity {
  @PrimaryColumn({ name: 'job_name', type: 'text' })
  jobName!: string;

  /** The tick as the cron expression defines it (not when a process noticed it). */
  @PrimaryColumn({ name: 'tick_at', type: 'timestamptz' })
  tickAt!: Date;

  @Column({ name: 'claimed_at', type: 'timestamptz', default: () => 'now()' })
  claimedAt!: Date;
}
