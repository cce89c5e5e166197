import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/**
 * One part of what Anker stores about a client: qualifications, consents, consultations here;
 * recognition cases, enrolments and referrals in their own modules. The Art. 15 export, the Art. 17
 * erasure and the timeline ask every part, so a new module joins them by declaring a provider
 *
 *     @ClientDataPartProvider()
 *     @Injectable()
 *     export class RecognitionCaseClientData implements ClientDataPart { … }
 *
 * without touching the export, erasure or timeline code. Every method runs inside the caller's
 * transaction, after the client row has been locked.
 */
export interface ClientDataPart {
  /** Member of the export document and of the erasure result, e.g. `consultations`. */
  readonly name: string;
  /** Everything the part stores about the client, complete (incl. free texts), for the data subject. */
  exportFor(clientId: string): Promise<unknown[]>;
  /**
   * Irreversibly removes the part's personal data and free texts (statistical codes stay) and tells
   * what it removed and which partners had received data.
   */
  eraseFor(clientId: string): Promise<PartErasure>;
  /** The part's events for the client's timeline. Codes only: never free texts. */
  timelineFor(clientId: string): Promise<TimelineEntry[]>;
}

export interface PartErasure {
  /** Rows whose personal data or free texts were removed. */
  rowsErased: number;
  /** Partners that had received data about the client (they are not recalled; see the erasure result). */
  recipients: DataRecipient[];
}

export interface DataRecipient {
  partnerId: string;
  partnerName: string;
  /** What was shared, e.g. the referral. */
  resourceType: string;
  resourceId: string;
  sharedOn: string;
  dataCategories: string[];
}

export interface TimelineEntry {
  /** The day it happened (`YYYY-MM-DD`), the timeline's order. */
  date: string;
  /** When it was recorded (ISO 8601 UTC with microseconds): orders entries of one day. */
  recordedAt: string;
  /** `consultation`, `consent.given`, `consent.withdrawn`, `qualification.added`, … */
  type: string;
  resourceType: string;
  resourceId: string;
  /** Codes and dates describing the event (no free text, no personal values). */
  details: Record<string, unknown>;
}

/** Marks a provider as a part of the client's data (see `ClientDataPart`). */
export const ClientDataPartProvider = DiscoveryService.createDecorator<void>();

/** Every `ClientDataPart` provider of the application, found at start-up. */
@Injectable()
export class ClientDataParts implements OnModuleInit {
  private parts: ClientDataPart[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.parts = this.discovery
      .getProviders({ metadataKey: ClientDataPartProvider.KEY })
      .map((wrapper) => wrapper.instance as ClientDataPart)
      .sort((left, right) => left.name.localeCompare(right.name));
    const names = this.parts.map((part) => part.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) {
      throw new Error(`Two client data parts are named "${repeated}".`);
    }
  }

  all(): readonly ClientDataPart[] {
    return this.parts;
  }
}
