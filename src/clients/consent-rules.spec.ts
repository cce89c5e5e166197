import { consentErrors, consentStatus, withdrawalErrors, type ConsentFacts } from './consent-rules';

const TODAY = '2026-05-20';
const PARTNER = '6e2b9c4d-1f3a-4b5c-8d7e-0a9f1b2c3d4e';

const counselling: ConsentFacts = { purpose: 'BERATUNG', givenOn: '2026-03-01' };
const sharing: ConsentFacts = {
  purpose: 'WEITERGABE_PARTNER',
  partnerId: PARTNER,
  dataCategories: ['STAMMDATEN'],
  givenOn: '2026-03-01',
};

function pointers(facts: ConsentFacts): string[] {
  return consentErrors(facts, TODAY).map((error) => error.pointer);
}

describe('consentErrors', () => {
  it('accepts consents that follow the rules', () => {
    expect(pointers(counselling)).toEqual([]);
    expect(pointers({ ...counselling, dataCategories: [], partnerId: null, partnerType: null })).toEqual([]);
    expect(pointers(sharing)).toEqual([]);
    expect(
      pointers({ ...sharing, partnerId: undefined, partnerType: 'JOBCENTER', dataCategories: ['KONTAKT'] }),
    ).toEqual([]);
    expect(pointers({ ...counselling, givenOn: TODAY, expiresOn: '2026-05-21' })).toEqual([]);
  });

  it('needs exactly one recipient and at least one data category for sharing with partners', () => {
    expect(pointers({ ...sharing, partnerId: undefined })).toEqual(['#/partnerId']);
    expect(pointers({ ...sharing, partnerId: null, partnerType: null })).toEqual(['#/partnerId']);
    expect(pointers({ ...sharing, partnerType: 'KAMMER' })).toEqual(['#/partnerType']);
    expect(pointers({ ...sharing, dataCategories: [] })).toEqual(['#/dataCategories']);
    expect(pointers({ ...sharing, dataCategories: undefined })).toEqual(['#/dataCategories']);
    expect(pointers({ purpose: 'WEITERGABE_PARTNER', givenOn: '2026-03-01' })).toEqual([
      '#/partnerId',
      '#/dataCategories',
    ]);
  });

  it.each(['BERATUNG', 'ESF_MONITORING', 'NACHBEFRAGUNG'])(
    'refuses a recipient or data categories for purpose %s',
    (purpose) => {
      expect(pointers({ ...counselling, purpose, partnerId: PARTNER })).toEqual(['#/partnerId']);
      expect(pointers({ ...counselling, purpose, partnerType: 'JOBCENTER' })).toEqual(['#/partnerType']);
      expect(pointers({ ...counselling, purpose, dataCategories: ['KONTAKT'] })).toEqual([
        '#/dataCategories',
      ]);
      expect(consentErrors({ ...counselling, purpose, partnerId: PARTNER }, TODAY)[0].detail).toContain(
        'WEITERGABE_PARTNER',
      );
    },
  );

  it('refuses a consent given in the future or expiring on or before the day it was given', () => {
    expect(pointers({ ...counselling, givenOn: '2026-05-21' })).toEqual(['#/givenOn']);
    expect(pointers({ ...counselling, expiresOn: '2026-03-01' })).toEqual(['#/expiresOn']);
    expect(pointers({ ...counselling, expiresOn: '2026-02-28' })).toEqual(['#/expiresOn']);
    expect(pointers({ ...counselling, expiresOn: '2026-03-02' })).toEqual([]);
    expect(pointers({ ...counselling, expiresOn: null })).toEqual([]);
  });
});

describe('withdrawalErrors', () => {
  it('accepts a day from the day given up to today', () => {
    expect(withdrawalErrors('2026-03-01', '2026-03-01', TODAY)).toEqual([]);
    expect(withdrawalErrors(TODAY, '2026-03-01', TODAY)).toEqual([]);
  });

  it('refuses a day in the future or before the consent was given', () => {
    expect(withdrawalErrors('2026-05-21', '2026-03-01', TODAY)).toEqual([
      { pointer: '#/withdrawnOn', detail: 'must not be in the future' },
    ]);
    expect(withdrawalErrors('2026-02-28', '2026-03-01', TODAY).map((error) => error.pointer)).toEqual([
      '#/withdrawnOn',
    ]);
  });
});

describe('consentStatus', () => {
  it('is ACTIVE without withdrawal and until the end of the last covered day', () => {
    expect(consentStatus({ withdrawnAt: null, expiresOn: null }, TODAY)).toBe('ACTIVE');
    expect(consentStatus({ withdrawnAt: null, expiresOn: TODAY }, TODAY)).toBe('ACTIVE');
    expect(consentStatus({ withdrawnAt: null, expiresOn: '2027-01-01' }, TODAY)).toBe('ACTIVE');
  });

  it('is EXPIRED from the day after expiresOn', () => {
    expect(consentStatus({ withdrawnAt: null, expiresOn: '2026-05-19' }, TODAY)).toBe('EXPIRED');
  });

  it('is WITHDRAWN once withdrawn, also when it has expired since', () => {
    expect(consentStatus({ withdrawnAt: '2026-04-01T10:00:00.000000Z', expiresOn: null }, TODAY)).toBe(
      'WITHDRAWN',
    );
    expect(
      consentStatus({ withdrawnAt: '2026-04-01T10:00:00.000000Z', expiresOn: '2026-05-01' }, TODAY),
    ).toBe('WITHDRAWN');
  });
});
