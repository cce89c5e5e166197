import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisation, partners and their API clients, refresh tokens, sign-in failures and the append-only
 * audit log (a trigger rejects UPDATE, DELETE and TRUNCATE on audit_events).
 */

export class AuditAndIdentity1795324429936 implements MigrationInterface {
  name = 'AuditAndIdentity1795324429936';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                "actor_kind" text NOT NULL,
                "actor_id" uuid,
                "role" text,
                "office_id" uuid,
                "network_id" uuid,
                "partner_id" uuid,
                "api_client_id" text,
                "action" text NOT NULL,
                "resource_type" text NOT NULL,
                "resource_id" text,
                "client_id" uuid,
                "request_id" uuid,
                "outcome" text NOT NULL,
                CONSTRAINT "audit_events_outcome_check" CHECK (outcome IN ('SUCCESS', 'FAILURE', 'DENIED')),
                CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_client_idx" ON "audit_events" ("client_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_resource_idx" ON "audit_events" ("resource_type", "resource_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_actor_idx" ON "audit_events" ("actor_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" ("occurred_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "networks" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "bundeslaender" text array NOT NULL DEFAULT '{}',
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_b340a763309cd7b7f7ab0d12a27" UNIQUE ("name"),
                CONSTRAINT "PK_61b1ee921bf79550d9d4742b9f7" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "offices" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "network_id" uuid NOT NULL,
                "name" text NOT NULL,
                "bundesland" text NOT NULL,
                "mobile" boolean NOT NULL DEFAULT false,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "offices_network_name_key" UNIQUE ("network_id", "name"),
                CONSTRAINT "PK_1ea41502c6dddcec44ad9fcbbb3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "offices_network_id_idx" ON "offices" ("network_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" text NOT NULL,
                "display_name" text NOT NULL,
                "role" text NOT NULL,
                "office_id" uuid,
                "network_id" uuid,
                "password_hash" text NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "deactivated_at" TIMESTAMP WITH TIME ZONE,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"),
                CONSTRAINT "users_role_scope_check" CHECK (
                    (
                        role <> 'ADVISER'
                        OR office_id IS NOT NULL
                    )
                    AND (
                        role <> 'COORDINATOR'
                        OR network_id IS NOT NULL
                    )
                ),
                CONSTRAINT "users_role_check" CHECK (role IN ('ADMIN', 'COORDINATOR', 'ADVISER')),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "users_office_id_idx" ON "users" ("office_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "users_network_id_idx" ON "users" ("network_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "refresh_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "family_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "token_hash" text NOT NULL,
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"),
                CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "refresh_tokens_family_id_idx" ON "refresh_tokens" ("family_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "refresh_tokens_user_id_idx" ON "refresh_tokens" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "sign_in_failures" (
                "id" BIGSERIAL NOT NULL,
                "key" text NOT NULL,
                "failed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_fa4e2048c06590424ef01bfd171" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "sign_in_failures_key_failed_at_idx" ON "sign_in_failures" ("key", "failed_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "partners" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "type" text NOT NULL,
                "bundesland" text,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "partners_type_check" CHECK (
                    type IN (
                        'JOBCENTER',
                        'AGENTUR_FUER_ARBEIT',
                        'KAMMER',
                        'ANERKENNUNGSSTELLE',
                        'ZAB',
                        'BILDUNGSTRAEGER',
                        'AUSLAENDERBEHOERDE',
                        'MIGRATIONSBERATUNG',
                        'ARBEITGEBER',
                        'SONSTIGE'
                    )
                ),
                CONSTRAINT "PK_998645b20820e4ab99aeae03b41" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "api_clients" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "partner_id" uuid NOT NULL,
                "client_id" text NOT NULL,
                "secret_hash" text NOT NULL,
                "name" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "UQ_2cc528aa877e26788808e581855" UNIQUE ("client_id"),
                CONSTRAINT "PK_ef2d5ef0eb5e9a6ddc67cfa310e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "api_clients_partner_id_idx" ON "api_clients" ("partner_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "offices"
            ADD CONSTRAINT "FK_b56b20cd1b00d148224e1a87fef" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "FK_6b31546fc92b0d7344f032d0447" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "FK_3aa3456c015cd800a734f522d27" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_tokens"
            ADD CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "api_clients"
            ADD CONSTRAINT "FK_e511d411378f1dcdeb63d2c9fd1" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON "audit_events"
            FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_events_no_truncate ON "audit_events"`);
    await queryRunner.query(`DROP TRIGGER audit_events_no_update_delete ON "audit_events"`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query(`
            ALTER TABLE "api_clients" DROP CONSTRAINT "FK_e511d411378f1dcdeb63d2c9fd1"
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "FK_3aa3456c015cd800a734f522d27"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "FK_6b31546fc92b0d7344f032d0447"
        `);
    await queryRunner.query(`
            ALTER TABLE "offices" DROP CONSTRAINT "FK_b56b20cd1b00d148224e1a87fef"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."api_clients_partner_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "api_clients"
        `);
    await queryRunner.query(`
            DROP TABLE "partners"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."sign_in_failures_key_failed_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "sign_in_failures"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refresh_tokens_user_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refresh_tokens_family_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "refresh_tokens"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."users_network_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."users_office_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."offices_network_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "offices"
        `);
    await queryRunner.query(`
            DROP TABLE "networks"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_occurred_at_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_actor_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_resource_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_client_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_events"
        `);
  }
}
