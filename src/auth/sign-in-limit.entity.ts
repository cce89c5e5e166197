import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Sign-in attempts by key (`account:<name>`, `client:<id>` or `address:<ip>`) in the current window,
 * to answer 429. One row per key, so that claiming an attempt is one atomic upsert: of 30 parallel
 * attempts only SIGN_IN_MAX_FAILURES get to have their password checked. Kept in the database so
 * that the limit holds across replicas and restarts.
 */
@Entity({ name: 'sign_in_limits' })
export class SignInLimitEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** Attempts claimed in the window that did not succeed (a success gives its claim back). */
  @Column({ type: 'integer' })
  failures!: number;

  /** Indexed for removing the rows whose window ran out. */
  @Index('sign_in_limits_window_started_at_idx')
  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;
}
