import type { FieldError } from '../common/errors/problem.error';
import { RECOGNITION_OUTCOMES, RECOGNITION_STATUSES, SUSPENSION_REASONS } from '../reference-data/codes';
import { daysBetween, processingDays } from './deadlines';

export type RecognitionStatus = (typeof RECOGNITION_STATUSES)[number];
export type RecognitionOutcome = (typeof RECOGNITION_OUTCOMES)[number];
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

const ENDINGS = ['ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'] as const;

/**
 * The transitions of `shared/domain.md` ("Recognition case"). Every state before the decision may
 * end without one (withdrawn, or closed without a notice); after the decision only the appeal, the
 * compensation measure and closing remain.
 */
const TRANSITIONS: Readonly<Record<RecognitionStatus, readonly RecognitionStatus[]>> = {
  IN_VORBEREITUNG: ['BEANTRAGT', ...ENDINGS],
  BEANTRAGT: ['UNVOLLSTAENDIG', 'IN_PRUEFUNG', ...ENDINGS],
  UNVOLLSTAENDIG: ['IN_PRUEFUNG', ...ENDINGS],
  IN_PRUEFUNG: ['GEHEMMT', 'BESCHIEDEN', ...ENDINGS],
  GEHEMMT: ['IN_PRUEFUNG', ...ENDINGS],
  BESCHIEDEN: ['AUSGLEICH_LAUFEND', 'ABGESCHLOSSEN', 'RECHTSBEHELF'],
  AUSGLEICH_LAUFEND: ['ABGESCHLOSSEN'],
  RECHTSBEHELF: ['BESCHIEDEN'],
  ABGESCHLOSSEN: [],
  ZURUECKGENOMMEN: [],
  OHNE_BESCHEID_BEENDET: [],
};

/** Outcomes a decision (`BESCHIEDEN`) may have; `GLEICHWERTIG_NACH_AUSGLEICH` only comes from closing a compensation. */
export const DECISION_OUTCOMES = [
  'VOLLE_GLEICHWERTIGKEIT',
  'TEILWEISE_GLEICHWERTIGKEIT',
  'AUFLAGE_AUSGLEICHSMASSNAHME',
  'KEINE_GLEICHWERTIGKEIT',
  'ABLEHNUNG_FORMAL',
  'ZAB_BESCHEINIGUNG',
] as const satisfies readonly RecognitionOutcome[];

/** A partial decision: it lists the substantial differences and how they can be compensated. */
const OUTCOMES_WITH_DIFFERENCES: readonly string[] = [
  'TEILWEISE_GLEICHWERTIGKEIT',
  'AUFLAGE_AUSGLEICHSMASSNAHME',
];

/** The states the case can move to now. */
export function allowedTargets(status: RecognitionStatus, outcome: string | null): RecognitionStatus[] {
  return TRANSITIONS[status].filter(
    // Only a decision imposing a compensation measure leads to one.
    (target) => target !== 'AUSGLEICH_LAUFEND' || outcome === 'AUFLAGE_AUSGLEICHSMASSNAHME',
  );
}

export function isRecognitionStatus(value: string): value is RecognitionStatus {
  return (RECOGNITION_STATUSES as readonly string[]).includes(value);
}

/** What the rules look at of the case as it is now. */
export interface CaseState {
  status: RecognitionStatus;
  outcome: string | null;
  regulated: boolean;
  procedureKind: string;
  authorityPartnerId: string | null;
  documentsCompleteOn: string | null;
  firstDecidedOn: string | null;
  suspendedSince: string | null;
  suspendedDays: number;
  /** The date of the latest recorded transition or extension; `null` when there is none yet. */
  latestEventOn: string | null;
}

export interface DifferenceInput {
  description?: string | null;
  compensationOptions: string[];
}

/** A transition request after per-member validation (codes and formats are already checked). */
export interface TransitionInput {
  to: RecognitionStatus;
  date: string;
  note?: string | null;
  authorityPartnerId?: string;
  suspensionReason?: string;
  outcome?: string;
  substantialDifferences?: DifferenceInput[];
  compensationPassed?: boolean;
}

/** The columns a transition changes (members left out stay as they are). */
export interface TransitionChanges {
  status: RecognitionStatus;
  outcome?: string;
  authorityPartnerId?: string;
  submittedOn?: string;
  documentsRequestedOn?: string;
  documentsCompleteOn?: string;
  decidedOn?: string;
  firstDecidedOn?: string;
  processingDays?: number | null;
  appealFiledOn?: string;
  suspendedSince?: string | null;
  suspendedDays?: number;
}

export interface AcceptedTransition {
  ok: true;
  changes: TransitionChanges;
  /** The history row's payload: codes and dates only, never free text. */
  payload: Record<string, unknown>;
  /** A decision's substantial differences (replacing earlier ones); `undefined` when the transition decides nothing. */
  differences?: DifferenceInput[];
}

