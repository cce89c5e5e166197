import { backoffCeilingMs, backoffDelayMs } from './webhook-backoff';

const POLICY = { baseMs: 30_000, maxMs: 3_600_000 };

describe('webhook back-off', () => {
  it('doubles the ceiling after every failed attempt, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => backoffCeilingMs(attempt, POLICY))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
    expect(backoffCeilingMs(1_000, POLICY)).toBe(3_600_000);
  });

  it('waits a uniformly random time between 0 and the ceiling (full jitter)', () => {
    expect(backoffDelayMs(3, POLICY, () => 0)).toBe(0);
    expect(backoffDelayMs(3, POLICY, () => 0.5)).toBe(60_000);
    expect(backoffDelayMs(3, POLICY, () => 0.999_999_999)).toBe(120_000);
    const delays = Array.from({ length: 2_000 }, () => backoffDelayMs(4, POLICY));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(240_000);
    const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
    expect(mean).toBeGreaterThan(100_000);
    expect(mean).toBeLessThan(140_000);
    // Spread out: not a few fixed values.
    expect(new Set(delays).size).toBeGreaterThan(1_000);
  });
});
