/**
 * Deadline arithmetic of the recognition procedure (BQFG §6, §13, §14a; the Land laws mirror them),
 * on calendar dates `YYYY-MM-DD`. Pure: the periods come in as `DeadlineRules` (configuration, since
 * the legislator changes them), the case's dates as `DeadlineFacts`.
 *
 * Periods follow the BGB: a period that starts with an event (submission, complete documents) does not
 * count that day (§187(1)), and a period of months ends on the day of the last month with the same
 * number as the starting day, or on that month's last day when it has no such day (§188(2), (3)).
 */

export interface DeadlineRules {
  receiptConfirmationMonths: number;
  receiptConfirmationFastTrackDays: number;
  decisionMonths: number;
  decisionFastTrackMonths: number;
  euExtensionMaxMonths: number;
}

/** What the deadlines of a case depend on. */
export interface DeadlineFacts {
  status: string;
  fastTrack: boolean;
  submittedOn: string | null;
  documentsCompleteOn: string | null;
  /** Days the case was suspended (GEHEMMT) in closed suspensions. */
  suspendedDays: number;
  /** The authority's one extension; replaces the computed decision date. */
  extendedUntil: string | null;
}

export interface Deadlines {
  receiptConfirmationDueOn: string | null;
  decisionDueOn: string | null;
}

const DAY_MS = 86_400_000;

function epochDay(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function fromEpochDay(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** The same day number `months` later, or the last day of that month when it has no such day (§188(2), (3) BGB). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const monthIndex = month - 1 + months;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = ((monthIndex % 12) + 12) % 12;
  // Day 0 of the following month is the last day of the target month.
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return fromEpochDay(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(epochDay(date) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/** Receipt must be confirmed 1 month after submission (2 weeks in the fast track); `null` before submission. */
export function receiptConfirmationDueOn(facts: DeadlineFacts, rules: DeadlineRules): string | null {
  if (facts.submittedOn === null) {
    return null;
  }
  return facts.fastTrack
    ? addDays(facts.submittedOn, rules.receiptConfirmationFastTrackDays)
    : addMonths(facts.submittedOn, rules.receiptConfirmationMonths);
}

/**
 * The statutory decision date without an extension: documents complete + 3 months (2 in the fast
 * track), then moved by the days the case was suspended — time of a suspension does not count
 * towards the period, so it is appended at its end. `null` while the documents are incomplete.
 */
export function statutoryDecisionDueOn(facts: DeadlineFacts, rules: DeadlineRules): string | null {
  if (facts.documentsCompleteOn === null) {
    return null;
  }
  const months = facts.fastTrack ? rules.decisionFastTrackMonths : rules.decisionMonths;
  return addDays(addMonths(facts.documentsCompleteOn, months), facts.suspendedDays);
}

/**
 * Both deadlines as the case shows and stores them. While the case is GEHEMMT the decision date is
 * `null`: the period stands still and its end is known only when the suspension ends.
 */
export function computeDeadlines(facts: DeadlineFacts, rules: DeadlineRules): Deadlines {
  let decisionDueOn: string | null = null;
  if (facts.status !== 'GEHEMMT') {
    decisionDueOn = facts.extendedUntil ?? statutoryDecisionDueOn(facts, rules);
  }
  return { receiptConfirmationDueOn: receiptConfirmationDueOn(facts, rules), decisionDueOn };
}

/** Still being examined after the day the decision was due. */
export function isOverdue(status: string, decisionDueOn: string | null, today: string): boolean {
  return status === 'IN_PRUEFUNG' && decisionDueOn !== null && today > decisionDueOn;
}

/** Processing time as official statistics count it: calendar days from complete documents to the first decision. */
export function processingDays(documentsCompleteOn: string | null, firstDecidedOn: string): number | null {
  return documentsCompleteOn === null ? null : daysBetween(documentsCompleteOn, firstDecidedOn);
}

export interface ExtensionFacts extends DeadlineFacts {
  regulated: boolean;
  /** The qualification was obtained in an EU/EEA/CH state. */
  euQualification: boolean;
}

export type ExtensionCheck =
  | { ok: true }
  /** The case's state does not allow an extension (409). */
  | { ok: false; kind: 'conflict'; detail: string }
  /** `extendedUntil` breaks a rule (422); the detail describes it. */
  | { ok: false; kind: 'unprocessable'; detail: string; latestAllowed?: string };

/**
 * The authority may extend the decision period once, while it examines the complete documents, to a
 * date after the statutory one; for a regulated profession with an EU/EEA/CH qualification by at most
 * `euExtensionMaxMonths` (BQFG §6(3), §13(3)).
 */
export function checkExtension(
  facts: ExtensionFacts,
  extendedUntil: string,
  rules: DeadlineRules,
): ExtensionCheck {
  if (facts.extendedUntil !== null) {
    return {
      ok: false,
      kind: 'conflict',
      detail: `The decision period was already extended (until ${facts.extendedUntil}); it may be extended only once.`,
    };
  }
  if (facts.status !== 'IN_PRUEFUNG') {
    return { ok: false, kind: 'conflict', detail: extensionStateDetail(facts.status) };
  }
  const statutory = statutoryDecisionDueOn(facts, rules);
  if (statutory === null) {
    return { ok: false, kind: 'conflict', detail: extensionStateDetail('BEANTRAGT') };
  }
  if (extendedUntil <= statutory) {
    return {
      ok: false,
      kind: 'unprocessable',
      detail: `must be after the current decision date ${statutory}`,
    };
  }
  if (facts.regulated && facts.euQualification) {
    const latestAllowed = addMonths(statutory, rules.euExtensionMaxMonths);
    if (extendedUntil > latestAllowed) {
      return {
        ok: false,
        kind: 'unprocessable',
        detail:
          `for a regulated profession with an EU/EEA/CH qualification the period may be extended ` +
          `by at most ${rules.euExtensionMaxMonths} month(s), to ${latestAllowed} at the latest`,
        latestAllowed,
      };
    }
  }
  return { ok: true };
}

function extensionStateDetail(status: string): string {
  switch (status) {
    case 'IN_VORBEREITUNG':
    case 'BEANTRAGT':
    case 'UNVOLLSTAENDIG':
      return 'The decision period starts when the documents are complete (IN_PRUEFUNG); there is nothing to extend yet.';
    case 'GEHEMMT':
      return 'The decision period is suspended (GEHEMMT); record the extension after the suspension ends.';
    default:
      return `The case is ${status}: the decision period can no longer be extended.`;
  }
}
