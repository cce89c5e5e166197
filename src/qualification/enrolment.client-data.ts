import { Injectable } from '@nestjs/common';
import {
  ClientDataPartProvider,
  type ClientDataPart,
  type PartErasure,
  type TimelineEntry,
} from '../clients/client-data-part';
import { toEnrolmentHistoryResponse, toEnrolmentResponse, type EnrolmentExport } from './enrolment.dto';
import { EnrolmentRepository } from './enrolment.repository';

/** The client's enrolments in the Art. 15 export, the Art. 17 erasure and the timeline. */
@ClientDataPartProvider()
@Injectable()
export class EnrolmentClientData implements ClientDataPart {
  readonly name = 'enrolments';

  constructor(private readonly repository: EnrolmentRepository) {}

  /** Every enrolment with its complete history, reasons and notes included. */
  async exportFor(clientId: string): Promise<EnrolmentExport[]> {
    const enrolments = await this.repository.allOf(clientId);
    const history = await this.repository.historyOfClient(clientId);
    return enrolments.map((row) => ({
      ...toEnrolmentResponse(row),
      history: history.filter((entry) => entry.enrolmentId === row.id).map(toEnrolmentHistoryResponse),
    }));
  }

  /** Reasons and notes are free text; the offer, states and dates are statistics and stay. */
  async eraseFor(clientId: string): Promise<PartErasure> {
    return { rowsErased: await this.repository.eraseFreeTexts(clientId), recipients: [] };
  }

  /** One entry per step (the enrolment, each transition, a promotion); never a reason. */
  async timelineFor(clientId: string): Promise<TimelineEntry[]> {
    return (await this.repository.timelineOf(clientId)).map((row) => ({
      date: row.occurredOn,
      recordedAt: row.recordedAt,
      type:
        row.fromStatus === null
          ? 'enrolment.created'
          : row.promoted
            ? 'enrolment.promoted'
            : 'enrolment.transition',
      resourceType: 'enrolment',
      resourceId: row.enrolmentId,
      details: { offerId: row.offerId, from: row.fromStatus, to: row.toStatus },
    }));
  }
}
