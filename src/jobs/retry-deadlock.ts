/** PostgreSQL's SQLSTATE for a transaction chosen as a deadlock victim (rolled back, safe to run again). */
const DEADLOCK_DETECTED = '40P01';

/**
 * Runs `work` again when PostgreSQL picked it as a deadlock victim. Replicas that start together
 * declare their job queues at the same moment, and pg-boss creates and attaches one partition per
 * queue: two such statements can deadlock. The victim's statement was rolled back, so running it again
 * is safe; the jittered pause lets the other process finish first.
 */
export async function retryOnDeadlock<T>(
  work: () => Promise<T>,
  options: { attempts?: number; pause?: (attempt: number) => Promise<void> } = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const pause =
    options.pause ??
    ((attempt: number) =>
      new Promise<void>((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: unknown }).code !== DEADLOCK_DETECTED || attempt >= attempts) {
        throw error;
      }
      await pause(attempt);
    }
  }
}
