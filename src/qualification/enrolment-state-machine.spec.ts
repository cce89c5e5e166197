import { ENROLMENT_STATUSES } from '../reference-data/codes';
import {
  allowedTargets,
  checkEnrolmentTransition,
  holdsSeat,
  isLive,
  seatsToPromote,
  type EnrolmentStatus,
} from './enrolment-state-machine';

const TODAY = '2026-06-15';

/** The legal pairs of `shared/domain.md` that an adviser requests (WARTELISTE → ZUGESAGT is automatic). */
const LEGAL: ReadonlyArray<[EnrolmentStatus, EnrolmentStatus]> = [
  ['WARTELISTE', 'STORNIERT'],
  ['ZUGESAGT', 'LAUFEND'],
  ['ZUGESAGT', 'NICHT_ANGETRETEN'],
  ['ZUGESAGT', 'STORNIERT'],
  ['LAUFEND', 'ABGESCHLOSSEN_ERFOLGREICH'],
  ['LAUFEND', 'ABGESCHLOSSEN_OHNE_ERFOLG'],
  ['LAUFEND', 'ABGEBROCHEN'],
];

const isLegal = (from: EnrolmentStatus, to: EnrolmentStatus) =>
  LEGAL.some(([legalFrom, legalTo]) => legalFrom === from && legalTo === to);

function input(to: EnrolmentStatus, extra: { reason?: string; date?: string } = {}) {
  return {
    to,
    date: extra.date ?? TODAY,
    reason: extra.reason ?? (to === 'ABGEBROCHEN' ? 'Umzug' : undefined),
  };
}

describe('enrolment state machine', () => {
  const pairs = ENROLMENT_STATUSES.flatMap((from) => ENROLMENT_STATUSES.map((to) => [from, to] as const));

  it.each(pairs.filter(([from, to]) => isLegal(from, to)))('allows %s → %s', (from, to) => {
    const check = checkEnrolmentTransition({ status: from, latestEventOn: '2026-06-01' }, input(to), TODAY);
    expect(check.ok).toBe(true);
  });

  it.each(pairs.filter(([from, to]) => !isLegal(from, to)))(
    'refuses %s → %s with the allowed targets',
    (from, to) => {
      const check = checkEnrolmentTransition({ status: from, latestEventOn: null }, input(to), TODAY);
      expect(check).toEqual({
        ok: false,
        kind: 'invalid-transition',
        allowedTargets: LEGAL.filter(([legalFrom]) => legalFrom === from).map(([, legalTo]) => legalTo),
        automatic: from === 'WARTELISTE' && to === 'ZUGESAGT',
      });
    },
  );

  it('has no way out of a final state', () => {
    for (const status of [
      'NICHT_ANGETRETEN',
      'ABGESCHLOSSEN_ERFOLGREICH',
      'ABGESCHLOSSEN_OHNE_ERFOLG',
      'ABGEBROCHEN',
      'STORNIERT',
    ] as const) {
      expect(allowedTargets(status)).toEqual([]);
    }
  });

  it('records the start date on LAUFEND and the end date on the others', () => {
    expect(
      checkEnrolmentTransition({ status: 'ZUGESAGT', latestEventOn: null }, input('LAUFEND'), TODAY),
    ).toEqual({ ok: true, changes: { status: 'LAUFEND', startedOn: TODAY }, freesSeat: false });
    expect(
      checkEnrolmentTransition(
        { status: 'LAUFEND', latestEventOn: null },
        input('ABGESCHLOSSEN_ERFOLGREICH'),
        TODAY,
      ),
    ).toEqual({
      ok: true,
      changes: { status: 'ABGESCHLOSSEN_ERFOLGREICH', endedOn: TODAY },
      freesSeat: true,
    });
  });

  // Seats taken are ZUGESAGT + LAUFEND, so every step out of them frees a seat (a completion too: in a
  // rolling measure the next client can start).
  it('frees the seat on every step out of ZUGESAGT or LAUFEND, not on cancelling a waiting enrolment', () => {
    const frees = (from: EnrolmentStatus, to: EnrolmentStatus) => {
      const check = checkEnrolmentTransition({ status: from, latestEventOn: null }, input(to), TODAY);
      return check.ok && check.freesSeat;
    };
    expect(frees('ZUGESAGT', 'NICHT_ANGETRETEN')).toBe(true);
    expect(frees('ZUGESAGT', 'STORNIERT')).toBe(true);
    expect(frees('LAUFEND', 'ABGEBROCHEN')).toBe(true);
    expect(frees('WARTELISTE', 'STORNIERT')).toBe(false);
    expect(frees('LAUFEND', 'ABGESCHLOSSEN_OHNE_ERFOLG')).toBe(true);
    expect(frees('ZUGESAGT', 'LAUFEND')).toBe(false);
  });

  it('requires a reason to drop out and refuses one where it does not belong', () => {
    expect(
      checkEnrolmentTransition(
        { status: 'LAUFEND', latestEventOn: null },
        { to: 'ABGEBROCHEN', date: TODAY },
        TODAY,
      ),
    ).toMatchObject({ ok: false, kind: 'fields', errors: [{ pointer: '#/reason' }] });
    expect(
      checkEnrolmentTransition(
        { status: 'ZUGESAGT', latestEventOn: null },
        { to: 'LAUFEND', date: TODAY, reason: 'x' },
        TODAY,
      ),
    ).toMatchObject({ ok: false, kind: 'fields', errors: [{ pointer: '#/reason' }] });
    expect(
      checkEnrolmentTransition(
        { status: 'ZUGESAGT', latestEventOn: null },
        { to: 'STORNIERT', date: TODAY, reason: 'Kind krank' },
        TODAY,
      ),
    ).toEqual({
      ok: true,
      changes: { status: 'STORNIERT', endedOn: TODAY, reason: 'Kind krank' },
      freesSeat: true,
    });
  });

  it('refuses a date in the future or before the latest step', () => {
    expect(
      checkEnrolmentTransition(
        { status: 'ZUGESAGT', latestEventOn: null },
        input('LAUFEND', { date: '2026-06-16' }),
        TODAY,
      ),
    ).toMatchObject({ ok: false, kind: 'rule', errors: [{ pointer: '#/date' }] });
    expect(
      checkEnrolmentTransition(
        { status: 'ZUGESAGT', latestEventOn: '2026-06-10' },
        input('LAUFEND', { date: '2026-06-09' }),
        TODAY,
      ),
    ).toMatchObject({ ok: false, kind: 'rule', errors: [{ pointer: '#/date' }] });
  });

  it('answers an unreachable target before a missing reason', () => {
    expect(
      checkEnrolmentTransition(
        { status: 'ZUGESAGT', latestEventOn: null },
        { to: 'ABGEBROCHEN', date: TODAY },
        TODAY,
      ),
    ).toMatchObject({ ok: false, kind: 'invalid-transition' });
  });

  it('counts seats and live states', () => {
    expect(ENROLMENT_STATUSES.filter(holdsSeat)).toEqual(['ZUGESAGT', 'LAUFEND']);
    expect(ENROLMENT_STATUSES.filter(isLive)).toEqual(['ZUGESAGT', 'WARTELISTE', 'LAUFEND']);
  });

  it('promotes as many as there are free seats and waiting enrolments', () => {
    expect(seatsToPromote(10, 10, 5)).toBe(0);
    expect(seatsToPromote(10, 7, 5)).toBe(3);
    expect(seatsToPromote(10, 7, 2)).toBe(2);
    expect(seatsToPromote(10, 12, 2)).toBe(0);
  });
});
