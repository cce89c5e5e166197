/**
 * Deadline arithmetic of the recognition procedure (BQFG §6, §13, §14a; the Land laws mirror them),
 * on calendar dates `YYYY-MM-DD`. Pure: the periods come in as `DeadlineRules` (configuration, since
 * the legislator changes them), the case's dates as `DeadlineFacts`, the working days of the
 * authority's Land as a `WorkingDays` calendar.
 *
 * Periods follow the BGB: a period that starts with an event (submission, complete documents) does not
 * count that day (§187(1)), and a period of months ends on the day of the last month with the same
 * number as the starting day, or on that month's last day when it has no such day (§188(2), (3)).
 * A period whose end falls on a Saturday, Sunday or public holiday ends on the next working day
 * (§31(3) VwVfG and the Länder's VwVfG): that is the legal end (`…DueOn`); the calendar end before
 * that move is kept as the office's reminder date, which may be earlier.
 *
 * Suspension (Hemmung, BQFG §6(4), §13(4); counted as BGB §209): the days a suspension lasts are not
 * counted, so they are appended to the period — but only if the period was still running on the day
 * the suspension began. An expired period cannot be suspended: a suspension that begins after the legal
 * end changes nothing, and the case stays overdue while it lasts. The first and the last day of a
 * suspension both count as suspended; the last day is the day the missing documents arrived (or the
 * authority's deadline for them ran out, or the §14 analysis ended).
 */

export interface DeadlineRules {
  receiptConfirmationMonths: number;
  receiptConfirmationFastTrackDays: number;
  decisionMonths: number;
  decisionFastTrackMonths: number;
  euExtensionMaxMonths: number;
}

/** One suspension (GEHEMMT): from its first day to its last, inclusive; `to` is `null` while it lasts. */
export interface Suspension {
  kind: 'suspension';
  from: string;
  to: string | null;
}

/** The authority's one extension: notified on `notifiedOn`, the period then ends on `until`. */
export interface Extension {
  kind: 'extension';
  notifiedOn: string;
  until: string;
}

/** What changed the running decision period, in the order it was recorded (and so by date). */
export type PeriodEvent = Suspension | Extension;

/** What the deadlines of a case depend on. */
export interface DeadlineFacts {
  fastTrack: boolean;
  submittedOn: string | null;
  documentsCompleteOn: string | null;
  events: readonly PeriodEvent[];
}

/** The extension among the events, if the authority extended the period. */
export function extensionOf(facts: Pick<DeadlineFacts, 'events'>): Extension | null {
  return facts.events.find((event): event is Extension => event.kind === 'extension') ?? null;
}

/** Which days are working days where the authority sits (no Saturday, Sunday or public holiday). */
export interface WorkingDays {
  isWorkingDay(date: string): boolean;
}

/** Every weekday is a working day: for tests and where no Land is known. */
export const WEEKDAYS: WorkingDays = {
  isWorkingDay: (date) => {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  },
};

