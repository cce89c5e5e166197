import fc from 'fast-check';
import {
  addDays,
  checkExtension,
  computeDeadlines,
  isOverdue,
  type DeadlineFacts,
  type DeadlineRules,
  type PeriodEvent,
} from './deadlines';
import { loadConfig } from '../config/config';
import { workingDaysOf } from './working-days';

/**
 * The caseload report counts a case as overdue at the end of a past month when its decision due date
 * *as stored today* lies before that day (`cases_overdue_at_end` in src/reports/report-rollups.repository.ts),
 * not with the due date the case had then. That is right only if later steps never move a due date
 * across a day already past: a suspension counts only while the period runs, an extension must be
 * notified before the period ends and lies after its end. This property holds the deadline rules to it.
 */

/** The periods as shipped (the defaults of the RECOGNITION_* settings). */
const RULES: DeadlineRules = loadConfig({}).recognition;

type Step =
  | { kind: 'suspension'; gap: number; days: number; stillSuspended: boolean }
  | { kind: 'extension'; gap: number; beyondEnd: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('suspension' as const),
    gap: fc.integer({ min: 0, max: 120 }),
    days: fc.integer({ min: 0, max: 90 }),
    stillSuspended: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('extension' as const),
    gap: fc.integer({ min: 0, max: 120 }),
    beyondEnd: fc.integer({ min: 1, max: 120 }),
  }),
);

/** A history the API accepts: steps in date order, only the last suspension may still last. */
function historyOf(
  documentsCompleteOn: string,
  fastTrack: boolean,
  steps: readonly Step[],
  bundesland: string,
): DeadlineFacts {
  const calendar = workingDaysOf(bundesland);
  const facts: DeadlineFacts = {
    fastTrack,
    submittedOn: documentsCompleteOn,
    documentsCompleteOn,
    events: [],
  };
  const events: PeriodEvent[] = [];
  let next = documentsCompleteOn;
  steps.forEach((candidate, index) => {
    const on = addDays(next, candidate.gap);
    if (candidate.kind === 'suspension') {
      const lasts = candidate.stillSuspended && index === steps.length - 1;
      const to = addDays(on, candidate.days);
      events.push({ kind: 'suspension', from: on, to: lasts ? null : to });
      next = addDays(to, 1);
      return;
    }
    const now = computeDeadlines({ ...facts, events }, RULES, calendar);
    const until = addDays(now.decisionReminderOn ?? on, candidate.beyondEnd);
    const check = checkExtension(
      { ...facts, events, status: 'IN_PRUEFUNG', regulated: false, euQualification: false },
      { until, notifiedOn: on },
      RULES,
      calendar,
    );
    if (check.ok) {
      events.push({ kind: 'extension', notifiedOn: on, until });
      next = addDays(on, 1);
    }
  });
  return { ...facts, events };
}

/** What had happened by the end of `day`: later steps unknown, a suspension not yet ended still lasting. */
function knownOn(facts: DeadlineFacts, day: string): DeadlineFacts {
  const events = facts.events.flatMap((event): PeriodEvent[] => {
    if (event.kind === 'extension') {
      return event.notifiedOn <= day ? [event] : [];
    }
    if (event.from > day) {
      return [];
    }
    return [{ ...event, to: event.to !== null && event.to <= day ? event.to : null }];
  });
  return { ...facts, events };
}

describe('decision due dates in hindsight', () => {
  it('overdue on a past day as then known equals overdue by the due date known today', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2023-01-01T00:00:00Z'),
          max: new Date('2026-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.boolean(),
        fc.array(step, { maxLength: 5 }),
        fc.constantFrom('DE-BY', 'DE-NW', 'DE-SH', 'DE-BE', 'DE-SN'),
        fc.integer({ min: 0, max: 900 }),
        (start, fastTrack, steps, bundesland, offset) => {
          const documentsCompleteOn = start.toISOString().slice(0, 10);
          const calendar = workingDaysOf(bundesland);
          const history = historyOf(documentsCompleteOn, fastTrack, steps, bundesland);
          const day = addDays(documentsCompleteOn, offset);
          const then = computeDeadlines(knownOn(history, day), RULES, calendar).decisionDueOn;
          const today = computeDeadlines(history, RULES, calendar).decisionDueOn;
          // The report's test: the due date stored today lies before the day.
          expect(isOverdue('IN_PRUEFUNG', then, day)).toBe(today !== null && today < day);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
