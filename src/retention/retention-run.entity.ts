import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One run of the retention rule: scheduled, or started by an administrator. */
@Entity({ name: 'retention_runs' })
@Index('retention_runs_started_at_idx', ['startedAt'])
export class RetentionRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** `SCHEDULE` or `MANUAL`. */
  @Column({ type: 'text' })
  trigger!: string;

  /** The administrator who started a manual run. */
  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy!: string | null;

  /** The German calendar day the rule was applied for: clients whose last activity plus RETENTION_YEARS is on or before it were due. */
  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  erased!: number;

  @Column({ type: 'integer', default: 0 })
  failed!: number;
}
