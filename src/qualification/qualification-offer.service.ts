import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ProblemError, type FieldError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { instantCursor, toPage, type Page } from '../common/http/pagination';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { EnrolmentRepository } from './enrolment.repository';
import {
  toOfferEnrolmentResponse,
  toOfferResponse,
  type CreateOfferRequest,
  type OfferEnrolmentResponse,
  type OfferEnrolmentsQuery,
  type OfferListQuery,
  type OfferResponse,
  type UpdateOfferRequest,
} from './qualification-offer.dto';
import {
  QualificationOfferRepository,
  type OfferRow,
  type OfferValues,
} from './qualification-offer.repository';
import { QualificationRuleError, offerNotFound, offerNotFoundInNetwork } from './qualification.errors';
import { WaitingList } from './waiting-list';

const RESOURCE = 'qualification-offer';

/**
 * The offer catalogue: coordinators keep the offers of their own network; advisers of every office
 * and coordinators read it. An offer describes a measure, not a person, so reads are not audited;
 * changes are.
 */
@Injectable()
export class QualificationOfferService {
  constructor(
    private readonly offers: QualificationOfferRepository,
    private readonly enrolments: EnrolmentRepository,
    private readonly waitingList: WaitingList,
    private readonly audit: AuditService,
    private readonly changes: VersionedChanges,
  ) {}

  @Transactional()
  async create(request: CreateOfferRequest, context: WriteContext): Promise<OfferResponse> {
    const networkId = networkOf(context);
    const errors = await this.ruleErrors(request, request);
    if (errors.length > 0) {
      throw new QualificationRuleError(errors);
    }
    const row = await this.offers.insert({
      networkId,
      title: request.title,
      type: request.type,
      providerPartnerId: request.providerPartnerId,
      referenceOccupations: request.referenceOccupations,
      format: request.format,
      delivery: request.delivery,
      capacity: request.capacity,
      startsOn: request.startsOn,
      endsOn: request.endsOn ?? null,
      iqFunded: request.iqFunded ?? false,
      bundesland: request.bundesland ?? null,
      city: request.city ?? null,
      description: request.description ?? null,
    });
    await this.audit.record(auditEvent(context, 'qualification-offer.create', RESOURCE, row.id));
    return toOfferResponse(row);
  }

  async list(query: OfferListQuery): Promise<Page<OfferResponse>> {
    const rows = await this.offers.list(
      {
        kldbPrefix: query.kldb,
        type: query.type,
        networkId: query.networkId,
        startsAfter: query.startsAfter,
        hasSeats: query.hasSeats,
        bundesland: query.bundesland,
        delivery: query.delivery,
      },
      instantCursor(query.cursor),
      query.limit,
    );
    return toPage(rows, query.limit, (row) => ({ sortKey: row.createdAt, id: row.id }), toOfferResponse);
  }

  async get(id: string): Promise<OfferResponse> {
    const row = await this.offers.find(id);
    if (!row) {
      throw offerNotFound();
    }
    return toOfferResponse(row);
  }

  /**
   * Under the offer's row lock: a capacity below the seats taken is refused (409); a raised one gives
   * the new seats to the oldest waiting enrolments in the same transaction.
   */
  @Transactional()
  async update(
    id: string,
    request: UpdateOfferRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<OfferResponse> {
    const networkId = networkOf(context);
    const changes: OfferValues = {
      title: request.title,
      type: request.type,
      providerPartnerId: request.providerPartnerId,
      referenceOccupations: request.referenceOccupations,
      format: request.format,
      delivery: request.delivery,
      capacity: request.capacity,
      startsOn: request.startsOn,
      endsOn: request.endsOn,
      iqFunded: request.iqFunded,
      bundesland: request.bundesland,
      city: request.city,
      description: request.description,
    };
    if (isEmptyChange(changes)) {
      throw emptyPatchError();
    }
    const row = await this.changes.apply({
      load: () => this.offers.lockInNetwork(id, networkId),
      notFound: offerNotFoundInNetwork,
      expectedVersion,
      apply: async (current) => {
        if (request.capacity !== undefined && request.capacity < current.seatsTaken) {
          throw new ProblemError(
            'conflict',
            `The offer has ${current.seatsTaken} seats taken; its capacity cannot be lowered to ${request.capacity}. ` +
              'Cancel enrolments first.',
            { extensions: { seatsTaken: current.seatsTaken } },
          );
        }
        const merged = {
          startsOn: request.startsOn ?? current.startsOn,
          endsOn: request.endsOn === undefined ? current.endsOn : request.endsOn,
        };
        const errors = await this.ruleErrors(request, merged);
        if (errors.length > 0) {
          throw new QualificationRuleError(errors);
        }
        const updated = await this.offers.update(id, changes, expectedVersion);
        if (!updated) {
          throw notFoundOrStale(current, offerNotFoundInNetwork);
        }
        if (updated.capacity > current.capacity) {
          await this.waitingList.fillFreeSeats(id, 'CAPACITY_RAISED', context);
          return (await this.offers.find(id)) as OfferRow;
        }
        return updated;
      },
      audit: () => auditEvent(context, 'qualification-offer.update', RESOURCE, id),
    });
    return toOfferResponse(row);
  }

  /**
   * The offer's enrolments for a coordinator of its network, in queue order: pseudonyms, offices,
   * states and dates — never names or free texts.
   */
  async enrolmentsOf(
    id: string,
    query: OfferEnrolmentsQuery,
    context: WriteContext,
  ): Promise<Page<OfferEnrolmentResponse>> {
    const offer = await this.offers.findInNetwork(id, networkOf(context));
    if (!offer) {
      throw offerNotFoundInNetwork();
    }
    const rows = await this.enrolments.ofOffer(id, instantCursor(query.cursor), query.limit);
    await this.audit.record(auditEvent(context, 'qualification-offer.enrolments', RESOURCE, id));
    return toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.queuedAt, id: row.id }),
      toOfferEnrolmentResponse,
    );
  }

  /** The provider must be a partner, the occupations reference occupations, the end not before the start. */
  private async ruleErrors(
    request: { providerPartnerId?: string; referenceOccupations?: string[] },
    dates: { startsOn: string; endsOn?: string | null },
  ): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    if (request.providerPartnerId !== undefined) {
      const type = await this.offers.partnerType(request.providerPartnerId);
      if (type === undefined) {
        errors.push({ pointer: '#/providerPartnerId', detail: 'no partner with this id' });
      }
    }
    if (request.referenceOccupations !== undefined) {
      const known = await this.offers.knownOccupations(request.referenceOccupations);
      const unknown = request.referenceOccupations.filter((code) => !known.has(code));
      if (unknown.length > 0) {
        errors.push({
          pointer: '#/referenceOccupations',
          detail: `no reference occupation with the KldB code ${unknown.join(', ')}`,
        });
      }
    }
    if (dates.endsOn !== undefined && dates.endsOn !== null && dates.endsOn < dates.startsOn) {
      errors.push({ pointer: '#/endsOn', detail: `must not be before startsOn (${dates.startsOn})` });
    }
    return errors;
  }
}

/** Coordinators belong to a network; only they keep offers. */
function networkOf(context: WriteContext): string {
  if (!context.actor.networkId) {
    throw new ProblemError('forbidden', 'Only coordinators of a network keep its qualification offers.');
  }
  return context.actor.networkId;
}
