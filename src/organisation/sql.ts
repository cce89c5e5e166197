import { RequestValidationError } from '../common/errors/problem.error';
import { decodeCursor, type CursorKey } from '../common/http/pagination';

/** A `timestamptz` column as ISO 8601 UTC with microseconds: exact, so it can serve as a keyset sort key. */
export function utcInstant(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The cursor of a list ordered by (created_at, id), checked so that a forged one answers 400 rather
 * than a database error.
 */
export function createdAtCursor(cursor: string | undefined): CursorKey | undefined {
  const key = decodeCursor(cursor);
  if (
    key &&
    !(CURSOR_INSTANT.test(key.sortKey) && !Number.isNaN(Date.parse(key.sortKey)) && UUID.test(key.id))
  ) {
    throw new RequestValidationError([
      { pointer: '#/cursor', detail: 'must be a nextCursor value from a previous page' },
    ]);
  }
  return key;
}

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
