import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Who did what to which resource, when, and with what outcome — never the data values.
 * Append-only: a trigger (migration AuditAndIdentity) rejects UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'audit_events' })
@Check('audit_events_outcome_check', `outcome IN ('SUCCESS', 'FAILURE', 'DENIED')`)
@Index('audit_events_occurred_at_idx', ['occurredAt', 'id'])
@Index('audit_events_actor_idx', ['actorId', 'occurredAt'])
@Index('audit_events_resource_idx', ['resourceType', 'resourceId', 'occurredAt'])
@Index('audit_events_client_idx', ['clientId', 'occurredAt'])
export class AuditEventEntity {
  /**
   * Time-ordered (UUID version 7, migration AuditEventIdsTimeOrdered): new events land at the right
   * edge of the primary key instead of on a random page of it — about half the WAL per audited read.
   */
  @PrimaryColumn({ type: 'uuid', default: () => 'anker_uuid_v7()' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt!: Date;

  /** `user`, `partner`, `system` (server-side command, first administrator) or `anonymous` (failed sign-in). */
  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text', nullable: true })
  role!: string | null;

  @Column({ name: 'office_id', type: 'uuid', nullable: true })
  officeId!: string | null;

  @Column({ name: 'network_id', type: 'uuid', nullable: true })
  networkId!: string | null;

  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId!: string | null;

  /** Public id of the partner system's API client, when a partner system acted. */
  @Column({ name: 'api_client_id', type: 'text', nullable: true })
  apiClientId!: string | null;

  /** `resource.verb`, e.g. `auth.sign-in`, `user.create`, `client.read`. */
  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'resource_type', type: 'text' })
  resourceType!: string;

  @Column({ name: 'resource_id', type: 'text', nullable: true })
  resourceId!: string | null;

  /** The counselling client (Ratsuchende·r) whose data was touched, for the access log. */
  @Column({ name: 'client_id', type: 'uuid', nullable: true })
  clientId!: string | null;

  /** The server's id of the request (also in the log and the problem's `instance`); never the caller's. */
  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId!: string | null;

  /**
   * The `X-Request-Id` the caller sent, kept apart: a caller must not be able to choose (or collide
   * with) the id that correlates the audit log with the server log.
   */
  @Column({ name: 'caller_request_id', type: 'text', nullable: true })
  callerRequestId!: string | null;

  @Column({ type: 'text' })
  outcome!: 'SUCCESS' | 'FAILURE' | 'DENIED';
}
