import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ClientScope } from '../clients/client-scope.service';
import { ProblemError, RequestValidationError, type FieldError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { instantCursor, toPage, type Page } from '../common/http/pagination';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { Clock } from '../common/time/clock';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { EU_EEA_CH } from '../reference-data/countries';
import { ReferenceDataService, type ReferenceOccupation } from '../reference-data/reference-data.service';
import { checkExtension, computeDeadlines, type DeadlineRules } from './deadlines';
import { CaseRuleError, caseNotFound, InvalidTransitionError } from './recognition-case.errors';
import {
  toHistoryEntryResponse,
  toRecognitionCaseResponse,
  type CreateRecognitionCaseRequest,
  type ExtensionRequest,
  type HistoryEntryResponse,
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
  outcomeConflict,
  type RecognitionStatus,
  type TransitionRefusal,
} from './recognition-state-machine';

const RESOURCE = 'recognition-case';

/** A follow-up case (Folgeantrag) continues a case the authority has decided. */
const PREDECESSOR_STATUSES: readonly string[] = ['BESCHIEDEN', 'ABGESCHLOSSEN'];

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
    private readonly changes: VersionedChanges,
    private readonly clock: Clock,
    @InjectConfig() config: AppConfig,
  ) {
    this.rules = config.recognition;
  }

  @Transactional()
  async create(
    request: CreateRecognitionCaseRequest,
    context: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    const officeId = officeOf(context);
    // Looked up before the client is locked: reference data is not the client's.
    const occupation = await this.referenceData.findOccupation(request.kldb);
    const today = this.clock.today();
    const client = await this.scope.lockForChange(request.clientId, context.actor);
    const errors: FieldError[] = [];
    if (!occupation) {
      errors.push(unknownOccupation());
    }
    const euQualification = await this.euQualification(client.id, request.qualificationId ?? null, errors);
    await this.checkPartner(request.authorityPartnerId ?? null, errors);
    if (request.followUpOf) {
      await this.checkPredecessor(request.followUpOf, client.id, officeId, errors);
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
      feesEur: request.feesEur ?? null,
      funding: request.funding ?? [],
      status: 'IN_VORBEREITUNG',
      euQualification,
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
    return toRecognitionCaseResponse(row, [], today);
  }

  /** Newest first; one access-log entry per client whose cases the page shows. */
  async list(query: RecognitionCaseListQuery, context: WriteContext): Promise<Page<RecognitionCaseResponse>> {
    const now = this.clock.today();
    const rows = await this.repository.list(
      officeOf(context),
      {
        status: query.status,
        clientId: query.clientId,
        overdue: query.overdue,
        dueBefore: query.dueBefore,
        kldbPrefix: query.kldb,
        regulated: query.regulated,
      },
      now,
      instantCursor(query.cursor),
      query.limit,
    );
    const differences = byCase(
      await this.repository.differencesOf(rows.slice(0, query.limit).map((row) => row.id)),
    );
    const page = toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.createdAt, id: row.id }),
      (row) => toRecognitionCaseResponse(row, differences.get(row.id) ?? [], now),
    );
    const shownClients = new Map<string, string>();
    for (const item of page.items) {
      if (!shownClients.has(item.clientId)) {
        shownClients.set(item.clientId, item.id);
      }
    }
    await this.audit.recordAll(
      [...shownClients].map(([clientId, caseId]) =>
        auditEvent(context, 'recognition-case.list', RESOURCE, caseId, clientId),
      ),
    );
    return page;
  }

  async get(id: string, context: WriteContext): Promise<RecognitionCaseResponse> {
    const row = await this.repository.findInOffice(id, officeOf(context));
    if (!row) {
      throw caseNotFound();
    }
    const differences = await this.repository.differencesOf([row.id]);
    await this.audit.record(auditEvent(context, 'recognition-case.read', RESOURCE, row.id, row.clientId));
    return toRecognitionCaseResponse(row, differences, this.clock.today());
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
          changes.euQualification = await this.euQualification(
            current.clientId,
            request.qualificationId,
            errors,
          );
        }
        await this.checkPartner(request.authorityPartnerId ?? null, errors);
        const merged = { ...current, ...definedOnly(changes) };
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
        Object.assign(changes, computeDeadlines(merged, this.rules));
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
            suspendedDays: current.suspendedDays,
            latestEventOn: await this.repository.latestEventOn(id),
          },
          request,
          this.clock.today(),
        );
        if (!check.ok) {
          throw refusalError(current.status, request.to, check);
        }
        const errors: FieldError[] = [];
        await this.checkPartner(request.authorityPartnerId ?? null, errors);
        if (errors.length > 0) {
          throw new CaseRuleError(errors);
        }
        const changes: RecognitionCaseValues = { ...check.changes };
        Object.assign(changes, computeDeadlines({ ...current, ...definedOnly(changes) }, this.rules));
        const updated = await this.updateCase(current, changes, expectedVersion);
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
        const check = checkExtension(current, request.extendedUntil, this.rules);
        if (!check.ok && check.kind === 'conflict') {
          throw new ProblemError('conflict', check.detail);
        }
        const errors = eventDateErrors(
          request.date,
          await this.repository.latestEventOn(id),
          this.clock.today(),
        );
        if (!check.ok) {
          errors.push({ pointer: '#/extendedUntil', detail: check.detail });
        }
        if (errors.length > 0) {
          throw new CaseRuleError(
            errors,
            !check.ok && check.latestAllowed !== undefined ? { latestAllowed: check.latestAllowed } : {},
          );
        }
        const changes: RecognitionCaseValues = { extendedUntil: request.extendedUntil };
        Object.assign(
          changes,
          computeDeadlines({ ...current, extendedUntil: request.extendedUntil }, this.rules),
        );
        const updated = await this.updateCase(current, changes, expectedVersion);
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
        return updated;
      },
      audit: (updated) => auditEvent(context, 'recognition-case.extension', RESOURCE, id, updated.clientId),
    });
    return this.respond(row);
  }

  /** Oldest first. */
  async history(id: string, query: HistoryQuery, context: WriteContext): Promise<Page<HistoryEntryResponse>> {
    const after = instantCursor(query.cursor);
    const row = await this.repository.findInOffice(id, officeOf(context));
    if (!row) {
      throw caseNotFound();
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
  private async lockCase(id: string, context: WriteContext): Promise<RecognitionCaseRow | undefined> {
    const officeId = officeOf(context);
    const found = await this.repository.findInOffice(id, officeId);
    if (!found) {
      return undefined;
    }
    await this.scope.lockForChange(found.clientId, context.actor);
    return this.repository.lockInOffice(id, officeId);
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
    return toRecognitionCaseResponse(row, await this.repository.differencesOf([row.id]), this.clock.today());
  }

  /** Whether the qualification (of this client) comes from an EU/EEA/CH state; an error when it is not the client's. */
  private async euQualification(
    clientId: string,
    qualificationId: string | null,
    errors: FieldError[],
  ): Promise<boolean> {
    if (qualificationId === null) {
      return false;
    }
    const country = await this.repository.qualificationCountry(clientId, qualificationId);
    if (country === undefined) {
      errors.push({ pointer: '#/qualificationId', detail: 'the client has no qualification with this id' });
      return false;
    }
    return EU_EEA_CH.has(country);
  }

  private async checkPartner(partnerId: string | null, errors: FieldError[]): Promise<void> {
    if (partnerId !== null && !(await this.repository.partnerExists(partnerId))) {
      errors.push({ pointer: '#/authorityPartnerId', detail: 'no partner with this id' });
    }
  }

  private async checkPredecessor(
    followUpOf: string,
    clientId: string,
    officeId: string,
    errors: FieldError[],
  ): Promise<void> {
    const predecessor = await this.repository.findPredecessor(followUpOf, officeId);
    if (!predecessor || predecessor.clientId !== clientId) {
      errors.push({ pointer: '#/followUpOf', detail: 'the client has no recognition case with this id' });
    } else if (!PREDECESSOR_STATUSES.includes(predecessor.status)) {
      errors.push({
        pointer: '#/followUpOf',
        detail: `must be a decided (BESCHIEDEN) or closed (ABGESCHLOSSEN) case; it is ${predecessor.status}`,
      });
    }
  }
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

/** Advisers always belong to an office (checked when the user is saved); others never reach here. */
function officeOf(context: WriteContext): string {
  if (!context.actor.officeId) {
    throw new ProblemError('forbidden', 'Only advisers of an office work with recognition cases.');
  }
  return context.actor.officeId;
}
