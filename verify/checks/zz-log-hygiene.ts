import type { Figure, VerifyCheck, VerifyContext } from '../check';
import { RunContext } from '../support/run-context';
import { stopSuiteApp } from '../support/suite-app';

/**
 * Runs last (`zz-`): the whole run's captured output — every API, worker and PostgreSQL process any
 * check started, including their shutdown — must contain none of the sensitive values the checks
 * registered (client names, birth dates, e-mail addresses, note texts, passwords, tokens, client
 * secrets, signing keys). Values are also searched JSON-escaped and percent-encoded, the forms in which
 * a logger or a URL would carry them.
 */
function forms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  const encoded = encodeURIComponent(value);
  return [...new Set([value, escaped, encoded])];
}

const check: VerifyCheck = {
  name: 'zz-log-hygiene',
  async run(context: VerifyContext): Promise<Figure[]> {
    if (!(context instanceof RunContext)) {
      throw new Error('log hygiene needs the runner’s context (it reads the captured logs)');
    }
    // Stop the shared app first, so that its shutdown output is searched too.
    await stopSuiteApp();
    const logs = context.capturedLogs();
    const values = context.sensitiveValues();
    const bytes = [...logs.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    const lines = [...logs.values()].reduce((sum, text) => sum + text.split('\n').length - 1, 0);
    const found: string[] = [];
    for (const value of values) {
      for (const [source, text] of logs) {
        const hit = forms(value).find((form) => text.includes(form));
        if (hit !== undefined) {
          const at = text.indexOf(hit);
          const line = text.slice(
            text.lastIndexOf('\n', at) + 1,
            text.indexOf('\n', at) === -1 ? undefined : text.indexOf('\n', at),
          );
          // Show where, never the value itself.
          found.push(
            `${source}: a ${value.length}-character value in: ${line.replace(hit, '«…»').slice(0, 200)}`,
          );
          break;
        }
      }
    }
    for (const line of found.slice(0, 10)) {
      context.log(`leaked: ${line}`);
    }
    return [
      {
        figure: 'log hygiene: sensitive values in the run’s logs',
        target: '0',
        measured: `${found.length} of ${values.length} values (${lines} lines, ${(bytes / 1024).toFixed(0)} KiB from ${logs.size} sources)`,
        ok: found.length === 0 && values.length > 0 && bytes > 0,
      },
    ];
  },
};

export default check;
