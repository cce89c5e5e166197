import type { VerifyContext } from '../check';

/**
 * The runner's context: keeps every captured log chunk and every registered sensitive value of the
 * run, so that the log-hygiene check (which runs last) can search the whole run's output.
 */
export class RunContext implements VerifyContext {
  private readonly logs: { source: string; text: string }[] = [];
  private readonly secrets = new Set<string>();

  constructor(readonly seed: number) {}

  log(message: string): void {
    process.stderr.write(`  ${message}\n`);
  }

  captureLog(source: string, chunk: string | Buffer): void {
    this.logs.push({ source, text: typeof chunk === 'string' ? chunk : chunk.toString('utf8') });
  }

  sensitive(...values: string[]): void {
    for (const value of values) {
      if (typeof value === 'string' && value.length >= 4) {
        this.secrets.add(value);
      }
    }
  }

  /** Everything captured so far, per source. */
  capturedLogs(): ReadonlyMap<string, string> {
    const bySource = new Map<string, string>();
    for (const { source, text } of this.logs) {
      bySource.set(source, (bySource.get(source) ?? '') + text);
    }
    return bySource;
  }

  sensitiveValues(): readonly string[] {
    return [...this.secrets];
  }
}
