import { CaseNextSteps } from './case-next-steps';
import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, officeOfAdviser, type WriteContext } from '../audit/write-context';
import { ClientScope } from '../clients/client-scope.service';
import { QualificationService } from '../clients/qualification.service';
import { ProblemError, RequestValidationError, type FieldError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { instantCursor, toPage, type Page } from '../common/http/pagination';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { Clock } from '../common/time/clock';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { OfficeService } from '../organisation/office.service';
import { PartnerService } from '../partners/partner.service';
import { EU_EEA_CH } from '../reference-data/countries';
import { ReferenceDataService, type ReferenceOccupation } from '../reference-data/reference-data.service';
import {
  checkExtension,
  computeDeadlines,
  euCapApplies,
  periodEventsOf,
  type DeadlineFacts,
  type DeadlineRules,
  type Deadlines,
} from './deadlines';
import { CaseRuleError, caseNotFound, InvalidTransitionError } from './recognition-case.errors';
import {
  toHistoryEntryResponse,
  toRecognitionCaseResponse,
  type CreateRecognitionCaseRequest,
  type ExtensionRequest,
  type HistoryEntryResponse,
  type ReceiptConfirmationRequest,
  type HistoryQuery,
  type RecognitionCaseListQuery,
  type RecognitionCaseResponse,
  type TransitionRequest,
  type UpdateRecognitionCaseRequest,
} from './recognition-case.dto';
import {
  RecognitionCaseRepository,
  type DifferenceRow,
  type RecognitionCaseRow,
  type RecognitionCaseValues,
} from './recognition-case.repository';
import {
  checkTransition,
  eventDateErrors,
  followUpErrors,
  outcomeConflict,
  type RecognitionStatus,
  type TransitionRefusal,
} from './recognition-state-machine';
import { workingDaysOf } from './working-days';

/** A case as a partner may see it (data category VERFAHREN). */
export interface SharedCaseFacts {
  status: string;
  kldb: string;
  occupationTitle: string;
  procedureKind: string;
  submittedOn: string | null;
  documentsCompleteOn: string | null;
  decisionDueOn: string | null;
  decidedOn: string | null;
  outcome: string | null;
}

const RESOURCE = 'recognition-case';

/** The competent authorities among the partner types (`shared/domain.md`: `authorityPartnerId`). */
export const AUTHORITY_PARTNER_TYPES: readonly string[] = ['ANERKENNUNGSSTELLE', 'KAMMER', 'ZAB'];

/** What the stored deadlines are computed from: the case's dates and the Land of its holidays. */
type StoredDeadlines = Deadlines & { deadlineBundesland: string };

/**
 * Recognition cases of the clients of the caller's office: creation, reads, descriptive changes,
 * the state machine's transitions with their history, and the authority's extension of the period.
 * Every change locks the client first (as all changes of a client's data do, so that an erasure never
 * interleaves), then the case, and records its audit event in the same transaction.
 */
@Injectable()
export class RecognitionCaseService {
  private readonly rules: DeadlineRules;

  constructor(
    private readonly repository: RecognitionCaseRepository,
    private readonly scope: ClientScope,
    private readonly audit: AuditService,
    private readonly referenceData: ReferenceDataService,
    private readonly qualifications: QualificationService,
    private readonly partners: PartnerService,
    private readonly offices: OfficeService,
    private readonly changes: VersionedChanges,
    private readonly clock: Clock,
    private readonly nextSteps: CaseNextSteps,
    @InjectConfig() config: AppConfig,
  ) {
    this.rules = config.recognition;
  }

  @Transactional()
  async create(
    request: CreateRecognitionCaseRequest,
    context: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    const officeId = officeOfAdviser(context, 'recognition cases');
    // Looked up before the client is locked: reference data is not the client's.
    const occupation = await this.referenceData.findOccupation(request.kldb);
    const today = this.clock.today();
    const client = await this.scope.lockForChange(request.clientId, context.actor);
    const errors: FieldError[] = [];
    if (!occupation) {
      errors.push(unknownOccupation());
    }
    await this.checkQualification(client.id, request.qualificationId ?? null, errors);
    await this.checkAuthority(request.authorityPartnerId ?? null, errors);
    if (request.followUpOf) {
      errors.push(
        ...followUpErrors(await this.repository.findPredecessor(request.followUpOf, officeId), {
          clientId: client.id,
          kldb: request.kldb,
          otherOccupation: request.followUpOtherOccupation ?? false,
        }),
      );
    } else if (request.followUpOtherOccupation !== undefined) {
      errors.push({
        pointer: '#/followUpOtherOccupation',
        detail: 'belongs to a follow-up case (followUpOf)',
      });
    }
    if (!occupation || errors.length > 0) {
      throw new CaseRuleError(errors);
    }
    const row = await this.repository.insert(client.id, officeId, {
      qualificationId: request.qualificationId ?? null,
      kldb: occupation.kldb,
      occupationTitle: occupation.titleDe,
      regulated: request.regulated ?? occupation.regulated,
      legalBasis: request.legalBasis,
      procedureKind: request.procedureKind,
      authorityPartnerId: request.authorityPartnerId ?? null,
      fastTrack: request.fastTrack ?? false,
      appliedFromAbroad: request.appliedFromAbroad ?? false,
      followUpOf: request.followUpOf ?? null,
      followUpOtherOccupation: request.followUpOtherOccupation ?? false,
      recognisedInEuEeaCh: request.recognisedInEuEeaCh ?? false,
      feesEur: request.feesEur ?? null,
      funding: request.funding ?? [],
      status: 'IN_VORBEREITUNG',
      notes: request.notes ?? null,
    });
    await this.repository.insertHistory({
      caseId: row.id,
      fromStatus: null,
      toStatus: row.status,
      occurredOn: today,
      actorId: context.actor.id,
      actorRole: context.actor.role,
      payload: {},
      note: null,
    });
    await this.audit.record(auditEvent(context, 'recognition-case.create', RESOURCE, row.id, row.clientId));
    return toRecognitionCaseResponse(row, [], today, await this.euQualification(row));
  }

  /** Newest first; one access-log entry per client whose cases the page shows. */
  async list(query: RecognitionCaseListQuery, context: WriteContext): Promise<Page<RecognitionCaseResponse>> {
    const now = this.clock.today();
    const rows = await this.repository.list(
      officeOfAdviser(context, 'recognition cases'),
      {
        status: query.status,
        clientId: query.clientId,
        overdue: query.overdue,
        dueBefore: query.dueBefore,
        receiptConfirmationOverdue: query.receiptConfirmationOverdue,
        kldbPrefix: query.kldb,
        regulated: query.regulated,
      },
      now,
      instantCursor(query.cursor),
      query.limit,
    );
    const shown = rows.slice(0, query.limit);
    const differences = byCase(await this.repository.differencesOf(shown.map((row) => row.id)));
    const eu = await this.euQualifications(shown);
    const steps = await this.nextSteps.of(shown);
    const page = toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.createdAt, id: row.id }),
      (row) =>
        toRecognitionCaseResponse(row, differences.get(row.id) ?? [], now, eu.has(row.id), steps.get(row.id)),
    );
    await this.audit.recordListed(context, 'recognition-case.list', RESOURCE, page.items);
    return page;
  }

  async get(id: string, context: WriteContext): Promise<RecognitionCaseResponse> {
    const row = await this.repository.findInOffice(id, officeOfAdviser(context, 'recognition cases'));
    if (!row) {
      throw await this.refused(id, context);
    }
    const differences = await this.repository.differencesOf([row.id]);
    await this.audit.record(auditEvent(context, 'recognition-case.read', RESOURCE, row.id, row.clientId));
    const steps = await this.nextSteps.of([row]);
    return toRecognitionCaseResponse(
      row,
      differences,
      this.clock.today(),
      await this.euQualification(row),
      steps.get(row.id),
    );
  }

  /** Descriptive members only; the deadlines follow (e.g. the fast track). */
  @Transactional()
  async update(
    id: string,
    request: UpdateRecognitionCaseRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    const changes: RecognitionCaseValues = {
      qualificationId: request.qualificationId,
      kldb: request.kldb,
      regulated: request.regulated,
      legalBasis: request.legalBasis,
      procedureKind: request.procedureKind,
      authorityPartnerId: request.authorityPartnerId,
      fastTrack: request.fastTrack,
      appliedFromAbroad: request.appliedFromAbroad,
      recognisedInEuEeaCh: request.recognisedInEuEeaCh,
      followUpOtherOccupation: request.followUpOtherOccupation,
      feesEur: request.feesEur,
      funding: request.funding,
      notes: request.notes,
    };
    if (isEmptyChange(changes)) {
      throw emptyPatchError();
    }
    const occupation =
      request.kldb === undefined ? undefined : await this.referenceData.findOccupation(request.kldb);
    const row = await this.changes.apply({
      load: () => this.lockCase(id, context),
      notFound: caseNotFound,
      expectedVersion,
      apply: async (current) => {
        const errors: FieldError[] = [];
        if (request.kldb !== undefined) {
          applyOccupation(changes, occupation, errors);
        }
        if (request.qualificationId !== undefined) {
          await this.checkQualification(current.clientId, request.qualificationId, errors);
        }
        await this.checkAuthority(request.authorityPartnerId ?? null, errors);
        const merged = { ...current, ...definedOnly(changes) };
        errors.push(...(await this.followUpChangeErrors(current, merged, request.followUpOtherOccupation)));
        const conflict = current.outcome === null ? null : outcomeConflict(current.outcome, merged);
        if (conflict !== null) {
          const member =
            conflict.member === 'regulated' && request.regulated === undefined && request.kldb !== undefined
              ? 'kldb'
              : conflict.member;
          errors.push({ pointer: `#/${member}`, detail: `contradicts the decision: ${conflict.detail}` });
        }
        if (errors.length > 0) {
          throw new CaseRuleError(errors);
        }
        Object.assign(changes, await this.deadlinesOf(merged));
        return this.updateCase(current, changes, expectedVersion);
      },
      audit: (updated) => auditEvent(context, 'recognition-case.update', RESOURCE, id, updated.clientId),
    });
    return this.respond(row);
  }

  /**
   * One step of the state machine, as one transaction: the case's new state, dates and deadlines, its
   * history row, the decision's substantial differences and the audit event commit together.
   */
  @Transactional()
  async transition(
    id: string,
    request: TransitionRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    const row = await this.changes.apply({
      load: () => this.lockCase(id, context),
      notFound: caseNotFound,
      expectedVersion,
      apply: async (current) => {
        const check = checkTransition(
          {
            status: current.status as RecognitionStatus,
            outcome: current.outcome,
            regulated: current.regulated,
            procedureKind: current.procedureKind,
            authorityPartnerId: current.authorityPartnerId,
            documentsCompleteOn: current.documentsCompleteOn,
            firstDecidedOn: current.firstDecidedOn,
            suspendedSince: current.suspendedSince,
            latestEventOn: await this.repository.latestEventOn(id),
          },
          request,
          this.clock.today(),
        );
        if (!check.ok) {
          throw refusalError(current.status, request.to, check);
        }
        const errors: FieldError[] = [];
        await this.checkAuthority(request.authorityPartnerId ?? null, errors);
        if (errors.length > 0) {
          throw new CaseRuleError(errors);
        }
        const changes: RecognitionCaseValues = { ...check.changes };
        // The history row first: the deadlines follow from the recorded steps, this one included.
        await this.repository.insertHistory({
          caseId: id,
          fromStatus: current.status,
          toStatus: request.to,
          occurredOn: request.date,
          actorId: context.actor.id,
          actorRole: context.actor.role,
          payload: check.payload,
          note: request.note ?? null,
        });
        Object.assign(changes, await this.deadlinesOf({ ...current, ...definedOnly(changes) }));
        const updated = await this.updateCase(current, changes, expectedVersion);
        if (check.differences !== undefined) {
          await this.repository.replaceDifferences(
            id,
            check.differences.map((difference) => ({
              description: difference.description ?? null,
              compensationOptions: difference.compensationOptions,
            })),
          );
        }
        return updated;
      },
      audit: (updated) => auditEvent(context, 'recognition-case.transition', RESOURCE, id, updated.clientId),
    });
    return this.respond(row);
  }

  /** The authority's one extension of the decision period: it replaces the computed decision date. */
  @Transactional()
  async extend(
    id: string,
    request: ExtensionRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    const row = await this.changes.apply({
      load: () => this.lockCase(id, context),
      notFound: caseNotFound,
      expectedVersion,
      apply: async (current) => {
        const check = checkExtension(
          {
            ...current,
            events: periodEventsOf(await this.repository.periodSteps(id)),
            euQualification: await this.euQualification(current),
          },
          { until: request.extendedUntil, notifiedOn: request.date },
          this.rules,
          await this.workingDaysOf(current),
        );
        if (!check.ok && check.kind === 'conflict') {
          throw new ProblemError('conflict', check.detail);
        }
        const errors = eventDateErrors(
          request.date,
          await this.repository.latestEventOn(id),
          this.clock.today(),
        );
        if (!check.ok) {
          errors.push({ pointer: check.pointer, detail: check.detail });
        }
        if (errors.length > 0) {
          throw new CaseRuleError(
            errors,
            !check.ok && check.latestAllowed !== undefined ? { latestAllowed: check.latestAllowed } : {},
          );
        }
        await this.repository.insertHistory({
          caseId: id,
          fromStatus: current.status,
          toStatus: current.status,
          occurredOn: request.date,
          actorId: context.actor.id,
          actorRole: context.actor.role,
          payload: { extendedUntil: request.extendedUntil },
          note: request.note ?? null,
        });
        const changes: RecognitionCaseValues = {
          extendedUntil: request.extendedUntil,
          ...(await this.deadlinesOf(current)),
        };
        return this.updateCase(current, changes, expectedVersion);
      },
      audit: (updated) => auditEvent(context, 'recognition-case.extension', RESOURCE, id, updated.clientId),
    });
    return this.respond(row);
  }

  /**
   * When the authority actually confirmed receipt of the application: once, after the submission, not
   * in the future. Kept in the history like the extension (`from` = `to`). It may be recorded after
   * later steps (the office often learns of it late), so it is not held to the latest step's date.
   */
  @Transactional()
  async confirmReceipt(
    id: string,
    request: ReceiptConfirmationRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    const row = await this.changes.apply({
      load: () => this.lockCase(id, context),
      notFound: caseNotFound,
      expectedVersion,
      apply: async (current) => {
        if (current.submittedOn === null) {
          throw new ProblemError(
            'conflict',
            `The case is ${current.status} and was never filed: there is no receipt to confirm.`,
          );
        }
        if (current.receiptConfirmedOn !== null) {
          throw new ProblemError(
            'conflict',
            `The authority's confirmation of receipt is recorded already (${current.receiptConfirmedOn}).`,
          );
        }
        const today = this.clock.today();
        if (request.date > today) {
          throw new CaseRuleError([
            { pointer: '#/date', detail: `must not be in the future (today is ${today})` },
          ]);
        }
        if (request.date < current.submittedOn) {
          throw new CaseRuleError([
            { pointer: '#/date', detail: `must not be before the submission (${current.submittedOn})` },
          ]);
        }
        await this.repository.insertHistory({
          caseId: id,
          fromStatus: current.status,
          toStatus: current.status,
          occurredOn: request.date,
          actorId: context.actor.id,
          actorRole: context.actor.role,
          payload: { receiptConfirmedOn: request.date },
          note: request.note ?? null,
        });
        return this.updateCase(current, { receiptConfirmedOn: request.date }, expectedVersion);
      },
      audit: (updated) =>
        auditEvent(context, 'recognition-case.receipt-confirmation', RESOURCE, id, updated.clientId),
    });
    return this.respond(row);
  }

  /** Oldest first. */
  async history(id: string, query: HistoryQuery, context: WriteContext): Promise<Page<HistoryEntryResponse>> {
    const after = instantCursor(query.cursor);
    const row = await this.repository.findInOffice(id, officeOfAdviser(context, 'recognition cases'));
    if (!row) {
      throw await this.refused(id, context);
    }
    await this.audit.record(auditEvent(context, 'recognition-case.history.read', RESOURCE, id, row.clientId));
    const entries = await this.repository.history(id, after, query.limit);
    return toPage(
      entries,
      query.limit,
      (entry) => ({ sortKey: entry.recordedAt, id: entry.id }),
      toHistoryEntryResponse,
    );
  }

  /**
   * The case of the caller's office, locked for a change: the client first (404 outside the office,
   * 409 once erased), then the case, always in this order so that concurrent changes cannot deadlock.
   * `undefined` when the office has no such case.
   */
  /**
   * For modules that link a case to their records (referrals): the case of this office, its client and
   * state — or `undefined`. Not audited: the caller audits its own read or change.
   */
  async linkable(id: string, officeId: string): Promise<{ clientId: string; status: string } | undefined> {
    const row = await this.repository.findInOffice(id, officeId);
    return row ? { clientId: row.clientId, status: row.status } : undefined;
  }

  /**
   * What a partner may see of a case under the data category VERFAHREN: status, reference occupation,
   * procedure, dates and outcome — no notes, no differences, no authority. The caller has checked the
   * consent and audits the read.
   */
  async sharedFacts(id: string, officeId: string): Promise<SharedCaseFacts | undefined> {
    const row = await this.repository.findInOffice(id, officeId);
    return row
      ? {
          status: row.status,
          kldb: row.kldb,
          occupationTitle: row.occupationTitle,
          procedureKind: row.procedureKind,
          submittedOn: row.submittedOn,
          documentsCompleteOn: row.documentsCompleteOn,
          decisionDueOn: row.decisionDueOn,
          decidedOn: row.decidedOn,
          outcome: row.outcome,
        }
      : undefined;
  }

  private async lockCase(id: string, context: WriteContext): Promise<RecognitionCaseRow | undefined> {
    const officeId = officeOfAdviser(context, 'recognition cases');
    const found = await this.repository.findInOffice(id, officeId);
    if (!found) {
      throw await this.refused(id, context);
    }
    await this.scope.lockForChange(found.clientId, context.actor);
    return this.repository.lockInOffice(id, officeId);
  }

  private async refused(id: string, context: WriteContext): Promise<ProblemError> {
    await this.audit.recordAccessDenied(context, RESOURCE, id);
    return caseNotFound();
  }

  /** The versioned update of a locked case. */
  private async updateCase(
    current: RecognitionCaseRow,
    changes: RecognitionCaseValues,
    expectedVersion: number,
  ): Promise<RecognitionCaseRow> {
    const row = await this.repository.update(current.id, changes, expectedVersion);
    if (!row) {
      throw notFoundOrStale(current, caseNotFound);
    }
    return row;
  }

  private async respond(row: RecognitionCaseRow): Promise<RecognitionCaseResponse> {
    return toRecognitionCaseResponse(
      row,
      await this.repository.differencesOf([row.id]),
      this.clock.today(),
      await this.euQualification(row),
      (await this.nextSteps.of([row])).get(row.id),
    );
  }

  /**
   * The deadlines to store, from the case as it will be and its recorded steps (the caller has
   * recorded the step it makes). The holidays are the authority's Land's, else the office's.
   */
  private async deadlinesOf(
    merged: Pick<RecognitionCaseRow, 'id' | 'officeId' | 'authorityPartnerId'> &
      Omit<DeadlineFacts, 'events'>,
  ): Promise<StoredDeadlines> {
    const calendar = await this.workingDaysOf(merged);
    const facts: DeadlineFacts = {
      fastTrack: merged.fastTrack,
      submittedOn: merged.submittedOn,
      documentsCompleteOn: merged.documentsCompleteOn,
      events: periodEventsOf(await this.repository.periodSteps(merged.id)),
    };
    return { ...computeDeadlines(facts, this.rules, calendar), deadlineBundesland: calendar.bundesland };
  }

  private async workingDaysOf(
    row: Pick<RecognitionCaseRow, 'officeId' | 'authorityPartnerId'>,
  ): Promise<ReturnType<typeof workingDaysOf>> {
    const authority =
      row.authorityPartnerId === null ? undefined : await this.partnerOf(row.authorityPartnerId);
    const bundesland = authority?.bundesland ?? (await this.offices.get(row.officeId)).bundesland;
    return workingDaysOf(bundesland);
  }

  /**
   * The EU/EEA/CH cap applies when the linked qualification's country (as it is now) is an EU/EEA/CH
   * state, or the adviser recorded that it was recognised in one (§13(3) BQFG: "obtained or
   * recognised"). Derived whenever needed, so a changed qualification or country is never stale.
   */
  private async euQualification(row: RecognitionCaseRow): Promise<boolean> {
    return (await this.euQualifications([row])).has(row.id);
  }

  /** The ids of the cases among `rows` the EU/EEA/CH cap applies to. */
  private async euQualifications(rows: readonly RecognitionCaseRow[]): Promise<Set<string>> {
    const countries = await this.qualifications.countriesOf(
      rows.flatMap((row) => (row.qualificationId === null ? [] : [row.qualificationId])),
    );
    return new Set(
      rows
        .filter((row) =>
          euCapApplies(row.recognisedInEuEeaCh, countries.get(row.qualificationId ?? '')?.country, EU_EEA_CH),
        )
        .map((row) => row.id),
    );
  }

  /** The qualification must be one of the client's. */
  private async checkQualification(
    clientId: string,
    qualificationId: string | null,
    errors: FieldError[],
  ): Promise<void> {
    if (qualificationId === null) {
      return;
    }
    const qualification = (await this.qualifications.countriesOf([qualificationId])).get(qualificationId);
    if (qualification?.clientId !== clientId) {
      errors.push({ pointer: '#/qualificationId', detail: 'the client has no qualification with this id' });
    }
  }

  /** A partner, or `undefined` when there is none with this id. */
  private async partnerOf(
    partnerId: string,
  ): Promise<{ type: string; bundesland: string | null } | undefined> {
    try {
      return await this.partners.get(partnerId);
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status === 404) {
        return undefined;
      }
      throw error;
    }
  }

  /** The competent authority: a partner of type ANERKENNUNGSSTELLE, KAMMER or ZAB. */
  private async checkAuthority(partnerId: string | null, errors: FieldError[]): Promise<void> {
    if (partnerId === null) {
      return;
    }
    const partner = await this.partnerOf(partnerId);
    if (!partner) {
      errors.push({ pointer: '#/authorityPartnerId', detail: 'no partner with this id' });
    } else if (!AUTHORITY_PARTNER_TYPES.includes(partner.type)) {
      errors.push({
        pointer: '#/authorityPartnerId',
        detail:
          `must be a competent authority, a partner of type ${AUTHORITY_PARTNER_TYPES.join(', ')}; ` +
          `this partner is ${partner.type}`,
      });
    }
  }

  /**
   * A follow-up case keeps to its rules when its reference occupation changes: another occupation than
   * the earlier case's needs `followUpOtherOccupation` (sent now, or recorded before).
   */
  private async followUpChangeErrors(
    current: RecognitionCaseRow,
    merged: RecognitionCaseRow,
    otherOccupationSent: boolean | undefined,
  ): Promise<FieldError[]> {
    if (current.followUpOf === null) {
      return otherOccupationSent === undefined
        ? []
        : [{ pointer: '#/followUpOtherOccupation', detail: 'belongs to a follow-up case (followUpOf)' }];
    }
    if (merged.kldb === current.kldb && otherOccupationSent !== false) {
      return [];
    }
    const predecessor = await this.repository.findPredecessor(current.followUpOf, current.officeId);
    return predecessor && predecessor.kldb !== merged.kldb && !merged.followUpOtherOccupation
      ? [
          {
            pointer: request_pointer(otherOccupationSent),
            detail:
              `the earlier case is for the reference occupation ${predecessor.kldb}: another occupation ` +
              `needs followUpOtherOccupation: true`,
          },
        ]
      : [];
  }
}

