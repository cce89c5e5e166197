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
    private readonly changes: VersionedChanges,
  ) {}

  @Transactional()
  async create(request: CreatePartnerRequest, context: WriteContext): Promise<PartnerResponse> {
    const row = await this.repository.insert({
      name: request.name,
      type: request.type,
      bundesland: request.bundesland ?? null,
    });
    await this.audit.record(auditEvent(context, 'partner.create', 'partner', row.id));
    return toPartnerResponse(row);
  }

  async list(query: PartnerListQuery): Promise<Page<PartnerResponse>> {
    const rows = await this.repository.list({ type: query.type }, instantCursor(query.cursor), query.limit);
    return toPage(rows, query.limit, (row) => ({ sortKey: row.createdAt, id: row.id }), toPartnerResponse);
  }

  /** For modules that name a partner (consents, referrals): whether the id is one. */
  exists(id: string): Promise<boolean> {
    return this.repository.exists(id);
  }

  async get(id: string): Promise<PartnerResponse> {
    const row = await this.repository.findById(id);
    if (!row) {
      throw partnerNotFound();
    }
    return toPartnerResponse(row);
  }

  @Transactional()
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
    const row = await this.changes.apply({
      load: () => this.repository.findForUpdate(id),
      notFound: partnerNotFound,
      expectedVersion,
      apply: async (current) => {
        const updated = await this.repository.update(id, changes, expectedVersion);
        if (!updated) {
          throw notFoundOrStale(current, partnerNotFound);
        }
        return updated;
      },
      audit: (updated) => auditEvent(context, 'partner.update', 'partner', updated.id),
    });
    return toPartnerResponse(row);
  }
}

export function partnerNotFound(): ProblemError {
  return new ProblemError('notFound', 'No partner with this id.');
}
