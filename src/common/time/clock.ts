import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';

/** One formatter per time zone: building an `Intl.DateTimeFormat` costs more than formatting with it. */
const DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of `instant` in `timeZone` as `YYYY-MM-DD`. */
export function calendarDate(instant: Date, timeZone: string): string {
  let format = DATE_FORMATS.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    DATE_FORMATS.set(timeZone, format);
  }
  return format.format(instant);
}

/**
 * The one source of "now" and "today". The offices work in Germany, so "today" (not-in-the-future
 * checks, deadlines, `overdue`, consent expiry) is the calendar date in `TIME_ZONE` (default
 * Europe/Berlin), never the UTC date. Tests and the seed fix the time with `setFixedTime`.
 */
@Injectable()
export class Clock {
  private fixed: Date | null = null;
  readonly timeZone: string;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'timeZone'>) {
    this.timeZone = config.timeZone;
  }

  now(): Date {
    return this.fixed ? new Date(this.fixed.getTime()) : new Date();
  }

  /** Today's calendar date in the configured time zone, `YYYY-MM-DD`. */
  today(): string {
    return calendarDate(this.now(), this.timeZone);
  }

  /** Stops the clock at `instant` (tests, seeding at a reference date); `null` lets it run again. */
  setFixedTime(instant: Date | string | null): void {
    this.fixed = instant === null ? null : new Date(instant);
  }
}
