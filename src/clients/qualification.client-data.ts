import { Injectable } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import {
  ClientDataPartProvider,
  type ClientDataPart,
  type PartErasure,
  type TimelineEntry,
} from './client-data-part';
import { toQualificationResponse, type QualificationResponse } from './qualification.dto';
import { QualificationRepository } from './qualification.repository';

/** The client's foreign qualifications in the export, the erasure and the timeline. */
@ClientDataPartProvider()
@Injectable()
export class QualificationClientData implements ClientDataPart {
  readonly name = 'qualifications';

  constructor(
    private readonly repository: QualificationRepository,
    private readonly clock: Clock,
  ) {}

  async exportFor(clientId: string): Promise<QualificationResponse[]> {
    return (await this.repository.allOf(clientId)).map(toQualificationResponse);
  }

  /** The titles are free text; kind, country and the figures are statistics and stay. */
  async eraseFor(clientId: string): Promise<PartErasure> {
    return { rowsErased: await this.repository.eraseFreeTexts(clientId), recipients: [] };
  }

  async timelineFor(clientId: string): Promise<TimelineEntry[]> {
    return (await this.repository.timelineOf(clientId, this.clock.timeZone)).map((row) => ({
      date: row.createdOn,
      recordedAt: row.createdAt,
      type: 'qualification.added',
      resourceType: 'qualification',
      resourceId: row.id,
      details: { kind: row.kind, country: row.country },
    }));
  }
}
