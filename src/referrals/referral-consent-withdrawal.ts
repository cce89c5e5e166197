import { Injectable } from '@nestjs/common';
import type { WriteContext } from '../audit/write-context';
import {
  ConsentWithdrawalListenerProvider,
  type ConsentWithdrawalListener,
} from '../clients/consent-withdrawal';
import { ReferralService } from './referral.service';

/**
 * A withdrawn consent cancels the open referrals relying on it (STORNIERT, "consent withdrawn", the
 * withdrawing adviser as actor) and tells the partners, in the withdrawal's transaction.
 */
@ConsentWithdrawalListenerProvider()
@Injectable()
export class ReferralConsentWithdrawal implements ConsentWithdrawalListener {
  constructor(private readonly referrals: ReferralService) {}

  async consentWithdrawn(consent: { id: string; clientId: string }, context: WriteContext): Promise<void> {
    await this.referrals.cancelOpenForConsent(consent.id, 'CONSENT_WITHDRAWN', { party: 'OFFICE', context });
  }
}
