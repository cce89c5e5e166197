import { calendarDate, Clock } from './clock';

describe('Clock', () => {
  it('answers the Berlin date at 23:30 UTC (already the next day in Germany)', () => {
    const clock = new Clock({ timeZone: 'Europe/Berlin' });
    clock.setFixedTime('2026-03-14T23:30:00Z');
    expect(clock.today()).toBe('2026-03-15');
    clock.setFixedTime('2026-07-31T22:30:00Z'); // summer time: UTC+2
    expect(clock.today()).toBe('2026-08-01');
    clock.setFixedTime('2026-07-31T21:30:00Z');
    expect(clock.today()).toBe('2026-07-31');
  });

  it('follows the configured time zone', () => {
    const clock = new Clock({ timeZone: 'UTC' });
    clock.setFixedTime('2026-03-14T23:30:00Z');
    expect(clock.today()).toBe('2026-03-14');
  });

  it('runs again after the fixed time is cleared', () => {
    const clock = new Clock({ timeZone: 'Europe/Berlin' });
    clock.setFixedTime('2000-01-01T12:00:00Z');
    clock.setFixedTime(null);
    expect(clock.now().getFullYear()).toBeGreaterThan(2000);
  });

  it('formats year ends and leap days', () => {
    expect(calendarDate(new Date('2027-12-31T23:00:00Z'), 'Europe/Berlin')).toBe('2028-01-01');
    expect(calendarDate(new Date('2028-02-28T23:00:00Z'), 'Europe/Berlin')).toBe('2028-02-29');
  });
});
