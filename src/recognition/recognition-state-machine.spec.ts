import { RECOGNITION_STATUSES } from '../reference-data/codes';
import {
  allowedTargets,
  checkTransition,
  compensationOptionsFor,
  followUpErrors,
  outcomeConflict,
  type CaseState,
  type RecognitionStatus,
  type TransitionCheck,
  type TransitionInput,
} from './recognition-state-machine';

const TODAY = '2026-06-30';
const AUTHORITY = '0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90';

/**
 * The table of `shared/domain.md`, written out here independently of the implementation.
 * `BESCHIEDEN → AUSGLEICH_LAUFEND` only with the outcome AUFLAGE_AUSGLEICHSMASSNAHME (see below);
 * `BEANTRAGT`/`UNVOLLSTAENDIG → BESCHIEDEN` only as a formal rejection.
 */
const EXPECTED: Record<RecognitionStatus, RecognitionStatus[]> = {
  IN_VORBEREITUNG: ['BEANTRAGT', 'ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'],
  BEANTRAGT: ['UNVOLLSTAENDIG', 'IN_PRUEFUNG', 'BESCHIEDEN', 'ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'],
  UNVOLLSTAENDIG: ['IN_PRUEFUNG', 'BESCHIEDEN', 'ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'],
  IN_PRUEFUNG: ['GEHEMMT', 'BESCHIEDEN', 'ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'],
  GEHEMMT: ['IN_PRUEFUNG', 'ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'],
  BESCHIEDEN: ['AUSGLEICH_LAUFEND', 'ABGESCHLOSSEN', 'RECHTSBEHELF'],
  AUSGLEICH_LAUFEND: ['ABGESCHLOSSEN'],
  RECHTSBEHELF: ['BESCHIEDEN'],
  ABGESCHLOSSEN: [],
  ZURUECKGENOMMEN: [],
  OHNE_BESCHEID_BEENDET: [],
};

/** A plausible case in `status` (decided states with a compensation decision, so every target is reachable). */
function caseIn(status: RecognitionStatus, overrides: Partial<CaseState> = {}): CaseState {
  const decided = ['BESCHIEDEN', 'AUSGLEICH_LAUFEND', 'RECHTSBEHELF', 'ABGESCHLOSSEN'].includes(status);
  const examined = decided || ['IN_PRUEFUNG', 'GEHEMMT'].includes(status);
  return {
    status,
    outcome: decided ? 'AUFLAGE_AUSGLEICHSMASSNAHME' : null,
    regulated: true,
    procedureKind: 'BERUFSZULASSUNG',
    authorityPartnerId: status === 'IN_VORBEREITUNG' ? null : AUTHORITY,
    documentsCompleteOn: examined ? '2026-02-02' : null,
    firstDecidedOn: decided ? '2026-04-20' : null,
    suspendedSince: status === 'GEHEMMT' ? '2026-03-01' : null,
    latestEventOn: status === 'IN_VORBEREITUNG' ? null : '2026-05-01',
    ...overrides,
  };
}

/** The members each reachable transition needs, and nothing else. */
function validRequest(from: RecognitionStatus, to: RecognitionStatus): TransitionInput {
  const request: TransitionInput = { to, date: '2026-06-01' };
  if (to === 'BEANTRAGT') {
    request.authorityPartnerId = AUTHORITY;
  }
  if (to === 'GEHEMMT') {
    request.suspensionReason = 'ECHTHEITSPRUEFUNG';
  }
  if (to === 'BESCHIEDEN') {
    request.outcome =
      from === 'BEANTRAGT' || from === 'UNVOLLSTAENDIG' ? 'ABLEHNUNG_FORMAL' : 'VOLLE_GLEICHWERTIGKEIT';
  }
  if (to === 'ABGESCHLOSSEN' && from === 'AUSGLEICH_LAUFEND') {
    request.compensationPassed = true;
  }
  return request;
}

function refusal(result: TransitionCheck) {
  if (result.ok) {
    throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  }
  return result;
}

