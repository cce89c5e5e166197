import { Injectable } from '@nestjs/common';
import {
  ClientDataPartProvider,
  type ClientDataPart,
  type PartErasure,
  type TimelineEntry,
} from '../clients/client-data-part';
import { Clock } from '../common/time/clock';
import { toReferralHistoryResponse, toReferralResponse, type ReferralDetailResponse } from './referral.dto';
import { ReferralRepository } from './referral.repository';

/** The client's referrals in the Art. 15 export (recipients, Art. 15(1)(c)), the Art. 17 erasure and the timeline. */
@ClientDataPartProvider()
@Injectable()
export class ReferralClientData implements ClientDataPart {
  readonly name = 'referrals';

  constructor(
    private readonly repository: ReferralRepository,
    private readonly clock: Clock,
  ) {}

  /** Every referral (its recipient partner, shared categories, answers) with its complete history. */
  async exportFor(clientId: string): Promise<ReferralDetailResponse[]> {
    const today = this.clock.today();
    const referrals = await this.repository.allOf(clientId);
    const history = await this.repository.historyOfClient(clientId);
    return referrals.map((row) => ({
      ...toReferralResponse(row, today),
      history: history.filter((entry) => entry.referralId === row.id).map(toReferralHistoryResponse),
    }));
  }

  /**
   * Messages, decline and cancel reasons and outcome notes are free text and go; partner, categories,
   * states and dates stay. Every partner that received data is listed (Art. 19: the office tells them).
   */
  async eraseFor(clientId: string): Promise<PartErasure> {
    const recipients = await this.repository.recipientsOf(clientId);
    return {
      rowsErased: await this.repository.eraseFreeTexts(clientId),
      recipients: recipients.map((row) => ({
        partnerId: row.partnerId,
        partnerName: row.partnerName,
        resourceType: 'referral',
        resourceId: row.referralId,
        sharedOn: row.sentOn,
        dataCategories: row.dataCategories,
      })),
    };
  }

  /** One entry per step; never a reason or message. */
  async timelineFor(clientId: string): Promise<TimelineEntry[]> {
    return (await this.repository.timelineOf(clientId)).map((row) => ({
      date: row.occurredOn,
      recordedAt: row.recordedAt,
      type: row.fromStatus === null ? 'referral.sent' : 'referral.transition',
      resourceType: 'referral',
      resourceId: row.referralId,
      details: { partnerId: row.partnerId, from: row.fromStatus, to: row.toStatus },
    }));
  }
}
