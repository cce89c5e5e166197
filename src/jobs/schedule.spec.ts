import { MAX_TIMER_MS, nextTick, sleepUntil } from './schedule';

describe('nextTick', () => {
  it('reads the cron expression in the given time zone (02:30 in Berlin is 01:30 UTC in winter)', () => {
    expect(nextTick('30 2 * * *', 'Europe/Berlin', new Date('2026-01-10T12:00:00Z')).toISOString()).toBe(
      '2026-01-11T01:30:00.000Z',
    );
  });

  it('follows summer time (02:30 in Berlin is 00:30 UTC in July)', () => {
    expect(nextTick('30 2 * * *', 'Europe/Berlin', new Date('2026-07-10T12:00:00Z')).toISOString()).toBe(
      '2026-07-11T00:30:00.000Z',
    );
  });

  it('is strictly after the given instant, so a tick is never produced twice', () => {
    const tick = new Date('2026-01-11T01:30:00.000Z');
    expect(nextTick('30 2 * * *', 'Europe/Berlin', tick).toISOString()).toBe('2026-01-12T01:30:00.000Z');
  });

  it('runs a time skipped by the spring change once, at the next valid time', () => {
    // 2026-03-29 02:30 does not exist in Berlin (02:00 → 03:00).
    expect(nextTick('30 2 * * *', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z')).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('runs an hour repeated by the autumn change once', () => {
    // 2026-10-25 02:30 happens twice in Berlin (CEST, then CET).
    const first = nextTick('30 2 * * *', 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'));
    expect(first.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(nextTick('30 2 * * *', 'Europe/Berlin', first).toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });

  it('accepts six fields with seconds first', () => {
    expect(nextTick('*/5 * * * * *', 'UTC', new Date('2026-01-01T00:00:01Z')).toISOString()).toBe(
      '2026-01-01T00:00:05.000Z',
    );
  });
});

describe('sleepUntil', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('waits until the tick', () => {
    expect(sleepUntil(new Date('2026-01-01T00:00:02Z'), now)).toBe(2_000);
  });

  it('does not wait for a tick already passed', () => {
    expect(sleepUntil(new Date('2025-12-31T23:59:59Z'), now)).toBe(0);
  });

  it('takes a wait longer than a timer can hold in steps', () => {
    expect(sleepUntil(new Date('2027-01-01T00:00:00Z'), now)).toBe(MAX_TIMER_MS);
  });
});