function accepted(result: TransitionCheck) {
  if (!result.ok) {
    throw new Error(`expected success, got ${JSON.stringify(result)}`);
  }
  return result;
}

describe('allowedTargets', () => {
  it.each(RECOGNITION_STATUSES.map((status) => [status]))('%s → the table of domain.md', (status) => {
    expect(allowedTargets(status, status === 'BESCHIEDEN' ? 'AUFLAGE_AUSGLEICHSMASSNAHME' : null)).toEqual(
      EXPECTED[status],
    );
  });

  it.each([
    'VOLLE_GLEICHWERTIGKEIT',
    'TEILWEISE_GLEICHWERTIGKEIT',
    'KEINE_GLEICHWERTIGKEIT',
    'ABLEHNUNG_FORMAL',
    'ZAB_BESCHEINIGUNG',
  ])('BESCHIEDEN with %s offers no compensation', (outcome) => {
    expect(allowedTargets('BESCHIEDEN', outcome)).toEqual(['ABGESCHLOSSEN', 'RECHTSBEHELF']);
  });

  it('has the terminal states lead nowhere', () => {
    for (const status of ['ABGESCHLOSSEN', 'ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'] as const) {
      expect(allowedTargets(status, 'VOLLE_GLEICHWERTIGKEIT')).toEqual([]);
    }
  });
});

describe('checkTransition over the whole 11 × 11 grid', () => {
  const grid = RECOGNITION_STATUSES.flatMap((from) => RECOGNITION_STATUSES.map((to) => [from, to] as const));

  it('covers 121 pairs, 24 of them allowed', () => {
    expect(grid).toHaveLength(121);
    expect(grid.filter(([from, to]) => EXPECTED[from].includes(to))).toHaveLength(24);
  });

  it.each(grid.filter(([from, to]) => EXPECTED[from].includes(to)))(
    '%s → %s is allowed with its required members',
    (from, to) => {
      const result = accepted(checkTransition(caseIn(from), validRequest(from, to), TODAY));
      expect(result.changes.status).toBe(to);
    },
  );

  it.each(grid.filter(([from, to]) => !EXPECTED[from].includes(to)))(
    '%s → %s is refused with the allowed targets',
    (from, to) => {
      // Even a request carrying every member: an unreachable target is refused first.
      const result = refusal(
        checkTransition(
          caseIn(from),
          {
            ...validRequest(from, to),
            authorityPartnerId: AUTHORITY,
            suspensionReason: 'NACHFORDERUNG',
            outcome: 'VOLLE_GLEICHWERTIGKEIT',
            compensationPassed: true,
          },
          TODAY,
        ),
      );
      expect(result).toEqual({ ok: false, kind: 'invalid-transition', allowedTargets: EXPECTED[from] });
    },
  );

  it.each(['VOLLE_GLEICHWERTIGKEIT', 'TEILWEISE_GLEICHWERTIGKEIT', 'KEINE_GLEICHWERTIGKEIT'])(
    'BESCHIEDEN (%s) → AUSGLEICH_LAUFEND is refused: no compensation measure was imposed',
    (outcome) => {
      const result = refusal(
        checkTransition(
          caseIn('BESCHIEDEN', { outcome }),
          { to: 'AUSGLEICH_LAUFEND', date: '2026-06-01' },
          TODAY,
        ),
      );
      expect(result).toEqual({
        ok: false,
        kind: 'invalid-transition',
        allowedTargets: ['ABGESCHLOSSEN', 'RECHTSBEHELF'],
      });
    },
  );
});

