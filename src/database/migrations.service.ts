import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';
import { MIGRATIONS_TABLE } from './data-source-options';

/** Any constant works; it only has to be the same for every replica of this application. */
const MIGRATION_LOCK_KEY = 0x616e6b6572;

@Injectable()
export class MigrationsService implements OnModuleInit {
  private readonly logger = new Logger(MigrationsService.name);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Migrations run at start-up, on one connection that holds an advisory lock so that replicas starting
   * together apply them once. The statement timeout for requests does not apply to migrations or to
   * waiting for the lock.
   */
  async onModuleInit(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SET statement_timeout = 0');
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const executor = new MigrationExecutor(this.dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      for (const migration of applied) {
        this.logger.log(`Applied migration ${migration.name}`);
      }
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await runner.query('RESET statement_timeout').catch(() => undefined);
      await runner.release();
    }
  }

  /** Names of migrations the code knows but the database has not applied. */
  async pendingMigrations(): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(`SELECT name FROM ${MIGRATIONS_TABLE}`);
    const applied = new Set(rows.map((row) => row.name));
    return this.dataSource.migrations
      .map((migration) => migration.name ?? migration.constructor.name)
      .filter((name) => !applied.has(name));
  }
}
