import type { FieldError } from '../common/errors/problem.error';

/** The members of a client that rules across fields look at, as they will be after the change. */
export interface ProfileFacts {
  birthDate: string | null;
  birthYear: number | null;
  arrivalYear: number | null;
  benefits: string[];
}

/**
 * Rules that span fields of a client (single fields are checked by the DTO): a birth date in the
 * past, a birth year that agrees with it, arrival not before birth nor in the future, `KEINE` alone.
 */
export function profileErrors(facts: ProfileFacts, now: string): FieldError[] {
  const errors: FieldError[] = [];
  const currentYear = Number(now.slice(0, 4));
  if (facts.birthDate !== null && (facts.birthDate > now || facts.birthDate < '1900-01-01')) {
    errors.push({ pointer: '#/birthDate', detail: 'must be a past date after 1900-01-01' });
  }
  const birthYear = facts.birthDate !== null ? Number(facts.birthDate.slice(0, 4)) : facts.birthYear;
  if (facts.birthDate !== null && facts.birthYear !== null && facts.birthYear !== birthYear) {
    errors.push({ pointer: '#/birthYear', detail: 'must be the year of birthDate (or be left out)' });
  }
  if (facts.birthYear !== null && facts.birthYear > currentYear) {
    errors.push({ pointer: '#/birthYear', detail: 'must not be in the future' });
  }
  if (facts.arrivalYear !== null) {
    if (facts.arrivalYear > currentYear) {
      errors.push({ pointer: '#/arrivalYear', detail: 'must not be in the future' });
    } else if (birthYear !== null && facts.arrivalYear < birthYear) {
      errors.push({ pointer: '#/arrivalYear', detail: 'must not be before the year of birth' });
    }
  }
  if (facts.benefits.includes('KEINE') && facts.benefits.length > 1) {
    errors.push({ pointer: '#/benefits', detail: 'KEINE cannot be combined with other benefits' });
  }
  return errors;
}
