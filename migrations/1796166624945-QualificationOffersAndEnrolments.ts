import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keeps `qualification_offers.seats_taken` (ZUGESAGT + LAUFEND) and `waitlisted` (WARTELISTE) in step
 * with every insert, status change and delete of an enrolment. Its UPDATE locks the offer row, and the
 * CHECK `seats_taken <= capacity` is evaluated on the row it writes: two transactions that both take
 * the last seat serialise on the row, and the second fails (23514) — the database, not the service,
 * guarantees that an offer is never overbooked.
 */
const COUNT_SEATS = `
  CREATE FUNCTION enrolments_count_seats() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    seat_delta integer := 0;
    wait_delta integer := 0;
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      seat_delta := seat_delta - (CASE WHEN OLD.status IN ('ZUGESAGT', 'LAUFEND') THEN 1 ELSE 0 END);
      wait_delta := wait_delta - (CASE WHEN OLD.status = 'WARTELISTE' THEN 1 ELSE 0 END);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      seat_delta := seat_delta + (CASE WHEN NEW.status IN ('ZUGESAGT', 'LAUFEND') THEN 1 ELSE 0 END);
      wait_delta := wait_delta + (CASE WHEN NEW.status = 'WARTELISTE' THEN 1 ELSE 0 END);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.offer_id IS DISTINCT FROM NEW.offer_id THEN
      RAISE EXCEPTION 'an enrolment cannot move to another offer' USING ERRCODE = '23514';
    END IF;
    IF seat_delta <> 0 OR wait_delta <> 0 THEN
      UPDATE qualification_offers
         SET seats_taken = seats_taken + seat_delta, waitlisted = waitlisted + wait_delta
       WHERE id = COALESCE(NEW.offer_id, OLD.offer_id);
    END IF;
    RETURN NULL;
  END
  $$`;

