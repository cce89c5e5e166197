import { nameKey } from './name-key';

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

  it('keeps only letters, one space between sorted parts', () => {
    expect(nameKey('  Anna-Lena ', "O'Brien")).toBe('ana brien lena o');
  });

  it('is empty for a name without letters', () => {
    expect(nameKey('123', '--')).toBe('');
  });
});
