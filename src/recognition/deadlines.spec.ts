import {
  addDays,
  addMonths,
  checkExtension,
  computeDeadlines,
  daysBetween,
  decisionPeriod,
  inclusiveDays,
  isOverdue,
  isReceiptConfirmationOverdue,
  nextWorkingDay,
  periodEventsOf,
  processingDays,
  receiptConfirmedInTime,
  WEEKDAYS,
  type DeadlineFacts,
  type DeadlineRules,
  type ExtensionFacts,
  type PeriodEvent,
  type WorkingDays,
} from './deadlines';
import { LandWorkingDays } from './working-days';

const RULES: DeadlineRules = {
  receiptConfirmationMonths: 1,
  receiptConfirmationFastTrackDays: 14,
  decisionMonths: 3,
  decisionFastTrackMonths: 2,
  euExtensionMaxMonths: 1,
};

/** Every day a working day: the arithmetic of the periods without §31(3) VwVfG. */
const EVERY_DAY: WorkingDays = { isWorkingDay: () => true };

function facts(overrides: Partial<DeadlineFacts> = {}): DeadlineFacts {
  return {
    fastTrack: false,
    submittedOn: '2026-01-05',
    documentsCompleteOn: '2026-01-31',
    events: [],
    ...overrides,
  };
}

const suspension = (from: string, to: string | null): PeriodEvent => ({ kind: 'suspension', from, to });
const extended = (notifiedOn: string, until: string): PeriodEvent => ({
  kind: 'extension',
  notifiedOn,
  until,
});

function dueOn(overrides: Partial<DeadlineFacts>, calendar: WorkingDays = EVERY_DAY): string | null {
  return computeDeadlines(facts(overrides), RULES, calendar).decisionDueOn;
}

