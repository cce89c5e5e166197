import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ProblemError, RequestValidationError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { instantCursor, toPage, type Page } from '../common/http/pagination';
import { Clock } from '../common/time/clock';
import { PartnerService } from '../partners/partner.service';
import { consentErrors, SHARING_PURPOSE, withdrawalErrors } from './consent-rules';
import {
  toConsentResponse,
  type ConsentListQuery,
  type ConsentResponse,
  type CreateConsentRequest,
  type WithdrawConsentRequest,
} from './consent.dto';
import { ConsentWithdrawalListeners } from './consent-withdrawal';
import { ConsentRepository } from './consent.repository';
import { ClientScope } from './client-scope.service';

/** The consents of a client of the caller's office: given, read, withdrawn — never changed or deleted. */
@Injectable()
export class ConsentService {
  constructor(
    private readonly repository: ConsentRepository,
    private readonly scope: ClientScope,
    private readonly audit: AuditService,
    private readonly changes: VersionedChanges,
    private readonly clock: Clock,
    private readonly partners: PartnerService,
    private readonly withdrawalListeners: ConsentWithdrawalListeners,
  ) {}

  @Transactional()
  async create(
    clientId: string,
    request: CreateConsentRequest,
    context: WriteContext,
  ): Promise<ConsentResponse> {
    const now = this.clock.today();
    const errors = consentErrors(request, now);
    if (errors.length > 0) {
      throw new RequestValidationError(errors);
    }
    const sharing = request.purpose === SHARING_PURPOSE;
    await this.scope.lockForChange(clientId, context.actor);
    if (request.partnerId && !(await this.partners.exists(request.partnerId))) {
      throw new ProblemError('unprocessable', 'partnerId: no partner with this id.');
    }
    const row = await this.repository.insert(clientId, {
      purpose: request.purpose,
      partnerId: sharing ? (request.partnerId ?? null) : null,
      partnerType: sharing ? (request.partnerType ?? null) : null,
      dataCategories: sharing ? (request.dataCategories ?? []) : [],
      givenOn: request.givenOn,
      method: request.method,
      expiresOn: request.expiresOn ?? null,
    });
    await this.audit.record(auditEvent(context, 'consent.create', 'consent', row.id, clientId));
    return toConsentResponse(row, now);
  }

  /** Oldest first; one access-log entry for the whole page. */
  async list(
    clientId: string,
    query: ConsentListQuery,
    context: WriteContext,
  ): Promise<Page<ConsentResponse>> {
    const after = instantCursor(query.cursor);
    const now = this.clock.today();
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
    return toConsentResponse(row, this.clock.today());
  }

  /**
   * Withdraws the consent (for good): it stays as evidence but no longer covers any sharing; what
   * relies on it (open referrals) is ended in the same transaction (`ConsentWithdrawalListener`). A second
   * withdrawal is a conflict, whatever version it names.
   */
  @Transactional()
  async withdraw(
    clientId: string,
    id: string,
    request: WithdrawConsentRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<ConsentResponse> {
    const now = this.clock.today();
    await this.scope.lockForChange(clientId, context.actor);
    const withdrawn = await this.repository.find(clientId, id);
    if (withdrawn?.withdrawnAt) {
      throw new ProblemError('conflict', `The consent was already withdrawn (${withdrawn.withdrawnAt}).`);
    }
    const row = await this.changes.apply({
      load: () => this.repository.find(clientId, id),
      notFound,
      expectedVersion,
      apply: async (current) => {
        if (request.withdrawnOn !== undefined) {
          const errors = withdrawalErrors(request.withdrawnOn, current.givenOn, now);
          if (errors.length > 0) {
            throw new RequestValidationError(errors);
          }
        }
        const updated = await this.repository.withdraw(
          clientId,
          id,
          { withdrawnOn: request.withdrawnOn ?? null, timeZone: this.clock.timeZone },
          expectedVersion,
        );
        if (!updated) {
          throw notFoundOrStale(current, notFound);
        }
        // Open referrals relying on the consent are cancelled in this transaction.
        await this.withdrawalListeners.notify({ id, clientId }, context);
        return updated;
      },
      audit: () => auditEvent(context, 'consent.withdraw', 'consent', id, clientId),
    });
    return toConsentResponse(row, now);
  }
}

function notFound(): ProblemError {
  return new ProblemError('notFound', 'No consent with this id for this client.');
}
