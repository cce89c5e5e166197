import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ProblemError, RequestValidationError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { decodeCursor, isCursorId, isCursorInstant, toPage, type Page } from '../common/http/pagination';
import { isCalendarDate } from '../common/http/validate.decorators';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { Clock } from '../common/time/clock';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { ClientScope } from './client-scope.service';
import {
  consultationBirthDateErrors,
  consultationDateErrors,
  consultationEarliestErrors,
} from './consultation-rules';
import {
  toConsultationResponse,
  type ConsultationListQuery,
  type ConsultationResponse,
  type CreateConsultationRequest,
  type UpdateConsultationRequest,
  type VoidConsultationRequest,
} from './consultation.dto';
import {
  ConsultationRepository,
  type ConsultationCursor,
  type ConsultationValues,
} from './consultation.repository';

/**
 * The consultations of a client of the caller's office. Every change runs with the client locked, and
 * a new, re-dated or voided consultation re-derives which one is the client's ERSTBERATUNG.
 */
@Injectable()
export class ConsultationService {
  private readonly earliestDate: string;

  constructor(
    private readonly repository: ConsultationRepository,
    private readonly scope: ClientScope,
    private readonly audit: AuditService,
    private readonly changes: VersionedChanges,
    private readonly clock: Clock,
    @InjectConfig() config: AppConfig,
  ) {
    this.earliestDate = config.consultationEarliestDate;
  }

  @Transactional()
  async create(
    clientId: string,
    request: CreateConsultationRequest,
    context: WriteContext,
  ): Promise<ConsultationResponse> {
    const dateErrors = [
      ...consultationDateErrors(
        { heldOn: request.heldOn, nextContactDue: request.nextContactDue ?? null },
        this.clock.today(),
      ),
      ...consultationEarliestErrors(request.heldOn, this.earliestDate),
    ];
    if (dateErrors.length > 0) {
      throw new RequestValidationError(dateErrors);
    }
    const values: ConsultationValues = {
      heldOn: request.heldOn,
      durationMinutes: request.durationMinutes,
      channel: request.channel,
      mobile: request.mobile ?? false,
      language: request.language ?? null,
      interpreterUsed: request.interpreterUsed ?? false,
      topics: request.topics,
      outcomes: request.outcomes ?? [],
      nextContactDue: request.nextContactDue ?? null,
      notes: emptyToNull(request.notes) ?? null,
    };
    const client = await this.scope.lockForChange(clientId, context.actor);
    refuseBeforeBirth(request.heldOn, client.birthDate);
    const inserted = await this.repository.insert(clientId, client.officeId, context.actor.id, values);
    const row = (await this.repository.deriveKinds(clientId, inserted.id)).includes(inserted.id)
      ? await this.repository.find(clientId, inserted.id)
      : inserted;
    await this.audit.record(
      auditEvent(context, 'consultation.create', 'consultation', inserted.id, clientId),
    );
    return toConsultationResponse(row ?? inserted);
  }

