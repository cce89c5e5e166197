import { Injectable } from '@nestjs/common';
import type { Client } from 'pg';
import { PARTNER_TYPES } from '../partners/partner-types';
import { DECISION_OUTCOME_COLUMNS, referralTypeColumn } from './report-table';
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

/** The column of `report_office_months` holding a measure: decidedFullEquivalence → decided_full_equivalence. */
export function officeMonthColumn(measure: string): string {
  return measure.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

const MONTH = (date: string) => `date_trunc('month', ${date}::timestamp)::date`;

/**
 * The office-month rollup (the fast path of the caseload report), summed up from the fine rollups
 * just rebuilt: every measure per office and month of its event date, stocks at the end of every
 * month up to $1 (the last month that had ended), the processing days of first decisions as a list.
 */
const OFFICE_MONTHS = {
  table: 'report_office_months',
  insert: `
    WITH consulted AS (
      -- One row per client, month and office (the key): counting rows counts distinct clients.
      SELECT office_id, month, count(*) AS clients_counselled,
             sum(cardinality(first_days)) AS consultations_first,
             sum(cardinality(follow_days)) AS consultations_follow_up
        FROM report_client_months GROUP BY 1, 2
    ),
    entered AS (
      SELECT office_id, ${MONTH('entry_on')} AS month, count(*) AS new_clients
        FROM report_participants GROUP BY 1, 2
    ),
    opened AS (
      SELECT office_id, ${MONTH('submitted_on')} AS month, count(*) AS cases_opened
        FROM report_cases WHERE submitted_on IS NOT NULL GROUP BY 1, 2
    ),
    decided AS (
      SELECT office_id, ${MONTH('first_decided_on')} AS month, count(*) AS cases_decided,
             ${DECISION_OUTCOME_COLUMNS.map(
               ([key, outcome]) =>
                 `count(*) FILTER (WHERE first_outcome = '${outcome}') AS ${officeMonthColumn(key)}`,
             ).join(',\n             ')},
             coalesce(array_agg(processing_days ORDER BY processing_days)
                        FILTER (WHERE processing_days IS NOT NULL), '{}') AS processing_days
        FROM report_cases WHERE first_decided_on IS NOT NULL GROUP BY 1, 2
    ),
    stock AS (
      -- Overdue at a past month end by today's due date: later steps never move a due date across a
      -- day already past (src/recognition/deadlines-hindsight.spec.ts), so it is the one that applied.
      SELECT r.office_id, m.month, count(*) AS cases_open_at_end,
             count(*) FILTER (WHERE r.documents_complete_on <= m.as_of AND r.decision_due_on < m.as_of)
               AS cases_overdue_at_end
        FROM report_cases r
        CROSS JOIN LATERAL (
          SELECT s::date AS month, (s + interval '1 month' - interval '1 day')::date AS as_of
            FROM generate_series(date_trunc('month', r.submitted_on::timestamp),
                                 date_trunc('month', least(r.first_decided_on, r.ended_on, $1::date)::timestamp),
                                 interval '1 month') s
        ) m
       WHERE r.submitted_on <= m.as_of AND m.as_of <= $1::date
         AND (r.first_decided_on IS NULL OR r.first_decided_on > m.as_of)
         AND (r.ended_on IS NULL OR r.ended_on > m.as_of)
       GROUP BY 1, 2
    ),
    started AS (
      SELECT office_id, ${MONTH('started_on')} AS month, count(*) AS enrolments_started
        FROM report_enrolments WHERE started_on IS NOT NULL GROUP BY 1, 2
    ),
    ended AS (
      SELECT office_id, ${MONTH('ended_on')} AS month,
             count(*) FILTER (WHERE status = 'ABGESCHLOSSEN_ERFOLGREICH') AS enrolments_completed,
             count(*) FILTER (WHERE status = 'ABGESCHLOSSEN_OHNE_ERFOLG') AS enrolments_failed,
             count(*) FILTER (WHERE status = 'ABGEBROCHEN') AS enrolments_dropped
        FROM report_enrolments
       WHERE ended_on IS NOT NULL
         AND status IN ('ABGESCHLOSSEN_ERFOLGREICH', 'ABGESCHLOSSEN_OHNE_ERFOLG', 'ABGEBROCHEN')
       GROUP BY 1, 2
    ),
    referred AS (
      SELECT office_id, ${MONTH('sent_on')} AS month, count(*) AS referrals_sent,
             ${PARTNER_TYPES.map(
               (type) =>
                 `count(*) FILTER (WHERE partner_type = '${type}') AS ${officeMonthColumn(referralTypeColumn(type))}`,
             ).join(',\n             ')},
             count(*) FILTER (WHERE answer = 'ACCEPTED') AS referrals_accepted,
             count(*) FILTER (WHERE answer = 'DECLINED') AS referrals_declined,
             count(*) FILTER (WHERE answer = 'EXPIRED') AS referrals_expired
        FROM report_referrals GROUP BY 1, 2
    ),
    keys AS (
      SELECT office_id, month FROM consulted UNION SELECT office_id, month FROM entered
      UNION SELECT office_id, month FROM opened UNION SELECT office_id, month FROM decided
      UNION SELECT office_id, month FROM stock UNION SELECT office_id, month FROM started
      UNION SELECT office_id, month FROM ended UNION SELECT office_id, month FROM referred
    )
    INSERT INTO report_office_months
    SELECT k.office_id, k.month, o.network_id,
           coalesce(consulted.clients_counselled, 0), coalesce(consulted.consultations_first, 0),
           coalesce(consulted.consultations_follow_up, 0), coalesce(entered.new_clients, 0),
           coalesce(opened.cases_opened, 0), coalesce(decided.cases_decided, 0),
           ${DECISION_OUTCOME_COLUMNS.map(([key]) => `coalesce(decided.${officeMonthColumn(key)}, 0)`).join(', ')},
           coalesce(decided.processing_days, '{}'),
           coalesce(stock.cases_open_at_end, 0), coalesce(stock.cases_overdue_at_end, 0),
           coalesce(started.enrolments_started, 0), coalesce(ended.enrolments_completed, 0),
           coalesce(ended.enrolments_failed, 0), coalesce(ended.enrolments_dropped, 0),
           coalesce(referred.referrals_sent, 0),
           ${PARTNER_TYPES.map((type) => `coalesce(referred.${officeMonthColumn(referralTypeColumn(type))}, 0)`).join(', ')},
           coalesce(referred.referrals_accepted, 0), coalesce(referred.referrals_declined, 0),
           coalesce(referred.referrals_expired, 0)
      FROM keys k
      JOIN offices o ON o.id = k.office_id
      LEFT JOIN consulted USING (office_id, month)
      LEFT JOIN entered USING (office_id, month)
      LEFT JOIN opened USING (office_id, month)
      LEFT JOIN decided USING (office_id, month)
      LEFT JOIN stock USING (office_id, month)
      LEFT JOIN started USING (office_id, month)
      LEFT JOIN ended USING (office_id, month)
      LEFT JOIN referred USING (office_id, month)`,
};

const STATE_QUERY = `
  SELECT to_char(refreshed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "refreshedAt",
         duration_ms AS "durationMs", row_count::float8 AS "rowCount",
         to_char(stock_through, 'YYYY-MM-DD') AS "stockThrough", source_changes::text AS "sourceChanges"
    FROM report_rollup_state WHERE name = $1`;

export interface RollupState {
  refreshedAt: string;
  durationMs: number;
  rowCount: number;
  /** The last day of the last month whose month-end stocks the office-month rollup holds. */
  stockThrough: string | null;
  /** The source tables' change count when the rebuild started (see SOURCE_CHANGES); null if untracked. */
  sourceChanges: string | null;
}

/** What a rebuild answers: the state after it, or the last one's (`unchanged`) when it was skipped. */
export type RebuildOutcome = RollupState & { unchanged?: true };

/**
 * Tables whose rows never reach the rollups (sign-in, idempotency, audit, jobs, webhooks, retention
 * runs, the rollups themselves). Every other table of the schema counts as a source, so a table a
 * future rollup reads can never be missed: at worst a rebuild is not skipped.
 */
const NOT_ROLLUP_SOURCES = [
  'api_clients',
  'audit_events',
  'idempotency_keys',
  'job_schedule_ticks',
  'refresh_tokens',
  'retention_runs',
  'sessions',
  'sign_in_failures',
  'sign_in_limits',
  'webhook_attempts',
  'webhook_deliveries',
  'webhook_messages',
  'webhook_subscriptions',
];

/**
 * Rows inserted, updated and deleted in the source tables since the statistics began (PostgreSQL's
 * cumulative counters, which also count rolled-back changes: at worst a rebuild too many). A backend
 * reports its counts within seconds of going idle (at most a minute when busy), so a change made just
 * before a check may wait for the next scheduled rebuild. `tracked` is false when `track_counts` is off.
 */
const SOURCE_CHANGES = `
  SELECT current_setting('track_counts')::boolean AS tracked,
         coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::text AS changes
    FROM pg_stat_user_tables
   WHERE schemaname = current_schema() AND relname NOT LIKE 'report\\_%' AND relname <> ALL($1::text[])`;

/** The rollups' queries: rebuilding them (on the primary) and reading when they were rebuilt. */
@Injectable()
export class ReportRollupsRepository {
  constructor(private readonly database: ReportsDatabase) {}

  /**
   * Rebuilds every rollup in one transaction. `undefined` when another process is rebuilding them
   * right now (its result will be as fresh).
   *
   * `ifNeverBuilt` is for a report asked for before the first rebuild: it waits for a rebuild another
   * process is running (within the pool's statement timeout) and answers that one's result, and builds
   * only when no rebuild has been made yet.
   */
  async rebuild(input: {
    euMemberStates: readonly string[];
    timeZone: string;
    /** Today (Berlin): the office-month rollup holds month-end stocks for the months ended before it. */
    today: string;
    onStep?: (table: string, rows: number) => void;
    ifNeverBuilt?: boolean;
    /** Answer the last rebuild's state (`unchanged: true`) when no source table has changed since. */
    skipUnchanged?: boolean;
  }): Promise<RebuildOutcome | undefined> {
    return this.database.onPrimary(async (client: Client) => {
      const started = Date.now();
      if (input.ifNeverBuilt) {
        await client.query(`SELECT pg_advisory_xact_lock(${REFRESH_LOCK})`);
        const built = await this.stateVia(client);
        if (built) {
          return built;
        }
      } else {
        const lock = await client.query<{ locked: boolean }>(
          `SELECT pg_try_advisory_xact_lock(${REFRESH_LOCK}) AS locked`,
        );
        if (!lock.rows[0].locked) {
          return undefined;
        }
      }
      const stockThrough = await client.query<{ at: string }>(
        `SELECT to_char(date_trunc('month', $1::date::timestamp) - interval '1 day', 'YYYY-MM-DD') AS at`,
        [input.today],
      );
      const sources = await client.query<{ tracked: boolean; changes: string }>(SOURCE_CHANGES, [
        NOT_ROLLUP_SOURCES,
      ]);
      const sourceChanges = sources.rows[0].tracked ? sources.rows[0].changes : null;
      if (input.skipUnchanged && sourceChanges !== null) {
        const last = await this.stateVia(client);
        if (last?.sourceChanges === sourceChanges && last.stockThrough === stockThrough.rows[0].at) {
          return { ...last, unchanged: true };
        }
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
      await client.query(`DELETE FROM ${OFFICE_MONTHS.table}`);
      const officeMonths = await client.query(OFFICE_MONTHS.insert, [stockThrough.rows[0].at]);
      input.onStep?.(OFFICE_MONTHS.table, officeMonths.rowCount ?? 0);
      const state = await client.query<{ refreshedAt: string }>(
        `INSERT INTO report_rollup_state (name, refreshed_at, duration_ms, row_count, stock_through, source_changes)
         VALUES ($1, now(), $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE
            SET refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms,
                row_count = excluded.row_count, stock_through = excluded.stock_through,
                source_changes = excluded.source_changes
         RETURNING to_char(refreshed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "refreshedAt"`,
        [
          ROLLUP_STATE_NAME,
          Date.now() - started,
          rowCount + (officeMonths.rowCount ?? 0),
          stockThrough.rows[0].at,
          sourceChanges,
        ],
      );
      for (const { table } of [...REBUILD, OFFICE_MONTHS]) {
        await client.query(`ANALYZE ${table}`).catch(() => undefined);
      }
      return {
        refreshedAt: state.rows[0].refreshedAt,
        durationMs: Date.now() - started,
        rowCount: rowCount + (officeMonths.rowCount ?? 0),
        stockThrough: stockThrough.rows[0].at,
        sourceChanges,
      };
    });
  }

  /** When the rollups were last rebuilt (the snapshot's start), or `undefined` before the first rebuild. */
  async state(): Promise<RollupState | undefined> {
    const rows = await this.database.rows<RollupState>(STATE_QUERY, [ROLLUP_STATE_NAME]);
    return rows[0];
  }

  private async stateVia(client: Client): Promise<RollupState | undefined> {
    const result = await client.query<RollupState>(STATE_QUERY, [ROLLUP_STATE_NAME]);
    return result.rows[0];
  }
}
