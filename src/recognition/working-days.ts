import Holidays from 'date-holidays';
import type { WorkingDays } from './deadlines';

/**
 * Working days of a German Land for §31(3) VwVfG: not a Saturday, not a Sunday, not a public holiday
 * of that Land (`date-holidays`, which keeps the Länder's holiday laws, e.g. 8 March in Berlin since
 * 2019, Reformationstag in the northern Länder since 2018). Only `public` holidays count: regional
 * ones (Augsburger Friedensfest, Mariä Himmelfahrt in Catholic Bavarian communities) and days that
 * are merely customary off (24 and 31 December) do not end a period.
 */
export class LandWorkingDays implements WorkingDays {
  private readonly holidays: Holidays;
  private readonly years = new Map<number, ReadonlySet<string>>();

  /** `bundesland` as ISO 3166-2 (`DE-BY`). */
  constructor(readonly bundesland: string) {
    this.holidays = new Holidays('DE', bundesland.replace(/^DE-/, ''), { types: ['public'] });
  }

  isWorkingDay(date: string): boolean {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !this.publicHolidaysOf(Number(date.slice(0, 4))).has(date);
  }

  private publicHolidaysOf(year: number): ReadonlySet<string> {
    let days = this.years.get(year);
    if (days === undefined) {
      days = new Set(
        this.holidays
          .getHolidays(year)
          .filter((holiday) => holiday.type === 'public')
          .map((holiday) => holiday.date.slice(0, 10)),
      );
      this.years.set(year, days);
    }
    return days;
  }
}

const calendars = new Map<string, LandWorkingDays>();

/** One calendar per Land for the process (holiday rules load once). */
export function workingDaysOf(bundesland: string): LandWorkingDays {
  let calendar = calendars.get(bundesland);
  if (calendar === undefined) {
    calendar = new LandWorkingDays(bundesland);
    calendars.set(bundesland, calendar);
  }
  return calendar;
}
