import { Injectable } from '@nestjs/common';
import type { Client } from 'pg';
import { ReportsDatabase } from './reports-database';

/** Serialises rebuilds across processes (API and `npm run worker`). */
const REFRESH_LOCK = "hashtext('anker.reports.refresh')";

export const ROLLUP_STATE_NAME = 'reports';

/** The country of a client's training: their first recorded foreign qualification. */
const FIRST_QUALIFICATION = `
  first_qualification AS (
    SELECT DISTINCT ON (q.client_id) q.client_id, q.country
      FROM client_qualifications q
     ORDER BY q.client_id, q.created_at, q.id
  )`;

/**
 * The statements that rebuild the rollups (migrations/1796220000000-ReportRollups.ts describes the
 * tables). Run in one transaction: readers see the previous rollups until it commits.
 */
const REBUILD: readonly { table: string; insert: string }[] = [
  {
    table: 'report_client_months',
    insert: `
      WITH ${FIRST_QUALIFICATION},
      months AS (
        SELECT c.client_id, c.office_id,
               date_trunc('month', c.held_on::timestamp)::date AS month,
               bit_or(1 << (extract(day FROM c.held_on)::int - 1)) AS days,
               coalesce(array_agg(extract(day FROM c.held_on)::smallint ORDER BY c.held_on)
                          FILTER (WHERE c.kind = 'ERSTBERATUNG'), '{}') AS first_days,
               coalesce(array_agg(extract(day FROM c.held_on)::smallint ORDER BY c.held_on)
                          FILTER (WHERE c.kind <> 'ERSTBERATUNG'), '{}') AS follow_days
          FROM consultations c
         WHERE c.voided_at IS NULL
         GROUP BY c.client_id, c.office_id, 3
      )
      INSERT INTO report_client_months
             (client_id, month, office_id, network_id, gender, residence_status, country_of_training,
              days, first_days, follow_days)
      SELECT m.client_id, m.month, m.office_id, o.network_id, cl.gender, cl.residence_status, fq.country,
             m.days, m.first_days, m.follow_days
        FROM months m
        JOIN clients cl ON cl.id = m.client_id
        JOIN offices o ON o.id = m.office_id
        LEFT JOIN first_qualification fq ON fq.client_id = m.client_id`,
  },
  {
    table: 'report_participants',
    insert: `
      WITH ${FIRST_QUALIFICATION},
      entries AS (
        SELECT DISTINCT ON (c.client_id) c.client_id, c.office_id, c.held_on
          FROM consultations c
         WHERE c.voided_at IS NULL AND c.kind = 'ERSTBERATUNG'
         ORDER BY c.client_id, c.held_on, c.created_at, c.id
      )
      INSERT INTO report_participants
             (client_id, office_id, network_id, entry_on, gender, residence_status, country_of_training,
              age_at_entry, employment_status, isced_level, third_country)
      SELECT e.client_id, e.office_id, o.network_id, e.held_on, cl.gender, cl.residence_status, fq.country,
             extract(year FROM e.held_on)::int - cl.birth_year,
             cl.employment_status, cl.isced_level,
             CASE
               WHEN cardinality(array_remove(cl.nationalities, 'XX')) = 0 THEN NULL
               ELSE NOT (cl.nationalities && $1::text[])
             END
        FROM entries e
        JOIN clients cl ON cl.id = e.client_id
        JOIN offices o ON o.id = e.office_id
        LEFT JOIN first_qualification fq ON fq.client_id = e.client_id`,
  },
  {
    table: 'report_cases',
    insert: `
      WITH ${FIRST_QUALIFICATION}
      INSERT INTO report_cases
             (case_id, office_id, network_id, kldb, kldb_group, country_of_training, gender, residence_status,
              regulated, fast_track, submitted_on, documents_complete_on, first_decided_on, first_outcome,
              processing_days, decision_due_on, ended_on)
      SELECT rc.id, rc.office_id, o.network_id, rc.kldb, left(rc.kldb, 2), coalesce(q.country, fq.country),
             cl.gender, cl.residence_status, rc.regulated, rc.fast_track, rc.submitted_on,
             rc.documents_complete_on, rc.first_decided_on,
             CASE WHEN rc.first_decided_on IS NULL THEN NULL
                  ELSE coalesce(first_decision.outcome,
                                CASE rc.outcome WHEN 'GLEICHWERTIG_NACH_AUSGLEICH' THEN 'AUFLAGE_AUSGLEICHSMASSNAHME'
                                                ELSE rc.outcome END)
             END,
             rc.processing_days, rc.decision_due_on,
             CASE WHEN rc.status IN ('ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET')
                  THEN coalesce(ending.occurred_on, (rc.updated_at AT TIME ZONE $1)::date) END
        FROM recognition_cases rc
        JOIN clients cl ON cl.id = rc.client_id
        JOIN offices o ON o.id = rc.office_id
        LEFT JOIN client_qualifications q ON q.id = rc.qualification_id
        LEFT JOIN first_qualification fq ON fq.client_id = rc.client_id
        LEFT JOIN LATERAL (
          SELECT h.payload ->> 'outcome' AS outcome
            FROM recognition_case_history h
           WHERE h.case_id = rc.id AND h.to_status = 'BESCHIEDEN'
           ORDER BY h.occurred_on, h.recorded_at, h.id
           LIMIT 1
        ) first_decision ON rc.first_decided_on IS NOT NULL
        LEFT JOIN LATERAL (
          SELECT h.occurred_on
            FROM recognition_case_history h
           WHERE h.case_id = rc.id AND h.to_status = rc.status
           ORDER BY h.recorded_at DESC, h.id DESC
           LIMIT 1
        ) ending ON rc.status IN ('ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET')`,
  },
  {
    table: 'report_enrolments',
    insert: `
      WITH ${FIRST_QUALIFICATION}
      INSERT INTO report_enrolments
             (enrolment_id, office_id, network_id, kldb, kldb_group, country_of_training, gender,
              residence_status, regulated, fast_track, status, started_on, ended_on)
      SELECT e.id, e.office_id, o.network_id, rc.kldb, left(rc.kldb, 2), coalesce(q.country, fq.country),
             cl.gender, cl.residence_status, rc.regulated, rc.fast_track, e.status, e.started_on, e.ended_on
        FROM enrolments e
        JOIN clients cl ON cl.id = e.client_id
        JOIN offices o ON o.id = e.office_id
        LEFT JOIN recognition_cases rc ON rc.id = e.recognition_case_id
        LEFT JOIN client_qualifications q ON q.id = rc.qualification_id
        LEFT JOIN first_qualification fq ON fq.client_id = e.client_id`,
  },
  {
    table: 'report_referrals',
    insert: `
      WITH ${FIRST_QUALIFICATION}
      INSERT INTO report_referrals
             (referral_id, office_id, network_id, partner_type, kldb, kldb_group, country_of_training, gender,
              residence_status, regulated, fast_track, sent_on, answer)
      SELECT r.id, r.office_id, o.network_id, p.type, rc.kldb, left(rc.kldb, 2), coalesce(q.country, fq.country),
             cl.gender, cl.residence_status, rc.regulated, rc.fast_track, r.sent_on,
             CASE
               WHEN r.status IN ('ANGENOMMEN', 'ERLEDIGT') THEN 'ACCEPTED'
               WHEN r.status = 'STORNIERT' AND r.answered_on IS NOT NULL THEN 'ACCEPTED'
               WHEN r.status = 'ABGELEHNT' THEN 'DECLINED'
               WHEN r.status = 'ABGELAUFEN' THEN 'EXPIRED'
               WHEN r.status = 'STORNIERT' THEN 'CANCELLED'
               ELSE 'OPEN'
             END
        FROM referrals r
        JOIN partners p ON p.id = r.partner_id
        JOIN clients cl ON cl.id = r.client_id
        JOIN offices o ON o.id = r.office_id
        LEFT JOIN recognition_cases rc ON rc.id = r.recognition_case_id
        LEFT JOIN client_qualifications q ON q.id = rc.qualification_id
        LEFT JOIN first_qualification fq ON fq.client_id = r.client_id`,
  },
];

