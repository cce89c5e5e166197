import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Failed sign-ins by key (`account:<name>` or `address:<ip>`), counted over a window to answer 429.
 * Kept in the database so that the limit holds across replicas and restarts.
 */
@Entity({ name: 'sign_in_failures' })
@Index('sign_in_failures_key_failed_at_idx', ['key', 'failedAt'])
export class SignInFailureEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  key!: string;

  @Column({ name: 'failed_at', type: 'timestamptz', default: () => 'now()' })
  failedAt!: Date;
}
