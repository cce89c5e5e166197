import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { VersionedChanges } from '../audit/versioned-change';
import { AuditService } from '../audit/audit.service';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ProblemError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { instantCursor, toPage, type Page, type PageQuery } from '../common/http/pagination';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { ClientScope } from './client-scope.service';
import {
  toQualificationResponse,
  type CreateQualificationRequest,
  type QualificationResponse,
  type UpdateQualificationRequest,
} from './qualification.dto';
import { QualificationRepository, type QualificationValues } from './qualification.repository';

/** The foreign qualifications of a client of the caller's office. */
@Injectable()
export class QualificationService {
  constructor(
    private readonly repository: QualificationRepository,
    private readonly scope: ClientScope,
    private readonly audit: AuditService,
    private readonly changes: VersionedChanges,
  ) {}

  /**
   * The client and country of each of these qualifications, for rules of other modules (the EU/EEA/CH
   * cap of a recognition case). Records no access: the caller's own read or change is audited.
   */
  async countriesOf(ids: readonly string[]): Promise<Map<string, { clientId: string; country: string }>> {
    const rows = await this.repository.countries([...new Set(ids)]);
    return new Map(rows.map((row) => [row.id, { clientId: row.clientId, country: row.country }]));
  }

  @Transactional()
  async create(
    clientId: string,
    request: CreateQualificationRequest,
    context: WriteContext,
  ): Promise<QualificationResponse> {
    const values: QualificationValues = {
      kind: request.kind,
      titleOriginal: request.titleOriginal,
      titleDe: request.titleDe ?? null,
      country: request.country,
      yearAwarded: request.yearAwarded ?? null,
      durationMonths: request.durationMonths ?? null,
      experienceMonths: request.experienceMonths ?? null,
    };
    await this.scope.lockForChange(clientId, context.actor);
    const row = await this.repository.insert(clientId, values);
    await this.audit.record(auditEvent(context, 'qualification.create', 'qualification', row.id, clientId));
    return toQualificationResponse(row);
  }

  /** Oldest first; one access-log entry for the whole page. */
  async list(
    clientId: string,
    query: PageQuery,
    context: WriteContext,
  ): Promise<Page<QualificationResponse>> {
    const after = instantCursor(query.cursor);
    await this.scope.readable(clientId, context.actor);
    const rows = await this.repository.list(clientId, after, query.limit);
    await this.audit.record(auditEvent(context, 'qualification.list', 'client', clientId, clientId));
    return toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.createdAt, id: row.id }),
      toQualificationResponse,
    );
  }

  async get(clientId: string, id: string, context: WriteContext): Promise<QualificationResponse> {
    await this.scope.readable(clientId, context.actor);
    const row = await this.repository.find(clientId, id);
    if (!row) {
      throw notFound();
    }
    await this.audit.record(auditEvent(context, 'qualification.read', 'qualification', id, clientId));
    return toQualificationResponse(row);
  }

  @Transactional()
  async update(
    clientId: string,
    id: string,
    request: UpdateQualificationRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<QualificationResponse> {
    const changes: QualificationValues = {
      kind: request.kind,
      titleOriginal: request.titleOriginal,
      titleDe: request.titleDe,
      country: request.country,
      yearAwarded: request.yearAwarded,
      durationMonths: request.durationMonths,
      experienceMonths: request.experienceMonths,
    };
    if (isEmptyChange(changes)) {
      throw emptyPatchError();
    }
    await this.scope.lockForChange(clientId, context.actor);
    const row = await this.changes.apply({
      load: () => this.repository.find(clientId, id),
      notFound,
      expectedVersion,
      apply: async (current) => {
        const updated = await this.repository.update(clientId, id, changes, expectedVersion);
        if (!updated) {
          throw notFoundOrStale(current, notFound);
        }
        return updated;
      },
      audit: () => auditEvent(context, 'qualification.update', 'qualification', id, clientId),
    });
    return toQualificationResponse(row);
  }

  /** Removes the record for good (a qualification entered by mistake); needs the current version. */
  @Transactional()
  async delete(clientId: string, id: string, expectedVersion: number, context: WriteContext): Promise<void> {
    await this.scope.lockForChange(clientId, context.actor);
    await this.changes.apply({
      load: () => this.repository.find(clientId, id),
      notFound,
      expectedVersion,
      apply: async (current) => {
        if (!(await this.repository.delete(clientId, id, expectedVersion))) {
          throw notFoundOrStale(current, notFound);
        }
      },
      audit: () => auditEvent(context, 'qualification.delete', 'qualification', id, clientId),
    });
  }
}

function notFound(): ProblemError {
  return new ProblemError('notFound', 'No qualification with this id for this client.');
}
