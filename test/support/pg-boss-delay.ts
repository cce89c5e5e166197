/**
 * pg-boss's `delay()` loads `node:timers/promises` at every call. Its loop that waits for stopped
 * workers (`offWork`) can tick again after a test file's app has closed; a `require` after Jest has
 * torn the file's environment down then fails the whole file ("Cannot destructure property
 * 'setTimeout' of 'require(...)'"), although every test passed. This is the same function with the
 * module loaded once, while the environment exists; nothing else of pg-boss changes.
 */
jest.mock('pg-boss/src/tools', () => {
  const timers = jest.requireActual<typeof import('node:timers/promises')>('node:timers/promises');
  return {
    delay(ms: number, error?: string): Promise<void> & { abort(): void } {
      const controller = new AbortController();
      const promise = new Promise<void>((resolve, reject) => {
        timers
          .setTimeout(ms, null, { signal: controller.signal })
          .then(() => (error ? reject(new Error(error)) : resolve()))
          .catch(() => resolve());
      }) as Promise<void> & { abort(): void };
      promise.abort = () => {
        if (!controller.signal.aborted) {
          controller.abort();
        }
      };
      return promise;
    },
  };
});
