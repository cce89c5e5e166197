import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Baseline of the schema: the extensions later modules rely on (trigram similarity and accent
 * folding for tolerant name search and duplicate detection). Both are "trusted" extensions, so a
 * database owner without superuser rights can create them.
 */
export class Baseline1795322571037 implements MigrationInterface {
  name = 'Baseline1795322571037';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS unaccent');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP EXTENSION IF EXISTS unaccent');
    await queryRunner.query('DROP EXTENSION IF EXISTS pg_trgm');
  }
}
