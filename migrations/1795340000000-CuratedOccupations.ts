import type { MigrationInterface, QueryRunner } from 'typeorm';
import curated from '../data/curated-occupations.json';

/**
 * The curated reference occupations shipped with Anker: KldB 2010 code, German and English title, and
 * whether the profession is regulated in Germany, from `data/curated-occupations.json` (which also
 * names the source of every `regulated` flag). The file is data, not code: the build copies it into
 * `dist/data/`, and the unit test reads the same file. A correction of the file therefore reaches new
 * databases here and existing ones through a later migration that updates the rows (e.g.
 * `CuratedOccupation81301`), which must leave a row it already finds correct as it is. Rows that exist
 * already (e.g. loaded by `npm run occupations:import`) are left as they are; `down` removes only the
 * curated rows.
 */
export class CuratedOccupations1795340000000 implements MigrationInterface {
  name = 'CuratedOccupations1795340000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const rows = curated.occupations;
    await queryRunner.query(
      `INSERT INTO "reference_occupations" ("kldb", "title_de", "title_en", "regulated", "source")
       SELECT kldb, title_de, title_en, regulated, 'CURATED'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS t(kldb, title_de, title_en, regulated)
       ON CONFLICT ("kldb") DO NOTHING`,
      [
        rows.map((row) => row.kldb),
        rows.map((row) => row.titleDe),
        rows.map((row) => row.titleEn),
        rows.map((row) => row.regulated),
      ],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "reference_occupations" WHERE "source" = 'CURATED'`);
  }
}
