import type { EntityMetadata } from 'typeorm';
import { utcInstant } from '../http/pagination';
import { SqlParameters } from '../sql';

type Column<E> = { [K in keyof E]-?: undefined extends E[K] ? never : K }[keyof E];

/**
 * A table's row as `SELECT ${table.columns}` returns it: every column of the entity (relations left
 * out) under its property name, dates as `YYYY-MM-DD` and instants as ISO 8601 UTC strings with
 * microseconds. The entity is the one declaration of a table's columns.
 */
export type RowOf<E> = {
  [K in Column<E>]: E[K] extends Date ? string : E[K] extends Date | null ? string | null : E[K];
};

/** Members to write: any subset of the columns (`undefined` members are left out). */
export type ValuesOf<E, Omitted extends keyof RowOf<E> = never> = Partial<Omit<RowOf<E>, Omitted>>;

interface ColumnSpec {
  property: string;
  column: string;
  /** jsonb/json: values travel as JSON text (pg would send a JS array as a PostgreSQL array). */
  json: boolean;
  /** The select expression, aliased to the property name. */
  select: string;
}

/** The SQL of one table, derived from its TypeORM entity metadata. */
export class SqlTable<E> {
  readonly name: string;
  private readonly specs: ColumnSpec[];
  private readonly byProperty: Map<string, ColumnSpec>;
  private readonly selects = new Map<string, string>();

  constructor(metadata: EntityMetadata) {
    this.name = metadata.tableName;
    // Explicit foreign-key columns (`officeId` beside the relation `office`) are columns of their own;
    // implicit join columns (no property) are not.
    this.specs = metadata.columns
      .filter((column) => !column.isVirtual && !column.isVirtualProperty)
      .map((column) => {
        const name = column.databaseName;
        const type = typeof column.type === 'string' ? column.type : '';
        const expression =
          type === 'date'
            ? `to_char(%s${name}, 'YYYY-MM-DD')`
            : type === 'timestamptz' || type === 'timestamp with time zone'
              ? utcInstant(`%s${name}`)
              : type === 'numeric' || type === 'decimal'
                ? `%s${name}::float8` // pg returns numeric as text
                : `%s${name}`;
        return {
          property: column.propertyName,
          column: name,
          json: type === 'jsonb' || type === 'json',
          select: `${expression} AS "${column.propertyName}"`,
        };
      });
    this.byProperty = new Map(this.specs.map((spec) => [spec.property, spec]));
  }

  /** The select list of every column (optionally qualified by a table alias, without some columns). */
  columns(alias?: string, without: readonly Column<E>[] = []): string {
    const cacheKey = `${alias ?? ''}|${without.join(',')}`;
    let list = this.selects.get(cacheKey);
    if (list === undefined) {
      const prefix = alias ? `${alias}.` : '';
      list = this.specs
        .filter((spec) => !without.includes(spec.property as Column<E>))
        .map((spec) => spec.select.replace('%s', prefix))
        .join(', ');
      this.selects.set(cacheKey, list);
    }
    return list;
  }

  /** The database name of a property's column. */
  column(property: Column<E>): string {
    const spec = this.byProperty.get(property as string);
    if (!spec) {
      throw new Error(`${this.name} has no column for ${String(property)}`);
    }
    return spec.column;
  }

  /** `column = $n` for every member of `changes` that is not `undefined`. */
  assignments(changes: Partial<RowOf<E>>, parameters: SqlParameters): string[] {
    return this.present(changes).map(([column, value]) => `${column} = ${parameters.bind(value)}`);
  }

  /**
   * `INSERT INTO … (…) VALUES (…) RETURNING …` for the members that are not `undefined`; returns every
   * column unless `returning` names others (e.g. `columns(undefined, ['secretHash'])`).
   */
  insert(values: Partial<RowOf<E>>, parameters: SqlParameters, returning = this.columns()): string {
    const present = this.present(values);
    const columns = present.map(([column]) => column).join(', ');
    const placeholders = present.map(([, value]) => parameters.bind(value)).join(', ');
    return present.length === 0
      ? `INSERT INTO ${this.name} DEFAULT VALUES RETURNING ${returning}`
      : `INSERT INTO ${this.name} (${columns}) VALUES (${placeholders}) RETURNING ${returning}`;
  }

