import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { WriteContext } from '../audit/write-context';

/**
 * What another module does when a client withdraws a consent, inside the withdrawal's transaction
 * (so the withdrawal and its consequences commit or fail as one) — e.g. referrals cancel the open
 * referrals that rely on it. A module joins by declaring a provider
 *
 *     @ConsentWithdrawalListenerProvider()
 *     @Injectable()
 *     export class ReferralConsentWithdrawal implements ConsentWithdrawalListener { … }
 *
 * without the clients module depending on it. Called after the consent row was updated, with the
 * client row locked.
 */
export interface ConsentWithdrawalListener {
  consentWithdrawn(consent: { id: string; clientId: string }, context: WriteContext): Promise<void>;
}

export const ConsentWithdrawalListenerProvider = DiscoveryService.createDecorator<void>();

/** Every `ConsentWithdrawalListener` of the application, found at start-up. */
@Injectable()
export class ConsentWithdrawalListeners implements OnModuleInit {
  private listeners: ConsentWithdrawalListener[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.listeners = this.discovery
      .getProviders({ metadataKey: ConsentWithdrawalListenerProvider.KEY })
      .map((wrapper) => wrapper.instance as ConsentWithdrawalListener);
  }

  async notify(consent: { id: string; clientId: string }, context: WriteContext): Promise<void> {
    for (const listener of this.listeners) {
      await listener.consentWithdrawn(consent, context);
    }
  }
}
