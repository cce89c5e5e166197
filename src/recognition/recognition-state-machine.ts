import type { FieldError } from '../common/errors/problem.error';
import {
  COMPENSATION_OPTIONS,
  RECOGNITION_OUTCOMES,
  RECOGNITION_STATUSES,
  SUSPENSION_REASONS,
} from '../reference-data/codes';
import { inclusiveDays, processingDays } from './deadlines';

export type RecognitionStatus = (typeof RECOGNITION_STATUSES)[number];
export type RecognitionOutcome = (typeof RECOGNITION_OUTCOMES)[number];
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

const ENDINGS = ['ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'] as const;

/**
 * The transitions of `shared/domain.md` ("Recognition case"). Every state before the decision may
 * end without one (withdrawn, or closed without a notice); after the decision only the appeal, the
 * compensation measure and closing remain. A filed application whose documents never came complete
 * may be rejected formally (§15(3) BQFG) straight from BEANTRAGT or UNVOLLSTAENDIG; an appeal ends
 * with a new decision or is withdrawn, both back to BESCHIEDEN.
 */
const TRANSITIONS: Readonly<Record<RecognitionStatus, readonly RecognitionStatus[]>> = {
  IN_VORBEREITUNG: ['BEANTRAGT', ...ENDINGS],
  BEANTRAGT: ['UNVOLLSTAENDIG', 'IN_PRUEFUNG', 'BESCHIEDEN', ...ENDINGS],
  UNVOLLSTAENDIG: ['IN_PRUEFUNG', 'BESCHIEDEN', ...ENDINGS],
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

/** Without complete documents the authority can only reject formally (§15(3) BQFG), not on the merits. */
const FORMAL_REJECTION = 'ABLEHNUNG_FORMAL';

export type CompensationOption = (typeof COMPENSATION_OPTIONS)[number];

/**
 * How substantial differences can be compensated depends on the procedure: in a regulated profession
 * the notice imposes a compensation measure — Anpassungslehrgang, Eignungsprüfung or, under the sector
 * laws, Kenntnisprüfung (§11 BQFG); in a non-regulated one it imposes nothing, and the route is an
 * Anpassungsqualifizierung followed by a follow-up application (Folgeantrag).
 */
export function compensationOptionsFor(regulated: boolean): readonly CompensationOption[] {
  return regulated
    ? ['ANPASSUNGSLEHRGANG', 'EIGNUNGSPRUEFUNG', 'KENNTNISPRUEFUNG']
    : ['ANPASSUNGSQUALIFIZIERUNG'];
}

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
  /** `RECHTSBEHELF → BESCHIEDEN`: the appeal was withdrawn, the original decision stands. */
  appealWithdrawn?: boolean;
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
  | 'authorityPartnerId'
  | 'suspensionReason'
  | 'outcome'
  | 'substantialDifferences'
  | 'compensationPassed'
  | 'appealWithdrawn';

const SPECIFIC_MEMBERS: readonly SpecificMember[] = [
  'authorityPartnerId',
  'suspensionReason',
  'outcome',
  'substantialDifferences',
  'compensationPassed',
  'appealWithdrawn',
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
      if (state.status === 'RECHTSBEHELF') {
        // Withdrawn: the original decision stands, so there is no outcome to send.
        return input.appealWithdrawn === true
          ? { appealWithdrawn: true }
          : { outcome: true, substantialDifferences: false, appealWithdrawn: false };
      }
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
    } else if (required === undefined && sent && members.appealWithdrawn === true) {
      errors.push({
        pointer: `#/${member}`,
        detail: `the appeal was withdrawn: the original decision (${state.outcome}) stands, send no ${member}`,
      });
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
    case 'outcome':
      return to === 'BESCHIEDEN'
        ? 'is required for a decision (or, after an appeal, `appealWithdrawn: true` when the original decision stands)'
        : `is required for a transition to ${to}`;
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

/**
 * The outcome must fit the kind of case (`outcomeConflict`), a decision without complete documents
 * can only be a formal rejection, and the compensation options must be the procedure's.
 */
function outcomeErrors(state: CaseState, input: TransitionInput): FieldError[] {
  if (input.to !== 'BESCHIEDEN' || input.outcome === undefined) {
    return [];
  }
  if (
    (state.status === 'BEANTRAGT' || state.status === 'UNVOLLSTAENDIG') &&
    input.outcome !== FORMAL_REJECTION
  ) {
    return [
      {
        pointer: '#/outcome',
        detail:
          `from ${state.status} only a formal rejection (${FORMAL_REJECTION}, §15(3) BQFG: documents not provided) ` +
          `can be decided; a decision on the merits needs complete documents (IN_PRUEFUNG)`,
      },
    ];
  }
  const conflict = outcomeConflict(input.outcome, state);
  if (conflict !== null) {
    return [{ pointer: '#/outcome', detail: conflict.detail }];
  }
  return compensationErrors(state.regulated, input.substantialDifferences ?? []);
}

function compensationErrors(regulated: boolean, differences: DifferenceInput[]): FieldError[] {
  const allowed: readonly string[] = compensationOptionsFor(regulated);
  const errors: FieldError[] = [];
  differences.forEach((difference, index) => {
    const foreign = difference.compensationOptions.filter((option) => !allowed.includes(option));
    if (foreign.length > 0) {
      errors.push({
        pointer: `#/substantialDifferences/${index}/compensationOptions`,
        detail: regulated
          ? `${foreign.join(', ')}: a regulated profession is compensated by ${allowed.join(', ')} (§11 BQFG)`
          : `${foreign.join(', ')}: a non-regulated profession has no compensation measure; the route is ` +
            `ANPASSUNGSQUALIFIZIERUNG and a follow-up application`,
      });
    }
  });
  return errors;
}

/**
 * Whether an outcome fits the kind of case: partial equivalence exists only for non-regulated
 * professions, a compensation measure only for regulated ones; a ZAB statement
 * (`ZEUGNISBEWERTUNG_ZAB`) ends with `ZAB_BESCHEINIGUNG` only — it is not a recognition decision —
 * and `ZAB_BESCHEINIGUNG` ends nothing else. Answers the member of the case it contradicts, or `null`.
 */
export function outcomeConflict(
  outcome: string,
  kind: { regulated: boolean; procedureKind: string },
): { member: 'regulated' | 'procedureKind'; detail: string } | null {
  if (kind.procedureKind === 'ZEUGNISBEWERTUNG_ZAB' && outcome !== 'ZAB_BESCHEINIGUNG') {
    return {
      member: 'procedureKind',
      detail:
        `a ZAB statement (procedureKind ZEUGNISBEWERTUNG_ZAB) ends with ZAB_BESCHEINIGUNG only; ${outcome} is ` +
        `a recognition outcome`,
    };
  }
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
        return {
          ok: true,
          changes: { status: input.to, suspendedSince: null },
          payload: { suspendedDays: suspensionDays(state, date) },
        };
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
      if (input.appealWithdrawn === true) {
        // The original decision stands: no new decision date, outcome or differences.
        return { ok: true, changes: { status: input.to }, payload: { appealWithdrawn: true } };
      }
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
        // Ending a suspended case ends its suspension too, so the history shows its days.
        return {
          ok: true,
          changes: { status: input.to, suspendedSince: null },
          payload: { suspendedDays: suspensionDays(state, date) },
        };
      }
      return { ok: true, changes: { status: input.to }, payload: {} };
    case 'IN_VORBEREITUNG':
      // No transition leads back to preparation; allowedTargets never offers it.
      throw new Error('IN_VORBEREITUNG is not a transition target');
  }
}

