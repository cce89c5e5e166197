import type { FieldError } from '../common/errors/problem.error';
import { CONSENT_STATUSES } from '../reference-data/codes';

export { CONSENT_STATUSES };

/** The purpose that lets the office share data with a partner (and the only one naming a recipient). */
export const SHARING_PURPOSE = 'WEITERGABE_PARTNER';

export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** The members of a consent the rules across fields look at (already valid one by one). */
export interface ConsentFacts {
  purpose: string;
  partnerId?: string | null;
  partnerType?: string | null;
  dataCategories?: readonly string[];
  givenOn: string;
  expiresOn?: string | null;
}

/**
 * Rules across the members of a new consent, one error per offending member:
 * - `WEITERGABE_PARTNER` names its recipient by exactly one of `partnerId` (a partner) or `partnerType`
 *   (every partner of that type), and covers at least one data category;
 * - any other purpose names no recipient and no data categories;
 * - it was not given in the future, and it expires after the day it was given.
 * Dates are `YYYY-MM-DD`, so they compare as strings.
 */
export function consentErrors(consent: ConsentFacts, today: string): FieldError[] {
  const errors: FieldError[] = [];
  const hasPartnerId = consent.partnerId !== undefined && consent.partnerId !== null;
  const hasPartnerType = consent.partnerType !== undefined && consent.partnerType !== null;
  const categories = consent.dataCategories ?? [];
  if (consent.purpose === SHARING_PURPOSE) {
    if (hasPartnerId && hasPartnerType) {
      errors.push({
        pointer: '#/partnerType',
        detail: 'must not be sent together with partnerId: name either one partner or a partner type',
      });
    } else if (!hasPartnerId && !hasPartnerType) {
      errors.push({
        pointer: '#/partnerId',
        detail: `is required for purpose ${SHARING_PURPOSE} (or partnerType instead)`,
      });
    }
    if (categories.length === 0) {
      errors.push({
        pointer: '#/dataCategories',
        detail: `must name at least one data category for purpose ${SHARING_PURPOSE}`,
      });
    }
  } else {
    for (const [present, member] of [
      [hasPartnerId, 'partnerId'],
      [hasPartnerType, 'partnerType'],
      [categories.length > 0, 'dataCategories'],
    ] as const) {
      if (present) {
        errors.push({ pointer: `#/${member}`, detail: `is only allowed with purpose ${SHARING_PURPOSE}` });
      }
    }
  }
  if (consent.givenOn > today) {
    errors.push({ pointer: '#/givenOn', detail: 'must not be in the future' });
  }
  if (consent.expiresOn !== undefined && consent.expiresOn !== null && consent.expiresOn <= consent.givenOn) {
    errors.push({ pointer: '#/expiresOn', detail: 'must be after givenOn' });
  }
  return errors;
}

/** A withdrawal date is not in the future and not before the consent was given. */
export function withdrawalErrors(withdrawnOn: string, givenOn: string, today: string): FieldError[] {
  if (withdrawnOn > today) {
    return [{ pointer: '#/withdrawnOn', detail: 'must not be in the future' }];
  }
  if (withdrawnOn < givenOn) {
    return [{ pointer: '#/withdrawnOn', detail: `must not be before the consent was given (${givenOn})` }];
  }
  return [];
}

/**
 * Where a consent stands on `today`: withdrawn (at any time, also back-dated) beats expired;
 * `expiresOn` is the last day the consent covers, so it is expired from the day after.
 */
export function consentStatus(
  consent: { withdrawnAt: string | null; expiresOn: string | null },
  today: string,
): ConsentStatus {
  if (consent.withdrawnAt !== null) {
    return 'WITHDRAWN';
  }
  if (consent.expiresOn !== null && consent.expiresOn < today) {
    return 'EXPIRED';
  }
  return 'ACTIVE';
}
