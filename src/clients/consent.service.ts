import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ProblemError, RequestValidationError } from '../common/errors/problem.error';
import { staleVersion } from '../common/http/concurrency';
import { instantCursor, toPage, type Page } from '../common/http/pagination';
import { today } from '../common/http/validators';
import { consentErrors, SHARING_PURPOSE, withdrawalErrors } from './consent-rules';
import {
  toConsentResponse,
  type ConsentListQuery,
  type ConsentResponse,
  type CreateConsentRequest,
  type WithdrawConsentRequest,
} from './consent.dto';
import { ConsentRepository } from './consent.repository';
import { ClientScope } from './client-scope.service';

/** The consents of a client of the caller's office: given, read, withdrawn — never changed or deleted. */
@Injectable()
export class ConsentService {
  constructor(
    private readonly repository: ConsentRepository,
    private readonly scope: ClientScope,
    private readonly audit: AuditService,
  ) {}

  async create(
    clientId: string,
    request: CreateConsentRequest,
    context: WriteContext,
  ): Promise<ConsentResponse> {
    const now = today();
    const errors = consentErrors(request, now);
    if (errors.length > 0) {
      throw new RequestValidationError(errors);
    }
    const sharing = request.purpose === SHARING_PURPOSE;
    return this.repository.transaction(async (manager) => {
      await this.scope.lockForChange(clientId, context.actor, manager);
      if (request.partnerId && !(await this.repository.partnerExists(request.partnerId, manager))) {
        throw new ProblemError('unprocessable', 'partnerId: no partner with this id.');
      }
      const row = await this.repository.insert(
        clientId,
        {
          purpose: request.purpose,
          partnerId: sharing ? (request.partnerId ?? null) : null,
          partnerType: sharing ? (request.partnerType ?? null) : null,
          dataCategories: sharing ? (request.dataCategories ?? []) : [],
          givenOn: request.givenOn,
          method: request.method,
          expiresOn: request.expiresOn ?? null,
        },
        manager,
      );
      await this.audit.record(auditEvent(context, 'consent.create', 'consent', row.id, clientId), manager);
      return toConsentResponse(row, now);
    });
  }

  /** Oldest first; one access-log entry for the whole page. */
  async list(
    clientId: string,
    query: ConsentListQuery,
    context: WriteContext,
  ): Promise<Page<ConsentResponse>> {
    const after = instantCursor(query.cursor);
    const now = today();
    await this.scope.readable(clientId, context.actor);
    const rows = await this.repository.list(
      clientId,
      { active: query.active, today: now },
      after,
      query.limit,
    );
    await this.audit.record(auditEvent(context, 'consent.list', 'client', clientId, clientId));
    return toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.createdAt, id: row.id }),
      (row) => toConsentResponse(row, now),
    );
  }

  async get(clientId: string, id: string, context: WriteContext): Promise<ConsentResponse> {
    await this.scope.readable(clientId, context.actor);
    const row = await this.repository.find(clientId, id);
    if (!row) {
      throw notFound();
    }
    await this.audit.record(auditEvent(context, 'consent.read', 'consent', id, clientId));
    return toConsentResponse(row, today());
  }

  /**
   * Withdraws the consent (for good): it stays as evidence but no longer covers any sharing. A second
   * withdrawal is a conflict, whatever version it names.
   */
  async withdraw(
    clientId: string,
    id: string,
    request: WithdrawConsentRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<ConsentResponse> {
    const now = today();
    return this.repository.transaction(async (manager) => {
      await this.scope.lockForChange(clientId, context.actor, manager);
      const current = await this.repository.find(clientId, id, manager);
      if (!current) {
        throw notFound();
      }
      if (current.withdrawnAt !== null) {
        throw new ProblemError('conflict', `The consent was already withdrawn (${current.withdrawnAt}).`);
      }
      if (current.version !== expectedVersion) {
        throw staleVersion(current.version);
      }
      if (request.withdrawnOn !== undefined) {
        const errors = withdrawalErrors(request.withdrawnOn, current.givenOn, now);
        if (errors.length > 0) {
          throw new RequestValidationError(errors);
        }
      }
      const row = await this.repository.withdraw(
        clientId,
        id,
        request.withdrawnOn ?? null,
        expectedVersion,
        manager,
      );
      if (!row) {
        throw staleVersion(current.version);
      }
      await this.audit.record(auditEvent(context, 'consent.withdraw', 'consent', id, clientId), manager);
      return toConsentResponse(row, now);
    });
  }
}

function notFound(): ProblemError {
  return new ProblemError('notFound', 'No consent with this id for this client.');
}
