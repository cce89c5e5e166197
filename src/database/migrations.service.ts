import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MIGRATIONS_TABLE } from './data-source-options';

/**
 * Migrations are applied at start-up, as the owner, before the API's pool opens (database-roles.ts);
 * this service only tells the readiness check what is still missing.
 */
@Injectable()
export class MigrationsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Names of migrations the code knows but the database has not applied. */
  async pendingMigrations(): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(`SELECT name FROM ${MIGRATIONS_TABLE}`);
    const applied = new Set(rows.map((row) => row.name));
    return this.dataSource.migrations
      .map((migration) => migration.name ?? migration.constructor.name)
      .filter((name) => !applied.has(name));
  }
}
