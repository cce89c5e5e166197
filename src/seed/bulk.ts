import type { ClientBase } from 'pg';

/**
 * One connection, statements strictly one after the other: the inserters of several tables share it
 * and chain their batches here (pg refuses overlapping queries on one client from v9 on).
 */
export class SerialConnection {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly client: ClientBase) {}

  query(sql: string, values: unknown[]): Promise<unknown> {
    const result = this.tail.then(() => this.client.query(sql, values));
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** A column of a bulk insert and its PostgreSQL type (`text[]` and `jsonb` travel as text). */
export type ColumnSpec = readonly [name: string, type: string];

/**
 * One value per column, in the order of the specs: strings (dates and timestamps as ISO text),
 * numbers, booleans or null; arrays for `text[]`, objects for `jsonb`.
 */
export type RowValues = unknown[];

const BATCH_ROWS = 5_000;

/** An array element in double quotes, `"` and `\` escaped (checked first: they are rare). */
function quoted(text: string): string {
  return `"${/["\\]/.test(text) ? text.replace(/["\\]/g, '\\$&') : text}"`;
}

/** `{A,B}` for a text[] parameter that unnest keeps as one text element. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map(quoted).join(',')}}`;
}

/**
 * A column's batch as one array literal: what pg would make of the JS array, built here because
 * pg's conversion (two regular-expression replaces per element) was a hot spot of the seed.
 */
function columnLiteral(values: readonly unknown[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) {
      literal += ',';
    }
    literal += value === null ? 'NULL' : quoted(elementText(value));
  }
  return `${literal}}`;
}

function elementText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw new Error(`A bulk insert value must be text, a number or a boolean, not ${typeof value}`);
}

/**
 * Writes rows into a table with multi-row `INSERT … SELECT FROM unnest($1::uuid[], …)` statements of a
 * few thousand rows each (one round trip and one plan per batch: nearly as fast as COPY). Inserts run
 * one after the other on the seed's connection while the caller builds the next batch.
 */
export class BulkInserter {
  private readonly sql: string;
  private readonly columns: (unknown[] | null)[];
  private buffered = 0;
  private pending: Promise<unknown> = Promise.resolve();
  inserted = 0;

  constructor(
    private readonly connection: SerialConnection,
    readonly table: string,
    private readonly specs: readonly ColumnSpec[],
    private readonly onFlush: (rows: number) => void = () => undefined,
    /** Tables this one references: their buffered rows are sent first (foreign keys). */
    private readonly parents: readonly BulkInserter[] = [],
  ) {
    const parameters = specs.map(([, type], index) => {
      const travel = type.endsWith('[]') || type === 'jsonb' ? 'text' : type;
      return `$${index + 1}::${travel}[]`;
    });
    const selected = specs.map(([name, type]) =>
      type.endsWith('[]') || type === 'jsonb' ? `u.${name}::${type}` : `u.${name}`,
    );
    this.sql =
      `INSERT INTO ${table} (${specs.map(([name]) => name).join(', ')}) ` +
      `SELECT ${selected.join(', ')} FROM unnest(${parameters.join(', ')}) AS u(${specs.map(([name]) => name).join(', ')})`;
    this.columns = specs.map(() => []);
  }

  /** Adds a row; flushes a full batch in the background (awaits the one before it first). */
  async add(row: RowValues): Promise<void> {
    for (let index = 0; index < this.specs.length; index += 1) {
      const type = this.specs[index][1];
      const value = row[index];
      (this.columns[index] as unknown[]).push(
        value === null || value === undefined
          ? null
          : type.endsWith('[]')
            ? arrayLiteral(value as string[])
            : type === 'jsonb'
              ? JSON.stringify(value)
              : value,
      );
    }
    this.buffered += 1;
    if (this.buffered >= BATCH_ROWS) {
      await this.flush();
    }
  }

  /** Sends what is buffered; the previous batch must have finished (one connection, in order). */
  async flush(): Promise<void> {
    await this.pending;
    if (this.buffered === 0) {
      return;
    }
    for (const parent of this.parents) {
      await parent.flush();
    }
    const values = this.columns.map((column) => columnLiteral(column as unknown[]));
    const rows = this.buffered;
    for (let index = 0; index < this.columns.length; index += 1) {
      this.columns[index] = [];
    }
    this.buffered = 0;
    const sent = this.connection.query(this.sql, values).then(() => {
      this.inserted += rows;
      this.onFlush(rows);
    });
    // Handled here so that a failure between two flushes is not "unhandled"; the next await rethrows it.
    sent.catch(() => undefined);
    this.pending = sent;
  }

  /** Sends the rest and waits for every batch. */
  async finish(): Promise<void> {
    await this.flush();
    await this.pending;
  }
}
