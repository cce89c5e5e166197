/**
 * The normalised form of a person's name that duplicate detection and tolerant search compare (with
 * pg_trgm similarity): case, accents, umlauts and ß, the common transliterations, doubled letters,
 * short vowels and the order of the name parts do not matter. "Müller, Anna", "Anna Mueller" and
 * "anna muller" share one key; so do "Jovanović" and "Jovanovic", "Олена Шевченко", "Olena
 * Schewtschenko" (German, Duden) and "Olena Shevchenko" (Ukrainian passport), or "Mohammed" and
 * "Muhammad". It is computed here rather than in SQL so that it is the same everywhere and unit-tested;
 * `name-key.spec.ts` measures what it costs in false alarms.
 *
 * Steps: Cyrillic → Latin (passport romanisation, Ukrainian when the text has Ukrainian letters);
 * accents off; letters only; the Arabic article joined to its noun ("Al Khatib" = "Alkhatib");
 * German and English spellings of one sound folded (sch/sh, tsch/ch, w/v, z/s, j/y/i …); vowels
 * inside a word folded to two classes, as Arabic and Persian short vowels are written either way.
 */
export function nameKey(...parts: string[]): string {
  const latin = transliterate(parts.join(' ').toLowerCase()).normalize('NFKD').replace(/\p{M}/gu, '');
  const folded = [...latin].map((char) => SPECIAL_LETTERS[char] ?? char).join('');
  const tokens = joinArticles(
    folded
      .replace(/[^a-z]+/g, ' ')
      .split(' ')
      .filter((token) => token.length > 0),
  ).map(foldSpelling);
  return [...new Set(tokens)].sort().join(' ');
}

/** The Arabic article written apart ("Al Hassan", "El-Sayed"): one word with its noun, as "Alhassan". */
const ARTICLES = new Set(['al', 'el']);

function joinArticles(tokens: string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    if (ARTICLES.has(tokens[index]) && index + 1 < tokens.length) {
      joined.push(`al${tokens[index + 1]}`);
      index += 1;
    } else {
      joined.push(tokens[index]);
    }
  }
  return joined;
}

/**
 * Spellings of one sound in German (Duden), English and passport romanisations, and the umlaut
 * substitutes. Order matters: the longer German clusters go first.
 */
function foldSpelling(token: string): string {
  const consonants = token
    .replace(/(?<=[aou])e/g, '') // ae/oe/ue written for ä/ö/ü
    .replace(/tsch/g, 'ch') // ч: Duden tsch, passport ch
    .replace(/sch/g, 'sh') // ш: Duden sch, passport sh
    .replace(/zh/g, 'sh') // ж: Duden sch, passport zh
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/kh/g, 'h') // х, خ
    .replace(/dj/g, 'd')
    .replace(/ck/g, 'k')
    .replace(/ou/g, 'u') // French-style Youssef
    .replace(/[tc]z|ts/g, 'z') // ц: Duden z, passport ts
    .replace(/z/g, 's') // з: Duden s, passport z
    .replace(/w/g, 'v')
    .replace(/[jy]/g, 'i') // й, ю, я: Duden j, passport y/i
    .replace(/(.)\1+/g, '$1'); // Mohammed / Mohamed, Ana / Anna
  return foldVowels(consonants);
}

/**
 * Vowels after the first letter fold to two classes, {a, e, i} → a and {o, u} → u, and runs
 * collapse: Arabic and Persian short vowels have no fixed Latin spelling (Ahmad/Ahmed,
 * Mohammed/Muhammad, Hussein/Hossein), nor do Slavic endings (Yuliia/Julija). "Abd al-" is written
 * Abdul, Abdel, Abdal or Abdoul: one spelling. The first letter stays as written, so "Anna" and
 * "Enna" still differ. Folding {o, u} into {a, e, i} as well would also join Yusuf/Youssef and
 * Abdallah/Abdullah, but it gave 3 false alarms instead of 2 on the fixture of distinct people
 * (`name-key.spec.ts`); trigram similarity joins those pairs anyway (0.65).
 */
function foldVowels(token: string): string {
  const word = token.replace(/^abd[aeiou]+l/, 'abdal');
  return (
    word.slice(0, 1) +
    word
      .slice(1)
      .replace(/[aei]/g, 'a')
      .replace(/[ou]/g, 'u')
      .replace(/([au])\1+/g, '$1')
  );
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

/**
 * Cyrillic to Latin as passports romanise it (Russian: ICAO 9303 as used since 2013; Ukrainian: the
 * 2010 national standard, which writes г as h and и as y). The German (Duden) spellings of the same
 * names then meet these in `foldSpelling`.
 */
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
  є: 'ie',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'i',
  й: 'i',
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
  ю: 'iu',
  я: 'ia',
};

/** Letters only Ukrainian has: their presence selects the Ukrainian romanisation. */
const UKRAINIAN_LETTERS = /[іїєґ]/;

const UKRAINIAN: Readonly<Record<string, string>> = { ...CYRILLIC, г: 'h', и: 'y' };

function transliterate(text: string): string {
  const table = UKRAINIAN_LETTERS.test(text) ? UKRAINIAN : CYRILLIC;
  return [...text].map((char) => table[char] ?? char).join('');
}
