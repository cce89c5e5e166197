/**
 * The contract between `npm run verify` (verify/main.ts) and its checks. Each check is a module in
 * verify/checks/ whose default export is a `VerifyCheck`; the runner finds them all, runs them one
 * after another and prints one summary table of every figure (figure, target, measured).
 */
export interface Figure {
  /** What is shown, e.g. "fuzzing: responses >= 500". */
  figure: string;
  /** The bar from shared/quality.md or the issue, e.g. "0". */
  target: string;
  /** What this run measured, e.g. "0 of 5,312". */
  measured: string;
  ok: boolean;
}

export interface VerifyContext {
  /** The run's seed (printed at the start; VERIFY_SEED fixes it). */
  readonly seed: number;
  /** Progress output for humans (stderr). */
  log(message: string): void;
  /**
   * Every process a check starts (API, worker, PostgreSQL) pipes its stdout and stderr here: the
   * log-hygiene check reads all of it at the end of the run.
   */
  captureLog(source: string, chunk: string | Buffer): void;
  /** Personal values and secrets a check sent (names, birth dates, notes, passwords, tokens, secrets): none may appear in any captured log. */
  sensitive(...values: string[]): void;
}

export interface VerifyCheck {
  /** Short name, printed as the section heading; also the order key (checks run in name order). */
  readonly name: string;
  run(context: VerifyContext): Promise<Figure[]>;
}
