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
