import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService, type AuditRecord } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, officeOfAdviser, type WriteContext } from '../audit/write-context';
import { ClientScope } from '../clients/client-scope.service';
import { ClientSharingService } from '../clients/client-sharing.service';
import { ProblemError, type FieldError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { instantCursor, toPage, type Page } from '../common/http/pagination';
import { Clock } from '../common/time/clock';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { PartnerService } from '../partners/partner.service';
import type { RecognitionCaseResponse, TransitionRequest } from '../recognition/recognition-case.dto';
import { RecognitionCaseService } from '../recognition/recognition-case.service';
import { addDays } from '../recognition/deadlines';
import { consentCoverage, type DataCategory } from './consent-coverage';
import { ReferralEvents } from './referral-events';
import {
  checkReferralTransition,
  datesOf,
  type ReferralParty,
  type ReferralStatus,
} from './referral-state-machine';
import {
  toReferralHistoryResponse,
  toReferralResponse,
  type CancelReferralRequest,
  type CreateReferralRequest,
  type ReferralDetailResponse,
  type ReferralHistoryEntryResponse,
  type ReferralHistoryQuery,
  type ReferralListQuery,
  type ReferralResponse,
} from './referral.dto';
import {
  ConsentMissingError,
  InvalidReferralTransitionError,
  ReferralRuleError,
  referralNotFound,
} from './referral.errors';
import { ReferralRepository, type ReferralRow, type ReferralValues } from './referral.repository';

const RESOURCE = 'referral';

/** Who takes a step: a person or partner system (with the request's context), or the system. */
export type StepActor = { party: ReferralParty; context: WriteContext } | { party: 'SYSTEM' };

/** Why the system (or a withdrawal) cancels a referral. */
export type CancelCause = 'CONSENT_WITHDRAWN' | 'CONSENT_EXPIRED';

const CANCEL_REASONS: Record<CancelCause, string> = {
  CONSENT_WITHDRAWN: 'consent withdrawn',
  CONSENT_EXPIRED: 'consent expired',
};

/**
 * Referrals of the clients of the caller's office (the office side), and the steps every side shares:
 * one state change = the referral's row, its history row, the audit event and the partner's webhook
 * event, in one transaction. Lock order: the client (every change of a client's data), then the
 * referral; the system's paths (expiry) lock only referrals.
 */
@Injectable()
export class ReferralService {
  constructor(
    private readonly referrals: ReferralRepository,
    private readonly scope: ClientScope,
    private readonly audit: AuditService,
    private readonly changes: VersionedChanges,
    private readonly clock: Clock,
    private readonly events: ReferralEvents,
    private readonly recognitionCases: RecognitionCaseService,
    private readonly sharing: ClientSharingService,
    private readonly partners: PartnerService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Sends a referral: the client of the office, an existing partner, a recognition case of the same
   * client, an answer-by date not in the past, and ONE active consent covering the partner and every
   * shared category (422 `consent-missing` naming the uncovered categories otherwise).
   */
  @Transactional()
  async create(request: CreateReferralRequest, context: WriteContext): Promise<ReferralResponse> {
    const officeId = officeOfAdviser(context, 'referrals');
    const today = this.clock.today();
    const client = await this.scope.lockForChange(request.clientId, context.actor);
    const errors: FieldError[] = [];
    const partner = (await this.partners.exists(request.partnerId))
      ? await this.partners.get(request.partnerId)
      : undefined;
    if (!partner) {
      errors.push({ pointer: '#/partnerId', detail: 'no partner with this id' });
    }
    if (request.recognitionCaseId !== undefined) {
      const found = await this.recognitionCases.linkable(request.recognitionCaseId, officeId);
      if (!found || found.clientId !== client.id) {
        errors.push({
          pointer: '#/recognitionCaseId',
          detail: 'the client has no recognition case with this id',
        });
      }
    }
    if (request.dueBy !== undefined && request.dueBy < today) {
      errors.push({ pointer: '#/dueBy', detail: `must not be in the past (today is ${today})` });
    }
    if (!partner || errors.length > 0) {
      throw new ReferralRuleError(errors);
    }
    const coverage = consentCoverage(
      await this.sharing.sharingConsents(client.id),
      partner,
      request.dataCategories as DataCategory[],
      today,
    );
    if (!coverage.covered) {
      throw new ConsentMissingError(partner, coverage.uncovered);
    }
    const id = await this.referrals.insert(client.id, officeId, partner.id, {
      consentId: coverage.consentId,
      recognitionCaseId: request.recognitionCaseId ?? null,
      reason: request.reason,
      dataCategories: request.dataCategories,
      message: request.message ?? null,
      dueBy: request.dueBy ?? addDays(today, this.config.referrals.answerDays),
      status: 'GESENDET',
      sentOn: today,
    });
    await this.referrals.insertHistory({
      referralId: id,
      fromStatus: null,
      toStatus: 'GESENDET',
      occurredOn: today,
      ...historyActor({ party: 'OFFICE', context }),
      payload: { consentId: coverage.consentId },
      reason: null,
    });
    await this.audit.record(auditEvent(context, 'referral.create', RESOURCE, id, client.id));
    await this.events.created({ id, partnerId: partner.id });
    return toReferralResponse((await this.referrals.find(id))!, today);
  }

  /** Newest first; one access-log entry per client whose referrals the page shows. */
  async list(query: ReferralListQuery, context: WriteContext): Promise<Page<ReferralResponse>> {
    const today = this.clock.today();
    const rows = await this.referrals.list(
      officeOfAdviser(context, 'referrals'),
      {
        status: query.status,
        partnerId: query.partnerId,
        clientId: query.clientId,
        overdue: query.overdue,
        today,
      },
      instantCursor(query.cursor),
      query.limit,
    );
    const page = toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.createdAt, id: row.id }),
      (row) => toReferralResponse(row, today),
    );
    await this.audit.recordListed(context, 'referral.list', RESOURCE, page.items);
    return page;
  }

  /** The referral with the partner's answers and its history (the first 200 steps; the rest by `history`). */
  async get(id: string, context: WriteContext): Promise<ReferralDetailResponse> {
    const row = await this.readable(id, context);
    const history = await this.referrals.history(id, undefined, 200);
    await this.audit.record(auditEvent(context, 'referral.read', RESOURCE, row.id, row.clientId));
    return {
      ...toReferralResponse(row, this.clock.today()),
      history: history.slice(0, 200).map(toReferralHistoryResponse),
    };
  }

  /** Oldest first. */
  async history(
    id: string,
    query: ReferralHistoryQuery,
    context: WriteContext,
  ): Promise<Page<ReferralHistoryEntryResponse>> {
    const row = await this.readable(id, context);
    const rows = await this.referrals.history(id, instantCursor(query.cursor), query.limit);
    await this.audit.record(auditEvent(context, 'referral.history', RESOURCE, id, row.clientId));
    return toPage(
      rows,
      query.limit,
      (entry) => ({ sortKey: entry.recordedAt, id: entry.id }),
      toReferralHistoryResponse,
    );
  }

  /** GESENDET or ANGENOMMEN → STORNIERT, with the reason the partner sees; the partner is told (webhook). */
  @Transactional()
  async cancel(
    id: string,
    request: CancelReferralRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<ReferralResponse> {
    await this.changes.apply({
      load: () => this.lockInOffice(id, context),
      notFound: referralNotFound,
      expectedVersion,
      apply: async (current) => {
        await this.step(
          current,
          'STORNIERT',
          { party: 'OFFICE', context },
          {
            changes: { cancelReason: request.reason },
            reason: request.reason,
          },
        );
        await this.events.cancelled(current);
      },
      audit: (_result, current) => auditEvent(context, 'referral.cancel', RESOURCE, id, current.clientId),
    });
    return toReferralResponse((await this.referrals.find(id))!, this.clock.today());
  }

  /**
   * Applies the decision a partner attached to the completed referral to the linked recognition case
   * (→ BESCHIEDEN with its outcome and date) through the recognition module's transition, and marks
   * the decision applied — one transaction. `expectedCaseVersion` is the case's If-Match.
   */
  @Transactional()
  async applyDecision(
    id: string,
    expectedCaseVersion: number,
    context: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    const found = await this.readable(id, context);
    await this.scope.lockForChange(found.clientId, context.actor);
    const current = (await this.referrals.lock(id, { officeId: officeOfAdviser(context, 'referrals') }))!;
    const decision = current.decision as { outcome: string; decidedOn: string; appliedAt?: string } | null;
    if (current.status !== 'ERLEDIGT' || decision === null || current.recognitionCaseId === null) {
      throw new ProblemError('conflict', 'The referral carries no decision for a recognition case.');
    }
    if (decision.appliedAt !== undefined) {
      throw new ProblemError('conflict', `The decision was already applied (${decision.appliedAt}).`);
    }
    const transition = {
      to: 'BESCHIEDEN',
      date: decision.decidedOn,
      outcome: decision.outcome,
    } as TransitionRequest;
    const updatedCase = await this.recognitionCases.transition(
      current.recognitionCaseId,
      transition,
      expectedCaseVersion,
      context,
    );
    if (
      !(await this.referrals.update(
        id,
        { decision: { ...decision, appliedAt: this.clock.now().toISOString() } },
        current.version,
      ))
    ) {
      throw notFoundOrStale(current, referralNotFound);
    }
    await this.audit.record(auditEvent(context, 'referral.apply-decision', RESOURCE, id, current.clientId));
    return updatedCase;
  }

  /**
   * Cancels the open referrals (GESENDET, ANGENOMMEN) relying on a consent that was withdrawn (by the
   * adviser in `context`) or has expired (by the system), tells each partner — `referral.cancelled`
   * per referral and `consent.withdrawn` per partner — in the caller's transaction.
   */
  async cancelOpenForConsent(consentId: string, cause: CancelCause, actor: StepActor): Promise<number> {
    const open = await this.referrals.lockOpenByConsent(consentId);
    const reason = CANCEL_REASONS[cause];
    const audits: AuditRecord[] = [];
    for (const current of open) {
      await this.step(current, 'STORNIERT', actor, {
        changes: { cancelReason: reason },
        reason,
        payload: { cause, consentId },
      });
      audits.push(stepAudit(actor, 'referral.cancel', current));
      await this.events.cancelled(current);
    }
    await this.audit.recordAll(audits);
    if (open.length > 0) {
      await this.events.consentWithdrawn(consentId, open);
    }
    return open.length;
  }

  /** The daily job's second half: open referrals relying on a consent whose `expiresOn` has passed. */
  async cancelForExpiredConsents(): Promise<number> {
    let cancelled = 0;
    const inUse = await this.referrals.consentIdsInUse();
    for (const consentId of await this.sharing.expiredAmong(inUse, this.clock.today())) {
      cancelled += await this.cancelForExpiredConsent(consentId);
    }
    return cancelled;
  }

  @Transactional()
  private async cancelForExpiredConsent(consentId: string): Promise<number> {
    return this.cancelOpenForConsent(consentId, 'CONSENT_EXPIRED', { party: 'SYSTEM' });
  }

  /** GESENDET past the answer-by date → ABGELAUFEN, one referral per transaction, audited as the system. */
  async expireDue(): Promise<number> {
    const today = this.clock.today();
    let expired = 0;
    for (;;) {
      const due = await this.referrals.dueForExpiry(today, 200);
      for (const referral of due) {
        expired += (await this.expireOne(referral.id, today)) ? 1 : 0;
      }
      if (due.length < 200) {
        return expired;
      }
    }
  }

  @Transactional()
  private async expireOne(id: string, today: string): Promise<boolean> {
    const current = await this.referrals.lockIfStatus(id, 'GESENDET');
    if (!current || current.dueBy >= today) {
      return false;
    }
    await this.step(current, 'ABGELAUFEN', { party: 'SYSTEM' }, { payload: { cause: 'ANSWER_OVERDUE' } });
    await this.audit.record(stepAudit({ party: 'SYSTEM' }, 'referral.expire', current));
    await this.events.expired(current);
    return true;
  }

  /**
   * One step of the state machine on a locked referral: checks that this party may take it (409
   * `invalid-transition` with the party's allowed targets), sets status and dates (and `changes`),
   * and appends the history row. The caller records the audit event.
   */
  async step(
    current: ReferralRow,
    to: ReferralStatus,
    actor: StepActor,
    extra: { changes?: ReferralValues; reason?: string | null; payload?: Record<string, unknown> } = {},
  ): Promise<void> {
    const check = checkReferralTransition(current.status as ReferralStatus, to, actor.party);
    if (!check.ok) {
      throw new InvalidReferralTransitionError(current.status, to, check.allowedTargets, check.final);
    }
    const today = this.clock.today();
    if (
      !(await this.referrals.update(
        current.id,
        { status: to, ...datesOf(to, today), ...extra.changes },
        current.version,
      ))
    ) {
      throw notFoundOrStale(current, referralNotFound);
    }
    await this.referrals.insertHistory({
      referralId: current.id,
      fromStatus: current.status,
      toStatus: to,
      occurredOn: today,
      ...historyActor(actor),
      payload: extra.payload ?? {},
      reason: extra.reason ?? null,
    });
  }

  /** The referral of the caller's office; 404 otherwise (and the probe is audited as DENIED). */
  private async readable(id: string, context: WriteContext): Promise<ReferralRow> {
    const row = await this.referrals.findInOffice(id, officeOfAdviser(context, 'referrals'));
    if (!row) {
      throw await refused(this.audit, id, context);
    }
    return row;
  }

  /** Locks client → referral (of the caller's office). */
  private async lockInOffice(id: string, context: WriteContext): Promise<ReferralRow | undefined> {
    const found = await this.readable(id, context);
    await this.scope.lockForChange(found.clientId, context.actor);
    return this.referrals.lock(id, { officeId: officeOfAdviser(context, 'referrals') });
  }
}

/** The history columns naming who took a step. */
export function historyActor(actor: StepActor): {
  actorKind: string;
  actorId: string | null;
  actorRole: string | null;
} {
  if (actor.party === 'SYSTEM') {
    return { actorKind: 'system', actorId: null, actorRole: null };
  }
  const { kind, id, role } = actor.context.actor;
  return { actorKind: kind, actorId: id, actorRole: role };
}

function stepAudit(actor: StepActor, action: string, referral: ReferralRow): AuditRecord {
  if (actor.party === 'SYSTEM') {
    return {
      actor: 'system',
      action,
      resourceType: RESOURCE,
      resourceId: referral.id,
      clientId: referral.clientId,
    };
  }
  return auditEvent(actor.context, action, RESOURCE, referral.id, referral.clientId);
}

/** A referral of another office (or partner): 404 as for an id that does not exist, the probe audited. */
export async function refused(audit: AuditService, id: string, context: WriteContext): Promise<ProblemError> {
  await audit.recordAccessDenied(context, RESOURCE, id);
  return referralNotFound();
}