export interface Deadlines {
  /** Legal end of the period for the confirmation of receipt (moved to a working day). */
  receiptConfirmationDueOn: string | null;
  /**
   * Legal end of the decision period (moved to a working day); `null` before the documents are
   * complete and while a suspension that stopped the period lasts (its end is not known yet).
   */
  decisionDueOn: string | null;
  /** The calendar end of the decision period before the move to a working day: when the office reminds. */
  decisionReminderOn: string | null;
  /** Days of ended suspensions that moved the decision period (those that began after it expired do not). */
  suspendedDays: number;
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

/** The first working day on or after `date` (§31(3) VwVfG). */
export function nextWorkingDay(date: string, calendar: WorkingDays): string {
  let day = date;
  // A year has no run of more than a few non-working days; the bound only guards a broken calendar.
  for (let step = 0; step < 14 && !calendar.isWorkingDay(day); step += 1) {
    day = addDays(day, 1);
  }
  return day;
}

/** Days from `from` to `to`, both counted (a suspension from 1 to 10 June lasts 10 days). */
export function inclusiveDays(from: string, to: string): number {
  return daysBetween(from, to) + 1;
}

/**
 * Receipt must be confirmed 1 month after submission (2 weeks in the fast track), moved to a
 * working day; `null` before submission.
 */
export function receiptConfirmationDueOn(
  facts: Pick<DeadlineFacts, 'fastTrack' | 'submittedOn'>,
  rules: DeadlineRules,
  calendar: WorkingDays,
): string | null {
  if (facts.submittedOn === null) {
    return null;
  }
  const end = facts.fastTrack
    ? addDays(facts.submittedOn, rules.receiptConfirmationFastTrackDays)
    : addMonths(facts.submittedOn, rules.receiptConfirmationMonths);
  return nextWorkingDay(end, calendar);
}

/** The decision period as it stands after the events up to a day: its calendar end and legal end. */
export interface DecisionPeriod {
  /** Calendar end (months from complete documents, plus suspensions, or the extension). */
  endsOn: string;
  /** Legal end: `endsOn` moved to a working day. */
  dueOn: string;
  /** A suspension that stopped the period lasts: the end is not known yet. */
  suspended: boolean;
  /** Days of ended suspensions that moved the period. */
  suspendedDays: number;
}

/**
 * The decision period after the recorded events: starts
 * with documents complete + 3 months (2 in the fast track); events in date order — a suspension that
 * begins while the period runs appends its days (one that begins after the legal end changes
 * nothing), the extension replaces the end (and later suspensions suspend the extended period).
 * The events come in the order they were recorded, which is their date order.
 * `null` while the documents are incomplete.
 */
export function decisionPeriod(
  facts: DeadlineFacts,
  rules: DeadlineRules,
  calendar: WorkingDays,
): DecisionPeriod | null {
  if (facts.documentsCompleteOn === null) {
    return null;
  }
  const months = facts.fastTrack ? rules.decisionFastTrackMonths : rules.decisionMonths;
  let endsOn = addMonths(facts.documentsCompleteOn, months);
  let suspendedDays = 0;
  for (const event of facts.events) {
    if (event.kind === 'extension') {
      endsOn = event.until;
      continue;
    }
    if (event.from > nextWorkingDay(endsOn, calendar)) {
      continue; // the period had expired: nothing left to suspend
    }
    if (event.to === null) {
      return { endsOn, dueOn: nextWorkingDay(endsOn, calendar), suspended: true, suspendedDays };
    }
    const days = inclusiveDays(event.from, event.to);
    endsOn = addDays(endsOn, days);
    suspendedDays += days;
  }
  return { endsOn, dueOn: nextWorkingDay(endsOn, calendar), suspended: false, suspendedDays };
}

/** Both deadlines as the case shows and stores them. */
export function computeDeadlines(
  facts: DeadlineFacts,
  rules: DeadlineRules,
  calendar: WorkingDays,
): Deadlines {
  const period = decisionPeriod(facts, rules, calendar);
  const running = period !== null && !period.suspended;
  return {
    receiptConfirmationDueOn: receiptConfirmationDueOn(facts, rules, calendar),
    decisionDueOn: running ? period.dueOn : null,
    decisionReminderOn: running ? period.endsOn : null,
    suspendedDays: period?.suspendedDays ?? 0,
  };
}

/**
 * Still being examined after the day the decision was due. A case suspended after its period expired
 * keeps its due date and stays overdue; one whose running period was suspended has no due date.
 */
export function isOverdue(status: string, decisionDueOn: string | null, today: string): boolean {
  return (
    (status === 'IN_PRUEFUNG' || status === 'GEHEMMT') && decisionDueOn !== null && today > decisionDueOn
  );
}

/** While the application waits for its documents, the authority's confirmation of receipt is expected. */
const AWAITING_RECEIPT_CONFIRMATION: readonly string[] = ['BEANTRAGT', 'UNVOLLSTAENDIG'];

/**
 * The authority has not confirmed receipt, the day it had to was before today, and the case still
 * waits for it (once the documents are complete the authority evidently has the application).
 */
export function isReceiptConfirmationOverdue(
  status: string,
  receiptConfirmationDueOn: string | null,
  receiptConfirmedOn: string | null,
  today: string,
): boolean {
  return (
    AWAITING_RECEIPT_CONFIRMATION.includes(status) &&
    receiptConfirmedOn === null &&
    receiptConfirmationDueOn !== null &&
    today > receiptConfirmationDueOn
  );
}

/** Whether the recorded confirmation of receipt met its period; `null` until it is recorded. */
export function receiptConfirmedInTime(
  receiptConfirmationDueOn: string | null,
  receiptConfirmedOn: string | null,
): boolean | null {
  if (receiptConfirmedOn === null || receiptConfirmationDueOn === null) {
    return null;
  }
  return receiptConfirmedOn <= receiptConfirmationDueOn;
}

/** One recorded step of a case, as far as the decision period looks at it. */
export interface RecordedStep {
  fromStatus: string | null;
  toStatus: string;
  occurredOn: string;
  /** Set on the step that records the authority's extension. */
  extendedUntil?: string | null;
}

/**
 * The suspensions and the extension among a case's recorded steps (in the order recorded): a step
 * into GEHEMMT begins a suspension on its date, the next step out of GEHEMMT ends it on its date
 * (the day the missing documents arrived), a step that records `extendedUntil` is the extension.
 */
export function periodEventsOf(steps: readonly RecordedStep[]): PeriodEvent[] {
  const events: PeriodEvent[] = [];
  let open: Suspension | null = null;
  for (const step of steps) {
    if (step.toStatus === 'GEHEMMT' && step.fromStatus !== 'GEHEMMT') {
      open = { kind: 'suspension', from: step.occurredOn, to: null };
      events.push(open);
    } else if (step.fromStatus === 'GEHEMMT' && step.toStatus !== 'GEHEMMT' && open !== null) {
      open.to = step.occurredOn;
      open = null;
    } else if (step.extendedUntil) {
      events.push({ kind: 'extension', notifiedOn: step.occurredOn, until: step.extendedUntil });
    }
  }
  return events;
}

/**
 * The EU/EEA/CH cap on the extension (§13(3) BQFG: a qualification "obtained or recognised" in an
 * EU/EEA/CH state) applies when the linked qualification's country is one, or the adviser recorded
 * that it was recognised in one — also with no qualification linked.
 */
export function euCapApplies(
  recognisedInEuEeaCh: boolean,
  qualificationCountry: string | undefined,
  euEeaCh: ReadonlySet<string>,
): boolean {
  return recognisedInEuEeaCh || (qualificationCountry !== undefined && euEeaCh.has(qualificationCountry));
}

/** Processing time as official statistics count it: calendar days from complete documents to the first decision. */
export function processingDays(documentsCompleteOn: string | null, firstDecidedOn: string): number | null {
  return documentsCompleteOn === null ? null : daysBetween(documentsCompleteOn, firstDecidedOn);
}

export interface ExtensionFacts extends DeadlineFacts {
  status: string;
  regulated: boolean;
  /** The qualification was obtained or recognised in an EU/EEA/CH state (§13(3) BQFG). */
  euQualification: boolean;
}

export interface ExtensionRequestFacts {
  /** The new end of the period the authority set. */
  until: string;
  /** When the authority notified it. */
  notifiedOn: string;
}

export type ExtensionCheck =
  | { ok: true }
  /** The case's state does not allow an extension (409). */
  | { ok: false; kind: 'conflict'; detail: string }
  /** The request breaks a rule (422); `pointer` names the member, `detail` the rule. */
  | { ok: false; kind: 'unprocessable'; pointer: string; detail: string; latestAllowed?: string };

/**
 * The authority may extend the decision period once, while it examines the complete documents: a
 * change of the running period, so it must be notified before the period ends, to a date after the
 * current end; for a regulated profession with an EU/EEA/CH qualification by at most
 * `euExtensionMaxMonths` (BQFG §6(3), §13(3)).
 */
export function checkExtension(
  facts: ExtensionFacts,
  request: ExtensionRequestFacts,
  rules: DeadlineRules,
  calendar: WorkingDays,
): ExtensionCheck {
  const extension = extensionOf(facts);
  if (extension !== null) {
    return {
      ok: false,
      kind: 'conflict',
      detail: `The decision period was already extended (until ${extension.until}); it may be extended only once.`,
    };
  }
  if (facts.status !== 'IN_PRUEFUNG') {
    return { ok: false, kind: 'conflict', detail: extensionStateDetail(facts.status) };
  }
  const period = decisionPeriod(facts, rules, calendar);
  if (period === null) {
    return { ok: false, kind: 'conflict', detail: extensionStateDetail('BEANTRAGT') };
  }
  if (request.notifiedOn > period.dueOn) {
    return {
      ok: false,
      kind: 'unprocessable',
      pointer: '#/date',
      detail:
        `the decision period ended on ${period.dueOn}; an extension changes a running period and must be ` +
        `notified before it ends (BQFG §6(3), §13(3))`,
    };
  }
  if (request.until <= period.endsOn) {
    return {
      ok: false,
      kind: 'unprocessable',
      pointer: '#/extendedUntil',
      detail: `must be after the current end of the decision period ${period.endsOn}`,
    };
  }
  if (facts.regulated && facts.euQualification) {
    const latestAllowed = addMonths(period.endsOn, rules.euExtensionMaxMonths);
    if (request.until > latestAllowed) {
      return {
        ok: false,
        kind: 'unprocessable',
        pointer: '#/extendedUntil',
        detail:
          `for a regulated profession with a qualification obtained or recognised in an EU/EEA/CH state the ` +
          `period may be extended by at most ${rules.euExtensionMaxMonths} month(s), to ${latestAllowed} at the latest`,
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
