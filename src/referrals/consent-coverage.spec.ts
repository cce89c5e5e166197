import { consentCoverage, consentUsable, type SharingConsent } from './consent-coverage';

const PARTNER = { id: 'p-1', type: 'JOBCENTER' };
const TODAY = '2026-06-15';

function consent(overrides: Partial<SharingConsent> = {}): SharingConsent {
  return {
    id: 'c-1',
    partnerId: PARTNER.id,
    partnerType: null,
    dataCategories: ['STAMMDATEN', 'KONTAKT'],
    givenOn: '2026-01-10',
    expiresOn: null,
    withdrawnAt: null,
    ...overrides,
  };
}

describe('consent coverage', () => {
  it('a consent for the partner itself covers its categories', () => {
    expect(consentCoverage([consent()], PARTNER, ['STAMMDATEN'], TODAY)).toEqual({
      covered: true,
      consentId: 'c-1',
    });
    expect(consentCoverage([consent()], PARTNER, ['STAMMDATEN', 'KONTAKT'], TODAY).covered).toBe(true);
  });

  it('a consent for the partner type covers every partner of that type, not others', () => {
    const byType = consent({ partnerId: null, partnerType: 'JOBCENTER' });
    expect(consentCoverage([byType], PARTNER, ['KONTAKT'], TODAY).covered).toBe(true);
    expect(consentCoverage([byType], { id: 'p-2', type: 'KAMMER' }, ['KONTAKT'], TODAY)).toEqual({
      covered: false,
      uncovered: ['KONTAKT'],
    });
  });

  it('a consent for another partner covers nothing', () => {
    expect(consentCoverage([consent({ partnerId: 'p-9' })], PARTNER, ['STAMMDATEN'], TODAY)).toEqual({
      covered: false,
      uncovered: ['STAMMDATEN'],
    });
  });

  it('names exactly the categories the best consent lacks', () => {
    const result = consentCoverage(
      [consent(), consent({ id: 'c-2', dataCategories: ['STAMMDATEN'] })],
      PARTNER,
      ['VERFAHREN', 'STAMMDATEN', 'KONTAKT', 'QUALIFIKATION'],
      TODAY,
    );
    expect(result).toEqual({ covered: false, uncovered: ['QUALIFIKATION', 'VERFAHREN'] });
  });

  it('needs ONE consent covering every category (two halves do not add up)', () => {
    const halves = [
      consent({ id: 'a', dataCategories: ['STAMMDATEN'] }),
      consent({ id: 'b', dataCategories: ['KONTAKT'] }),
    ];
    const result = consentCoverage(halves, PARTNER, ['STAMMDATEN', 'KONTAKT'], TODAY);
    expect(result.covered).toBe(false);
  });

  it('a withdrawn consent covers nothing', () => {
    expect(
      consentCoverage(
        [consent({ withdrawnAt: '2026-06-01T10:00:00.000000Z' })],
        PARTNER,
        ['STAMMDATEN'],
        TODAY,
      ).covered,
    ).toBe(false);
  });

  it('expiresOn is the last day covered (Berlin calendar date)', () => {
    expect(consentUsable(consent({ expiresOn: TODAY }), PARTNER, TODAY)).toBe(true);
    expect(consentUsable(consent({ expiresOn: '2026-06-14' }), PARTNER, TODAY)).toBe(false);
    expect(
      consentCoverage([consent({ expiresOn: '2026-06-14' })], PARTNER, ['STAMMDATEN'], TODAY).covered,
    ).toBe(false);
  });

  it('a consent given in the future does not cover yet', () => {
    expect(consentUsable(consent({ givenOn: '2026-06-16' }), PARTNER, TODAY)).toBe(false);
  });

  it('prefers a consent naming the partner, then the one valid longest', () => {
    const byType = consent({ id: 'type', partnerId: null, partnerType: 'JOBCENTER' });
    const shortLived = consent({ id: 'short', expiresOn: '2026-07-01' });
    const longLived = consent({ id: 'long', expiresOn: '2027-07-01' });
    expect(consentCoverage([byType, shortLived, longLived], PARTNER, ['STAMMDATEN'], TODAY)).toEqual({
      covered: true,
      consentId: 'long',
    });
    expect(consentCoverage([byType, shortLived], PARTNER, ['STAMMDATEN'], TODAY)).toEqual({
      covered: true,
      consentId: 'short',
    });
  });

  it('falls back to a usable consent when the preferred one is withdrawn', () => {
    const result = consentCoverage(
      [
        consent({ id: 'gone', withdrawnAt: '2026-06-01T00:00:00.000000Z' }),
        consent({ id: 'type', partnerId: null, partnerType: 'JOBCENTER' }),
      ],
      PARTNER,
      ['KONTAKT'],
      TODAY,
    );
    expect(result).toEqual({ covered: true, consentId: 'type' });
  });
});
