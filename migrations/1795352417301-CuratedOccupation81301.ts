import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_TITLE_DE = 'Gesundheits- und Krankenpflegehelfer/in, Pflegehelfer/in';
const OLD_TITLE_EN = 'Nursing assistant';
const NEW_TITLE_DE =
  'Gesundheits- und Krankenpflegehelfer/in, Pflegefachhelfer/in (staatlich anerkannte Helferausbildung)';
const NEW_TITLE_EN = 'Nursing assistant (state-recognised training)';

/**
 * KldB 81301 was titled to include any "Pflegehelfer/in" and marked regulated; only the
 * state-recognised helper training is regulated (Land law), helper work without it needs no licence.
 * The curated row now names that training only (see `data/curated-occupations.json`). Updates the row
 * only while it is still the curated one with the old title: databases created after the correction
 * already have the new title, and a row loaded by `occupations:import` is not ours to change.
 */
export class CuratedOccupation81301_1795352417301 implements MigrationInterface {
  name = 'CuratedOccupation81301_1795352417301';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "reference_occupations" SET "title_de" = $1, "title_en" = $2, "updated_at" = now()
        WHERE "kldb" = '81301' AND "source" = 'CURATED' AND "title_de" = $3`,
      [NEW_TITLE_DE, NEW_TITLE_EN, OLD_TITLE_DE],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "reference_occupations" SET "title_de" = $1, "title_en" = $2, "updated_at" = now()
        WHERE "kldb" = '81301' AND "source" = 'CURATED' AND "title_de" = $3`,
      [OLD_TITLE_DE, OLD_TITLE_EN, NEW_TITLE_DE],
    );
  }
}
