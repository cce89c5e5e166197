import { DATA_CATEGORIES } from '../reference-data/codes';

export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** A WEITERGABE_PARTNER consent as the coverage rule sees it. */
export interface SharingConsent {
  id: string;
  partnerId: string | null;
  partnerType: string | null;
  dataCategories: readonly string[];
  givenOn: string;
  expiresOn: string | null;
  withdrawnAt: string | null;
}

export type Coverage =
  | { covered: true; consentId: string }
  | {
      covered: false;
      /** The shared categories no single usable consent covers together with the others. */
      uncovered: DataCategory[];
    };

/**
 * Whether a consent covers sharing `categories` with this partner on `today` (Berlin date): it names
 * the partner or the partner's type, is not withdrawn, was given by today and has not expired
 * (`expiresOn` is the last day it covers), and lists every category.
 */
export function consentUsable(
  consent: SharingConsent,
  partner: { id: string; type: string },
  today: string,
): boolean {
  const names =
    consent.partnerId === partner.id || (consent.partnerId === null && consent.partnerType === partner.type);
  return (
    names &&
    consent.withdrawnAt === null &&
    consent.givenOn <= today &&
    (consent.expiresOn === null || consent.expiresOn >= today)
  );
}

/**
 * The consent a referral relies on: ONE usable consent covering every shared category (a consent for
 * the partner itself before one for its type, then the one valid longest, then the newest). Without
 * one, the uncovered categories are those that the best usable consent (the one covering most of
 * them) lacks — so the answer names exactly what a new consent, or a wider one, must add.
 */
export function consentCoverage(
  consents: readonly SharingConsent[],
  partner: { id: string; type: string },
  categories: readonly DataCategory[],
  today: string,
): Coverage {
  const usable = consents.filter((consent) => consentUsable(consent, partner, today));
  const missingOf = (consent: SharingConsent) =>
    categories.filter((category) => !consent.dataCategories.includes(category));
  const full = usable
    .filter((consent) => missingOf(consent).length === 0)
    .sort(
      (left, right) =>
        Number(right.partnerId !== null) - Number(left.partnerId !== null) ||
        (right.expiresOn ?? '9999-12-31').localeCompare(left.expiresOn ?? '9999-12-31') ||
        right.givenOn.localeCompare(left.givenOn),
    );
  if (full.length > 0) {
    return { covered: true, consentId: full[0].id };
  }
  let uncovered: DataCategory[] = [...categories];
  for (const consent of usable) {
    const missing = missingOf(consent);
    if (missing.length < uncovered.length) {
      uncovered = missing;
    }
  }
  return { covered: false, uncovered: DATA_CATEGORIES.filter((category) => uncovered.includes(category)) };
}
