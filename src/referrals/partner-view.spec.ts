import { DATA_CATEGORIES } from '../reference-data/codes';
import { allowedMembers, partnerView, PARTNER_VIEW_ALLOW_LIST, type SharedClientData } from './partner-view';

const DATA: SharedClientData = {
  firstName: 'Amina',
  lastName: 'Haddad',
  birthDate: '1991-04-17',
  email: 'amina@example.org',
  phone: '+49 30 1234567',
  postalCode: '10115',
  city: 'Berlin',
  qualifications: [],
  residenceStatus: 'AE_16D',
  recognitionCase: null,
  consultations: [],
};

describe('partner view', () => {
  const combinations = Array.from({ length: 1 << DATA_CATEGORIES.length }, (_, mask) =>
    DATA_CATEGORIES.filter((_category, index) => (mask >> index) & 1),
  );

  it.each(combinations.map((categories) => [categories.join('+') || '(none)', categories]))(
    'shows exactly the allow-listed members for %s',
    (_name, categories) => {
      const expected = categories.flatMap((category) => PARTNER_VIEW_ALLOW_LIST[category]).sort();
      expect(Object.keys(partnerView(DATA, categories)).sort()).toEqual(expected);
      expect(allowedMembers(categories).sort()).toEqual(expected);
    },
  );

  it('the allow-list covers every member exactly once', () => {
    const members = Object.values(PARTNER_VIEW_ALLOW_LIST).flat();
    expect(new Set(members).size).toBe(members.length);
    expect(members.sort()).toEqual(Object.keys(DATA).sort());
  });
});
