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

/** Every member `undefined`: a PATCH that would change nothing. */
export function isEmptyChange(changes: object): boolean {
  return Object.values(changes).every((value) => value === undefined);
}

/** The error for a PATCH body without any member. */
export function emptyPatchError(): RequestValidationError {
  return new RequestValidationError([{ pointer: '#', detail: 'must change at least one field' }]);
}
