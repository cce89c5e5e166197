/** The retry schedule of webhook deliveries (pure). */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * The longest wait before attempt `attempt + 1`, after `attempt` failed attempts (1 → base, 2 → 2·base, …),
 * capped at `maxMs`.
 */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 40);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

/**
 * Exponential back-off with full jitter: a uniformly random wait in [0, ceiling]. Jitter spreads the
 * retries of many deliveries that failed together (an endpoint that was down) instead of sending them
 * all again at the same instant.
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * (backoffCeilingMs(attempt, policy) + 1));
}