describe('addMonths (§188(2), (3) BGB)', () => {
  it.each([
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-01-31', 3, '2026-04-30'],
    ['2026-01-31', 2, '2026-03-31'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-31'],
    ['2026-10-15', 14, '2027-12-15'],
    ['2100-01-31', 1, '2100-02-28'],
    ['2000-01-31', 1, '2000-02-29'],
    ['2026-05-20', 0, '2026-05-20'],
  ])('%s + %i month(s) = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('addDays and daysBetween', () => {
  it.each([
    ['2026-02-20', 14, '2026-03-06'],
    ['2024-02-20', 14, '2024-03-05'],
    ['2026-12-25', 10, '2027-01-04'],
    ['2026-03-28', 3, '2026-03-31'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('%s + %i day(s) = %s, and back', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(days);
  });

  it('counts across a leap day and a change to summer time as whole days', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });
});

describe('computeDeadlines', () => {
  it('receipt confirmation: one month after submission, 14 days in the fast track', () => {
    const receipt = (overrides: Partial<DeadlineFacts>) =>
      computeDeadlines(facts(overrides), RULES, EVERY_DAY).receiptConfirmationDueOn;
    expect(receipt({ submittedOn: '2026-01-31' })).toBe('2026-02-28');
    expect(receipt({ submittedOn: '2026-01-31', fastTrack: true })).toBe('2026-02-14');
    expect(receipt({ submittedOn: '2024-02-20', fastTrack: true })).toBe('2024-03-05');
  });

  it('has no deadlines before submission and no decision date before the documents are complete', () => {
    expect(
      computeDeadlines(facts({ submittedOn: null, documentsCompleteOn: null }), RULES, EVERY_DAY),
    ).toEqual({
      receiptConfirmationDueOn: null,
      decisionDueOn: null,
      decisionReminderOn: null,
      suspendedDays: 0,
    });
    expect(dueOn({ documentsCompleteOn: null })).toBeNull();
  });

  it.each([
    ['2026-01-31', false, '2026-04-30'],
    ['2026-01-31', true, '2026-03-31'],
    ['2025-11-30', false, '2026-02-28'],
    ['2027-11-30', false, '2028-02-29'],
    ['2023-12-31', true, '2024-02-29'],
    ['2024-12-31', true, '2025-02-28'],
    ['2026-03-15', false, '2026-06-15'],
  ])('documents complete on %s (fast track %s) → decision due %s', (complete, fastTrack, due) => {
    expect(dueOn({ documentsCompleteOn: complete, fastTrack })).toBe(due);
  });

  it('counts the first and the last day of a suspension (1 to 10 June: 10 days)', () => {
    expect(inclusiveDays('2026-06-01', '2026-06-10')).toBe(10);
    expect(inclusiveDays('2026-06-01', '2026-06-01')).toBe(1);
  });

  it('appends the suspended days after the months (end of January: month end first, then the days)', () => {
    // 31 Jan + 3 months = 30 Apr; + 10 suspended days (1–10 Feb) = 10 May (not 31 Apr + 10).
    const events = [suspension('2026-02-01', '2026-02-10')];
    expect(dueOn({ events })).toBe('2026-05-10');
    expect(dueOn({ events, fastTrack: true })).toBe('2026-04-10');
    expect(computeDeadlines(facts({ events }), RULES, EVERY_DAY).suspendedDays).toBe(10);
  });

  it('adds up several suspensions', () => {
    const events = [suspension('2026-02-10', '2026-02-24'), suspension('2026-03-01', '2026-03-30')];
    // 15 + 30 days after 30 April.
    expect(dueOn({ events })).toBe('2026-06-14');
    expect(computeDeadlines(facts({ events }), RULES, EVERY_DAY).suspendedDays).toBe(45);
  });

  it('has no decision date while a suspension of the running period lasts', () => {
    expect(dueOn({ events: [suspension('2026-03-01', null)] })).toBeNull();
    expect(
      dueOn({ events: [extended('2026-04-01', '2026-05-31'), suspension('2026-04-10', null)] }),
    ).toBeNull();
  });

  describe('an expired period cannot be suspended', () => {
    // Documents complete 30 January: the decision is due 30 April.
    const complete = { documentsCompleteOn: '2026-01-30' };

    it('a suspension from 1 June leaves the due date of 30 April, during and after it', () => {
      expect(dueOn({ ...complete, events: [suspension('2026-06-01', null)] })).toBe('2026-04-30');
      expect(dueOn({ ...complete, events: [suspension('2026-06-01', '2026-06-14')] })).toBe('2026-04-30');
      expect(
        computeDeadlines(
          facts({ ...complete, events: [suspension('2026-06-01', '2026-06-14')] }),
          RULES,
          EVERY_DAY,
        ).suspendedDays,
      ).toBe(0);
    });

    it('so the case stays overdue while it is suspended', () => {
      const due = dueOn({ ...complete, events: [suspension('2026-06-01', null)] });
      expect(isOverdue('GEHEMMT', due, '2026-06-05')).toBe(true);
    });

    it('a suspension beginning on the last day still stops the period', () => {
      expect(dueOn({ ...complete, events: [suspension('2026-04-30', '2026-04-30')] })).toBe('2026-05-01');
      expect(dueOn({ ...complete, events: [suspension('2026-05-01', '2026-05-10')] })).toBe('2026-04-30');
    });

    it('one beginning before the end and ending after it extends the period by all its days', () => {
      // 20 April to 10 May: 21 days, the period had 11 days left when it stopped.
      expect(dueOn({ ...complete, events: [suspension('2026-04-20', '2026-05-10')] })).toBe('2026-05-21');
    });

    it('a second suspension counts only if the period (moved by the first) still ran', () => {
      const first = suspension('2026-04-20', '2026-05-10');
      expect(dueOn({ ...complete, events: [first, suspension('2026-05-21', '2026-05-25')] })).toBe(
        '2026-05-26',
      );
      expect(dueOn({ ...complete, events: [first, suspension('2026-05-22', '2026-05-25')] })).toBe(
        '2026-05-21',
      );
    });

    it('the period runs until its legal end: a suspension on the Monday after a Saturday end still counts', () => {
      const period = { documentsCompleteOn: '2025-11-30' }; // → Saturday 28 Feb 2026 → Monday 2 March
      expect(dueOn(period, WEEKDAYS)).toBe('2026-03-02');
      // 2–11 March: 10 days after 28 February.
      expect(dueOn({ ...period, events: [suspension('2026-03-02', '2026-03-11')] }, WEEKDAYS)).toBe(
        '2026-03-10',
      );
      expect(dueOn({ ...period, events: [suspension('2026-03-03', '2026-03-11')] }, WEEKDAYS)).toBe(
        '2026-03-02',
      );
    });
  });

  it('replaces the computed decision date by an extension', () => {
    expect(dueOn({ events: [extended('2026-04-10', '2026-05-20')] })).toBe('2026-05-20');
    // Suspensions before the extension are part of the end it replaces.
    expect(
      dueOn({ events: [suspension('2026-02-01', '2026-03-02'), extended('2026-04-10', '2026-06-20')] }),
    ).toBe('2026-06-20');
  });

  it('suspends an extended period too: a suspension after the extension moves the extended date', () => {
    const events = [extended('2026-04-20', '2026-05-29'), suspension('2026-05-04', '2026-05-13')];
    expect(dueOn({ events })).toBe('2026-06-08');
    // … but not once the extended period has expired.
    expect(
      dueOn({ events: [extended('2026-04-20', '2026-05-29'), suspension('2026-06-01', '2026-06-10')] }),
    ).toBe('2026-05-29');
  });

  it('follows changed periods from the configuration', () => {
    const rules = { ...RULES, decisionMonths: 4, receiptConfirmationMonths: 2 };
    expect(computeDeadlines(facts({ submittedOn: '2026-01-31' }), rules, EVERY_DAY)).toMatchObject({
      receiptConfirmationDueOn: '2026-03-31',
      decisionDueOn: '2026-05-31',
    });
  });
});

describe('working days (§31(3) VwVfG)', () => {
  it('moves an end on a Saturday, Sunday or public holiday to the next working day; the reminder keeps the calendar end', () => {
    // Submitted 31 Jan: 28 Feb 2026 is a Saturday → Monday 2 March.
    expect(
      computeDeadlines(facts({ submittedOn: '2026-01-31' }), RULES, WEEKDAYS).receiptConfirmationDueOn,
    ).toBe('2026-03-02');
    // Documents complete 1 Feb: 1 May 2026 (Friday, Maifeiertag everywhere) → Monday 4 May.
    const deadlines = computeDeadlines(
      facts({ documentsCompleteOn: '2026-02-01' }),
      RULES,
      new LandWorkingDays('DE-NW'),
    );
    expect(deadlines).toMatchObject({ decisionDueOn: '2026-05-04', decisionReminderOn: '2026-05-01' });
  });

  it('uses the holidays of the Land: Fronleichnam is one in Bavaria, not in Berlin', () => {
    const complete = facts({ documentsCompleteOn: '2026-03-04' }); // → Thursday 4 June 2026
    expect(computeDeadlines(complete, RULES, new LandWorkingDays('DE-BY')).decisionDueOn).toBe('2026-06-05');
    expect(computeDeadlines(complete, RULES, new LandWorkingDays('DE-BE')).decisionDueOn).toBe('2026-06-04');
  });

  it.each([
    ['DE-BE', '2027-03-08', false], // Internationaler Frauentag (Berlin since 2019)
    ['DE-BY', '2027-03-08', true],
    ['DE-SN', '2026-11-18', false], // Buß- und Bettag (Saxony only)
    ['DE-HH', '2028-10-31', false], // Reformationstag (the northern Länder since 2018)
    ['DE-BY', '2028-10-31', true],
    ['DE-SL', '2028-08-15', false], // Mariä Himmelfahrt (Saarland)
    ['DE-BY', '2028-08-15', true], // only in Catholic communities there: not a Land-wide holiday
    ['DE-BY', '2026-12-24', true], // customary, not a public holiday
    ['DE-NW', '2026-10-03', false], // Tag der Deutschen Einheit (a Saturday in 2026)
  ])('%s: %s is a working day: %s', (bundesland, date, working) => {
    expect(new LandWorkingDays(bundesland).isWorkingDay(date)).toBe(working);
  });

  it('passes over a run of holidays and a weekend', () => {
    // Good Friday 3 April 2026, Easter Monday 6 April.
    expect(nextWorkingDay('2026-04-03', new LandWorkingDays('DE-HE'))).toBe('2026-04-07');
    expect(nextWorkingDay('2026-04-07', new LandWorkingDays('DE-HE'))).toBe('2026-04-07');
  });
});

describe('isOverdue', () => {
  it('while IN_PRUEFUNG, or GEHEMMT after the period expired, and after the due day', () => {
    expect(isOverdue('IN_PRUEFUNG', '2026-04-30', '2026-04-30')).toBe(false);
    expect(isOverdue('IN_PRUEFUNG', '2026-04-30', '2026-05-01')).toBe(true);
    expect(isOverdue('GEHEMMT', null, '2026-05-01')).toBe(false);
    expect(isOverdue('GEHEMMT', '2026-04-30', '2026-05-01')).toBe(true);
    expect(isOverdue('BESCHIEDEN', '2026-04-30', '2026-05-01')).toBe(false);
    expect(isOverdue('IN_PRUEFUNG', null, '2026-05-01')).toBe(false);
  });
});

describe('confirmation of receipt', () => {
  it('is overdue until the authority confirms receipt, after the day it had to, while the case waits for it', () => {
    expect(isReceiptConfirmationOverdue('BEANTRAGT', '2026-02-28', null, '2026-02-28')).toBe(false);
    expect(isReceiptConfirmationOverdue('BEANTRAGT', '2026-02-28', null, '2026-03-01')).toBe(true);
    expect(isReceiptConfirmationOverdue('UNVOLLSTAENDIG', '2026-02-28', null, '2026-03-01')).toBe(true);
    expect(isReceiptConfirmationOverdue('BEANTRAGT', '2026-02-28', '2026-03-05', '2026-03-10')).toBe(false);
    expect(isReceiptConfirmationOverdue('IN_PRUEFUNG', '2026-02-28', null, '2026-03-10')).toBe(false);
    expect(isReceiptConfirmationOverdue('IN_VORBEREITUNG', null, null, '2026-03-10')).toBe(false);
  });

  it('was met or missed once recorded', () => {
    expect(receiptConfirmedInTime('2026-02-28', null)).toBeNull();
    expect(receiptConfirmedInTime('2026-02-28', '2026-02-28')).toBe(true);
    expect(receiptConfirmedInTime('2026-02-28', '2026-03-02')).toBe(false);
  });
});

describe('periodEventsOf', () => {
  it('pairs the steps into and out of GEHEMMT and finds the extension, in recorded order', () => {
    expect(
      periodEventsOf([
        { fromStatus: null, toStatus: 'IN_VORBEREITUNG', occurredOn: '2026-01-02' },
        { fromStatus: 'IN_VORBEREITUNG', toStatus: 'BEANTRAGT', occurredOn: '2026-01-05' },
        { fromStatus: 'BEANTRAGT', toStatus: 'BEANTRAGT', occurredOn: '2026-01-20' },
        { fromStatus: 'BEANTRAGT', toStatus: 'IN_PRUEFUNG', occurredOn: '2026-01-31' },
        { fromStatus: 'IN_PRUEFUNG', toStatus: 'GEHEMMT', occurredOn: '2026-02-10' },
        { fromStatus: 'GEHEMMT', toStatus: 'IN_PRUEFUNG', occurredOn: '2026-02-24' },
        {
          fromStatus: 'IN_PRUEFUNG',
          toStatus: 'IN_PRUEFUNG',
          occurredOn: '2026-04-20',
          extendedUntil: '2026-05-29',
        },
        { fromStatus: 'IN_PRUEFUNG', toStatus: 'GEHEMMT', occurredOn: '2026-05-04' },
      ]),
    ).toEqual([
      { kind: 'suspension', from: '2026-02-10', to: '2026-02-24' },
      { kind: 'extension', notifiedOn: '2026-04-20', until: '2026-05-29' },
      { kind: 'suspension', from: '2026-05-04', to: null },
    ]);
  });

  it('ends a suspension also when the suspended case ends without a decision', () => {
    expect(
      periodEventsOf([
        { fromStatus: 'IN_PRUEFUNG', toStatus: 'GEHEMMT', occurredOn: '2026-02-10' },
        { fromStatus: 'GEHEMMT', toStatus: 'ZURUECKGENOMMEN', occurredOn: '2026-02-12' },
      ]),
    ).toEqual([{ kind: 'suspension', from: '2026-02-10', to: '2026-02-12' }]);
  });
});

describe('processingDays', () => {
  it('counts calendar days from complete documents to the first decision', () => {
    expect(processingDays('2026-01-31', '2026-04-30')).toBe(89);
    expect(processingDays('2024-01-31', '2024-04-30')).toBe(90);
    expect(processingDays('2026-03-01', '2026-03-01')).toBe(0);
    expect(processingDays(null, '2026-03-01')).toBeNull();
  });
});

describe('checkExtension', () => {
  function extension(overrides: Partial<ExtensionFacts> = {}): ExtensionFacts {
    return { ...facts(), status: 'IN_PRUEFUNG', regulated: false, euQualification: false, ...overrides };
  }
  const check = (
    caseFacts: ExtensionFacts,
    until: string,
    notifiedOn = '2026-04-15',
    rules: DeadlineRules = RULES,
  ) => checkExtension(caseFacts, { until, notifiedOn }, rules, EVERY_DAY);

  it('accepts a date after the current end; without an EU cap it may be later than a month', () => {
    expect(decisionPeriod(facts(), RULES, EVERY_DAY)?.endsOn).toBe('2026-04-30');
    expect(check(extension(), '2026-05-01')).toEqual({ ok: true });
    expect(check(extension({ regulated: true }), '2026-07-31')).toEqual({ ok: true });
    expect(check(extension({ euQualification: true }), '2026-07-31')).toEqual({ ok: true });
  });

  it('refuses a date on or before the current end of the period', () => {
    for (const until of ['2026-04-30', '2026-04-01']) {
      expect(check(extension(), until)).toEqual({
        ok: false,
        kind: 'unprocessable',
        pointer: '#/extendedUntil',
        detail: 'must be after the current end of the decision period 2026-04-30',
      });
    }
    expect(
      check(extension({ events: [suspension('2026-02-01', '2026-02-10')] }), '2026-05-10'),
    ).toMatchObject({
      ok: false,
      kind: 'unprocessable',
    });
  });

  it('must be notified before the period ends: an extension notified after the due date is refused', () => {
    expect(check(extension(), '2026-05-31', '2026-04-30')).toEqual({ ok: true });
    expect(check(extension(), '2026-05-31', '2026-05-01')).toEqual({
      ok: false,
      kind: 'unprocessable',
      pointer: '#/date',
      detail: expect.stringContaining('must be notified before it ends'),
    });
    // The legal end counts: 28 Feb 2026 is a Saturday, so a notice on Monday 2 March is in time.
    const saturdayEnd = extension({ documentsCompleteOn: '2025-11-30' });
    expect(
      checkExtension(saturdayEnd, { until: '2026-03-31', notifiedOn: '2026-03-02' }, RULES, WEEKDAYS),
    ).toEqual({
      ok: true,
    });
  });

  it('caps a regulated profession with an EU/EEA/CH qualification at one month after the current end', () => {
    const eu = extension({ regulated: true, euQualification: true });
    // 30 April + 1 month = 30 May (§188(2)), not 31 May.
    expect(check(eu, '2026-05-30')).toEqual({ ok: true });
    expect(check(eu, '2026-05-31')).toEqual({
      ok: false,
      kind: 'unprocessable',
      pointer: '#/extendedUntil',
      latestAllowed: '2026-05-30',
      detail: expect.stringContaining('to 2026-05-30 at the latest'),
    });
    const suspended = extension({
      regulated: true,
      euQualification: true,
      events: [suspension('2026-02-01', '2026-02-05')],
    });
    expect(check(suspended, '2026-06-05')).toEqual({ ok: true });
    expect(check(suspended, '2026-06-06')).toMatchObject({ latestAllowed: '2026-06-05' });
    expect(check(eu, '2026-06-30', undefined, { ...RULES, euExtensionMaxMonths: 2 })).toEqual({ ok: true });
    expect(check(eu, '2026-05-01', undefined, { ...RULES, euExtensionMaxMonths: 0 })).toMatchObject({
      ok: false,
      latestAllowed: '2026-04-30',
    });
  });

  it('allows only one extension', () => {
    expect(
      check(extension({ events: [extended('2026-04-01', '2026-05-15')] }), '2026-05-31', '2026-05-01'),
    ).toEqual({
      ok: false,
      kind: 'conflict',
      detail: expect.stringContaining('only once'),
    });
  });

  it.each([
    ['IN_VORBEREITUNG', 'nothing to extend yet'],
    ['BEANTRAGT', 'nothing to extend yet'],
    ['UNVOLLSTAENDIG', 'nothing to extend yet'],
    ['GEHEMMT', 'suspended'],
    ['BESCHIEDEN', 'can no longer be extended'],
    ['ABGESCHLOSSEN', 'can no longer be extended'],
    ['ZURUECKGENOMMEN', 'can no longer be extended'],
  ])('refuses an extension in %s (409)', (status, reason) => {
    expect(check(extension({ status }), '2026-05-31')).toEqual({
      ok: false,
      kind: 'conflict',
      detail: expect.stringContaining(reason),
    });
  });
});