export class QualificationOffersAndEnrolments1796166624945 implements MigrationInterface {
  name = 'QualificationOffersAndEnrolments1796166624945';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "qualification_offers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "network_id" uuid NOT NULL,
                "title" text NOT NULL,
                "type" text NOT NULL,
                "provider_partner_id" uuid NOT NULL,
                "reference_occupations" text array NOT NULL DEFAULT '{}',
                "format" text NOT NULL,
                "delivery" text NOT NULL,
                "capacity" integer NOT NULL,
                "seats_taken" integer NOT NULL DEFAULT '0',
                "waitlisted" integer NOT NULL DEFAULT '0',
                "starts_on" date NOT NULL,
                "ends_on" date,
                "iq_funded" boolean NOT NULL DEFAULT false,
                "bundesland" text,
                "city" text,
                "description" text,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "qualification_offers_dates_check" CHECK (
                    ends_on IS NULL
                    OR ends_on >= starts_on
                ),
                CONSTRAINT "qualification_offers_waitlisted_check" CHECK (waitlisted >= 0),
                CONSTRAINT "qualification_offers_seats_check" CHECK (
                    seats_taken >= 0
                    AND seats_taken <= capacity
                ),
                CONSTRAINT "qualification_offers_capacity_check" CHECK (capacity >= 1),
                CONSTRAINT "qualification_offers_delivery_check" CHECK (delivery IN ('PRAESENZ', 'ONLINE', 'HYBRID')),
                CONSTRAINT "qualification_offers_format_check" CHECK (format IN ('KURS', 'INDIVIDUELL', 'BETRIEBLICH')),
                CONSTRAINT "qualification_offers_type_check" CHECK (
                    type IN (
                        'ANPASSUNGSLEHRGANG',
                        'VORBEREITUNG_KENNTNISPRUEFUNG',
                        'VORBEREITUNG_EIGNUNGSPRUEFUNG',
                        'ANPASSUNGSQUALIFIZIERUNG',
                        'BRUECKENMASSNAHME',
                        'VORBEREITUNG_EXTERNENPRUEFUNG',
                        'FACHSPRACHKURS',
                        'QUALIFIKATIONSANALYSE',
                        'SONSTIGE'
                    )
                ),
                CONSTRAINT "PK_6bc944644aaf523f2a3792f62b1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "qualification_offers_network_idx" ON "qualification_offers" ("network_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "qualification_offers_created_idx" ON "qualification_offers" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "enrolments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "offer_id" uuid NOT NULL,
                "client_id" uuid NOT NULL,
                "office_id" uuid NOT NULL,
                "recognition_case_id" uuid,
                "status" text NOT NULL,
                "queued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                "confirmed_on" date,
                "started_on" date,
                "ended_on" date,
                "reason" text,
                "notes" text,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "enrolments_status_check" CHECK (
                    status IN (
                        'ZUGESAGT',
                        'WARTELISTE',
                        'LAUFEND',
                        'NICHT_ANGETRETEN',
                        'ABGESCHLOSSEN_ERFOLGREICH',
                        'ABGESCHLOSSEN_OHNE_ERFOLG',
                        'ABGEBROCHEN',
                        'STORNIERT'
                    )
                ),
                CONSTRAINT "PK_6e79971fbd26967c4da9ed52770" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "enrolments_client_idx" ON "enrolments" ("client_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "enrolments_recognition_case_idx" ON "enrolments" ("recognition_case_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "enrolments_offer_queue_idx" ON "enrolments" ("offer_id", "status", "queued_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "enrolments_office_created_idx" ON "enrolments" ("office_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "enrolment_history" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enrolment_id" uuid NOT NULL,
                "from_status" text,
                "to_status" text NOT NULL,
                "occurred_on" date NOT NULL,
                "actor_id" uuid NOT NULL,
                "actor_role" text NOT NULL,
                "payload" jsonb NOT NULL DEFAULT '{}',
                "reason" text,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                CONSTRAINT "PK_7ee710c107933cfd3d7c8f6fdcf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "enrolment_history_enrolment_idx" ON "enrolment_history" ("enrolment_id", "recorded_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "qualification_offers"
            ADD CONSTRAINT "FK_d5c09b46427908b60130499b01d" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "qualification_offers"
            ADD CONSTRAINT "FK_e870e0ed3ebe888165883d61069" FOREIGN KEY ("provider_partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments"
            ADD CONSTRAINT "FK_ac9395e86cc8bc78c7876e1aa53" FOREIGN KEY ("offer_id") REFERENCES "qualification_offers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments"
            ADD CONSTRAINT "FK_0e373bf73dba152797d37d4deda" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments"
            ADD CONSTRAINT "FK_0a877874c41a328628737674f49" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments"
            ADD CONSTRAINT "FK_ae01502d39c4119857990864f99" FOREIGN KEY ("recognition_case_id") REFERENCES "recognition_cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolment_history"
            ADD CONSTRAINT "FK_2df3a15c9dd2a327f30866c3f31" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolment_history"
            ADD CONSTRAINT "FK_e8aa94b5e2482e116b5e05de06d" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "enrolments_live_uq" ON "enrolments" ("offer_id", "client_id") WHERE status IN ('WARTELISTE', 'ZUGESAGT', 'LAUFEND')`,
    );
    await queryRunner.query(COUNT_SEATS);
    await queryRunner.query(
      `CREATE TRIGGER enrolments_count_seats AFTER INSERT OR DELETE OR UPDATE OF status, offer_id ON enrolments
         FOR EACH ROW EXECUTE FUNCTION enrolments_count_seats()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER enrolments_count_seats ON enrolments');
    await queryRunner.query('DROP FUNCTION enrolments_count_seats()');
    await queryRunner.query('DROP INDEX "public"."enrolments_live_uq"');
    await queryRunner.query(`
            ALTER TABLE "enrolment_history" DROP CONSTRAINT "FK_e8aa94b5e2482e116b5e05de06d"
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolment_history" DROP CONSTRAINT "FK_2df3a15c9dd2a327f30866c3f31"
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments" DROP CONSTRAINT "FK_ae01502d39c4119857990864f99"
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments" DROP CONSTRAINT "FK_0a877874c41a328628737674f49"
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments" DROP CONSTRAINT "FK_0e373bf73dba152797d37d4deda"
        `);
    await queryRunner.query(`
            ALTER TABLE "enrolments" DROP CONSTRAINT "FK_ac9395e86cc8bc78c7876e1aa53"
        `);
    await queryRunner.query(`
            ALTER TABLE "qualification_offers" DROP CONSTRAINT "FK_e870e0ed3ebe888165883d61069"
        `);
    await queryRunner.query(`
            ALTER TABLE "qualification_offers" DROP CONSTRAINT "FK_d5c09b46427908b60130499b01d"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."enrolment_history_enrolment_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "enrolment_history"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."enrolments_office_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."enrolments_offer_queue_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."enrolments_recognition_case_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."enrolments_client_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "enrolments"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."qualification_offers_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."qualification_offers_network_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "qualification_offers"
        `);
  }
}
