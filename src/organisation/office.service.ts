import { staleVersion } from '../common/http/concurrency';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ProblemError } from '../common/errors/problem.error';
import { toPage, type Page, instantCursor } from '../common/http/pagination';
import {
  toOfficeResponse,
  type CreateOfficeRequest,
  type OfficeListQuery,
  type OfficeResponse,
  type UpdateOfficeRequest,
} from './office.dto';
import { OfficeRepository } from './office.repository';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { auditEvent, type WriteContext } from '../audit/write-context';

@Injectable()
export class OfficeService {
  constructor(
    private readonly repository: OfficeRepository,
    private readonly audit: AuditService,
  ) {}

  async create(request: CreateOfficeRequest, context: WriteContext): Promise<OfficeResponse> {
    return this.repository.transaction(async (manager) => {
      if (!(await this.repository.networkExists(request.networkId, manager))) {
        throw new ProblemError('unprocessable', 'networkId: no network with this id.');
      }
      if (await this.repository.nameTaken(request.networkId, request.name, null, manager)) {
        throw nameConflict(request.name);
      }
      const row = await this.repository.insert(
        {
          networkId: request.networkId,
          name: request.name,
          bundesland: request.bundesland,
          mobile: request.mobile ?? false,
        },
        manager,
      );
      await this.audit.record(auditEvent(context, 'office.create', 'office', row.id), manager);
      return toOfficeResponse(row);
    });
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
    return this.repository.transaction(async (manager) => {
      const current = await this.repository.findForUpdate(id, manager);
      if (!current) {
        throw notFound();
      }
      if (current.version !== expectedVersion) {
        throw staleVersion(current.version);
      }
      if (
        changes.name !== undefined &&
        (await this.repository.nameTaken(current.networkId, changes.name, id, manager))
      ) {
        throw nameConflict(changes.name);
      }
      const row = await this.repository.update(id, changes, expectedVersion, manager);
      if (!row) {
        throw notFound();
      }
      await this.audit.record(auditEvent(context, 'office.update', 'office', row.id), manager);
      return toOfficeResponse(row);
    });
  }
}

function notFound(): ProblemError {
  return new ProblemError('notFound', 'No office with this id.');
}

function nameConflict(name: string): ProblemError {
  return new ProblemError('conflict', `An office named "${name}" exists in this network.`);
}
