import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys are claimed in the transaction of the work they guard, so a committed key always
 * carries its response; keys left half-claimed by the old scheme are dropped. A key remembers the
 * caller's scope, which a replay must still match.
 */
export class IdempotencyScope1795350000000 implements MigrationInterface {
  name = 'IdempotencyScope1795350000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "idempotency_keys" WHERE "status" IS NULL`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ADD "scope" text NOT NULL DEFAULT ''`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "scope"`);
  }
}
