import { REFERRAL_STATUSES } from '../reference-data/codes';

export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Who moves a referral: the sending office's adviser, the partner it is addressed to, or the system. */
export type ReferralParty = 'OFFICE' | 'PARTNER' | 'SYSTEM';

/**
 * The steps of a referral (`shared/domain.md`, "Referral") and who may take each. The system cancels
 * (a consent withdrawn or expired) like an adviser does, and lets an unanswered referral expire.
 */
const STEPS: Readonly<Record<ReferralStatus, Partial<Record<ReferralStatus, readonly ReferralParty[]>>>> = {
  GESENDET: {
    ANGENOMMEN: ['PARTNER'],
    ABGELEHNT: ['PARTNER'],
    STORNIERT: ['OFFICE', 'SYSTEM'],
    ABGELAUFEN: ['SYSTEM'],
  },
  ANGENOMMEN: { ERLEDIGT: ['PARTNER'], STORNIERT: ['OFFICE', 'SYSTEM'] },
  ABGELEHNT: {},
  ERLEDIGT: {},
  STORNIERT: {},
  ABGELAUFEN: {},
};

/** The states in which a referral still waits for the partner (it keeps the client from retention). */
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = ['GESENDET', 'ANGENOMMEN'];

export function isOpen(status: string): boolean {
  return (OPEN_REFERRAL_STATUSES as readonly string[]).includes(status);
}

/** The states this party can move a referral in `status` to. */
export function allowedReferralTargets(status: ReferralStatus, party: ReferralParty): ReferralStatus[] {
  return (Object.entries(STEPS[status]) as [ReferralStatus, readonly ReferralParty[]][])
    .filter(([, parties]) => parties.includes(party))
    .map(([target]) => target);
}

export type ReferralTransitionCheck =
  { ok: true } | { ok: false; allowedTargets: ReferralStatus[]; final: boolean };

/** Whether `party` may move a referral from `status` to `to`; otherwise the targets it could reach. */
export function checkReferralTransition(
  status: ReferralStatus,
  to: ReferralStatus,
  party: ReferralParty,
): ReferralTransitionCheck {
  const targets = allowedReferralTargets(status, party);
  if (targets.includes(to)) {
    return { ok: true };
  }
  return { ok: false, allowedTargets: targets, final: Object.keys(STEPS[status]).length === 0 };
}

/** The dates a step sets: answered (accepted/declined) and closed (a final state). */
export function datesOf(to: ReferralStatus, today: string): { answeredOn?: string; closedOn?: string } {
  const dates: { answeredOn?: string; closedOn?: string } = {};
  if (to === 'ANGENOMMEN' || to === 'ABGELEHNT') {
    dates.answeredOn = today;
  }
  if (Object.keys(STEPS[to]).length === 0) {
    dates.closedOn = today;
  }
  return dates;
}
