import { Propagation, Transactional } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import type { AuditEventResponse } from '../audit/audit.dto';
import { AuditService } from '../audit/audit.service';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { VersionedChanges } from '../audit/versioned-change';
import { ProblemError } from '../common/errors/problem.error';
import { Clock } from '../common/time/clock';
import { decodeCursor, encodeCursor, type Page } from '../common/http/pagination';
import { IdempotencyRepository } from '../common/idempotency/idempotency.repository';
import { ClientDataParts, type TimelineEntry } from './client-data-part';
import type { ClientExportResponse, ErasureResponse, TimelineQuery } from './client-privacy.dto';
import { clientNotFound, ClientScope } from './client-scope.service';
import { toClientResponse } from './client.dto';
import { ClientRepository } from './client.repository';

export const EXPORT_FORMAT = 'anker.client-export.v1';

const IDENTITY_MEMBERS = ['firstName', 'lastName', 'birthDate', 'email', 'phone', 'postalCode', 'city'];

/**
 * The data subject's rights over everything stored about a client: who accessed it, a complete
 * copy (Art. 15/20), erasure (Art. 17), and the timeline. Each asks every `ClientDataPart`, so
 * modules added later take part without changes here.
 */
@Injectable()
export class ClientPrivacyService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly scope: ClientScope,
    private readonly parts: ClientDataParts,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyRepository,
    private readonly changes: VersionedChanges,
    private readonly clock: Clock,
  ) {}

  /** Newest first. Reading the access log is itself recorded in it. */
  async accessLog(
    clientId: string,
    cursor: string | undefined,
    limit: number,
    context: WriteContext,
  ): Promise<Page<AuditEventResponse>> {
    await this.scope.readable(clientId, context.actor);
    await this.audit.record(auditEvent(context, 'client.access-log.read', 'client', clientId, clientId));
    return this.audit.accessLog(clientId, cursor, limit);
  }

  /** One consistent snapshot (a repeatable-read transaction) of everything about the client. */
  @Transactional<TransactionalAdapterTypeOrm>(Propagation.Required, { isolationLevel: 'REPEATABLE READ' })
  async export(clientId: string, context: WriteContext): Promise<ClientExportResponse> {
    const client = await this.scope.readable(clientId, context.actor);
    await this.audit.record(auditEvent(context, 'client.export', 'client', clientId, clientId));
    const records: Record<string, unknown[]> = {};
    for (const part of this.parts.all()) {
      records[part.name] = await part.exportFor(clientId);
    }
    return {
      format: EXPORT_FORMAT,
      exportedAt: this.clock.now().toISOString(),
      client: toClientResponse(client),
      records,
      accessLog: await this.audit.completeAccessLog(clientId),
    };
  }

  /**
   * Removes identity, contact data and every part's free texts for good, in one transaction; the
   * statistical profile stays so that past reports do not change. Kept idempotent replies that
   * contain the client's data are forgotten too.
   */
  @Transactional()
  async erase(clientId: string, expectedVersion: number, context: WriteContext): Promise<ErasureResponse> {
    return this.changes.apply({
      load: () => this.scope.lockForChange(clientId, context.actor),
      notFound: clientNotFound,
      expectedVersion,
      apply: () => this.eraseRecords(clientId),
      audit: () => auditEvent(context, 'client.erase', 'client', clientId, clientId),
    });
  }

  /**
   * The same erasure for the retention rule (Art. 5(1)(e)), which has no signed-in actor: the client
   * is found in its office by the caller (who locked it and read `expectedVersion`), and the audit
   * event names the system as the actor, with the retention run's id as the request id.
   */
  @Transactional()
  async eraseAsSystem(
    clientId: string,
    officeId: string,
    expectedVersion: number,
    requestId: string,
  ): Promise<ErasureResponse> {
    return this.changes.apply({
      load: async () => {
        const client = await this.clients.lockInOffice(clientId, officeId);
        if (client?.erasedAt) {
          throw new ProblemError(
            'clientErased',
            `The client's personal data was erased on ${client.erasedAt}.`,
          );
        }
        return client;
      },
      notFound: clientNotFound,
      expectedVersion,
      apply: () => this.eraseRecords(clientId),
      audit: () => ({
        actor: 'system',
        action: 'client.erase',
        resourceType: 'client',
        resourceId: clientId,
        clientId,
        requestId,
      }),
    });
  }

  /** Every part's free texts, then the client's identity; kept replies about the client are forgotten. */
  private async eraseRecords(clientId: string): Promise<ErasureResponse> {
    const parts = [];
    const dataRecipients = [];
    for (const part of this.parts.all()) {
      const erased = await part.eraseFor(clientId);
      parts.push({ name: part.name, rowsErased: erased.rowsErased });
      dataRecipients.push(...erased.recipients);
    }
    const erased = await this.clients.erase(clientId);
    await this.idempotency.forgetResponsesAbout(clientId);
    return {
      clientId,
      erasedAt: erased.erasedAt ?? '',
      identityErased: IDENTITY_MEMBERS,
      parts,
      dataRecipients,
    };
  }

  /** Every part's entries from one snapshot. */
  @Transactional<TransactionalAdapterTypeOrm>(Propagation.Required, { isolationLevel: 'REPEATABLE READ' })
  private async timelineEntries(clientId: string, context: WriteContext): Promise<TimelineEntry[]> {
    await this.scope.readable(clientId, context.actor);
    await this.audit.record(auditEvent(context, 'client.timeline.read', 'client', clientId, clientId));
    const all: TimelineEntry[] = [];
    for (const part of this.parts.all()) {
      all.push(...(await part.timelineFor(clientId)));
    }
    return all;
  }

  /** Everything that happened with the client, oldest first. */
  async timeline(
    clientId: string,
    query: TimelineQuery,
    context: WriteContext,
  ): Promise<Page<TimelineEntry>> {
    const after = decodeCursor(query.cursor);
    const entries = await this.timelineEntries(clientId, context);
    const ordered = entries
      .filter(
        (entry) =>
          (query.from === undefined || entry.date >= query.from) &&
          (query.to === undefined || entry.date <= query.to),
      )
      .map((entry) => ({ entry, key: timelineKey(entry) }))
      .sort((left, right) => compare(left.key, right.key))
      .filter(({ key }) => after === undefined || compare(key, after) > 0);
    const page = ordered.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ entry }) => entry),
      nextCursor: ordered.length > query.limit && last ? encodeCursor(last.key) : null,
    };
  }
}

/** Position of an entry in the timeline: day, then recording time, then type and id (unique). */
function timelineKey(entry: TimelineEntry): { sortKey: string; id: string } {
  return { sortKey: `${entry.date}|${entry.recordedAt}|${entry.type}`, id: entry.resourceId };
}

function compare(left: { sortKey: string; id: string }, right: { sortKey: string; id: string }): number {
  return left.sortKey === right.sortKey
    ? left.id.localeCompare(right.id)
    : left.sortKey < right.sortKey
      ? -1
      : 1;
}
