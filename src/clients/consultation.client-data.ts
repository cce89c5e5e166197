import { Injectable } from '@nestjs/common';
import {
  ClientDataPartProvider,
  type ClientDataPart,
  type PartErasure,
  type TimelineEntry,
} from './client-data-part';
import { toConsultationResponse, type ConsultationResponse } from './consultation.dto';
import { ConsultationRepository } from './consultation.repository';

/**
 * The client's consultations in the export (the one place their notes leave the office: to the data
 * subject), the erasure (notes and reasons for voiding removed) and the timeline (codes only, never
 * notes; a voided consultation stays, marked with `voidedAt`).
 */
@ClientDataPartProvider()
@Injectable()
export class ConsultationClientData implements ClientDataPart {
  readonly name = 'consultations';

  constructor(private readonly repository: ConsultationRepository) {}

  async exportFor(clientId: string): Promise<ConsultationResponse[]> {
    return (await this.repository.allOf(clientId)).map(toConsultationResponse);
  }

  async eraseFor(clientId: string): Promise<PartErasure> {
    return { rowsErased: await this.repository.eraseNotes(clientId), recipients: [] };
  }

  async timelineFor(clientId: string): Promise<TimelineEntry[]> {
    return (await this.repository.allOf(clientId)).map((row) => ({
      date: row.heldOn,
      recordedAt: row.createdAt,
      type: 'consultation',
      resourceType: 'consultation',
      resourceId: row.id,
      details: {
        kind: row.kind,
        channel: row.channel,
        topics: row.topics,
        outcomes: row.outcomes,
        durationMinutes: row.durationMinutes,
        // Voided consultations stay in the history, marked.
        ...(row.voidedAt === null ? {} : { voidedAt: row.voidedAt }),
      },
    }));
  }
}
