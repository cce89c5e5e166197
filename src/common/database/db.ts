import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { EntityTarget } from 'typeorm';
import { SqlTable } from './table';

/** Options of one statement. */
export interface StatementOptions {
  /**
   * Run as a named prepared statement (default): PostgreSQL parses and plans a textually stable
   * statement once per connection instead of on every request. Turn it off for statements whose
   * text varies without bound (multi-row inserts of any length).
   */
  prepared?: boolean;
}

/** Distinct statement texts remembered with their names; beyond this, statements run unnamed. */
const MAX_PREPARED_TEXTS = 2_000;

/**
 * The one way repositories talk to PostgreSQL. A statement runs in the transaction of the current
 * async context when a service method opened one (`@Transactional()` or the idempotency
 * interceptor), otherwise on the pool; no repository takes or passes a transaction handle.
 */
@Injectable()
export class Db {
  private readonly names = new Map<string, string>();
  private readonly tables = new Map<unknown, unknown>();

  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The rows a statement returns, typed at this one boundary. */
  async rows<Row extends QueryResultRow>(
    text: string,
    values: readonly unknown[] = [],
    options: StatementOptions = {},
  ): Promise<Row[]> {
    return (await this.execute<Row>(text, values, options)).rows;
  }

  /** The first row, or `undefined` when there is none. */
  async row<Row extends QueryResultRow>(
    text: string,
    values: readonly unknown[] = [],
    options: StatementOptions = {},
  ): Promise<Row | undefined> {
    return (await this.execute<Row>(text, values, options)).rows[0];
  }

  /** The number of rows a statement inserted, changed or deleted. */
  async run(text: string, values: readonly unknown[] = [], options: StatementOptions = {}): Promise<number> {
    return (await this.execute(text, values, options)).rowCount ?? 0;
  }

  /** The SQL of an entity's table (its columns declared once, by the entity). */
  table<E>(entity: EntityTarget<E>): SqlTable<E> {
    let table = this.tables.get(entity) as SqlTable<E> | undefined;
    if (!table) {
      table = new SqlTable<E>(this.dataSource.getMetadata(entity));
      this.tables.set(entity, table);
    }
    return table;
  }

  /** Runs `work` on the pool, outside the transaction of the current context (if any). */
  outsideTransaction<T>(work: () => Promise<T>): Promise<T> {
    return this.transactions.withoutTransaction(work);
  }

  /** True inside a transaction opened by a service method or the idempotency interceptor. */
  inTransaction(): boolean {
    return this.transactions.isTransactionActive();
  }

  private async execute<Row extends QueryResultRow>(
    text: string,
    values: readonly unknown[],
    options: StatementOptions,
  ) {
    const statement: QueryConfig = { text, values: values as unknown[] };
    if (options.prepared !== false) {
      const name = this.nameOf(text);
      if (name) {
        statement.name = name;
      }
    }
    return (await this.executor()).query<Row>(statement);
  }

  private async executor(): Promise<Pool | PoolClient> {
    if (this.transactions.isTransactionActive()) {
      const queryRunner = this.transactions.tx.queryRunner;
      if (queryRunner) {
        // The transaction's connection: TypeORM's query runner holds the pg client it began on.
        return (await queryRunner.connect()) as PoolClient;
      }
    }
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  private nameOf(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < MAX_PREPARED_TEXTS) {
      name = `s${createHash('sha1').update(text).digest('base64url')}`;
      this.names.set(text, name);
    }
    return name;
  }
}
