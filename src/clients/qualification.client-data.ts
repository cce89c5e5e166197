import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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

  constructor(private readonly repository: QualificationRepository) {}

  async exportFor(clientId: string, manager: EntityManager): Promise<QualificationResponse[]> {
    return (await this.repository.allOf(clientId, manager)).map(toQualificationResponse);
  }

  /** The titles are free text; kind, country and the figures are statistics and stay. */
  async eraseFor(clientId: string, manager: EntityManager): Promise<PartErasure> {
    return { rowsErased: await this.repository.eraseFreeTexts(clientId, manager), recipients: [] };
  }

  async timelineFor(clientId: string, manager: EntityManager): Promise<TimelineEntry[]> {
    return (await this.repository.timelineOf(clientId, manager)).map((row) => ({
      date: row.createdOn,
      recordedAt: row.createdAt,
      type: 'qualification.added',
      resourceType: 'qualification',
      resourceId: row.id,
      details: { kind: row.kind, country: row.country },
    }));
  }
}
