import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ProblemError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { instantCursor, toPage, type Page, type PageQuery } from '../common/http/pagination';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import {
  toNetworkResponse,
  type CreateNetworkRequest,
  type NetworkResponse,
  type UpdateNetworkRequest,
} from './network.dto';
import { NetworkRepository } from './network.repository';

@Injectable()
export class NetworkService {
  constructor(
    private readonly repository: NetworkRepository,
    private readonly audit: AuditService,
    private readonly changes: VersionedChanges,
  ) {}

  @Transactional()
  async create(request: CreateNetworkRequest, context: WriteContext): Promise<NetworkResponse> {
    if (await this.repository.nameTaken(request.name, null)) {
      throw nameConflict(request.name);
    }
    const row = await this.repository.insert({ name: request.name, bundeslaender: request.bundeslaender });
    await this.audit.record(auditEvent(context, 'network.create', 'network', row.id));
    return toNetworkResponse(row);
  }

  async list(query: PageQuery): Promise<Page<NetworkResponse>> {
    const rows = await this.repository.list(instantCursor(query.cursor), query.limit);
    return toPage(rows, query.limit, (row) => ({ sortKey: row.createdAt, id: row.id }), toNetworkResponse);
  }

  async get(id: string): Promise<NetworkResponse> {
    const row = await this.repository.findById(id);
    if (!row) {
      throw notFound();
    }
    return toNetworkResponse(row);
  }

  @Transactional()
  async update(
    id: string,
    request: UpdateNetworkRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<NetworkResponse> {
    const changes = { name: request.name, bundeslaender: request.bundeslaender };
    if (isEmptyChange(changes)) {
      throw emptyPatchError();
    }
    if (changes.name !== undefined && (await this.repository.nameTaken(changes.name, id))) {
      throw nameConflict(changes.name);
    }
    const row = await this.changes.apply({
      load: () => this.repository.findForUpdate(id),
      notFound,
      expectedVersion,
      apply: async (current) => {
        const updated = await this.repository.update(id, changes, expectedVersion);
        if (!updated) {
          throw notFoundOrStale(current, notFound);
        }
        return updated;
      },
      audit: (updated) => auditEvent(context, 'network.update', 'network', updated.id),
    });
    return toNetworkResponse(row);
  }
}

function notFound(): ProblemError {
  return new ProblemError('notFound', 'No network with this id.');
}

function nameConflict(name: string): ProblemError {
  return new ProblemError('conflict', `A network named "${name}" exists.`);
}
