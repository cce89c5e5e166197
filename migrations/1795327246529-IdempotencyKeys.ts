import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeys1795327246529 implements MigrationInterface {
  name = 'IdempotencyKeys1795327246529';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "idempotency_keys" (
                "principal" text NOT NULL,
                "key" text NOT NULL,
                "operation" text NOT NULL,
                "request_hash" text NOT NULL,
                "status" integer,
                "response_headers" jsonb,
                "response_body" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_574edfb9ce98100b66a0a2e0f34" PRIMARY KEY ("principal", "key")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys" ("created_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."idempotency_keys_created_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "idempotency_keys"
        `);
  }
}
