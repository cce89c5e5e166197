import * as countries from 'i18n-iso-countries';
import german from 'i18n-iso-countries/langs/de.json';
import english from 'i18n-iso-countries/langs/en.json';
import { STATELESS, UNKNOWN_NATIONALITY } from './codes';

countries.registerLocale(german);
countries.registerLocale(english);

/** ISO 3166-1 alpha-2 codes, from the maintained `i18n-iso-countries` package. */
export const COUNTRY_CODES: readonly string[] = Object.keys(countries.getAlpha2Codes()).sort();

const COUNTRY_CODE_SET: ReadonlySet<string> = new Set(COUNTRY_CODES);

/**
 * EU member states, the other EEA states (IS, LI, NO) and Switzerland: qualifications from these
 * fall under Directive 2005/36/EC, which changes deadlines and compensation rules.
 */
// prettier-ignore
export const EU_EEA_CH: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT',
  'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO', 'CH',
]);

export function isCountryCode(code: string): boolean {
  return COUNTRY_CODE_SET.has(code);
}

/** A nationality: a country, or `XX` (unknown) or `XS` (stateless). */
export function isNationalityCode(code: string): boolean {
  return code === UNKNOWN_NATIONALITY || code === STATELESS || COUNTRY_CODE_SET.has(code);
}

export function countryName(code: string, language: 'de' | 'en'): string | undefined {
  return countries.getName(code, language, { select: 'official' });
}

/**
 * Short (common) names where the package gives only the official or an inverted form, e.g.
 * "Syrien, Arabische Republik" or "Islamic Republic of Iran": lists and forms read the short name.
 * "Kongo" alone would be ambiguous in German, so the Democratic Republic says so; the Palestinian
 * territories are named as the German federal statistics name them.
 */
const SHORT_NAMES: Readonly<Record<'de' | 'en', Readonly<Record<string, string>>>> = {
  de: {
    BN: 'Brunei',
    CD: 'Demokratische Republik Kongo',
    CZ: 'Tschechien',
    MD: 'Republik Moldau',
    PS: 'Palästinensische Gebiete',
    RU: 'Russland',
    SY: 'Syrien',
    TZ: 'Tansania',
    UM: 'Kleinere Amerikanische Überseeinseln',
    US: 'Vereinigte Staaten',
  },
  en: {
    BN: 'Brunei',
    CI: "Côte d'Ivoire",
    CN: 'China',
    CZ: 'Czechia',
    FK: 'Falkland Islands',
    FM: 'Micronesia',
    GM: 'Gambia',
    IR: 'Iran',
    LA: 'Laos',
    MD: 'Moldova',
    MK: 'North Macedonia',
    PS: 'Palestinian territories',
    RE: 'Réunion',
    RU: 'Russia',
    SY: 'Syria',
    TW: 'Taiwan',
    TZ: 'Tanzania',
    US: 'United States',
    VA: 'Vatican City',
    VG: 'British Virgin Islands',
    VI: 'U.S. Virgin Islands',
  },
};

/** The short name of a country in German or English, for lists and forms. */
export function countryShortName(code: string, language: 'de' | 'en'): string | undefined {
  return SHORT_NAMES[language][code] ?? countryName(code, language);
}

/** Labels of the two pseudo-countries allowed in nationalities. */
export const PSEUDO_NATIONALITIES: readonly { code: string; de: string; en: string }[] = [
  { code: UNKNOWN_NATIONALITY, de: 'unbekannt', en: 'unknown' },
  { code: STATELESS, de: 'staatenlos', en: 'stateless' },
];
