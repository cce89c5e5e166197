import { profileErrors, type ProfileFacts } from './client-profile';

const NOW = '2026-11-22';
const valid: ProfileFacts = {
  birthDate: '1991-04-17',
  birthYear: null,
  arrivalYear: 2019,
  benefits: ['SGB_II'],
};

function pointers(facts: Partial<ProfileFacts>): string[] {
  return profileErrors({ ...valid, ...facts }, NOW).map((error) => error.pointer);
}

describe('profileErrors', () => {
  it('accepts a consistent profile', () => {
    expect(pointers({})).toEqual([]);
    expect(pointers({ birthYear: 1991 })).toEqual([]);
    expect(pointers({ birthDate: null, birthYear: 1980, arrivalYear: 1980 })).toEqual([]);
    expect(pointers({ benefits: ['KEINE'] })).toEqual([]);
  });

  it('refuses a birth date in the future or before 1900', () => {
    expect(pointers({ birthDate: '2026-11-23', arrivalYear: null })).toEqual(['#/birthDate']);
    expect(pointers({ birthDate: '1899-12-31', arrivalYear: null })).toEqual(['#/birthDate']);
  });

  it('refuses a birth year that contradicts the birth date', () => {
    expect(pointers({ birthYear: 1990 })).toEqual(['#/birthYear']);
  });

  it('refuses an arrival before birth or in the future', () => {
    expect(pointers({ arrivalYear: 1990 })).toEqual(['#/arrivalYear']);
    expect(pointers({ arrivalYear: 2027 })).toEqual(['#/arrivalYear']);
    expect(pointers({ birthDate: null, birthYear: 2000, arrivalYear: 1999 })).toEqual(['#/arrivalYear']);
  });

  it('refuses KEINE together with a benefit', () => {
    expect(pointers({ benefits: ['KEINE', 'SGB_II'] })).toEqual(['#/benefits']);
  });
});
