/**
 * The normalised form of a person's name that duplicate detection and tolerant search compare (with
 * pg_trgm similarity): case, accents, umlauts and ß, common transliteration variants, doubled
 * letters and the order of the name parts do not matter. "Müller, Anna", "Anna Mueller" and
 * "anna muller" share one key; so do "Jovanović" and "Jovanovic", or "Мохаммед" and "Mohamed".
 * It is computed here rather than in SQL so that it is the same everywhere and unit-tested.
 */
export function nameKey(...parts: string[]): string {
  const latin = transliterate(parts.join(' ').toLowerCase()).normalize('NFKD').replace(/\p{M}/gu, '');
  const folded = [...latin].map((char) => SPECIAL_LETTERS[char] ?? char).join('');
  const tokens = folded
    .replace(/[^a-z]+/g, ' ')
    .split(' ')
    .filter((token) => token.length > 0)
    .map(foldSpelling);
  return [...new Set(tokens)].sort().join(' ');
}

/** Spelling variants that name transliterations and German umlaut substitutes produce. */
function foldSpelling(token: string): string {
  return token
    .replace(/(?<=[aou])e/g, '') // ae/oe/ue written for ä/ö/ü
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/kh/g, 'h')
    .replace(/dj/g, 'd')
    .replace(/ck/g, 'k')
    .replace(/ou/g, 'u')
    .replace(/w/g, 'v')
    .replace(/y/g, 'i')
    .replace(/(.)\1+/g, '$1'); // Mohammed / Mohamed, Ana / Anna
}

/** Letters that Unicode decomposition leaves as they are. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Cyrillic to Latin, as names are usually written in German documents (simplified). */
const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  ђ: 'dj',
  е: 'e',
  ё: 'e',
  є: 'je',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'ji',
  й: 'j',
  ј: 'j',
  к: 'k',
  л: 'l',
  љ: 'lj',
  м: 'm',
  н: 'n',
  њ: 'nj',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  ћ: 'c',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  џ: 'dz',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'ju',
  я: 'ja',
};

function transliterate(text: string): string {
  return [...text].map((char) => CYRILLIC[char] ?? char).join('');
}
