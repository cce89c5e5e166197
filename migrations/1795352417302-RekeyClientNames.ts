import type { MigrationInterface, QueryRunner } from 'typeorm';
import { nameKey } from '../src/clients/name-key';

const BATCH_SIZE = 1000;

/**
 * Recomputes `clients.name_key` after the name key learnt the Duden and passport romanisations of
 * Cyrillic, the Arabic article and vowel folding (issue 17): a key stored by the old function would
 * not meet the new key of the same name, and duplicates would go unnoticed. The key is a cache of the
 * names computed by code, so this migration — unlike the others — calls the code: on a new database
 * there are no clients and it does nothing; on an existing one it runs once, with the function of
 * its release. Erased clients have no name and keep no key.
 */
export class RekeyClientNames1795352417302 implements MigrationInterface {
  name = 'RekeyClientNames1795352417302';

  public async up(queryRunner: QueryRunner): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, first_name AS "firstName", last_name AS "lastName" FROM clients
          WHERE id > $1 AND first_name IS NOT NULL AND last_name IS NOT NULL
          ORDER BY id LIMIT ${BATCH_SIZE}`,
        [after],
      )) as { id: string; firstName: string; lastName: string }[];
      if (rows.length === 0) {
        return;
      }
      await queryRunner.query(
        `UPDATE clients c SET name_key = k.key
           FROM unnest($1::uuid[], $2::text[]) AS k(id, key)
          WHERE c.id = k.id AND c.name_key IS DISTINCT FROM k.key`,
        [rows.map((row) => row.id), rows.map((row) => nameKey(row.firstName, row.lastName))],
      );
      after = rows[rows.length - 1].id;
    }
  }

  public async down(): Promise<void> {
    // The keys of the earlier function cannot be told apart from the names any more than the new
    // ones: nothing to undo (duplicate detection keeps working with the new keys).
  }
}