export type TransitionRefusal =
  /** The target cannot be reached from here (409 `invalid-transition`). */
  | { ok: false; kind: 'invalid-transition'; allowedTargets: RecognitionStatus[] }
  /** Members missing or not belonging to this transition (400). */
  | { ok: false; kind: 'fields'; errors: FieldError[] }
  /** Well-formed, but contradicting the case (422). */
  | { ok: false; kind: 'rule'; errors: FieldError[] };

export type TransitionCheck = AcceptedTransition | TransitionRefusal;

/** Members that belong to some transitions only. */
type SpecificMember =
  'authorityPartnerId' | 'suspensionReason' | 'outcome' | 'substantialDifferences' | 'compensationPassed';

const SPECIFIC_MEMBERS: readonly SpecificMember[] = [
  'authorityPartnerId',
  'suspensionReason',
  'outcome',
  'substantialDifferences',
  'compensationPassed',
];

/**
 * Checks a transition against the state machine and its rules and answers the changes to apply.
 * Order of the answers: an unreachable target first (whatever else is wrong), then missing or
 * misplaced members, then rules against the case (the date, the outcome for this kind of case).
 */
export function checkTransition(state: CaseState, input: TransitionInput, today: string): TransitionCheck {
  const targets = allowedTargets(state.status, state.outcome);
  if (!targets.includes(input.to)) {
    return { ok: false, kind: 'invalid-transition', allowedTargets: targets };
  }
  const fieldErrors = memberErrors(state, input);
  if (fieldErrors.length > 0) {
    return { ok: false, kind: 'fields', errors: fieldErrors };
  }
  const ruleErrors = [
    ...eventDateErrors(input.date, state.latestEventOn, today),
    ...outcomeErrors(state, input),
  ];
  if (ruleErrors.length > 0) {
    return { ok: false, kind: 'rule', errors: ruleErrors };
  }
  return accept(state, input);
}

/** Which transition-specific members this transition needs (true) or allows (false); absent: not allowed. */
function membersOf(state: CaseState, input: TransitionInput): Partial<Record<SpecificMember, boolean>> {
  switch (input.to) {
    case 'BEANTRAGT':
      return { authorityPartnerId: state.authorityPartnerId === null };
    case 'GEHEMMT':
      return { suspensionReason: true };
    case 'BESCHIEDEN':
      return { outcome: true, substantialDifferences: false };
    case 'ABGESCHLOSSEN':
      return state.status === 'AUSGLEICH_LAUFEND' ? { compensationPassed: true } : {};
    default:
      return {};
  }
}

function memberErrors(state: CaseState, input: TransitionInput): FieldError[] {
  const members = membersOf(state, input);
  const errors: FieldError[] = [];
  for (const member of SPECIFIC_MEMBERS) {
    const sent = input[member] !== undefined && input[member] !== null;
    const required = members[member];
    if (required === true && !sent) {
      errors.push({ pointer: `#/${member}`, detail: requiredDetail(member, input.to) });
    } else if (required === undefined && sent) {
      errors.push({
        pointer: `#/${member}`,
        detail: `does not belong to a transition from ${state.status} to ${input.to}`,
      });
    }
  }
  if (
    input.suspensionReason !== undefined &&
    !(SUSPENSION_REASONS as readonly string[]).includes(input.suspensionReason)
  ) {
    errors.push({
      pointer: '#/suspensionReason',
      detail: `must be one of: ${SUSPENSION_REASONS.join(', ')}`,
    });
  }
  if (input.outcome !== undefined && !(DECISION_OUTCOMES as readonly string[]).includes(input.outcome)) {
    errors.push({
      pointer: '#/outcome',
      detail: `a decision's outcome must be one of: ${DECISION_OUTCOMES.join(', ')}`,
    });
  }
  if (
    input.substantialDifferences !== undefined &&
    input.substantialDifferences.length > 0 &&
    input.outcome !== undefined &&
    !OUTCOMES_WITH_DIFFERENCES.includes(input.outcome)
  ) {
    errors.push({
      pointer: '#/substantialDifferences',
      detail: `are recorded only with the outcome ${OUTCOMES_WITH_DIFFERENCES.join(' or ')}`,
    });
  }
  return errors;
}

function requiredDetail(member: SpecificMember, to: RecognitionStatus): string {
  switch (member) {
    case 'authorityPartnerId':
      return 'is required to file the application: the case has no competent authority yet';
    case 'compensationPassed':
      return 'is required to close a compensation measure: did the client pass it?';
    default:
      return `is required for a transition to ${to}`;
  }
}

/**
 * The date of a step (a transition or an extension) happened: not in the future, and not before the
 * latest step already recorded, so the history reads in order.
 */
export function eventDateErrors(date: string, latestEventOn: string | null, today: string): FieldError[] {
  if (date > today) {
    return [{ pointer: '#/date', detail: `must not be in the future (today is ${today})` }];
  }
  if (latestEventOn !== null && date < latestEventOn) {
    return [
      {
        pointer: '#/date',
        detail: `must not be before the case's latest recorded transition (${latestEventOn})`,
      },
    ];
  }
  return [];
}

