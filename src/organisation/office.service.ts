import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ProblemError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { instantCursor, toPage, type Page } from '../common/http/pagination';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import {
  toOfficeResponse,
  type CreateOfficeRequest,
  type OfficeListQuery,
  type OfficeResponse,
  type UpdateOfficeRequest,
} from './office.dto';
import { OfficeRepository } from './office.repository';

@Injectable()
export class OfficeService {
  constructor(
    private readonly repository: OfficeRepository,
    private readonly audit: AuditService,
    private readonly changes: VersionedChanges,
  ) {}

  @Transactional()
  async create(request: CreateOfficeRequest, context: WriteContext): Promise<OfficeResponse> {
    if (!(await this.repository.networkExists(request.networkId))) {
      throw new ProblemError('unprocessable', 'networkId: no network with this id.');
    }
    if (await this.repository.nameTaken(request.networkId, request.name, null)) {
      throw nameConflict(request.name);
    }
    const row = await this.repository.insert({
      networkId: request.networkId,
      name: request.name,
      bundesland: request.bundesland,
      mobile: request.mobile ?? false,
    });
    await this.audit.record(auditEvent(context, 'office.create', 'office', row.id));
    return toOfficeResponse(row);
  }

  async list(query: OfficeListQuery): Promise<Page<OfficeResponse>> {
    const rows = await this.repository.list(
      { networkId: query.networkId },
      instantCursor(query.cursor),
      query.limit,
    );
    return toPage(rows, query.limit, (row) => ({ sortKey: row.createdAt, id: row.id }), toOfficeResponse);
  }

  async get(id: string): Promise<OfficeResponse> {
    const row = await this.repository.findById(id);
    if (!row) {
      throw notFound();
    }
    return toOfficeResponse(row);
  }

  @Transactional()
  async update(
    id: string,
    request: UpdateOfficeRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<OfficeResponse> {
    const changes = { name: request.name, bundesland: request.bundesland, mobile: request.mobile };
    if (isEmptyChange(changes)) {
      throw emptyPatchError();
    }
    const row = await this.changes.apply({
      load: () => this.repository.findForUpdate(id),
      notFound,
      expectedVersion,
      apply: async (current) => {
        if (
          changes.name !== undefined &&
          (await this.repository.nameTaken(current.networkId, changes.name, id))
        ) {
          throw nameConflict(changes.name);
        }
        const updated = await this.repository.update(id, changes, expectedVersion);
        if (!updated) {
          throw notFoundOrStale(current, notFound);
        }
        return updated;
      },
      audit: (updated) => auditEvent(context, 'office.update', 'office', updated.id),
    });
    return toOfficeResponse(row);
  }
}

function notFound(): ProblemError {
  return new ProblemError('notFound', 'No office with this id.');
}

function nameConflict(name: string): ProblemError {
  return new ProblemError('conflict', `An office named "${name}" exists in this network.`);
}
