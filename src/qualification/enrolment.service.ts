import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, officeOfAdviser, type WriteContext } from '../audit/write-context';
import { ClientScope } from '../clients/client-scope.service';
import { ProblemError, RequestValidationError, type FieldError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { instantCursor, toPage, type Page } from '../common/http/pagination';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { Clock } from '../common/time/clock';
import { checkEnrolmentTransition, type EnrolmentStatus } from './enrolment-state-machine';
import {
  toEnrolmentHistoryResponse,
  toEnrolmentResponse,
  type CreateEnrolmentRequest,
  type EnrolmentHistoryEntryResponse,
  type EnrolmentHistoryQuery,
  type EnrolmentListQuery,
  type EnrolmentResponse,
  type EnrolmentTransitionRequest,
  type UpdateEnrolmentRequest,
} from './enrolment.dto';
import { EnrolmentRepository, type EnrolmentRow, type EnrolmentValues } from './enrolment.repository';
import { QualificationOfferRepository } from './qualification-offer.repository';
import {
  InvalidEnrolmentTransitionError,
  QualificationRuleError,
  enrolmentNotFound,
} from './qualification.errors';
import { WaitingList } from './waiting-list';

const RESOURCE = 'enrolment';

/**
 * Enrolments of the clients of the caller's office. Lock order, the same on every path so that
 * concurrent requests queue instead of deadlocking: the client (as every change of a client's data),
 * then the offer (every decision about its seats), then the enrolment. A promotion locks only the
 * promoted enrolment, after the offer, never its client.
 */
@Injectable()
export class EnrolmentService {
  constructor(
    private readonly enrolments: EnrolmentRepository,
    private readonly offers: QualificationOfferRepository,
    private readonly waitingList: WaitingList,
    private readonly scope: ClientScope,
    private readonly audit: AuditService,
    private readonly changes: VersionedChanges,
    private readonly clock: Clock,
  ) {}

  /**
   * ZUGESAGT when a seat is free (and nobody waits), otherwise WARTELISTE at the end of the queue.
   * Decided under the offer's row lock; the seat counter's CHECK refuses an overbooking even if this
   * decision were wrong.
   */
  @Transactional()
  async create(request: CreateEnrolmentRequest, context: WriteContext): Promise<EnrolmentResponse> {
    const officeId = officeOfAdviser(context, 'enrolments');
    const today = this.clock.today();
    const client = await this.scope.lockForChange(request.clientId, context.actor);
    const errors: FieldError[] = [];
    if (request.recognitionCaseId !== undefined) {
      await this.checkCase(request.recognitionCaseId, client.id, officeId, errors);
    }
    const offer = await this.offers.lock(request.offerId);
    if (!offer) {
      errors.push({ pointer: '#/offerId', detail: 'no qualification offer with this id' });
    } else if (offer.endsOn !== null && offer.endsOn < today) {
      errors.push({ pointer: '#/offerId', detail: `the offer ended on ${offer.endsOn}` });
    }
    if (!offer || errors.length > 0) {
      throw new QualificationRuleError(errors);
    }
    const live = await this.enrolments.liveOf(offer.id, client.id);
    if (live) {
      throw new ProblemError(
        'conflict',
        `The client is already enrolled in this offer (${live.status}); cancel that enrolment first.`,
        { extensions: { enrolmentId: live.id } },
      );
    }
    const seat = offer.seatsTaken < offer.capacity && offer.waitlisted === 0;
    const status: EnrolmentStatus = seat ? 'ZUGESAGT' : 'WARTELISTE';
    const id = await this.enrolments.insert(offer.id, client.id, officeId, {
      recognitionCaseId: request.recognitionCaseId ?? null,
      status,
      confirmedOn: seat ? today : null,
      notes: request.notes ?? null,
    });
    const created = (await this.enrolments.find(id))!;
    await this.enrolments.insertHistory({
      enrolmentId: id,
      fromStatus: null,
      toStatus: status,
      occurredOn: today,
      actorId: context.actor.id,
      actorRole: context.actor.role,
      payload: created.waitlistPosition === null ? {} : { waitlistPosition: created.waitlistPosition },
      reason: null,
    });
    await this.audit.record(auditEvent(context, 'enrolment.create', RESOURCE, id, client.id));
    return toEnrolmentResponse(created);
  }

  /** Newest first; one access-log entry per client whose enrolments the page shows. */
  async list(query: EnrolmentListQuery, context: WriteContext): Promise<Page<EnrolmentResponse>> {
    const rows = await this.enrolments.list(
      officeOfAdviser(context, 'enrolments'),
      { clientId: query.clientId, offerId: query.offerId, status: query.status },
      instantCursor(query.cursor),
      query.limit,
    );
    const page = toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.createdAt, id: row.id }),
      toEnrolmentResponse,
    );
    await this.audit.recordListed(context, 'enrolment.list', RESOURCE, page.items);
    return page;
  }

  async get(id: string, context: WriteContext): Promise<EnrolmentResponse> {
    const row = await this.readable(id, context);
    await this.audit.record(auditEvent(context, 'enrolment.read', RESOURCE, row.id, row.clientId));
    return toEnrolmentResponse(row);
  }

  /** Descriptive members only: the linked recognition case and the notes. */
  @Transactional()
  async update(
    id: string,
    request: UpdateEnrolmentRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<EnrolmentResponse> {
    const changes: EnrolmentValues = { recognitionCaseId: request.recognitionCaseId, notes: request.notes };
    if (isEmptyChange(changes)) {
      throw emptyPatchError();
    }
    await this.changes.apply({
      load: () => this.lockEnrolment(id, context, false),
      notFound: enrolmentNotFound,
      expectedVersion,
      apply: async (current) => {
        if (request.recognitionCaseId !== undefined && request.recognitionCaseId !== null) {
          const errors: FieldError[] = [];
          await this.checkCase(request.recognitionCaseId, current.clientId, current.officeId, errors);
          if (errors.length > 0) {
            throw new QualificationRuleError(errors);
          }
        }
        await this.updateEnrolment(current, changes, expectedVersion);
      },
      audit: (_result, current) => auditEvent(context, 'enrolment.update', RESOURCE, id, current.clientId),
    });
    return toEnrolmentResponse((await this.enrolments.find(id))!);
  }

  /**
   * One step of the state machine, as one transaction: the new state and date, the history row, the
   * audit event — and, when the step frees a seat, the promotion of the oldest waiting enrolment.
   */
  @Transactional()
  async transition(
    id: string,
    request: EnrolmentTransitionRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<EnrolmentResponse> {
    await this.changes.apply({
      load: () => this.lockEnrolment(id, context, true),
      notFound: enrolmentNotFound,
      expectedVersion,
      apply: async (current) => {
        const check = checkEnrolmentTransition(
          {
            status: current.status as EnrolmentStatus,
            latestEventOn: await this.enrolments.latestEventOn(id),
          },
          request,
          this.clock.today(),
        );
        if (!check.ok) {
          switch (check.kind) {
            case 'invalid-transition':
              throw new InvalidEnrolmentTransitionError(
                current.status,
                request.to,
                check.allowedTargets,
                check.automatic,
              );
            case 'fields':
              throw new RequestValidationError(check.errors);
            case 'rule':
              throw new QualificationRuleError(check.errors);
          }
        }
        await this.updateEnrolment(current, check.changes, expectedVersion);
        await this.enrolments.insertHistory({
          enrolmentId: id,
          fromStatus: current.status,
          toStatus: request.to,
          occurredOn: request.date,
          actorId: context.actor.id,
          actorRole: context.actor.role,
          payload: {},
          reason: request.reason ?? null,
        });
        if (check.freesSeat) {
          await this.waitingList.fillFreeSeats(current.offerId, 'SEAT_FREED', context);
        }
      },
      audit: (_result, current) =>
        auditEvent(context, 'enrolment.transition', RESOURCE, id, current.clientId),
    });
    return toEnrolmentResponse((await this.enrolments.find(id))!);
  }

  /** Oldest first. */
  async history(
    id: string,
    query: EnrolmentHistoryQuery,
    context: WriteContext,
  ): Promise<Page<EnrolmentHistoryEntryResponse>> {
    const row = await this.readable(id, context);
    const rows = await this.enrolments.history(id, instantCursor(query.cursor), query.limit);
    await this.audit.record(auditEvent(context, 'enrolment.history', RESOURCE, id, row.clientId));
    return toPage(
      rows,
      query.limit,
      (entry) => ({ sortKey: entry.recordedAt, id: entry.id }),
      toEnrolmentHistoryResponse,
    );
  }

  /** The enrolment of the caller's office; 404 otherwise (and the probe is audited as DENIED). */
  private async readable(id: string, context: WriteContext): Promise<EnrolmentRow> {
    const row = await this.enrolments.findInOffice(id, officeOfAdviser(context, 'enrolments'));
    if (!row) {
      throw await this.refused(id, context);
    }
    return row;
  }

  /**
   * Locks in the order client → offer (when the step may move seats) → enrolment, and answers the
   * enrolment, or `undefined` when the office has no such enrolment.
   */
  private async lockEnrolment(
    id: string,
    context: WriteContext,
    withOffer: boolean,
  ): Promise<EnrolmentRow | undefined> {
    const officeId = officeOfAdviser(context, 'enrolments');
    const found = await this.enrolments.findInOffice(id, officeId);
    if (!found) {
      throw await this.refused(id, context);
    }
    await this.scope.lockForChange(found.clientId, context.actor);
    if (withOffer) {
      await this.offers.lock(found.offerId);
    }
    return this.enrolments.lockInOffice(id, officeId);
  }

  private async updateEnrolment(
    current: EnrolmentRow,
    changes: EnrolmentValues,
    expectedVersion: number,
  ): Promise<void> {
    if (!(await this.enrolments.update(current.id, changes, expectedVersion))) {
      throw notFoundOrStale(current, enrolmentNotFound);
    }
  }

  private async checkCase(
    caseId: string,
    clientId: string,
    officeId: string,
    errors: FieldError[],
  ): Promise<void> {
    const found = await this.enrolments.caseInOffice(caseId, officeId);
    if (!found || found.clientId !== clientId) {
      errors.push({
        pointer: '#/recognitionCaseId',
        detail: 'the client has no recognition case with this id',
      });
    }
  }

  private async refused(id: string, context: WriteContext): Promise<ProblemError> {
    await this.audit.recordAccessDenied(context, RESOURCE, id);
    return enrolmentNotFound();
  }
}