describe('checkTransition: required and misplaced members (400)', () => {
  it.each([
    ['IN_VORBEREITUNG', 'BEANTRAGT', '#/authorityPartnerId'],
    ['IN_PRUEFUNG', 'GEHEMMT', '#/suspensionReason'],
    ['IN_PRUEFUNG', 'BESCHIEDEN', '#/outcome'],
    ['RECHTSBEHELF', 'BESCHIEDEN', '#/outcome'],
    ['AUSGLEICH_LAUFEND', 'ABGESCHLOSSEN', '#/compensationPassed'],
  ] as const)('%s → %s needs %s', (from, to, pointer) => {
    const result = refusal(checkTransition(caseIn(from), { to, date: '2026-06-01' }, TODAY));
    expect(result.kind).toBe('fields');
    expect(result.kind === 'fields' && result.errors.map((error) => error.pointer)).toEqual([pointer]);
  });

  it('files without authorityPartnerId when the case already names its authority, and may replace it', () => {
    const state = caseIn('IN_VORBEREITUNG', { authorityPartnerId: AUTHORITY });
    expect(accepted(checkTransition(state, { to: 'BEANTRAGT', date: '2026-06-01' }, TODAY)).changes).toEqual({
      status: 'BEANTRAGT',
      submittedOn: '2026-06-01',
      authorityPartnerId: AUTHORITY,
    });
    const other = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    expect(
      accepted(
        checkTransition(state, { to: 'BEANTRAGT', date: '2026-06-01', authorityPartnerId: other }, TODAY),
      ).changes.authorityPartnerId,
    ).toBe(other);
  });

  it('refuses members that belong to another transition, naming each', () => {
    const result = refusal(
      checkTransition(
        caseIn('BEANTRAGT'),
        {
          to: 'UNVOLLSTAENDIG',
          date: '2026-06-01',
          outcome: 'VOLLE_GLEICHWERTIGKEIT',
          suspensionReason: 'NACHFORDERUNG',
          compensationPassed: false,
          substantialDifferences: [],
          authorityPartnerId: AUTHORITY,
        },
        TODAY,
      ),
    );
    expect(result.kind === 'fields' && result.errors.map((error) => error.pointer)).toEqual([
      '#/authorityPartnerId',
      '#/suspensionReason',
      '#/outcome',
      '#/substantialDifferences',
      '#/compensationPassed',
    ]);
  });

  it('refuses compensationPassed when closing a decision without a compensation measure', () => {
    const result = refusal(
      checkTransition(
        caseIn('BESCHIEDEN', { outcome: 'VOLLE_GLEICHWERTIGKEIT' }),
        { to: 'ABGESCHLOSSEN', date: '2026-06-01', compensationPassed: true },
        TODAY,
      ),
    );
    expect(result.kind === 'fields' && result.errors.map((error) => error.pointer)).toEqual([
      '#/compensationPassed',
    ]);
  });

  it('refuses a suspension reason or a decision outcome outside their code lists', () => {
    const reason = refusal(
      checkTransition(
        caseIn('IN_PRUEFUNG'),
        { to: 'GEHEMMT', date: '2026-06-01', suspensionReason: 'URLAUB' },
        TODAY,
      ),
    );
    expect(reason.kind === 'fields' && reason.errors.map((error) => error.pointer)).toEqual([
      '#/suspensionReason',
    ]);
    // Equivalence after compensation comes only from closing the compensation, never from a decision.
    const outcome = refusal(
      checkTransition(
        caseIn('IN_PRUEFUNG'),
        { to: 'BESCHIEDEN', date: '2026-06-01', outcome: 'GLEICHWERTIG_NACH_AUSGLEICH' },
        TODAY,
      ),
    );
    expect(outcome.kind === 'fields' && outcome.errors.map((error) => error.pointer)).toEqual(['#/outcome']);
  });

  it('records substantial differences only with a partial decision', () => {
    const differences = [{ description: 'Pharmakologie', compensationOptions: ['KENNTNISPRUEFUNG'] }];
    for (const outcome of ['VOLLE_GLEICHWERTIGKEIT', 'KEINE_GLEICHWERTIGKEIT', 'ABLEHNUNG_FORMAL']) {
      const result = refusal(
        checkTransition(
          caseIn('IN_PRUEFUNG'),
          { to: 'BESCHIEDEN', date: '2026-06-01', outcome, substantialDifferences: differences },
          TODAY,
        ),
      );
      expect(result.kind === 'fields' && result.errors.map((error) => error.pointer)).toEqual([
        '#/substantialDifferences',
      ]);
    }
  });
});

