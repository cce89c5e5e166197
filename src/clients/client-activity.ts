import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/**
 * Something that counts as activity with a client for the retention rule (Art. 5(1)(e) GDPR): a
 * consultation, a case transition, a change of the record here; enrolments and referrals in their own
 * modules. Retention asks every source, so a new module joins by declaring a provider
 *
 *     @ClientActivitySourceProvider()
 *     @Injectable()
 *     export class EnrolmentActivity implements ClientActivitySource {
 *       readonly name = 'enrolments';
 *       readonly activitySql = `SELECT client_id, …::date AS activity_on FROM enrolments`;
 *       readonly holdSql = `SELECT client_id FROM enrolments WHERE status = 'OPEN'`;
 *     }
 *
 * without touching the retention code. The statements are set-based (they run once per retention run
 * for all clients), read-only, and may use `$1`, the configured time zone (TIME_ZONE), to turn
 * timestamps into the German calendar day: `(created_at AT TIME ZONE $1)::date`.
 */
export interface ClientActivitySource {
  readonly name: string;
  /** Rows `(client_id uuid, activity_on date)`: every day something happened with a client. */
  readonly activitySql: string;
  /**
   * Rows `(client_id uuid)` of clients that must be kept whatever their last activity: an open
   * recognition case, enrolment or referral.
   */
  readonly holdSql?: string;
}

/** Marks a provider as a source of client activity (see `ClientActivitySource`). */
export const ClientActivitySourceProvider = DiscoveryService.createDecorator<void>();

/** Every `ClientActivitySource` provider of the application, found at start-up. */
@Injectable()
export class ClientActivitySources implements OnModuleInit {
  private sources: ClientActivitySource[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.sources = this.discovery
      .getProviders({ metadataKey: ClientActivitySourceProvider.KEY })
      .map((wrapper) => wrapper.instance as ClientActivitySource)
      .sort((left, right) => left.name.localeCompare(right.name));
    const names = this.sources.map((source) => source.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) {
      throw new Error(`Two client activity sources are named "${repeated}".`);
    }
  }

  all(): readonly ClientActivitySource[] {
    return this.sources;
  }
}
