import { Injectable } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import { WebhookOutbox } from '../partners/webhook-outbox.service';

/**
 * The partner webhooks a referral change causes, written to the outbox in the transaction of the
 * change (a change that rolls back sends nothing). Payloads carry ids, states and times — never
 * personal data: the partner fetches details with its token.
 */
@Injectable()
export class ReferralEvents {
  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly clock: Clock,
  ) {}

  created(referral: { id: string; partnerId: string }): Promise<void> {
    return this.referral('referral.created', referral, 'GESENDET');
  }

  cancelled(referral: { id: string; partnerId: string }): Promise<void> {
    return this.referral('referral.cancelled', referral, 'STORNIERT');
  }

  expired(referral: { id: string; partnerId: string }): Promise<void> {
    return this.referral('referral.expired', referral, 'ABGELAUFEN');
  }

  /** One event per partner that received data under the consent: the referrals it concerned. */
  async consentWithdrawn(
    consentId: string,
    referrals: readonly { id: string; partnerId: string }[],
  ): Promise<void> {
    const byPartner = new Map<string, string[]>();
    for (const referral of referrals) {
      byPartner.set(referral.partnerId, [...(byPartner.get(referral.partnerId) ?? []), referral.id]);
    }
    for (const [partnerId, referralIds] of byPartner) {
      await this.outbox.publish({
        type: 'consent.withdrawn',
        partnerId,
        data: { consentId, referralIds, occurredAt: this.clock.now().toISOString() },
      });
    }
  }

  private async referral(
    type: 'referral.created' | 'referral.cancelled' | 'referral.expired',
    referral: { id: string; partnerId: string },
    status: string,
  ): Promise<void> {
    await this.outbox.publish({
      type,
      partnerId: referral.partnerId,
      data: { referralId: referral.id, status, occurredAt: this.clock.now().toISOString() },
    });
  }
}
