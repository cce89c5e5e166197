import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ProblemError } from '../common/errors/problem.error';
import { staleVersion } from '../common/http/concurrency';
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
  ) {}

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
    return this.repository.transaction(async (manager) => {
      await this.scope.lockForChange(clientId, context.actor, manager);
      const row = await this.repository.insert(clientId, values, manager);
      await this.audit.record(
        auditEvent(context, 'qualification.create', 'qualification', row.id, clientId),
        manager,
      );
      return toQualificationResponse(row);
    });
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
    return this.repository.transaction(async (manager) => {
      await this.scope.lockForChange(clientId, context.actor, manager);
      const current = await this.repository.find(clientId, id, manager);
      if (!current) {
        throw notFound();
      }
      if (current.version !== expectedVersion) {
        throw staleVersion(current.version);
      }
      const row = await this.repository.update(clientId, id, changes, expectedVersion, manager);
      if (!row) {
        throw staleVersion(current.version);
      }
      await this.audit.record(
        auditEvent(context, 'qualification.update', 'qualification', id, clientId),
        manager,
      );
      return toQualificationResponse(row);
    });
  }

  /** Removes the record for good (a qualification entered by mistake); needs the current version. */
  async delete(clientId: string, id: string, expectedVersion: number, context: WriteContext): Promise<void> {
    await this.repository.transaction(async (manager) => {
      await this.scope.lockForChange(clientId, context.actor, manager);
      const current = await this.repository.find(clientId, id, manager);
      if (!current) {
        throw notFound();
      }
      if (current.version !== expectedVersion) {
        throw staleVersion(current.version);
      }
      if (!(await this.repository.delete(clientId, id, expectedVersion, manager))) {
        throw staleVersion(current.version);
      }
      await this.audit.record(
        auditEvent(context, 'qualification.delete', 'qualification', id, clientId),
        manager,
      );
    });
  }
}

function notFound(): ProblemError {
  return new ProblemError('notFound', 'No qualification with this id for this client.');
}
