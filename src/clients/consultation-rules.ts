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