describe('checkTransition: rules against the case (422)', () => {
  it('refuses a date in the future', () => {
    const result = refusal(
      checkTransition(caseIn('BEANTRAGT'), { to: 'UNVOLLSTAENDIG', date: '2026-07-01' }, TODAY),
    );
    expect(result).toEqual({
      ok: false,
      kind: 'rule',
      errors: [{ pointer: '#/date', detail: 'must not be in the future (today is 2026-06-30)' }],
    });
  });

  it('refuses a date before the latest recorded transition, accepts the same day', () => {
    const state = caseIn('BEANTRAGT', { latestEventOn: '2026-05-01' });
    const result = refusal(checkTransition(state, { to: 'UNVOLLSTAENDIG', date: '2026-04-30' }, TODAY));
    expect(result.kind === 'rule' && result.errors[0]).toEqual({
      pointer: '#/date',
      detail: "must not be before the case's latest recorded transition (2026-05-01)",
    });
    expect(
      accepted(checkTransition(state, { to: 'UNVOLLSTAENDIG', date: '2026-05-01' }, TODAY)).changes,
    ).toEqual({
      status: 'UNVOLLSTAENDIG',
      documentsRequestedOn: '2026-05-01',
    });
  });

  it('accepts any past date for the first transition (a case may be recorded after it was filed)', () => {
    const state = caseIn('IN_VORBEREITUNG', { latestEventOn: null });
    expect(
      accepted(
        checkTransition(state, { to: 'BEANTRAGT', date: '2025-01-10', authorityPartnerId: AUTHORITY }, TODAY),
      ).changes.submittedOn,
    ).toBe('2025-01-10');
  });

  it.each([
    [true, 'GLEICHWERTIGKEIT', 'TEILWEISE_GLEICHWERTIGKEIT', false],
    [false, 'GLEICHWERTIGKEIT', 'TEILWEISE_GLEICHWERTIGKEIT', true],
    [true, 'BERUFSZULASSUNG', 'AUFLAGE_AUSGLEICHSMASSNAHME', true],
    [false, 'GLEICHWERTIGKEIT', 'AUFLAGE_AUSGLEICHSMASSNAHME', false],
    [false, 'ZEUGNISBEWERTUNG_ZAB', 'ZAB_BESCHEINIGUNG', true],
    [false, 'GLEICHWERTIGKEIT', 'ZAB_BESCHEINIGUNG', false],
    [true, 'BERUFSZULASSUNG', 'VOLLE_GLEICHWERTIGKEIT', true],
    [false, 'GLEICHWERTIGKEIT', 'KEINE_GLEICHWERTIGKEIT', true],
    [true, 'BERUFSZULASSUNG', 'ABLEHNUNG_FORMAL', true],
  ])('regulated %s, %s: outcome %s allowed %s', (regulated, procedureKind, outcome, allowed) => {
    const result = checkTransition(
      caseIn('IN_PRUEFUNG', { regulated, procedureKind }),
      { to: 'BESCHIEDEN', date: '2026-06-01', outcome },
      TODAY,
    );
    expect(result.ok).toBe(allowed);
    if (!result.ok) {
      expect(result.kind === 'rule' && result.errors.map((error) => error.pointer)).toEqual(['#/outcome']);
    }
  });

  it('applies the same outcome rules to the new decision after an appeal', () => {
    const result = refusal(
      checkTransition(
        caseIn('RECHTSBEHELF', {
          regulated: false,
          procedureKind: 'GLEICHWERTIGKEIT',
          outcome: 'KEINE_GLEICHWERTIGKEIT',
        }),
        { to: 'BESCHIEDEN', date: '2026-06-01', outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME' },
        TODAY,
      ),
    );
    expect(result.kind).toBe('rule');
  });
});

describe('checkTransition: the changes of each transition', () => {
  it('starts the decision period with the complete documents', () => {
    for (const from of ['BEANTRAGT', 'UNVOLLSTAENDIG'] as const) {
      expect(
        accepted(checkTransition(caseIn(from), { to: 'IN_PRUEFUNG', date: '2026-05-31' }, TODAY)).changes,
      ).toEqual({ status: 'IN_PRUEFUNG', documentsCompleteOn: '2026-05-31' });
    }
  });

  it('opens a suspension and closes it on resumption, adding its days to earlier ones', () => {
    const suspend = accepted(
      checkTransition(
        caseIn('IN_PRUEFUNG'),
        { to: 'GEHEMMT', date: '2026-05-10', suspensionReason: 'NACHFORDERUNG' },
        TODAY,
      ),
    );
    expect(suspend.changes).toEqual({ status: 'GEHEMMT', suspendedSince: '2026-05-10' });
    expect(suspend.payload).toEqual({ suspensionReason: 'NACHFORDERUNG' });

    // 10 May to 9 June, both days counted; the period's new end follows from the deadlines.
    const resume = accepted(
      checkTransition(
        caseIn('GEHEMMT', { suspendedSince: '2026-05-10', latestEventOn: '2026-05-10' }),
        { to: 'IN_PRUEFUNG', date: '2026-06-09' },
        TODAY,
      ),
    );
    expect(resume.changes).toEqual({ status: 'IN_PRUEFUNG', suspendedSince: null });
    expect(resume.payload).toEqual({ suspendedDays: 31 });
  });

  it('closes an open suspension when a suspended case ends without a decision', () => {
    const result = accepted(
      checkTransition(
        caseIn('GEHEMMT', { suspendedSince: '2026-05-10', latestEventOn: '2026-05-10' }),
        { to: 'ZURUECKGENOMMEN', date: '2026-05-20' },
        TODAY,
      ),
    );
    expect(result.changes).toEqual({ status: 'ZURUECKGENOMMEN', suspendedSince: null });
    expect(result.payload).toEqual({ suspendedDays: 11 });
  });

  it('records the first decision with its processing days and keeps them on a later decision', () => {
    const first = accepted(
      checkTransition(
        caseIn('IN_PRUEFUNG', {
          documentsCompleteOn: '2026-01-31',
          firstDecidedOn: null,
          latestEventOn: '2026-01-31',
        }),
        {
          to: 'BESCHIEDEN',
          date: '2026-04-30',
          outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
          note: 'Bescheid per Post',
          substantialDifferences: [
            {
              description: 'Pharmakologie fehlt',
              compensationOptions: ['KENNTNISPRUEFUNG', 'ANPASSUNGSLEHRGANG'],
            },
          ],
        },
        TODAY,
      ),
    );
    expect(first.changes).toEqual({
      status: 'BESCHIEDEN',
      outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
      decidedOn: '2026-04-30',
      firstDecidedOn: '2026-04-30',
      processingDays: 89,
    });
    // The history payload holds codes only: no note, no description.
    expect(first.payload).toEqual({
      outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
      substantialDifferences: [{ compensationOptions: ['KENNTNISPRUEFUNG', 'ANPASSUNGSLEHRGANG'] }],
    });
    expect(first.differences).toHaveLength(1);

    const appeal = accepted(
      checkTransition(caseIn('BESCHIEDEN'), { to: 'RECHTSBEHELF', date: '2026-05-20' }, TODAY),
    );
    expect(appeal.changes).toEqual({ status: 'RECHTSBEHELF', appealFiledOn: '2026-05-20' });

    const second = accepted(
      checkTransition(
        caseIn('RECHTSBEHELF', { firstDecidedOn: '2026-04-30', latestEventOn: '2026-05-20' }),
        { to: 'BESCHIEDEN', date: '2026-06-15', outcome: 'VOLLE_GLEICHWERTIGKEIT' },
        TODAY,
      ),
    );
    expect(second.changes).toEqual({
      status: 'BESCHIEDEN',
      outcome: 'VOLLE_GLEICHWERTIGKEIT',
      decidedOn: '2026-06-15',
    });
    expect(second.differences).toEqual([]);
  });

  it.each([
    [true, 'GLEICHWERTIG_NACH_AUSGLEICH'],
    [false, 'KEINE_GLEICHWERTIGKEIT'],
  ])('closes a compensation measure (passed %s) with the outcome %s', (compensationPassed, outcome) => {
    const result = accepted(
      checkTransition(
        caseIn('AUSGLEICH_LAUFEND'),
        { to: 'ABGESCHLOSSEN', date: '2026-06-01', compensationPassed },
        TODAY,
      ),
    );
    expect(result.changes).toEqual({ status: 'ABGESCHLOSSEN', outcome });
    expect(result.payload).toEqual({ compensationPassed, outcome });
  });

  it('closes a decided case and keeps its outcome', () => {
    const result = accepted(
      checkTransition(
        caseIn('BESCHIEDEN', { outcome: 'TEILWEISE_GLEICHWERTIGKEIT', regulated: false }),
        { to: 'ABGESCHLOSSEN', date: '2026-06-01' },
        TODAY,
      ),
    );
    expect(result.changes).toEqual({ status: 'ABGESCHLOSSEN' });
  });
});

describe('formal rejection from BEANTRAGT or UNVOLLSTAENDIG (§15(3) BQFG)', () => {
  it.each(['BEANTRAGT', 'UNVOLLSTAENDIG'] as const)(
    '%s → BESCHIEDEN with ABLEHNUNG_FORMAL, no processing days',
    (from) => {
      const result = accepted(
        checkTransition(
          caseIn(from),
          { to: 'BESCHIEDEN', date: '2026-06-01', outcome: 'ABLEHNUNG_FORMAL' },
          TODAY,
        ),
      );
      expect(result.changes).toEqual({
        status: 'BESCHIEDEN',
        outcome: 'ABLEHNUNG_FORMAL',
        decidedOn: '2026-06-01',
        firstDecidedOn: '2026-06-01',
        processingDays: null,
      });
    },
  );

  it.each(['VOLLE_GLEICHWERTIGKEIT', 'KEINE_GLEICHWERTIGKEIT', 'AUFLAGE_AUSGLEICHSMASSNAHME'])(
    'refuses a decision on the merits (%s) without complete documents (422)',
    (outcome) => {
      const result = refusal(
        checkTransition(caseIn('UNVOLLSTAENDIG'), { to: 'BESCHIEDEN', date: '2026-06-01', outcome }, TODAY),
      );
      expect(result).toEqual({
        ok: false,
        kind: 'rule',
        errors: [
          {
            pointer: '#/outcome',
            detail: expect.stringContaining('only a formal rejection (ABLEHNUNG_FORMAL'),
          },
        ],
      });
    },
  );
});

describe('an appeal withdrawn (RECHTSBEHELF → BESCHIEDEN)', () => {
  const appealed = caseIn('RECHTSBEHELF', {
    outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
    latestEventOn: '2026-05-20',
  });

  it('leaves the original decision standing: no new date, outcome or differences', () => {
    const result = accepted(
      checkTransition(appealed, { to: 'BESCHIEDEN', date: '2026-06-10', appealWithdrawn: true }, TODAY),
    );
    expect(result.changes).toEqual({ status: 'BESCHIEDEN' });
    expect(result.payload).toEqual({ appealWithdrawn: true });
    expect(result.differences).toBeUndefined();
  });

  it('refuses an outcome with a withdrawal, and appealWithdrawn outside an appeal', () => {
    expect(
      refusal(
        checkTransition(
          appealed,
          { to: 'BESCHIEDEN', date: '2026-06-10', appealWithdrawn: true, outcome: 'VOLLE_GLEICHWERTIGKEIT' },
          TODAY,
        ),
      ),
    ).toEqual({
      ok: false,
      kind: 'fields',
      errors: [
        {
          pointer: '#/outcome',
          detail: expect.stringContaining('original decision (AUFLAGE_AUSGLEICHSMASSNAHME) stands'),
        },
      ],
    });
    expect(
      refusal(
        checkTransition(
          caseIn('IN_PRUEFUNG'),
          { to: 'BESCHIEDEN', date: '2026-06-10', appealWithdrawn: true, outcome: 'VOLLE_GLEICHWERTIGKEIT' },
          TODAY,
        ),
      ),
    ).toMatchObject({ kind: 'fields', errors: [{ pointer: '#/appealWithdrawn' }] });
  });

  it('still needs an outcome for a new decision', () => {
    expect(
      refusal(
        checkTransition(appealed, { to: 'BESCHIEDEN', date: '2026-06-10', appealWithdrawn: false }, TODAY),
      ),
    ).toMatchObject({
      kind: 'fields',
      errors: [{ pointer: '#/outcome' }],
    });
  });
});

describe('ZAB statements', () => {
  const zab = { regulated: false, procedureKind: 'ZEUGNISBEWERTUNG_ZAB' };

  it.each([
    'VOLLE_GLEICHWERTIGKEIT',
    'TEILWEISE_GLEICHWERTIGKEIT',
    'KEINE_GLEICHWERTIGKEIT',
    'ABLEHNUNG_FORMAL',
    'GLEICHWERTIG_NACH_AUSGLEICH',
  ])('a ZEUGNISBEWERTUNG_ZAB case cannot end with the recognition outcome %s', (outcome) => {
    expect(outcomeConflict(outcome, zab)).toEqual({
      member: 'procedureKind',
      detail: expect.stringContaining('ends with ZAB_BESCHEINIGUNG only'),
    });
  });

  it('ends with ZAB_BESCHEINIGUNG, which no other procedure kind may', () => {
    expect(outcomeConflict('ZAB_BESCHEINIGUNG', zab)).toBeNull();
    for (const procedureKind of ['GLEICHWERTIGKEIT', 'BERUFSZULASSUNG']) {
      expect(outcomeConflict('ZAB_BESCHEINIGUNG', { regulated: false, procedureKind })).toMatchObject({
        member: 'procedureKind',
      });
    }
  });
});

describe('compensation options follow the procedure', () => {
  it('regulated: Anpassungslehrgang, Eignungs- or Kenntnisprüfung; non-regulated: Anpassungsqualifizierung', () => {
    expect(compensationOptionsFor(true)).toEqual([
      'ANPASSUNGSLEHRGANG',
      'EIGNUNGSPRUEFUNG',
      'KENNTNISPRUEFUNG',
    ]);
    expect(compensationOptionsFor(false)).toEqual(['ANPASSUNGSQUALIFIZIERUNG']);
  });

  it('refuses a compensation measure in a non-regulated profession, and an Anpassungsqualifizierung in a regulated one', () => {
    const partial = caseIn('IN_PRUEFUNG', { regulated: false, procedureKind: 'GLEICHWERTIGKEIT' });
    const request = (compensationOptions: string[]): TransitionInput => ({
      to: 'BESCHIEDEN',
      date: '2026-06-01',
      outcome: partial.regulated ? 'AUFLAGE_AUSGLEICHSMASSNAHME' : 'TEILWEISE_GLEICHWERTIGKEIT',
      substantialDifferences: [
        { description: 'Praxis fehlt', compensationOptions: ['ANPASSUNGSQUALIFIZIERUNG'] },
        { description: 'Theorie fehlt', compensationOptions },
      ],
    });
    expect(checkTransition(partial, request(['ANPASSUNGSQUALIFIZIERUNG']), TODAY).ok).toBe(true);
    expect(refusal(checkTransition(partial, request(['KENNTNISPRUEFUNG']), TODAY))).toEqual({
      ok: false,
      kind: 'rule',
      errors: [
        {
          pointer: '#/substantialDifferences/1/compensationOptions',
          detail: expect.stringContaining(
            'the route is ANPASSUNGSQUALIFIZIERUNG and a follow-up application',
          ),
        },
      ],
    });
    const regulated = caseIn('IN_PRUEFUNG', { regulated: true });
    expect(
      refusal(
        checkTransition(
          regulated,
          {
            to: 'BESCHIEDEN',
            date: '2026-06-01',
            outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
            substantialDifferences: [
              { description: 'x', compensationOptions: ['EIGNUNGSPRUEFUNG', 'ANPASSUNGSQUALIFIZIERUNG'] },
            ],
          },
          TODAY,
        ),
      ),
    ).toMatchObject({
      kind: 'rule',
      errors: [{ pointer: '#/substantialDifferences/0/compensationOptions' }],
    });
  });
});

describe('followUpErrors', () => {
  const CLIENT = '5a0c2f1e-1111-4d5e-9f17-6c2a8e4b1d90';
  const follower = { clientId: CLIENT, kldb: '81302', otherOccupation: false };
  const decided = (outcome: string, status = 'BESCHIEDEN') => ({
    clientId: CLIENT,
    status,
    outcome,
    kldb: '81302',
  });

  it.each([
    ['TEILWEISE_GLEICHWERTIGKEIT', 'BESCHIEDEN'],
    ['TEILWEISE_GLEICHWERTIGKEIT', 'ABGESCHLOSSEN'],
    ['AUFLAGE_AUSGLEICHSMASSNAHME', 'BESCHIEDEN'],
  ])('accepts a case decided with %s (%s)', (outcome, status) => {
    expect(followUpErrors(decided(outcome, status), follower)).toEqual([]);
  });

  it.each(['VOLLE_GLEICHWERTIGKEIT', 'GLEICHWERTIG_NACH_AUSGLEICH'])(
    'refuses a follow-up after %s (§6(5) BQFG)',
    (outcome) => {
      expect(followUpErrors(decided(outcome, 'ABGESCHLOSSEN'), follower)).toEqual([
        { pointer: '#/followUpOf', detail: expect.stringContaining('§6(5) BQFG') },
      ]);
    },
  );

  it.each(['KEINE_GLEICHWERTIGKEIT', 'ABLEHNUNG_FORMAL', 'ZAB_BESCHEINIGUNG'])(
    'refuses a follow-up after %s',
    (outcome) => {
      expect(followUpErrors(decided(outcome), follower)).toEqual([
        {
          pointer: '#/followUpOf',
          detail: expect.stringContaining('follows a decision with TEILWEISE_GLEICHWERTIGKEIT'),
        },
      ]);
    },
  );

  it('refuses an undecided case, and a case of another client', () => {
    expect(
      followUpErrors({ ...decided('TEILWEISE_GLEICHWERTIGKEIT'), status: 'IN_PRUEFUNG' }, follower)[0].detail,
    ).toContain('it is IN_PRUEFUNG');
    expect(
      followUpErrors({ ...decided('TEILWEISE_GLEICHWERTIGKEIT'), clientId: 'other' }, follower)[0].detail,
    ).toBe('the client has no recognition case with this id');
    expect(followUpErrors(undefined, follower)).toHaveLength(1);
  });

  it('needs the explicit flag for another reference occupation', () => {
    const other = { ...follower, kldb: '81301' };
    expect(followUpErrors(decided('TEILWEISE_GLEICHWERTIGKEIT'), other)).toEqual([
      { pointer: '#/followUpOtherOccupation', detail: expect.stringContaining('81302') },
    ]);
    expect(
      followUpErrors(decided('TEILWEISE_GLEICHWERTIGKEIT'), { ...other, otherOccupation: true }),
    ).toEqual([]);
  });
});
