import { notFoundOrStale } from '../common/http/concurrency';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ProblemError } from '../common/errors/problem.error';
import { toPage, type Page, instantCursor } from '../common/http/pagination';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { auditEvent, type WriteContext } from '../audit/write-context';
import {
  toPartnerResponse,
  type CreatePartnerRequest,
  type PartnerListQuery,
  type PartnerResponse,
  type UpdatePartnerRequest,
} from './partner.dto';
import { PartnerRepository } from './partner.repository';

@Injectable()
export class PartnerService {
  constructor(
    private readonly repository: PartnerRepository,
    private readonly audit: AuditService,
  ) {}

  async create(request: CreatePartnerRequest, context: WriteContext): Promise<PartnerResponse> {
    return this.repository.transaction(async (manager) => {
      const row = await this.repository.insert(
        { name: request.name, type: request.type, bundesland: request.bundesland ?? null },
        manager,
      );
      await this.audit.record(auditEvent(context, 'partner.create', 'partner', row.id), manager);
      return toPartnerResponse(row);
    });
  }

  async list(query: PartnerListQuery): Promise<Page<PartnerResponse>> {
    const rows = await this.repository.list({ type: query.type }, instantCursor(query.cursor), query.limit);
    return toPage(rows, query.limit, (row) => ({ sortKey: row.createdAt, id: row.id }), toPartnerResponse);
  }

  async get(id: string): Promise<PartnerResponse> {
    const row = await this.repository.findById(id);
    if (!row) {
      throw partnerNotFound();
    }
    return toPartnerResponse(row);
  }

  async update(
    id: string,
    request: UpdatePartnerRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<PartnerResponse> {
    const changes = { name: request.name, type: request.type, bundesland: request.bundesland };
    if (isEmptyChange(changes)) {
      throw emptyPatchError();
    }
    return this.repository.transaction(async (manager) => {
      const row = await this.repository.update(id, changes, expectedVersion, manager);
      if (!row) {
        throw notFoundOrStale(await this.repository.findById(id), partnerNotFound);
      }
      await this.audit.record(auditEvent(context, 'partner.update', 'partner', row.id), manager);
      return toPartnerResponse(row);
    });
  }
}

export function partnerNotFound(): ProblemError {
  return new ProblemError('notFound', 'No partner with this id.');
}
