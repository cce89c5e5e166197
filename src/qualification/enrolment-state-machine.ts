import type { FieldError } from '../common/errors/problem.error';
import { ENROLMENT_STATUSES } from '../reference-data/codes';

export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

/** The states that hold a seat of the offer (seats taken = ZUGESAGT + LAUFEND). */
export const SEAT_HOLDING: readonly EnrolmentStatus[] = ['ZUGESAGT', 'LAUFEND'];

/** The live states: a client holds at most one live enrolment per offer. */
export const LIVE: readonly EnrolmentStatus[] = ['WARTELISTE', 'ZUGESAGT', 'LAUFEND'];

/**
 * The transitions an adviser requests (`shared/domain.md`, "Adaptation qualification"). WARTELISTE →
 * ZUGESAGT is no request: it happens automatically when a seat frees up, oldest waiting first.
 */
const TRANSITIONS: Readonly<Record<EnrolmentStatus, readonly EnrolmentStatus[]>> = {
  WARTELISTE: ['STORNIERT'],
  ZUGESAGT: ['LAUFEND', 'NICHT_ANGETRETEN', 'STORNIERT'],
  LAUFEND: ['ABGESCHLOSSEN_ERFOLGREICH', 'ABGESCHLOSSEN_OHNE_ERFOLG', 'ABGEBROCHEN'],
  NICHT_ANGETRETEN: [],
  ABGESCHLOSSEN_ERFOLGREICH: [],
  ABGESCHLOSSEN_OHNE_ERFOLG: [],
  ABGEBROCHEN: [],
  STORNIERT: [],
};

/** Where `reason` belongs: required for dropping out, optional for not starting and cancelling. */
const REASON: Partial<Record<EnrolmentStatus, 'required' | 'optional'>> = {
  ABGEBROCHEN: 'required',
  NICHT_ANGETRETEN: 'optional',
  STORNIERT: 'optional',
};

export function allowedTargets(status: EnrolmentStatus): EnrolmentStatus[] {
  return [...TRANSITIONS[status]];
}

export function isLive(status: string): boolean {
  return (LIVE as readonly string[]).includes(status);
}

export function holdsSeat(status: string): boolean {
  return (SEAT_HOLDING as readonly string[]).includes(status);
}

export interface EnrolmentState {
  status: EnrolmentStatus;
  /** The date of the latest recorded step (creation and promotion included). */
  latestEventOn: string | null;
}

export interface EnrolmentTransitionInput {
  to: EnrolmentStatus;
  date: string;
  reason?: string | null;
}

/** The columns a transition sets. */
export interface EnrolmentTransitionChanges {
  status: EnrolmentStatus;
  startedOn?: string;
  endedOn?: string;
  reason?: string | null;
}

export type EnrolmentTransitionCheck =
  | {
      ok: true;
      changes: EnrolmentTransitionChanges;
      /** The seat the enrolment held is free now: the oldest waiting enrolment gets it. */
      freesSeat: boolean;
    }
  | { ok: false; kind: 'invalid-transition'; allowedTargets: EnrolmentStatus[]; automatic: boolean }
  | { ok: false; kind: 'fields'; errors: FieldError[] }
  | { ok: false; kind: 'rule'; errors: FieldError[] };

/**
 * Checks one requested step. Order of the answers: an unreachable target (409) first, then a missing
 * or misplaced `reason` (400), then the date against today and the history (422).
 */
export function checkEnrolmentTransition(
  state: EnrolmentState,
  input: EnrolmentTransitionInput,
  today: string,
): EnrolmentTransitionCheck {
  const targets = allowedTargets(state.status);
  if (!targets.includes(input.to)) {
    return {
      ok: false,
      kind: 'invalid-transition',
      allowedTargets: targets,
      automatic: state.status === 'WARTELISTE' && input.to === 'ZUGESAGT',
    };
  }
  const reasonRule = REASON[input.to];
  const hasReason = input.reason !== undefined && input.reason !== null;
  if (reasonRule === 'required' && !hasReason) {
    return {
      ok: false,
      kind: 'fields',
      errors: [{ pointer: '#/reason', detail: `is required to move an enrolment to ${input.to}` }],
    };
  }
  if (reasonRule === undefined && hasReason) {
    return {
      ok: false,
      kind: 'fields',
      errors: [{ pointer: '#/reason', detail: `does not belong to a transition to ${input.to}` }],
    };
  }
  const dateErrors = enrolmentDateErrors(input.date, state.latestEventOn, today);
  if (dateErrors.length > 0) {
    return { ok: false, kind: 'rule', errors: dateErrors };
  }
  const changes: EnrolmentTransitionChanges =
    input.to === 'LAUFEND'
      ? { status: input.to, startedOn: input.date }
      : { status: input.to, endedOn: input.date };
  if (reasonRule !== undefined) {
    changes.reason = input.reason ?? null;
  }
  return { ok: true, changes, freesSeat: holdsSeat(state.status) && !holdsSeat(input.to) };
}

/** A step's date: not in the future, not before the latest step recorded, so the history reads in order. */
export function enrolmentDateErrors(date: string, latestEventOn: string | null, today: string): FieldError[] {
  if (date > today) {
    return [{ pointer: '#/date', detail: `must not be in the future (today is ${today})` }];
  }
  if (latestEventOn !== null && date < latestEventOn) {
    return [
      {
        pointer: '#/date',
        detail: `must not be before the enrolment's latest recorded step (${latestEventOn})`,
      },
    ];
  }
  return [];
}

/** How many waiting enrolments get a seat: as many as are free, at most as many as wait. */
export function seatsToPromote(capacity: number, seatsTaken: number, waiting: number): number {
  return Math.max(0, Math.min(capacity - seatsTaken, waiting));
}
