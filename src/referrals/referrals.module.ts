import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { PartnersModule } from '../partners/partners.module';
import { WebhooksModule } from '../partners/webhooks.module';
import { RecognitionModule } from '../recognition/recognition.module';
import { PartnerReferralController } from './partner-referral.controller';
import { PartnerReferralService } from './partner-referral.service';
import { ReferralCaseSteps } from './referral-case-steps';
import { ReferralConsentWithdrawal } from './referral-consent-withdrawal';
import { ReferralEvents } from './referral-events';
import { ReferralActivity } from './referral.activity';
import { ReferralClientData } from './referral.client-data';
import { ReferralController } from './referral.controller';
import { ReferralExpiryJob } from './referral.job';
import { ReferralRepository } from './referral.repository';
import { ReferralService } from './referral.service';

/**
 * Partner referrals (Verweisungen): the office side (send, list, cancel, apply a partner's decision)
 * and the partner side (sync, consented view, accept/decline/complete). Depends on clients
 * (`ClientScope`, `ClientSharingService` for consents and the shared record; joins export, erasure,
 * timeline and retention; listens to consent withdrawals), on partners (`PartnerService`), on recognition
 * (`RecognitionCaseService`: the linked case's facts, decisions applied; proposed through
 * `CaseNextStepSource`) and on the webhook outbox (`WebhookOutbox`). Nothing depends on it.
 */
@Module({
  imports: [ClientsModule, PartnersModule, RecognitionModule, WebhooksModule],
  controllers: [ReferralController, PartnerReferralController],
  providers: [
    ReferralRepository,
    ReferralService,
    PartnerReferralService,
    ReferralEvents,
    ReferralClientData,
    ReferralActivity,
    ReferralCaseSteps,
    ReferralConsentWithdrawal,
    ReferralExpiryJob,
  ],
})
export class ReferralsModule {}
