import type { FieldError } from '../common/errors/problem.error';

export const FIRST_CONSULTATION = 'ERSTBERATUNG';
export const FOLLOW_UP_CONSULTATION = 'FOLGEBERATUNG';

/** The dates of a consultation as they are (or will be, after a `PATCH`), each `YYYY-MM-DD`. */
export interface ConsultationDates {
  heldOn: string;
  nextContactDue: string | null;
}

/**
 * Rules across the dates of a consultation: it was held, so not in the future, and the next contact
 * is due on or after that day. `heldOnSent` / `nextContactDueSent`: on `PATCH`, an error names only a
 * member the request sent — a kept value that contradicts a new one is reported at the new one.
 */
export function consultationDateErrors(
  dates: ConsultationDates,
  today: string,
  sent: { heldOn: boolean; nextContactDue: boolean } = { heldOn: true, nextContactDue: true },
): FieldError[] {
  const errors: FieldError[] = [];
  if (sent.heldOn && dates.heldOn > today) {
    errors.push({ pointer: '#/heldOn', detail: 'must not be in the future' });
  }
  if (dates.nextContactDue !== null && dates.nextContactDue < dates.heldOn) {
    errors.push(
      sent.nextContactDue
        ? { pointer: '#/nextContactDue', detail: `must not be before heldOn (${dates.heldOn})` }
        : {
            pointer: '#/heldOn',
            detail: `must not be after nextContactDue (${dates.nextContactDue}); change or empty it too`,
          },
    );
  }
  return errors;
}

/**
 * A consultation cannot predate the programme (`earliest`, CONSULTATION_EARLIEST_DATE, default
 * 2005-01-01) — a date before it is a typing error (400, like a date in the future). Only a `heldOn`
 * the request sends is checked.
 */
export function consultationEarliestErrors(heldOn: string, earliest: string): FieldError[] {
  return heldOn < earliest
    ? [
        {
          pointer: '#/heldOn',
          detail: `must not be before ${earliest}, when the counselling programme began`,
        },
      ]
    : [];
}

/** Nor can it predate the client's birth (a rule against the stored client: 422). */
export function consultationBirthDateErrors(heldOn: string, birthDate: string | null): FieldError[] {
  return birthDate !== null && heldOn < birthDate
    ? [{ pointer: '#/heldOn', detail: `must not be before the client's birth date (${birthDate})` }]
    : [];
}

/** Why a consultation is voided: required, trimmed, short. */
export const VOID_REASON_MAX_LENGTH = 500;
