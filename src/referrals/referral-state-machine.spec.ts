import { REFERRAL_STATUSES } from '../reference-data/codes';
import {
  allowedReferralTargets,
  checkReferralTransition,
  datesOf,
  isOpen,
  type ReferralParty,
  type ReferralStatus,
} from './referral-state-machine';

/** The table of `shared/domain.md` ("Referral"): from → to → who. */
const EXPECTED: Record<string, ReferralParty[]> = {
  'GESENDET>ANGENOMMEN': ['PARTNER'],
  'GESENDET>ABGELEHNT': ['PARTNER'],
  'GESENDET>STORNIERT': ['OFFICE', 'SYSTEM'],
  'GESENDET>ABGELAUFEN': ['SYSTEM'],
  'ANGENOMMEN>ERLEDIGT': ['PARTNER'],
  'ANGENOMMEN>STORNIERT': ['OFFICE', 'SYSTEM'],
};

const PARTIES: ReferralParty[] = ['OFFICE', 'PARTNER', 'SYSTEM'];
const FINAL: ReferralStatus[] = ['ABGELEHNT', 'ERLEDIGT', 'STORNIERT', 'ABGELAUFEN'];

describe('referral state machine', () => {
  const cases = REFERRAL_STATUSES.flatMap((from) =>
    REFERRAL_STATUSES.flatMap((to) => PARTIES.map((party) => [from, to, party] as const)),
  );

  it.each(cases)('%s → %s by %s follows the table', (from, to, party) => {
    const allowed = (EXPECTED[`${from}>${to}`] ?? []).includes(party);
    const check = checkReferralTransition(from, to, party);
    expect(check.ok).toBe(allowed);
    if (!check.ok) {
      expect(check.allowedTargets).toEqual(allowedReferralTargets(from, party));
      expect(check.allowedTargets).not.toContain(to);
      expect(check.final).toBe(FINAL.includes(from));
    }
  });

  it('lists for each party exactly its targets', () => {
    expect(allowedReferralTargets('GESENDET', 'PARTNER')).toEqual(['ANGENOMMEN', 'ABGELEHNT']);
    expect(allowedReferralTargets('GESENDET', 'OFFICE')).toEqual(['STORNIERT']);
    expect(allowedReferralTargets('GESENDET', 'SYSTEM')).toEqual(['STORNIERT', 'ABGELAUFEN']);
    expect(allowedReferralTargets('ANGENOMMEN', 'PARTNER')).toEqual(['ERLEDIGT']);
    for (const status of FINAL) {
      for (const party of PARTIES) {
        expect(allowedReferralTargets(status, party)).toEqual([]);
      }
    }
  });

  it('open = GESENDET and ANGENOMMEN', () => {
    expect(REFERRAL_STATUSES.filter(isOpen)).toEqual(['GESENDET', 'ANGENOMMEN']);
  });

  it('sets the answer day on accept/decline and the closing day on final states', () => {
    expect(datesOf('ANGENOMMEN', '2026-06-15')).toEqual({ answeredOn: '2026-06-15' });
    expect(datesOf('ABGELEHNT', '2026-06-15')).toEqual({ answeredOn: '2026-06-15', closedOn: '2026-06-15' });
    expect(datesOf('ERLEDIGT', '2026-06-15')).toEqual({ closedOn: '2026-06-15' });
    expect(datesOf('STORNIERT', '2026-06-15')).toEqual({ closedOn: '2026-06-15' });
    expect(datesOf('ABGELAUFEN', '2026-06-15')).toEqual({ closedOn: '2026-06-15' });
  });
});
