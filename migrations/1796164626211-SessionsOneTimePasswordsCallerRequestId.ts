import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that access tokens belong to (so revocation ends them at once), one-time passwords set by
 * administrators, atomic sign-in limits, and the caller's X-Request-Id kept apart in the audit log.
 * Existing refresh-token families become sessions; counts of failed sign-ins start afresh.
 */
export class SessionsOneTimePasswordsCallerRequestId1796164626211 implements MigrationInterface {
  name = 'SessionsOneTimePasswordsCallerRequestId1796164626211';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"),
                CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
            )
        `);
    await queryRunner.query(`CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id")`);
    // Each refresh-token family was one sign-in; revoking revoked the whole family.
    await queryRunner.query(`
            INSERT INTO "sessions" ("id", "user_id", "created_at", "revoked_at")
            SELECT DISTINCT ON ("family_id") "family_id", "user_id",
                   min("issued_at") OVER (PARTITION BY "family_id"),
                   max("revoked_at") OVER (PARTITION BY "family_id")
              FROM "refresh_tokens"
             ORDER BY "family_id"
        `);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" RENAME COLUMN "family_id" TO "session_id"`);
    await queryRunner.query(
      `ALTER INDEX "refresh_tokens_family_id_idx" RENAME TO "refresh_tokens_session_id_idx"`,
    );
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4"`);
    await queryRunner.query(`DROP INDEX "refresh_tokens_user_id_idx"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "user_id"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "revoked_at"`);
    await queryRunner.query(`
            ALTER TABLE "refresh_tokens"
            ADD CONSTRAINT "FK_3bf308fa93da3966f9e76fcfba4" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);

    await queryRunner.query(`DROP TABLE "sign_in_failures"`);
    await queryRunner.query(`
            CREATE TABLE "sign_in_limits" (
                "key" text NOT NULL,
                "failures" integer NOT NULL,
                "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_04048f3d71a3c58b80bea30bf68" PRIMARY KEY ("key")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "sign_in_limits_window_started_at_idx" ON "sign_in_limits" ("window_started_at")`,
    );

    await queryRunner.query(
      `ALTER TABLE "users" ADD "password_change_required" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD "password_set_by_admin_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "caller_request_id" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "caller_request_id"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "password_set_by_admin_at"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "password_change_required"`);

    await queryRunner.query(`DROP TABLE "sign_in_limits"`);
    await queryRunner.query(`
            CREATE TABLE "sign_in_failures" (
                "id" BIGSERIAL NOT NULL,
                "key" text NOT NULL,
                "failed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_fa4e2048c06590424ef01bfd171" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "sign_in_failures_key_failed_at_idx" ON "sign_in_failures" ("key", "failed_at")`,
    );

    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_3bf308fa93da3966f9e76fcfba4"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD "user_id" uuid`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD "revoked_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`
            UPDATE "refresh_tokens" r SET "user_id" = s."user_id", "revoked_at" = s."revoked_at"
              FROM "sessions" s WHERE s."id" = r."session_id"
        `);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ALTER COLUMN "user_id" SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX "refresh_tokens_user_id_idx" ON "refresh_tokens" ("user_id")`);
    await queryRunner.query(`
            ALTER TABLE "refresh_tokens"
            ADD CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(
      `ALTER INDEX "refresh_tokens_session_id_idx" RENAME TO "refresh_tokens_family_id_idx"`,
    );
    await queryRunner.query(`ALTER TABLE "refresh_tokens" RENAME COLUMN "session_id" TO "family_id"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
  }
}
