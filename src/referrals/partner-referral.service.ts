import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ClientSharingService } from '../clients/client-sharing.service';
import { RecognitionCaseService } from '../recognition/recognition-case.service';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ProblemError, RequestValidationError, type FieldError } from '../common/errors/problem.error';
import { decodeCursor, encodeCursor, isCursorId } from '../common/http/pagination';
import { Clock } from '../common/time/clock';
import { partnerView, type SharedClientData } from './partner-view';
import { checkReferralTransition, isOpen, type ReferralStatus } from './referral-state-machine';
import {
  toPartnerReferralResponse,
  type CompleteReferralRequest,
  type DeclineReferralRequest,
  type PartnerReferralDetailResponse,
  type PartnerReferralResponse,
  type PartnerReferralSyncQuery,
} from './referral.dto';
import { InvalidReferralTransitionError, ReferralRuleError } from './referral.errors';
import { ReferralRepository, type ReferralRow, type SyncPosition } from './referral.repository';
import { ReferralService, refused } from './referral.service';

const RESOURCE = 'referral';

/** Partner types that decide recognition procedures and may attach their decision to a referral. */
export const DECIDING_PARTNER_TYPES = ['ANERKENNUNGSSTELLE', 'KAMMER', 'ZAB'] as const;

/** Before every position: where a first sync starts. */
const START: SyncPosition = { xid: '0', id: '00000000-0000-0000-0000-000000000000' };

export interface PartnerReferralPageResult {
  items: PartnerReferralResponse[];
  nextCursor: string | null;
  resumeCursor: string;
}

/**
 * The partner side: a partner system sees and answers only the referrals addressed to its partner
 * (404 and a DENIED audit event for any other id), and of the client only the members of the
 * consented categories, while the referral is open, its consent still active and the client's data
 * not erased.
 */
@Injectable()
export class PartnerReferralService {
  constructor(
    private readonly referrals: ReferralRepository,
    private readonly steps: ReferralService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sharing: ClientSharingService,
    private readonly recognitionCases: RecognitionCaseService,
  ) {}

