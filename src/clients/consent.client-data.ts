import { Injectable } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import {
  ClientDataPartProvider,
  type ClientDataPart,
  type PartErasure,
  type TimelineEntry,
} from './client-data-part';
import { toConsentResponse, type ConsentResponse } from './consent.dto';
import { ConsentRepository } from './consent.repository';

/** The client's consents in the export, the erasure and the timeline. */
@ClientDataPartProvider()
@Injectable()
export class ConsentClientData implements ClientDataPart {
  readonly name = 'consents';

  constructor(
    private readonly repository: ConsentRepository,
    private readonly clock: Clock,
  ) {}

  async exportFor(clientId: string): Promise<ConsentResponse[]> {
    const now = this.clock.today();
    return (await this.repository.allOf(clientId)).map((row) => toConsentResponse(row, now));
  }

  /** Consents hold no free text (codes, dates, a partner id): they stay as evidence of what was allowed. */
  eraseFor(): Promise<PartErasure> {
    return Promise.resolve({ rowsErased: 0, recipients: [] });
  }

  async timelineFor(clientId: string): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    for (const row of await this.repository.timelineOf(clientId, this.clock.timeZone)) {
      const details = {
        purpose: row.purpose,
        partnerId: row.partnerId,
        partnerType: row.partnerType,
        dataCategories: row.dataCategories,
      };
      entries.push({
        date: row.givenOn,
        recordedAt: row.createdAt,
        type: 'consent.given',
        resourceType: 'consent',
        resourceId: row.id,
        details,
      });
      if (row.withdrawnOn !== null && row.withdrawnAt !== null) {
        entries.push({
          date: row.withdrawnOn,
          recordedAt: row.withdrawnAt,
          type: 'consent.withdrawn',
          resourceType: 'consent',
          resourceId: row.id,
          details,
        });
      }
    }
    return entries;
  }
}
