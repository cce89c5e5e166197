import { RequestValidationError } from './errors/problem.error';

/** Collects positional parameters while a statement is put together. */
export class SqlParameters {
  readonly values: unknown[] = [];

  /** Adds a value and answers its placeholder (`$3`). */
  bind(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * `column = $n` for each member of `changes` that is not `undefined`, through a fixed map from
 * member to column (column names never come from the request).
 */
export function assignments<T extends object>(
  changes: T,
  columns: { [K in keyof T]-?: string },
  parameters: SqlParameters,
): string[] {
  return (Object.keys(columns) as (keyof T)[])
    .filter((key) => changes[key] !== undefined)
    .map((key) => `${columns[key]} = ${parameters.bind(changes[key])}`);
}

/** Every member `undefined`: a PATCH that would change nothing. */
export function isEmptyChange(changes: object): boolean {
  return Object.values(changes).every((value) => value === undefined);
}

/** The error for a PATCH body without any member. */
export function emptyPatchError(): RequestValidationError {
  return new RequestValidationError([{ pointer: '#', detail: 'must change at least one field' }]);
}