  /** Newest first (by the day held); one access-log entry for the whole page. */
  async list(
    clientId: string,
    query: ConsultationListQuery,
    context: WriteContext,
  ): Promise<Page<ConsultationResponse>> {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw new RequestValidationError([{ pointer: '#/to', detail: 'must not be before from' }]);
    }
    const before = consultationCursor(query.cursor);
    await this.scope.readable(clientId, context.actor);
    const rows = await this.repository.list(
      clientId,
      { from: query.from, to: query.to },
      before,
      query.limit,
    );
    await this.audit.record(auditEvent(context, 'consultation.list', 'client', clientId, clientId));
    return toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: `${row.heldOn}|${row.createdAt}`, id: row.id }),
      toConsultationResponse,
    );
  }

  async get(clientId: string, id: string, context: WriteContext): Promise<ConsultationResponse> {
    await this.scope.readable(clientId, context.actor);
    const row = await this.repository.find(clientId, id);
    if (!row) {
      throw notFound();
    }
    await this.audit.record(auditEvent(context, 'consultation.read', 'consultation', id, clientId));
    return toConsultationResponse(row);
  }

  @Transactional()
  async update(
    clientId: string,
    id: string,
    request: UpdateConsultationRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<ConsultationResponse> {
    const changes: ConsultationValues = {
      heldOn: request.heldOn,
      durationMinutes: request.durationMinutes,
      channel: request.channel,
      mobile: request.mobile,
      language: request.language,
      interpreterUsed: request.interpreterUsed,
      topics: request.topics,
      outcomes: request.outcomes,
      nextContactDue: request.nextContactDue,
      notes: emptyToNull(request.notes),
    };
    if (isEmptyChange(changes)) {
      throw emptyPatchError();
    }
    const client = await this.scope.lockForChange(clientId, context.actor);
    const row = await this.changes.apply({
      load: () => this.repository.lock(clientId, id),
      notFound,
      expectedVersion,
      apply: async (current) => {
        if (current.voidedAt !== null) {
          throw voided(current.voidedAt);
        }
        const dateErrors = [
          ...consultationDateErrors(
            {
              heldOn: changes.heldOn ?? current.heldOn,
              nextContactDue:
                changes.nextContactDue !== undefined ? changes.nextContactDue : current.nextContactDue,
            },
            this.clock.today(),
            { heldOn: changes.heldOn !== undefined, nextContactDue: changes.nextContactDue !== undefined },
          ),
          ...(changes.heldOn === undefined
            ? []
            : consultationEarliestErrors(changes.heldOn, this.earliestDate)),
        ];
        if (dateErrors.length > 0) {
          throw new RequestValidationError(dateErrors);
        }
        if (changes.heldOn !== undefined) {
          refuseBeforeBirth(changes.heldOn, client.birthDate);
        }
        const updated = await this.repository.update(clientId, id, changes, expectedVersion);
        if (!updated) {
          throw notFoundOrStale(current, notFound);
        }
        if (
          changes.heldOn !== undefined &&
          changes.heldOn !== current.heldOn &&
          (await this.repository.deriveKinds(clientId, id)).includes(id)
        ) {
          return (await this.repository.find(clientId, id)) ?? updated;
        }
        return updated;
      },
      audit: () => auditEvent(context, 'consultation.update', 'consultation', id, clientId),
    });
    return toConsultationResponse(row);
  }

  /**
   * Voids a mis-entered consultation (Art. 5(1)(d), Art. 16 GDPR: correct, never silently delete): it
   * keeps its data and stays in the list, the history and the access log, but leaves the statistics
   * and the Erst-/Folgeberatung derivation — the next valid one may become the ERSTBERATUNG. Once.
   */
  @Transactional()
  async void(
    clientId: string,
    id: string,
    request: VoidConsultationRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<ConsultationResponse> {
    await this.scope.lockForChange(clientId, context.actor);
    const row = await this.changes.apply({
      load: () => this.repository.lock(clientId, id),
      notFound,
      expectedVersion,
      apply: async (current) => {
        if (current.voidedAt !== null) {
          throw voided(current.voidedAt);
        }
        const updated = await this.repository.update(
          clientId,
          id,
          {
            voidedAt: this.clock.now().toISOString(),
            voidedBy: context.actor.id,
            voidReason: request.reason,
          },
          expectedVersion,
        );
        if (!updated) {
          throw notFoundOrStale(current, notFound);
        }
        await this.repository.deriveKinds(clientId, id);
        return updated;
      },
      audit: () => auditEvent(context, 'consultation.void', 'consultation', id, clientId),
    });
    return toConsultationResponse(row);
  }
}

/** A consultation cannot predate the client (422: a rule against the stored client). */
function refuseBeforeBirth(heldOn: string, birthDate: string | null): void {
  const errors = consultationBirthDateErrors(heldOn, birthDate);
  if (errors.length > 0) {
    throw new ProblemError('unprocessable', `heldOn: ${errors[0].detail}`, { extensions: { errors } });
  }
}

function voided(voidedAt: string): ProblemError {
  return new ProblemError(
    'conflict',
    `The consultation was voided at ${voidedAt}; a voided consultation is kept as it is.`,
  );
}

/** Empty notes (after trimming) are no notes. */
function emptyToNull(notes: string | null | undefined): string | null | undefined {
  return notes === '' ? null : notes;
}

/** The list's cursor: `heldOn|createdAt` and the id of the last row shown; a forged one is a 400. */
function consultationCursor(cursor: string | undefined): ConsultationCursor | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) {
    return undefined;
  }
  const [heldOn, createdAt, ...rest] = key.sortKey.split('|');
  if (
    rest.length === 0 &&
    heldOn !== undefined &&
    createdAt !== undefined &&
    isCalendarDate(heldOn) &&
    isCursorInstant(createdAt) &&
    isCursorId(key.id)
  ) {
    return { heldOn, createdAt, id: key.id };
  }
  throw new RequestValidationError([
    { pointer: '#/cursor', detail: 'must be a nextCursor value from a previous page' },
  ]);
}

function notFound(): ProblemError {
  return new ProblemError('notFound', 'No consultation with this id for this client.');
}
