import { DISTINCT_PEOPLE } from '../../test/fixtures/distinct-people';
import { similarity } from '../../test/support/trigram';
import { nameKey } from './name-key';

/** `DUPLICATE_SIMILARITY` of the client repository: a pair at or above it is a duplicate warning. */
const WARNING_SIMILARITY = 0.6;

describe('nameKey', () => {
  it.each([
    [
      ['Anna', 'Müller'],
      ['Anna', 'Mueller'],
    ],
    [
      ['Anna', 'Müller'],
      ['Anna', 'Muller'],
    ],
    [
      ['Anna', 'Müller'],
      ['Müller', 'Anna'],
    ],
    [
      ['Anna', 'MÜLLER'],
      ['anna', 'muller'],
    ],
    [
      ['Dragana', 'Jovanović'],
      ['Dragana', 'Jovanovic'],
    ],
    [
      ['Đorđe', 'Petrović'],
      ['Djordje', 'Petrovic'],
    ],
    [
      ['Jürgen', 'Weiß'],
      ['Juergen', 'Weiss'],
    ],
    [
      ['Mohammed', 'Al-Hassan'],
      ['Mohamed', 'Al Hasan'],
    ],
    [
      ['Юлия', 'Шевченко'],
      ['Julija', 'Shevchenko'],
    ],
    // Transliterations: German (Duden), passport (Ukrainian 2010 / Russian ICAO), Arabic variants.
    [
      ['Mohammed', 'Al-Hassan'],
      ['Muhammad', 'Al-Hassan'],
    ],
    [
      ['Ahmad', 'Al Khatib'],
      ['Ahmed', 'Alkhatib'],
    ],
    [
      ['Олена', 'Шевченко'],
      ['Olena', 'Schewtschenko'],
    ],
    [
      ['Олена', 'Шевченко'],
      ['Olena', 'Shevchenko'],
    ],
    [
      ['Юлія', 'Ковальчук'],
      ['Yuliia', 'Kovalchuk'],
    ],
    [
      ['Юлія', 'Ковальчук'],
      ['Julija', 'Kowaltschuk'],
    ],
    [
      ['Jurij', 'Kusnezow'],
      ['Yuriy', 'Kuznetsov'],
    ],
    [
      ['Юрий', 'Кузнецов'],
      ['Jurij', 'Kusnezow'],
    ],
    [
      ['Sergej', 'Schmidt'],
      ['Sergey', 'Shmidt'],
    ],
    [
      ['Жанна', 'Тимошенко'],
      ['Schanna', 'Timoschenko'],
    ],
    [
      ['Hussein', 'Abdel Rahman'],
      ['Hossein', 'Abdul Rahman'],
    ],
    [
      ['Ігор', 'Гончаренко'],
      ['Ihor', 'Honcharenko'],
    ],
    [
      ['Ørjan', 'Sæther'],
      ['Orjan', 'Saether'],
    ],
    [
      ['Łukasz', 'Wójcik'],
      ['Lukasz', 'Wojcik'],
    ],
    [
      ['José María', 'García'],
      ['Jose Maria', 'Garcia'],
    ],
  ])('%j and %j share a key', (left, right) => {
    expect(nameKey(...left)).toBe(nameKey(...right));
  });

  it.each([
    [
      ['Anna', 'Müller'],
      ['Anna', 'Meyer'],
    ],
    [
      ['Maria', 'Schmidt'],
      ['Marta', 'Schmidt'],
    ],
  ])('%j and %j stay different', (left, right) => {
    expect(nameKey(...left)).not.toBe(nameKey(...right));
  });

  it('is alike enough for a warning when only short vowels differ in both names (Yusuf Abdallah / Youssef Abdullah)', () => {
    const left = nameKey('Yusuf', 'Abdallah');
    const right = nameKey('Youssef', 'Abdullah');
    expect(similarity(left, right)).toBeGreaterThanOrEqual(WARNING_SIMILARITY);
  });

  it('keeps only letters, one space between sorted parts', () => {
    expect(nameKey('  Anna-Lena ', "O'Brien")).toBe('ana bran lana o');
  });

  it('joins the Arabic article to its noun', () => {
    expect(nameKey('Nour', 'Al-Hamwi')).toBe(nameKey('Nour', 'Alhamwi'));
    expect(nameKey('Samir', 'El Sayed')).toBe(nameKey('Samir', 'Al-Sayed'));
  });

  describe('false alarms among distinct people who share a birth date', () => {
    it('the fixture holds 200 distinct people', () => {
      expect(DISTINCT_PEOPLE).toHaveLength(200);
      expect(new Set(DISTINCT_PEOPLE.map((person) => person.join(' '))).size).toBe(200);
    });

    it('warns about at most 2 of their 19,900 pairs', () => {
      const keys = DISTINCT_PEOPLE.map(([firstName, lastName]) => nameKey(firstName, lastName));
      const warned: string[] = [];
      for (let i = 0; i < keys.length; i += 1) {
        for (let j = i + 1; j < keys.length; j += 1) {
          if (similarity(keys[i], keys[j]) >= WARNING_SIMILARITY) {
            warned.push(`${DISTINCT_PEOPLE[i].join(' ')} ~ ${DISTINCT_PEOPLE[j].join(' ')}`);
          }
        }
      }
      // Measured: 2 — two sisters Kovalenko (0.68) and two Al-Ahmads (0.62), both same family name.
      expect(warned.length).toBeLessThanOrEqual(2);
    });
  });

  it('is empty for a name without letters', () => {
    expect(nameKey('123', '--')).toBe('');
  });
});