/** Where a refused change of a follow-up's occupation is reported: at the flag if sent, else at `kldb`. */
function request_pointer(otherOccupationSent: boolean | undefined): string {
  return otherOccupationSent === undefined ? '#/kldb' : '#/followUpOtherOccupation';
}

function unknownOccupation(): FieldError {
  return { pointer: '#/kldb', detail: 'no reference occupation with this KldB code' };
}

/** A new reference occupation: its title is copied, and `regulated` follows it unless the request sets it. */
function applyOccupation(
  changes: RecognitionCaseValues,
  occupation: ReferenceOccupation | undefined,
  errors: FieldError[],
): void {
  if (!occupation) {
    errors.push(unknownOccupation());
    return;
  }
  changes.occupationTitle = occupation.titleDe;
  changes.regulated = changes.regulated ?? occupation.regulated;
}

function refusalError(from: string, to: string, refusal: TransitionRefusal): ProblemError {
  switch (refusal.kind) {
    case 'invalid-transition':
      return new InvalidTransitionError(from, to, refusal.allowedTargets);
    case 'fields':
      return new RequestValidationError(refusal.errors);
    case 'rule':
      return new CaseRuleError(refusal.errors);
  }
}

function byCase(differences: DifferenceRow[]): Map<string, DifferenceRow[]> {
  const grouped = new Map<string, DifferenceRow[]>();
  for (const difference of differences) {
    grouped.set(difference.caseId, [...(grouped.get(difference.caseId) ?? []), difference]);
  }
  return grouped;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
