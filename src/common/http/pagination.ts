import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { RequestValidationError } from '../errors/problem.error';
import { isCalendarInstant, ValidateInt, ValidateString } from './validate.decorators';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?limit=&cursor=` on every list. Extend it with the list's filters. */
export class PageQuery {
  @ValidateInt({ optional: true, query: true, min: 1, max: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  limit: number = DEFAULT_PAGE_SIZE;

  @ValidateString({
    optional: true,
    pattern: /^[A-Za-z0-9_-]{1,512}$/,
    patternMessage: 'must be a nextCursor value from a previous page',
    description: 'The `nextCursor` of the previous page.',
  })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Keyset position: the sort key and id of the last row of a page. Lists sort by (sortKey, id), so
 * pages stay stable while rows are added, and each page is an index range scan.
 */
export interface CursorKey {
  sortKey: string;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.sortKey, key.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return { sortKey: value[0], id: value[1] };
    }
  } catch {
    // reported below
  }
  throw new RequestValidationError([
    { pointer: '#/cursor', detail: 'must be a nextCursor value from a previous page' },
  ]);
}

/** A `timestamptz` column as ISO 8601 UTC with microseconds: exact, so it can serve as a keyset sort key. */
export function utcInstant(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * An instant as `utcInstant` writes it, and one that exists: a forged `2026-02-30T…` would otherwise
 * reach PostgreSQL and fail there.
 */
export function isCursorInstant(value: string): boolean {
  return CURSOR_INSTANT.test(value) && isCalendarInstant(value);
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id part of a keyset cursor: a UUID, so that a forged one cannot fail the `::uuid` cast. */
export function isCursorId(value: string): boolean {
  return UUID.test(value);
}

/**
 * The cursor of a list ordered by (a timestamptz written with `utcInstant`, id), checked so that a forged
 * one answers 400 rather than a database error.
 */
export function instantCursor(cursor: string | undefined): CursorKey | undefined {
  const key = decodeCursor(cursor);
  if (key && !(isCursorInstant(key.sortKey) && isCursorId(key.id))) {
    throw new RequestValidationError([
      { pointer: '#/cursor', detail: 'must be a nextCursor value from a previous page' },
    ]);
  }
  return key;
}

/**
 * Builds a page from rows fetched with `LIMIT limit + 1`: the extra row only tells that there is a
 * next page.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => CursorKey,
  map: (row: Row) => Item,
): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

/** Documents `{ items: Item[], nextCursor }` as the 200 response. */
export function ApiPageResponse(item: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: { type: 'string', nullable: true, example: 'WyIyMDI2LTExLTIyVDA5OjMwOjAwWiIsIjEifQ' },
        },
      },
    }),
  );
}
