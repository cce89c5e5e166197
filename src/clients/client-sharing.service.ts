import { Injectable } from '@nestjs/common';
import {
  ClientSharingRepository,
  type SharedConsultationRow,
  type SharedIdentityRow,
  type SharedQualificationRow,
  type SharingConsentRow,
} from './client-sharing.repository';
import { consentStatus } from './consent-rules';

/** What may be shared of a client at all (before any per-category choice): nothing once erased. */
export interface SharableRecord {
  identity: Omit<SharedIdentityRow, 'erased'>;
  qualifications: SharedQualificationRow[];
  consultations: SharedConsultationRow[];
}

/**
 * The clients module's answers for modules that share client data with partners (referrals): the
 * client's sharing consents and their state on a day (the same `consentStatus` rule the consent API
 * shows), and the record members a partner could be shown. Callers pick the members of the consented
 * categories; nothing here is scoped to an office, so callers check their own scope first.
 */
@Injectable()
export class ClientSharingService {
  constructor(private readonly repository: ClientSharingRepository) {}

  /** The client's WEITERGABE_PARTNER consents, whatever their state (the caller applies its rule). */
  sharingConsents(clientId: string): Promise<SharingConsentRow[]> {
    return this.repository.sharingConsents(clientId);
  }

  /** Whether the consent still covers sharing on `today` (neither withdrawn nor expired). */
  async consentActive(consentId: string, today: string): Promise<boolean> {
    const [consent] = await this.repository.consents([consentId]);
    return consent !== undefined && consentStatus(consent, today) === 'ACTIVE';
  }

  /** Those of these consents that have expired by `today` (and were not withdrawn). */
  async expiredAmong(consentIds: readonly string[], today: string): Promise<string[]> {
    if (consentIds.length === 0) {
      return [];
    }
    return (await this.repository.consents(consentIds))
      .filter((consent) => consentStatus(consent, today) === 'EXPIRED')
      .map((consent) => consent.id);
  }

  /** The members a partner could be shown; `undefined` when the client's data was erased (Art. 17). */
  async sharableRecord(clientId: string): Promise<SharableRecord | undefined> {
    const identity = await this.repository.identity(clientId);
    if (!identity || identity.erased) {
      return undefined;
    }
    return {
      identity: {
        firstName: identity.firstName,
        lastName: identity.lastName,
        birthDate: identity.birthDate,
        email: identity.email,
        phone: identity.phone,
        postalCode: identity.postalCode,
        city: identity.city,
        residenceStatus: identity.residenceStatus,
      },
      qualifications: await this.repository.qualifications(clientId),
      consultations: await this.repository.consultations(clientId),
    };
  }
}