export interface RollupState {
  refreshedAt: string;
  durationMs: number;
  rowCount: number;
}

/** The rollups' queries: rebuilding them (on the primary) and reading when they were rebuilt. */
@Injectable()
export class ReportRollupsRepository {
  constructor(private readonly database: ReportsDatabase) {}

  /**
   * Rebuilds every rollup in one transaction. `undefined` when another process is rebuilding them
   * right now (its result will be as fresh).
   */
  async rebuild(input: {
    euMemberStates: readonly string[];
    timeZone: string;
    onStep?: (table: string, rows: number) => void;
  }): Promise<RollupState | undefined> {
    return this.database.onPrimary(async (client: Client) => {
      const started = Date.now();
      const lock = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_xact_lock(${REFRESH_LOCK}) AS locked`,
      );
      if (!lock.rows[0].locked) {
        return undefined;
      }
      // A national rebuild takes longer than an API statement may.
      await client.query("SET LOCAL statement_timeout = '30min'");
      let rowCount = 0;
      for (const { table, insert } of REBUILD) {
        await client.query(`DELETE FROM ${table}`);
        const values: unknown[] =
          table === 'report_participants'
            ? [[...input.euMemberStates]]
            : table === 'report_cases'
              ? [input.timeZone]
              : [];
        const result = await client.query(insert, values);
        rowCount += result.rowCount ?? 0;
        input.onStep?.(table, result.rowCount ?? 0);
      }
      const state = await client.query<{ refreshedAt: string }>(
        `INSERT INTO report_rollup_state (name, refreshed_at, duration_ms, row_count)
         VALUES ($1, now(), $2, $3)
         ON CONFLICT (name) DO UPDATE
            SET refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms, row_count = excluded.row_count
         RETURNING to_char(refreshed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "refreshedAt"`,
        [ROLLUP_STATE_NAME, Date.now() - started, rowCount],
      );
      for (const { table } of REBUILD) {
        await client.query(`ANALYZE ${table}`).catch(() => undefined);
      }
      return { refreshedAt: state.rows[0].refreshedAt, durationMs: Date.now() - started, rowCount };
    });
  }

  /** When the rollups were last rebuilt (the snapshot's start), or `undefined` before the first rebuild. */
  async state(): Promise<RollupState | undefined> {
    const rows = await this.database.rows<RollupState>(
      `SELECT to_char(refreshed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "refreshedAt",
              duration_ms AS "durationMs", row_count::float8 AS "rowCount"
         FROM report_rollup_state WHERE name = $1`,
      [ROLLUP_STATE_NAME],
    );
    return rows[0];
  }
}
