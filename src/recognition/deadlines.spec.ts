import {
  addDays,
  addMonths,
  checkExtension,
  computeDeadlines,
  daysBetween,
  isOverdue,
  processingDays,
  statutoryDecisionDueOn,
  type DeadlineFacts,
  type DeadlineRules,
  type ExtensionFacts,
} from './deadlines';

const RULES: DeadlineRules = {
  receiptConfirmationMonths: 1,
  receiptConfirmationFastTrackDays: 14,
  decisionMonths: 3,
  decisionFastTrackMonths: 2,
  euExtensionMaxMonths: 1,
};

function facts(overrides: Partial<DeadlineFacts> = {}): DeadlineFacts {
  return {
    status: 'IN_PRUEFUNG',
    fastTrack: false,
    submittedOn: '2026-01-05',
    documentsCompleteOn: '2026-01-31',
    suspendedDays: 0,
    extendedUntil: null,
    ...overrides,
  };
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
    expect(computeDeadlines(facts({ submittedOn: '2026-01-31' }), RULES).receiptConfirmationDueOn).toBe(
      '2026-02-28',
    );
    expect(
      computeDeadlines(facts({ submittedOn: '2026-01-31', fastTrack: true }), RULES).receiptConfirmationDueOn,
    ).toBe('2026-02-14');
    expect(
      computeDeadlines(facts({ submittedOn: '2024-02-20', fastTrack: true }), RULES).receiptConfirmationDueOn,
    ).toBe('2024-03-05');
  });

  it('has no deadlines before submission and no decision date before the documents are complete', () => {
    expect(
      computeDeadlines(
        facts({ status: 'IN_VORBEREITUNG', submittedOn: null, documentsCompleteOn: null }),
        RULES,
      ),
    ).toEqual({ receiptConfirmationDueOn: null, decisionDueOn: null });
    expect(
      computeDeadlines(facts({ status: 'UNVOLLSTAENDIG', documentsCompleteOn: null }), RULES).decisionDueOn,
    ).toBeNull();
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
    expect(computeDeadlines(facts({ documentsCompleteOn: complete, fastTrack }), RULES).decisionDueOn).toBe(
      due,
    );
  });

  it('appends the suspended days after the months (end of January: month end first, then the days)', () => {
    // 31 Jan + 3 months = 30 Apr; + 10 suspended days = 10 May (not 31 Apr + 10).
    expect(computeDeadlines(facts({ suspendedDays: 10 }), RULES).decisionDueOn).toBe('2026-05-10');
    expect(computeDeadlines(facts({ suspendedDays: 10, fastTrack: true }), RULES).decisionDueOn).toBe(
      '2026-04-10',
    );
  });

  it('adds up several suspensions', () => {
    const first = daysBetween('2026-02-10', '2026-02-24');
    const second = daysBetween('2026-03-01', '2026-03-31');
    expect([first, second]).toEqual([14, 30]);
    expect(computeDeadlines(facts({ suspendedDays: first + second }), RULES).decisionDueOn).toBe(
      '2026-06-13',
    );
  });

  it('has no decision date while the case is suspended', () => {
    expect(computeDeadlines(facts({ status: 'GEHEMMT', suspendedDays: 5 }), RULES).decisionDueOn).toBeNull();
    expect(
      computeDeadlines(facts({ status: 'GEHEMMT', extendedUntil: '2026-05-31' }), RULES).decisionDueOn,
    ).toBeNull();
  });

  it('replaces the computed decision date by an extension', () => {
    expect(computeDeadlines(facts({ extendedUntil: '2026-05-20' }), RULES).decisionDueOn).toBe('2026-05-20');
    expect(
      computeDeadlines(facts({ extendedUntil: '2026-05-20', suspendedDays: 30 }), RULES).decisionDueOn,
    ).toBe('2026-05-20');
  });

  it('follows changed periods from the configuration', () => {
    const rules = { ...RULES, decisionMonths: 4, receiptConfirmationMonths: 2 };
    expect(computeDeadlines(facts({ submittedOn: '2026-01-31' }), rules)).toEqual({
      receiptConfirmationDueOn: '2026-03-31',
      decisionDueOn: '2026-05-31',
    });
  });
});

describe('isOverdue', () => {
  it('only while IN_PRUEFUNG and after the due day', () => {
    expect(isOverdue('IN_PRUEFUNG', '2026-04-30', '2026-04-30')).toBe(false);
    expect(isOverdue('IN_PRUEFUNG', '2026-04-30', '2026-05-01')).toBe(true);
    expect(isOverdue('GEHEMMT', null, '2026-05-01')).toBe(false);
    expect(isOverdue('BESCHIEDEN', '2026-04-30', '2026-05-01')).toBe(false);
    expect(isOverdue('IN_PRUEFUNG', null, '2026-05-01')).toBe(false);
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
    return { ...facts(), regulated: false, euQualification: false, ...overrides };
  }

  it('accepts a date after the statutory one; without an EU cap it may be later than a month', () => {
    expect(statutoryDecisionDueOn(facts(), RULES)).toBe('2026-04-30');
    expect(checkExtension(extension(), '2026-05-01', RULES)).toEqual({ ok: true });
    expect(checkExtension(extension({ regulated: true }), '2026-07-31', RULES)).toEqual({ ok: true });
    expect(checkExtension(extension({ euQualification: true }), '2026-07-31', RULES)).toEqual({ ok: true });
  });

  it('refuses a date on or before the statutory decision date', () => {
    for (const until of ['2026-04-30', '2026-04-01']) {
      expect(checkExtension(extension(), until, RULES)).toEqual({
        ok: false,
        kind: 'unprocessable',
        detail: 'must be after the current decision date 2026-04-30',
      });
    }
    expect(checkExtension(extension({ suspendedDays: 10 }), '2026-05-10', RULES)).toMatchObject({
      ok: false,
      kind: 'unprocessable',
    });
  });

  it('caps a regulated profession with an EU/EEA/CH qualification at one month after the statutory date', () => {
    const eu = extension({ regulated: true, euQualification: true });
    // 30 April + 1 month = 30 May (§188(2)), not 31 May.
    expect(checkExtension(eu, '2026-05-30', RULES)).toEqual({ ok: true });
    expect(checkExtension(eu, '2026-05-31', RULES)).toEqual({
      ok: false,
      kind: 'unprocessable',
      latestAllowed: '2026-05-30',
      detail: expect.stringContaining('to 2026-05-30 at the latest'),
    });
    const suspended = extension({ regulated: true, euQualification: true, suspendedDays: 5 });
    expect(checkExtension(suspended, '2026-06-05', RULES)).toEqual({ ok: true });
    expect(checkExtension(suspended, '2026-06-06', RULES)).toMatchObject({ latestAllowed: '2026-06-05' });
    expect(checkExtension(eu, '2026-06-30', { ...RULES, euExtensionMaxMonths: 2 })).toEqual({ ok: true });
    expect(checkExtension(eu, '2026-05-01', { ...RULES, euExtensionMaxMonths: 0 })).toMatchObject({
      ok: false,
      latestAllowed: '2026-04-30',
    });
  });

  it('allows only one extension', () => {
    expect(checkExtension(extension({ extendedUntil: '2026-05-15' }), '2026-05-31', RULES)).toEqual({
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
    expect(checkExtension(extension({ status }), '2026-05-31', RULES)).toEqual({
      ok: false,
      kind: 'conflict',
      detail: expect.stringContaining(reason),
    });
  });
});
