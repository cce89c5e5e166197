import { MigrationInterface, QueryRunner } from 'typeorm';

/** Clients with qualifications, consents and consultations; reference occupations. */
export class ClientsAndReferenceData1795332991101 implements MigrationInterface {
  name = 'ClientsAndReferenceData1795332991101';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "clients" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "office_id" uuid NOT NULL,
                "first_name" text,
                "last_name" text,
                "name_key" text,
                "birth_date" date,
                "email" text,
                "phone" text,
                "postal_code" text,
                "city" text,
                "gender" text NOT NULL,
                "birth_year" smallint,
                "country_of_birth" text,
                "nationalities" text array NOT NULL DEFAULT '{}',
                "residence_bundesland" text,
                "arrival_year" smallint,
                "residence_status" text,
                "german_level" text,
                "isced_level" smallint,
                "employment_status" text,
                "benefits" text array NOT NULL DEFAULT '{}',
                "access_route" text,
                "created_by" uuid,
                "erased_at" TIMESTAMP WITH TIME ZONE,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f1ab7cf3a5714dbc6bb4e1c28a4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "clients_office_birth_date_idx" ON "clients" ("office_id", "birth_date")
        `);
    await queryRunner.query(`
            CREATE INDEX "clients_office_created_idx" ON "clients" ("office_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "consents" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "client_id" uuid NOT NULL,
                "purpose" text NOT NULL,
                "partner_id" uuid,
                "partner_type" text,
                "data_categories" text array NOT NULL DEFAULT '{}',
                "given_on" date NOT NULL,
                "method" text NOT NULL,
                "expires_on" date,
                "withdrawn_at" TIMESTAMP WITH TIME ZONE,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "consents_sharing_target_check" CHECK (
                    purpose <> 'WEITERGABE_PARTNER'
                    OR (
                        (
                            partner_id IS NOT NULL
                            OR partner_type IS NOT NULL
                        )
                        AND cardinality(data_categories) > 0
                    )
                ),
                CONSTRAINT "PK_9efc68eb6aba7d638fb6ea034dd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "consents_client_idx" ON "consents" ("client_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "consultations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "client_id" uuid NOT NULL,
                "office_id" uuid NOT NULL,
                "adviser_id" uuid NOT NULL,
                "held_on" date NOT NULL,
                "duration_minutes" smallint NOT NULL,
                "channel" text NOT NULL,
                "mobile" boolean NOT NULL DEFAULT false,
                "language" text,
                "interpreter_used" boolean NOT NULL DEFAULT false,
                "kind" text NOT NULL,
                "topics" text array NOT NULL DEFAULT '{}',
                "outcomes" text array NOT NULL DEFAULT '{}',
                "next_contact_due" date,
                "notes" text,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c5b78e9424d9bc68464f6a12103" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "consultations_office_held_idx" ON "consultations" ("office_id", "held_on")
        `);
    await queryRunner.query(`
            CREATE INDEX "consultations_client_held_idx" ON "consultations" ("client_id", "held_on", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "client_qualifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "client_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "title_original" text,
                "title_de" text,
                "country" text NOT NULL,
                "year_awarded" smallint,
                "duration_months" smallint,
                "experience_months" smallint,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c3e4dcfd536fd6b0d7327a30ce2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "client_qualifications_client_idx" ON "client_qualifications" ("client_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "reference_occupations" (
                "kldb" text NOT NULL,
                "title_de" text NOT NULL,
                "title_en" text,
                "regulated" boolean NOT NULL,
                "source" text NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_bb4e31eb03a348dd5a90a0b652e" PRIMARY KEY ("kldb")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "clients"
            ADD CONSTRAINT "FK_09e05215a309c4d7d8016ccfb91" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "consents"
            ADD CONSTRAINT "FK_618e4fb7c4dc5b95a223cc9866c" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "consents"
            ADD CONSTRAINT "FK_552ee6264b648fbffb3bb547876" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations"
            ADD CONSTRAINT "FK_293d396d37d90f5987f1b5ecb9c" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations"
            ADD CONSTRAINT "FK_7b0826b533d00c4beb466dad999" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations"
            ADD CONSTRAINT "FK_ccd0d60f7e62dfce1ae96e081b9" FOREIGN KEY ("adviser_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "client_qualifications"
            ADD CONSTRAINT "FK_75b9dffcb61c1633b7d923e5339" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Indexes TypeORM cannot describe: trigram search on the normalised name and the occupation
    // title, and array containment on nationalities.
    await queryRunner.query(
      'CREATE INDEX "clients_name_key_trgm_idx" ON "clients" USING gin ("name_key" gin_trgm_ops)',
    );
    await queryRunner.query(
      'CREATE INDEX "clients_nationalities_idx" ON "clients" USING gin ("nationalities")',
    );
    await queryRunner.query(
      'CREATE INDEX "reference_occupations_title_trgm_idx" ON "reference_occupations" USING gin (lower("title_de") gin_trgm_ops)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "reference_occupations_title_trgm_idx"');
    await queryRunner.query('DROP INDEX "clients_nationalities_idx"');
    await queryRunner.query('DROP INDEX "clients_name_key_trgm_idx"');
    await queryRunner.query(`
            ALTER TABLE "client_qualifications" DROP CONSTRAINT "FK_75b9dffcb61c1633b7d923e5339"
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations" DROP CONSTRAINT "FK_ccd0d60f7e62dfce1ae96e081b9"
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations" DROP CONSTRAINT "FK_7b0826b533d00c4beb466dad999"
        `);
    await queryRunner.query(`
            ALTER TABLE "consultations" DROP CONSTRAINT "FK_293d396d37d90f5987f1b5ecb9c"
        `);
    await queryRunner.query(`
            ALTER TABLE "consents" DROP CONSTRAINT "FK_552ee6264b648fbffb3bb547876"
        `);
    await queryRunner.query(`
            ALTER TABLE "consents" DROP CONSTRAINT "FK_618e4fb7c4dc5b95a223cc9866c"
        `);
    await queryRunner.query(`
            ALTER TABLE "clients" DROP CONSTRAINT "FK_09e05215a309c4d7d8016ccfb91"
        `);
    await queryRunner.query(`
            DROP TABLE "reference_occupations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."client_qualifications_client_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "client_qualifications"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."consultations_client_held_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."consultations_office_held_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "consultations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."consents_client_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "consents"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."clients_office_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."clients_office_birth_date_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "clients"
        `);
  }
}
