import {
  fakerDE,
  fakerEN,
  fakerEN_IN,
  fakerES,
  fakerHR,
  fakerIT,
  fakerPL,
  fakerPT_BR,
  fakerRO,
  fakerRU,
  fakerSR_RS_latin,
  fakerTR,
  fakerUK,
  type Faker,
} from '@faker-js/faker';
import { CURATED_NAMES, type Origin } from './catalogue';
import type { Random } from './random';

const FAKERS: Readonly<Record<string, Faker>> = {
  de: fakerDE,
  uk: fakerUK,
  ru: fakerRU,
  tr: fakerTR,
  pl: fakerPL,
  ro: fakerRO,
  en_IN: fakerEN_IN,
  hr: fakerHR,
  sr_RS_latin: fakerSR_RS_latin,
  en: fakerEN,
  es: fakerES,
  pt_BR: fakerPT_BR,
  it: fakerIT,
};

/** Seeds every faker locale the seed uses, so that names follow `--seed`. */
export function seedFakers(seed: number): void {
  for (const faker of Object.values(FAKERS)) {
    faker.seed(seed);
  }
}

/** Passport romanisation (ICAO 9303) of the Cyrillic in Ukrainian and Russian names. */
const ROMAN: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ie',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
  "'": '',
  ʼ: '',
};
const UKRAINIAN_ROMAN: Readonly<Record<string, string>> = { ...ROMAN, г: 'h', и: 'y' };

function romanise(name: string, ukrainian: boolean): string {
  const table = ukrainian ? UKRAINIAN_ROMAN : ROMAN;
  const latin = [...name]
    .map((char) => {
      const lower = char.toLowerCase();
      const mapped = table[lower];
      if (mapped === undefined) {
        return char;
      }
      return char === lower ? mapped : mapped.charAt(0).toUpperCase() + mapped.slice(1);
    })
    .join('');
  return latin;
}

export interface PersonName {
  firstName: string;
  lastName: string;
}

/**
 * A name as an office would record it for someone from `origin`: Latin script as in the passport;
 * a few Ukrainian and Russian names in Cyrillic, as written on documents the client brought.
 */
export function personName(origin: Origin, female: boolean, random: Random): PersonName {
  const sex = female ? 'female' : 'male';
  if (
    origin.names === 'arabic' ||
    origin.names === 'persian' ||
    origin.names === 'afghan' ||
    origin.names === 'greek'
  ) {
    const list = CURATED_NAMES[origin.names];
    return { firstName: random.pick(female ? list.female : list.male), lastName: random.pick(list.last) };
  }
  const faker = FAKERS[origin.names];
  const firstName = faker.person.firstName(sex);
  const lastName = faker.person.lastName(sex);
  if ((origin.names === 'uk' || origin.names === 'ru') && !random.chance(0.15)) {
    const ukrainian = origin.names === 'uk';
    return { firstName: romanise(firstName, ukrainian), lastName: romanise(lastName, ukrainian) };
  }
  return { firstName, lastName };
}

/** ASCII for an e-mail local part. */
export function emailPart(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '');
}