  /**
   * The partner's referrals in the order of their changes. A referral appears again after each
   * change (with a higher `version`); `resumeCursor` is where the next sync starts.
   */
  async sync(query: PartnerReferralSyncQuery, context: WriteContext): Promise<PartnerReferralPageResult> {
    const after = syncPosition(query.cursor);
    const rows = await this.referrals.changes(
      partnerOf(context),
      { status: query.status, updatedSince: query.updatedSince },
      after,
      query.limit,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const position = last
      ? encodePosition({ xid: last.changeXid, id: last.id })
      : encodePosition(after ?? START);
    return {
      items: page.map(toPartnerReferralResponse),
      nextCursor: rows.length > query.limit ? position : null,
      resumeCursor: position,
    };
  }

  /** The referral with the client data of the consented categories; audited as the partner's access. */
  async get(id: string, context: WriteContext): Promise<PartnerReferralDetailResponse> {
    const row = await this.referrals.findForPartner(id, partnerOf(context));
    if (!row) {
      throw await refused(this.audit, id, context);
    }
    const client = await this.sharedView(row);
    await this.audit.record(auditEvent(context, 'referral.partner-read', RESOURCE, row.id, row.clientId));
    return { ...toPartnerReferralResponse(row), client };
  }

  /**
   * The consented members of the client, or `null` when nothing may be shared any more: the referral
   * is closed, its consent withdrawn or expired, or the client's data erased.
   */
  private async sharedView(row: ReferralRow): Promise<Partial<SharedClientData> | null> {
    if (!isOpen(row.status) || !(await this.sharing.consentActive(row.consentId, this.clock.today()))) {
      return null;
    }
    const record = await this.sharing.sharableRecord(row.clientId);
    if (!record) {
      return null;
    }
    const recognitionCase =
      row.recognitionCaseId === null || !row.dataCategories.includes('VERFAHREN')
        ? null
        : ((await this.recognitionCases.sharedFacts(row.recognitionCaseId, row.officeId)) ?? null);
    return partnerView(
      {
        ...record.identity,
        qualifications: record.qualifications,
        consultations: record.consultations,
        recognitionCase,
      },
      row.dataCategories,
    );
  }

  @Transactional()
  async accept(
    id: string,
    note: string | undefined,
    context: WriteContext,
  ): Promise<PartnerReferralResponse> {
    return this.answer(id, 'ANGENOMMEN', context, async (current) => {
      await this.steps.step(current, 'ANGENOMMEN', { party: 'PARTNER', context }, { reason: note ?? null });
    });
  }

  @Transactional()
  async decline(
    id: string,
    request: DeclineReferralRequest,
    context: WriteContext,
  ): Promise<PartnerReferralResponse> {
    return this.answer(id, 'ABGELEHNT', context, async (current) => {
      await this.steps.step(
        current,
        'ABGELEHNT',
        { party: 'PARTNER', context },
        {
          changes: { declineReason: request.reason },
          reason: request.reason,
        },
      );
    });
  }

  /**
   * ANGENOMMEN → ERLEDIGT with the outcome note; a decision only for a referral linked to a
   * recognition case, only from a deciding authority, not dated in the future.
   */
  @Transactional()
  async complete(
    id: string,
    request: CompleteReferralRequest,
    context: WriteContext,
  ): Promise<PartnerReferralResponse> {
    return this.answer(id, 'ERLEDIGT', context, async (current) => {
      const decision = request.decision;
      if (decision !== undefined) {
        const errors: FieldError[] = [];
        if (current.recognitionCaseId === null) {
          errors.push({ pointer: '#/decision', detail: 'the referral is not linked to a recognition case' });
        } else if (!(DECIDING_PARTNER_TYPES as readonly string[]).includes(current.partnerType)) {
          errors.push({
            pointer: '#/decision',
            detail: `only a partner of type ${DECIDING_PARTNER_TYPES.join(', ')} decides recognition procedures`,
          });
        } else if (decision.decidedOn > this.clock.today()) {
          errors.push({ pointer: '#/decision/decidedOn', detail: 'must not be in the future' });
        }
        if (errors.length > 0) {
          // The step itself is checked first: a referral that cannot be completed answers 409, not 422.
          const check = checkReferralTransition(current.status as ReferralStatus, 'ERLEDIGT', 'PARTNER');
          if (!check.ok) {
            throw new InvalidReferralTransitionError(
              current.status,
              'ERLEDIGT',
              check.allowedTargets,
              check.final,
            );
          }
          throw new ReferralRuleError(errors);
        }
      }
      await this.steps.step(
        current,
        'ERLEDIGT',
        { party: 'PARTNER', context },
        {
          changes: {
            outcome: request.outcome,
            decision: decision ? { outcome: decision.outcome, decidedOn: decision.decidedOn } : null,
          },
          reason: request.outcome,
          payload: decision ? { decision: { outcome: decision.outcome, decidedOn: decision.decidedOn } } : {},
        },
      );
    });
  }

  /** Locks the partner's referral, takes the step, audits it and answers the new state. */
  private async answer(
    id: string,
    to: ReferralStatus,
    context: WriteContext,
    take: (current: ReferralRow) => Promise<void>,
  ): Promise<PartnerReferralResponse> {
    const current = await this.referrals.lock(id, { partnerId: partnerOf(context) });
    if (!current) {
      throw await refused(this.audit, id, context);
    }
    await take(current);
    const action = { ANGENOMMEN: 'accept', ABGELEHNT: 'decline', ERLEDIGT: 'complete' }[to as string] ?? to;
    await this.audit.record(auditEvent(context, `referral.${action}`, RESOURCE, id, current.clientId));
    return toPartnerReferralResponse((await this.referrals.find(id))!);
  }
}

function encodePosition(position: SyncPosition): string {
  return encodeCursor({ sortKey: position.xid, id: position.id });
}

/** A cursor of the sync: a transaction id and a referral id; anything else answers 400. */
function syncPosition(cursor: string | undefined): SyncPosition | undefined {
  const key = decodeCursor(cursor);
  if (key && !(/^\d{1,19}$/.test(key.sortKey) && isCursorId(key.id))) {
    throw new RequestValidationError([
      { pointer: '#/cursor', detail: 'must be a nextCursor or resumeCursor value from a previous page' },
    ]);
  }
  return key ? { xid: key.sortKey, id: key.id } : undefined;
}

function partnerOf(context: WriteContext): string {
  if (!context.actor.partnerId) {
    throw new ProblemError('forbidden', 'Only partner systems use the partner API.');
  }
  return context.actor.partnerId;
}
