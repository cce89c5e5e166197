import { parseExpression } from 'cron-parser';

/**
 * The first tick of `cron` (read in `timeZone`) strictly after `after`. Daylight saving time follows
 * cron-parser: a time skipped in spring runs at the next valid time, an hour repeated in autumn runs once.
 */
export function nextTick(cron: string, timeZone: string, after: Date): Date {
  return parseExpression(cron, { tz: timeZone, currentDate: after }).next().toDate();
}

/** Node's timers hold at most 2^31-1 ms (24.8 days); longer waits are taken in steps. */
export const MAX_TIMER_MS = 2_147_483_647;

/** How long to sleep before looking at `tick` again: until the tick, or one timer's maximum. */
export function sleepUntil(tick: Date, now: Date): number {
  return Math.min(Math.max(tick.getTime() - now.getTime(), 0), MAX_TIMER_MS);
}