/** The length of the suspension ending on `date`, its first and last day counted. */
function suspensionDays(state: CaseState, date: string): number {
  return state.suspendedSince === null ? 0 : inclusiveDays(state.suspendedSince, date);
}

/** A recognition case named by `followUpOf`, as far as the rules need it. */
export interface PredecessorFacts {
  clientId: string;
  status: string;
  outcome: string | null;
  kldb: string;
}

/** Decisions after which the applicant files a follow-up application (Folgeantrag). */
const FOLLOWED_UP_OUTCOMES: readonly string[] = ['TEILWEISE_GLEICHWERTIGKEIT', 'AUFLAGE_AUSGLEICHSMASSNAHME'];

/** Equivalence established already: a new application is rejected without review (§6(5) BQFG). */
const EQUIVALENT_OUTCOMES: readonly string[] = ['VOLLE_GLEICHWERTIGKEIT', 'GLEICHWERTIG_NACH_AUSGLEICH'];

/**
 * A follow-up case continues a case of the same client whose decision left substantial differences
 * (partial equivalence, or a compensation measure imposed). After full equivalence it is refused
 * (§6(5) BQFG); for another reference occupation the adviser confirms it (`otherOccupation`).
 */
export function followUpErrors(
  predecessor: PredecessorFacts | undefined,
  follower: { clientId: string; kldb: string; otherOccupation: boolean },
): FieldError[] {
  if (!predecessor || predecessor.clientId !== follower.clientId) {
    return [{ pointer: '#/followUpOf', detail: 'the client has no recognition case with this id' }];
  }
  if (predecessor.status !== 'BESCHIEDEN' && predecessor.status !== 'ABGESCHLOSSEN') {
    return [
      {
        pointer: '#/followUpOf',
        detail: `must be a decided (BESCHIEDEN) or closed (ABGESCHLOSSEN) case; it is ${predecessor.status}`,
      },
    ];
  }
  if (predecessor.outcome !== null && EQUIVALENT_OUTCOMES.includes(predecessor.outcome)) {
    return [
      {
        pointer: '#/followUpOf',
        detail:
          `that case established equivalence (${predecessor.outcome}); a new application would be rejected ` +
          `without review (§6(5) BQFG)`,
      },
    ];
  }
  if (predecessor.outcome === null || !FOLLOWED_UP_OUTCOMES.includes(predecessor.outcome)) {
    return [
      {
        pointer: '#/followUpOf',
        detail: `a follow-up application follows a decision with ${FOLLOWED_UP_OUTCOMES.join(' or ')}; that case ended with ${predecessor.outcome}`,
      },
    ];
  }
  if (predecessor.kldb !== follower.kldb && !follower.otherOccupation) {
    return [
      {
        pointer: '#/followUpOtherOccupation',
        detail:
          `the earlier case is for the reference occupation ${predecessor.kldb}, this one for ${follower.kldb}: ` +
          `send followUpOtherOccupation: true to confirm a follow-up for another occupation`,
      },
    ];
  }
  return [];
}