  /**
   * `UPDATE … SET <changes>, version = version + 1, updated_at = now() WHERE <where> AND version = $n
   * RETURNING …`: the optimistic-concurrency update (no row: gone or changed meanwhile).
   */
  versionedUpdate(
    changes: Partial<RowOf<E>>,
    where: Partial<Record<Column<E>, unknown>>,
    expectedVersion: number,
    parameters: SqlParameters,
    returning = this.columns(),
  ): string {
    const sets = [...this.assignments(changes, parameters), 'version = version + 1'];
    if (this.byProperty.has('updatedAt')) {
      sets.push('updated_at = now()');
    }
    const conditions = this.present(where).map(([column, value]) => `${column} = ${parameters.bind(value)}`);
    conditions.push(`version = ${parameters.bind(expectedVersion)}`);
    return `UPDATE ${this.name} SET ${sets.join(', ')} WHERE ${conditions.join(' AND ')} RETURNING ${returning}`;
  }

  private present(values: Partial<RowOf<E>> | Partial<Record<Column<E>, unknown>>): [string, unknown][] {
    return Object.entries(values).flatMap(([property, value]): [string, unknown][] => {
      if (value === undefined) {
        return [];
      }
      const spec = this.byProperty.get(property);
      if (!spec) {
        throw new Error(`${this.name} has no column for ${property}`);
      }
      return [[spec.column, spec.json && value !== null ? JSON.stringify(value) : value]];
    });
  }
}

/** One key of a keyset: a column expression, the last row's value and its SQL type. */
export interface KeysetPart {
  expression: string;
  value: unknown;
  type: 'date' | 'timestamptz' | 'uuid' | 'text' | 'integer';
}

/**
 * The condition "after the last row shown" for a list ordered by `parts` (all in one direction),
 * e.g. `(held_on, created_at, id) < ($2::date, $3::timestamptz, $4::uuid)` for a newest-first list.
 */
export function keysetAfter(
  parts: readonly KeysetPart[],
  direction: 'ASC' | 'DESC',
  parameters: SqlParameters,
): string {
  const columns = parts.map((part) => part.expression).join(', ');
  const values = parts.map((part) => `${parameters.bind(part.value)}::${part.type}`).join(', ');
  return `(${columns}) ${direction === 'DESC' ? '<' : '>'} (${values})`;
}

/** The keyset condition of the lists ordered by (created_at, id), the most common order. */
export function createdAtKeyset(
  after: { sortKey: string; id: string },
  direction: 'ASC' | 'DESC',
  parameters: SqlParameters,
  alias?: string,
): string {
  const prefix = alias ? `${alias}.` : '';
  return keysetAfter(
    [
      { expression: `${prefix}created_at`, value: after.sortKey, type: 'timestamptz' },
      { expression: `${prefix}id`, value: after.id, type: 'uuid' },
    ],
    direction,
    parameters,
  );
}

/** `ORDER BY a DESC, b DESC … LIMIT $n` fetching one row more than a page (it tells there is a next page). */
export function orderAndLimit(
  expressions: readonly string[],
  direction: 'ASC' | 'DESC',
  limit: number,
  parameters: SqlParameters,
): string {
  return `ORDER BY ${expressions.map((expression) => `${expression} ${direction}`).join(', ')} LIMIT ${parameters.bind(limit + 1)}`;
}

/**
 * One page of a status history (recognition cases, enrolments, referrals), oldest first: the rows of
 * `table` whose `ownerColumn` is `ownerId`, keyset on (recorded_at, id), fetching `limit + 1` rows.
 */
export function historyPage<E>(
  table: SqlTable<E>,
  ownerColumn: string,
  ownerId: string,
  after: { sortKey: string; id: string } | undefined,
  limit: number,
): { text: string; values: unknown[] } {
  const parameters = new SqlParameters();
  const conditions = [`${ownerColumn} = ${parameters.bind(ownerId)}`];
  if (after) {
    conditions.push(
      keysetAfter(
        [
          { expression: 'recorded_at', value: after.sortKey, type: 'timestamptz' },
          { expression: 'id', value: after.id, type: 'uuid' },
        ],
        'ASC',
        parameters,
      ),
    );
  }
  return {
    text: `SELECT ${table.columns()} FROM ${table.name} WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['recorded_at', 'id'], 'ASC', limit, parameters)}`,
    values: parameters.values,
  };
}
