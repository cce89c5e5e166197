import { notFoundOrStale } from '../common/http/concurrency';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ProblemError } from '../common/errors/problem.error';
import { toPage, type Page, type PageQuery, instantCursor } from '../common/http/pagination';
import {
  toNetworkResponse,
  type CreateNetworkRequest,
  type NetworkResponse,
  type UpdateNetworkRequest,
} from './network.dto';
import { NetworkRepository } from './network.repository';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { auditEvent, type WriteContext } from '../audit/write-context';

@Injectable()
export class NetworkService {
  constructor(
    private readonly repository: NetworkRepository,
    private readonly audit: AuditService,
  ) {}

  async create(request: CreateNetworkRequest, context: WriteContext): Promise<NetworkResponse> {
    return this.repository.transaction(async (manager) => {
      if (await this.repository.nameTaken(request.name, null, manager)) {
        throw nameConflict(request.name);
      }
      const row = await this.repository.insert(
        { name: request.name, bundeslaender: request.bundeslaender },
        manager,
      );
      await this.audit.record(auditEvent(context, 'network.create', 'network', row.id), manager);
      return toNetworkResponse(row);
    });
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
    return this.repository.transaction(async (manager) => {
      if (changes.name !== undefined && (await this.repository.nameTaken(changes.name, id, manager))) {
        throw nameConflict(changes.name);
      }
      const row = await this.repository.update(id, changes, expectedVersion, manager);
      if (!row) {
        throw notFoundOrStale(await this.repository.findById(id, manager), notFound);
      }
      await this.audit.record(auditEvent(context, 'network.update', 'network', row.id), manager);
      return toNetworkResponse(row);
    });
  }
}

function notFound(): ProblemError {
  return new ProblemError('notFound', 'No network with this id.');
}

function nameConflict(name: string): ProblemError {
  return new ProblemError('conflict', `A network named "${name}" exists.`);
}
