import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { Clock } from '../common/time/clock';
import { seatsToPromote } from './enrolment-state-machine';
import { EnrolmentRepository } from './enrolment.repository';
import { QualificationOfferRepository } from './qualification-offer.repository';

/** Why waiting enrolments got a seat (the history's `payload.cause`). */
export type PromotionCause = 'SEAT_FREED' | 'CAPACITY_RAISED';

/**
 * Gives an offer's free seats to the oldest waiting enrolments, in the transaction that freed them
 * (a seat freed by a transition, or a raised capacity). The caller holds the offer's row lock, so
 * nobody else enrols, leaves or is promoted meanwhile; each promotion is recorded in the enrolment's
 * history and in the audit log of its client.
 */
@Injectable()
export class WaitingList {
  constructor(
    private readonly offers: QualificationOfferRepository,
    private readonly enrolments: EnrolmentRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Answers the promoted enrolments' ids, oldest first. */
  async fillFreeSeats(offerId: string, cause: PromotionCause, context: WriteContext): Promise<string[]> {
    // Read again: the trigger has just changed the counters of the locked row.
    const offer = await this.offers.find(offerId);
    // Nobody joins a measure that is over; its waiting list stays as it is.
    if (!offer || (offer.endsOn !== null && offer.endsOn < this.clock.today())) {
      return [];
    }
    const count = seatsToPromote(offer.capacity, offer.seatsTaken, offer.waitlisted);
    if (count === 0) {
      return [];
    }
    const waiting = await this.enrolments.oldestWaiting(offerId, count);
    const today = this.clock.today();
    for (const enrolment of waiting) {
      await this.enrolments.promote(enrolment.id, today);
      await this.enrolments.insertHistory({
        enrolmentId: enrolment.id,
        fromStatus: 'WARTELISTE',
        toStatus: 'ZUGESAGT',
        occurredOn: today,
        actorId: context.actor.id,
        actorRole: context.actor.role,
        payload: { promoted: true, cause },
        reason: null,
      });
    }
    await this.audit.recordAll(
      waiting.map((enrolment) =>
        auditEvent(context, 'enrolment.promote', 'enrolment', enrolment.id, enrolment.clientId),
      ),
    );
    return waiting.map((enrolment) => enrolment.id);
  }
}