/** Partial equivalence exists only for non-regulated professions, a compensation measure only for regulated ones. */
function outcomeErrors(state: CaseState, input: TransitionInput): FieldError[] {
  if (input.to !== 'BESCHIEDEN' || input.outcome === undefined) {
    return [];
  }
  const conflict = outcomeConflict(input.outcome, state);
  return conflict === null ? [] : [{ pointer: '#/outcome', detail: conflict.detail }];
}

/**
 * Whether an outcome fits the kind of case: partial equivalence exists only for non-regulated
 * professions, a compensation measure only for regulated ones, a ZAB statement only from the ZAB.
 * Answers the member of the case it contradicts, or `null`.
 */
export function outcomeConflict(
  outcome: string,
  kind: { regulated: boolean; procedureKind: string },
): { member: 'regulated' | 'procedureKind'; detail: string } | null {
  switch (outcome) {
    case 'TEILWEISE_GLEICHWERTIGKEIT':
      return kind.regulated
        ? {
            member: 'regulated',
            detail: `${outcome} applies to non-regulated professions only; this case is regulated`,
          }
        : null;
    case 'AUFLAGE_AUSGLEICHSMASSNAHME':
      return kind.regulated
        ? null
        : {
            member: 'regulated',
            detail: `${outcome} applies to regulated professions only; this case is not regulated`,
          };
    case 'ZAB_BESCHEINIGUNG':
      return kind.procedureKind === 'ZEUGNISBEWERTUNG_ZAB'
        ? null
        : {
            member: 'procedureKind',
            detail: `${outcome} is the outcome of a ZAB statement (procedureKind ZEUGNISBEWERTUNG_ZAB), not of ${kind.procedureKind}`,
          };
    default:
      return null;
  }
}

function accept(state: CaseState, input: TransitionInput): AcceptedTransition {
  const { date } = input;
  switch (input.to) {
    case 'BEANTRAGT': {
      const authorityPartnerId = input.authorityPartnerId ?? state.authorityPartnerId ?? undefined;
      return {
        ok: true,
        changes: { status: input.to, submittedOn: date, authorityPartnerId },
        payload: { authorityPartnerId },
      };
    }
    case 'UNVOLLSTAENDIG':
      return { ok: true, changes: { status: input.to, documentsRequestedOn: date }, payload: {} };
    case 'IN_PRUEFUNG':
      if (state.status === 'GEHEMMT') {
        const { days, ...suspension } = closeSuspension(state, date);
        return { ok: true, changes: { status: input.to, ...suspension }, payload: { suspendedDays: days } };
      }
      // The decision period starts with the complete documents.
      return { ok: true, changes: { status: input.to, documentsCompleteOn: date }, payload: {} };
    case 'GEHEMMT':
      return {
        ok: true,
        changes: { status: input.to, suspendedSince: date },
        payload: { suspensionReason: input.suspensionReason },
      };
    case 'BESCHIEDEN': {
      const outcome = input.outcome as string;
      const differences = input.substantialDifferences ?? [];
      const changes: TransitionChanges = { status: input.to, outcome, decidedOn: date };
      if (state.firstDecidedOn === null) {
        changes.firstDecidedOn = date;
        changes.processingDays = processingDays(state.documentsCompleteOn, date);
      }
      return {
        ok: true,
        changes,
        payload: {
          outcome,
          substantialDifferences: differences.map((difference) => ({
            compensationOptions: difference.compensationOptions,
          })),
        },
        differences,
      };
    }
    case 'RECHTSBEHELF':
      return { ok: true, changes: { status: input.to, appealFiledOn: date }, payload: {} };
    case 'ABGESCHLOSSEN':
      if (state.status === 'AUSGLEICH_LAUFEND') {
        const outcome = input.compensationPassed ? 'GLEICHWERTIG_NACH_AUSGLEICH' : 'KEINE_GLEICHWERTIGKEIT';
        return {
          ok: true,
          changes: { status: input.to, outcome },
          payload: { compensationPassed: input.compensationPassed, outcome },
        };
      }
      return { ok: true, changes: { status: input.to }, payload: {} };
    case 'AUSGLEICH_LAUFEND':
      return { ok: true, changes: { status: input.to }, payload: {} };
    case 'ZURUECKGENOMMEN':
    case 'OHNE_BESCHEID_BEENDET':
      if (state.status === 'GEHEMMT') {
        // Ending a suspended case ends its suspension too, so the counted days stay complete.
        const { days, ...suspension } = closeSuspension(state, date);
        return { ok: true, changes: { status: input.to, ...suspension }, payload: { suspendedDays: days } };
      }
      return { ok: true, changes: { status: input.to }, payload: {} };
    case 'IN_VORBEREITUNG':
      // No transition leads back to preparation; allowedTargets never offers it.
      throw new Error('IN_VORBEREITUNG is not a transition target');
  }
}

/** A suspension ending on `date`: its days (end − start) join the case's suspended days. */
function closeSuspension(
  state: CaseState,
  date: string,
): { suspendedSince: null; suspendedDays: number; days: number } {
  const days = state.suspendedSince === null ? 0 : daysBetween(state.suspendedSince, date);
  return { suspendedSince: null, suspendedDays: state.suspendedDays + days, days };
}
