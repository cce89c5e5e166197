import { Injectable } from '@nestjs/common';
import { PARTNER_TYPES } from '../partners/partner-types';
import { DECISION_OUTCOME_COLUMNS, OUTCOME_GROUPS, referralTypeColumn, type Dimension } from './report-table';
import { officeMonthColumn } from './report-rollups.repository';
import { ReportsDatabase } from './reports-database';

/** Whose figures: every office, one network's offices, or one office. */
export type ReportScope =
  { level: 'ALL' } | { level: 'NETWORK'; networkId: string } | { level: 'OFFICE'; officeId: string };

export interface PeriodQuery {
  from: string;
  to: string;
  groupBy: readonly Dimension[];
  scope: ReportScope;
}

/** One aggregated row: the group's keys (by dimension) and the raw measures. */
export interface RawRow {
  keys: Record<string, string | null>;
  values: Record<string, number | null>;
}

/** A report statement, built from whitelisted fragments only; run with `run`, inspected with `plan`. */
export interface Statement {
  sql: string;
  values: unknown[];
  groupBy: readonly string[];
}

/** The rollup columns behind a dimension; `null`: the rollup has no such attribute (not applicable). */
type Columns = Partial<Record<Dimension, string>>;

const PERSON_COLUMNS: Columns = {
  network: 'r.network_id::text',
  office: 'r.office_id::text',
  countryOfTraining: 'r.country_of_training',
  gender: 'r.gender',
  residenceStatus: 'r.residence_status',
};

const CASE_COLUMNS: Columns = {
  ...PERSON_COLUMNS,
  kldb: 'r.kldb',
  kldbGroup: 'r.kldb_group',
  regulated: 'r.regulated::text',
  fastTrack: 'r.fast_track::text',
};

/** The select list of the grouping keys, `at` being the date that places a row in a month/quarter. */
function keyList(groupBy: readonly Dimension[], columns: Columns, at: string): string[] {
  return groupBy.map((dimension) => {
    const expression =
      dimension === 'month'
        ? `to_char(${at}, 'YYYY-MM')`
        : dimension === 'quarter'
          ? `to_char(${at}, 'YYYY-"Q"Q')`
          : (columns[dimension] ?? 'NULL::text');
    return `${expression} AS "k_${dimension}"`;
  });
}

function groupClause(groupBy: readonly Dimension[]): string {
  return groupBy.length === 0 ? '' : `GROUP BY ${groupBy.map((_dimension, index) => index + 1).join(', ')}`;
}

/** The scope as SQL (its id the last parameter): one statement text per scope level. */
function scopeClause(scope: ReportScope, parameter: number): { sql: string; values: string[] } {
  switch (scope.level) {
    case 'NETWORK':
      return { sql: `AND r.network_id = $${parameter}::uuid`, values: [scope.networkId] };
    case 'OFFICE':
      return { sql: `AND r.office_id = $${parameter}::uuid`, values: [scope.officeId] };
    default:
      return { sql: '', values: [] };
  }
}

const STEP_LENGTH = { month: '1 month', quarter: '3 months' } as const;

/** The days of a client-month's list within the period's part of that month (whole months: all of them). */
const inRange = (days: string) =>
  `CASE WHEN b.lo = 1 AND b.hi = 31 THEN cardinality(${days})
        ELSE (SELECT count(*) FROM unnest(${days}) d WHERE d BETWEEN b.lo AND b.hi) END`;

const MONTH_OF = (date: string) => `date_trunc('month', ${date}::timestamp)::date`;

/** The dimensions the office-month rollup has. */
const OFFICE_MONTH_DIMENSIONS: readonly Dimension[] = ['network', 'office', 'month'];

/** The last day of the month of `date` (`YYYY-MM-DD`). */
function monthEnd(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/**
 * Whether the office-month rollup answers a caseload request exactly: grouped by network, office
 * and/or month only, over whole calendar months.
 */
export function officeMonthsApply(from: string, to: string, groupBy: readonly Dimension[]): boolean {
  return (
    groupBy.every((dimension) => OFFICE_MONTH_DIMENSIONS.includes(dimension)) &&
    from.endsWith('-01') &&
    to === monthEnd(to)
  );
}

/**
 * Whether the office-month rollup's distinct clients are the groups' own: each group is one office
 * in one month. Otherwise (other groups, the totals row) they come from `clientsCounselled`.
 */
export function officeMonthsDistinct(from: string, to: string, groupBy: readonly Dimension[]): boolean {
  return groupBy.includes('office') && (groupBy.includes('month') || from.slice(0, 7) === to.slice(0, 7));
}

/** The additive caseload measures of the office-month rollup: report column → rollup column. */
const OFFICE_MONTH_SUMS: readonly string[] = [
  'consultationsFirst',
  'consultationsFollowUp',
  'newClients',
  'casesOpened',
  'casesDecided',
  ...DECISION_OUTCOME_COLUMNS.map(([key]) => key),
  'enrolmentsStarted',
  'enrolmentsCompleted',
  'enrolmentsFailed',
  'enrolmentsDropped',
  'referralsSent',
  ...PARTNER_TYPES.map(referralTypeColumn),
  'referralsAccepted',
  'referralsDeclined',
  'referralsExpired',
];

/**
 * Every report query. They read the rollups only (never consultations, cases, enrolments or
 * referrals), on the reports' own pool. Statement texts depend only on the grouping and the scope
 * level, so they stay few and run as prepared statements.
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly database: ReportsDatabase) {}

  /** Distinct clients and consultations, exact for any period of whole days (day bits per client-month). */
  consultations(query: PeriodQuery): Statement {
    const scope = scopeClause(query.scope, 3);
    const keys = keyList(query.groupBy, PERSON_COLUMNS, 'r.month');
    const sql = `
      SELECT ${[...keys, '1 AS "k__"'].join(', ')},
             count(DISTINCT r.client_id)::int AS "clientsCounselled",
             coalesce(sum(${inRange('r.first_days')}), 0)::int AS "consultationsFirst",
             coalesce(sum(${inRange('r.follow_days')}), 0)::int AS "consultationsFollowUp"
        FROM report_client_months r
        CROSS JOIN LATERAL (
          SELECT CASE WHEN r.month = ${MONTH_OF('$1::date')} THEN extract(day FROM $1::date)::int ELSE 1 END AS lo,
                 CASE WHEN r.month = ${MONTH_OF('$2::date')} THEN extract(day FROM $2::date)::int ELSE 31 END AS hi
        ) b
       WHERE r.month >= ${MONTH_OF('$1::date')} AND r.month <= $2::date ${scope.sql}
         AND (r.days::bigint & ((1::bigint << b.hi) - (1::bigint << (b.lo - 1)))) <> 0
       ${groupClause(query.groupBy)}`;
    return { sql, values: [query.from, query.to, ...scope.values], groupBy: query.groupBy };
  }

  /**
   * The caseload of whole months from the office-month rollup (see `officeMonthsApply`): sums of the
   * additive measures, medians over the rows' processing days, the stocks of the months up to
   * `stockMonth` (later months, and the distinct clients unless `distinct`, come from the fine
   * rollups: `caseStock`, `clientsCounselled`).
   */
  officeMonths(query: PeriodQuery, input: { stockMonth: string; distinct: boolean }): Statement {
    const scope = scopeClause(query.scope, 4);
    const keys = keyList(query.groupBy, PERSON_COLUMNS, 'r.month');
    // One row per processing day of the office-month (or one with nulls): the sums take its first only.
    const once = '(p.n IS NULL OR p.n = 1)';
    const sum = (column: string, filter = '') =>
      `coalesce(sum(r.${column}) FILTER (WHERE ${once}${filter}), 0)::int`;
    // Stocks are as of a month's end: per month, or (totals, a single month) the period's last month.
    const stockFilter = query.groupBy.includes('month')
      ? ' AND r.month <= $3::date'
      : ` AND r.month <= $3::date AND r.month = ${MONTH_OF('$2::date')}`;
    const measures = [
      ...(input.distinct ? [`${sum('clients_counselled')} AS "clientsCounselled"`] : []),
      ...OFFICE_MONTH_SUMS.map((key) => `${sum(officeMonthColumn(key))} AS "${key}"`),
      `${sum('cases_open_at_end', stockFilter)} AS "casesOpenAtEnd"`,
      `${sum('cases_overdue_at_end', stockFilter)} AS "casesOverdueAtEnd"`,
      'percentile_cont(0.5) WITHIN GROUP (ORDER BY p.days) AS "medianProcessingDays"',
      'percentile_cont(0.75) WITHIN GROUP (ORDER BY p.days) AS "p75ProcessingDays"',
      'count(p.days)::int AS "processingObservations"',
    ];
    const sql = `
      SELECT ${[...keys, '1 AS "k__"'].join(', ')},
             ${measures.join(',\n             ')}
        FROM report_office_months r
        LEFT JOIN LATERAL unnest(r.processing_days) WITH ORDINALITY AS p(days, n) ON true
       WHERE r.month >= $1::date AND r.month <= $2::date ${scope.sql}
       ${groupClause(query.groupBy)}`;
    return {
      sql,
      values: [query.from, query.to, input.stockMonth, ...scope.values],
      groupBy: query.groupBy,
    };
  }

  /** Distinct clients counselled in whole months (the fine rollup: exact for any grouping). */
  clientsCounselled(query: PeriodQuery): Statement {
    const scope = scopeClause(query.scope, 3);
    const keys = keyList(query.groupBy, PERSON_COLUMNS, 'r.month');
    const sql = `
      SELECT ${[...keys, '1 AS "k__"'].join(', ')}, count(DISTINCT r.client_id)::int AS "clientsCounselled"
        FROM report_client_months r
       WHERE r.month >= $1::date AND r.month <= $2::date ${scope.sql}
       ${groupClause(query.groupBy)}`;
    return { sql, values: [query.from, query.to, ...scope.values], groupBy: query.groupBy };
  }

  /** New clients: first consultation (Erstberatung) in the period. */
  newClients(query: PeriodQuery): Statement {
    const scope = scopeClause(query.scope, 3);
    const keys = keyList(query.groupBy, PERSON_COLUMNS, 'r.entry_on');
    const sql = `
      SELECT ${[...keys, '1 AS "k__"'].join(', ')}, count(*)::int AS "newClients"
        FROM report_participants r
       WHERE r.entry_on BETWEEN $1::date AND $2::date ${scope.sql}
       ${groupClause(query.groupBy)}`;
    return { sql, values: [query.from, query.to, ...scope.values], groupBy: query.groupBy };
  }

  /**
   * Recognition cases open, and overdue, at the end of the period — or of each month/quarter when
   * grouped by time — as of `today` at the latest.
   */
  caseStock(query: PeriodQuery, today: string): Statement {
    const scope = scopeClause(query.scope, 4);
    const keys = keyList(query.groupBy, CASE_COLUMNS, 'r.at');
    const step = query.groupBy.includes('month')
      ? 'month'
      : query.groupBy.includes('quarter')
        ? 'quarter'
        : undefined;
    const buckets = step
      ? `SELECT least((s + interval '${STEP_LENGTH[step]}' - interval '1 day')::date, $2::date) AS at
           FROM generate_series(date_trunc('${step}', $1::date::timestamp), $2::date::timestamp, interval '${STEP_LENGTH[step]}') s`
      : 'SELECT $2::date AS at';
    // Open and overdue only: plain sums, which PostgreSQL aggregates by hashing.
    const sql = `
      WITH c AS MATERIALIZED (
        -- The cases open at some point of the period (read once, then matched against every period end): submitted by its end, not decided or ended before its start.
        SELECT r.office_id, r.network_id, r.kldb, r.kldb_group, r.country_of_training, r.gender,
               r.residence_status, r.regulated, r.fast_track, r.submitted_on, r.documents_complete_on,
               r.first_decided_on, r.decision_due_on, r.ended_on
          FROM report_cases r
         WHERE r.submitted_on <= $2::date
           AND (r.first_decided_on IS NULL OR r.first_decided_on > $1::date)
           AND (r.ended_on IS NULL OR r.ended_on > $1::date) ${scope.sql}
      ),
      b AS (SELECT at, least(at, $3::date) AS as_of FROM (${buckets}) s)
      SELECT ${[...keys, '1 AS "k__"'].join(', ')},
             count(*)::int AS "casesOpenAtEnd",
             count(*) FILTER (WHERE r.documents_complete_on <= r.as_of AND r.decision_due_on < r.as_of)::int
               AS "casesOverdueAtEnd"
        FROM (
          SELECT c.*, b.at, b.as_of
            FROM c JOIN b
              ON c.submitted_on <= b.as_of
             AND (c.first_decided_on IS NULL OR c.first_decided_on > b.as_of)
             AND (c.ended_on IS NULL OR c.ended_on > b.as_of)
        ) r
       ${groupClause(query.groupBy)}`;
    return { sql, values: [query.from, query.to, today, ...scope.values], groupBy: query.groupBy };
  }

  /** Recognition cases opened and first-decided in the period (by outcome, with the processing days). */
  caseFlow(query: PeriodQuery): Statement {
    const scope = scopeClause(query.scope, 3);
    const keys = keyList(query.groupBy, CASE_COLUMNS, 'r.at');
    const outcomes = DECISION_OUTCOME_COLUMNS.map(
      ([key, outcome]) =>
        `count(*) FILTER (WHERE r.decided = 1 AND r.first_outcome = '${outcome}')::int AS "${key}"`,
    );
    const sql = `
      WITH e AS (
        SELECT r.*, r.submitted_on AS at, 1 AS opened, 0 AS decided
          FROM report_cases r WHERE r.submitted_on BETWEEN $1::date AND $2::date ${scope.sql}
        UNION ALL
        SELECT r.*, r.first_decided_on, 0, 1
          FROM report_cases r WHERE r.first_decided_on BETWEEN $1::date AND $2::date ${scope.sql}
      )
      SELECT ${[...keys, '1 AS "k__"'].join(', ')},
             coalesce(sum(r.opened), 0)::int AS "casesOpened",
             coalesce(sum(r.decided), 0)::int AS "casesDecided",
             ${outcomes.join(',\n             ')},
             percentile_cont(0.5) WITHIN GROUP (ORDER BY r.processing_days) FILTER (WHERE r.decided = 1)
               AS "medianProcessingDays",
             percentile_cont(0.75) WITHIN GROUP (ORDER BY r.processing_days) FILTER (WHERE r.decided = 1)
               AS "p75ProcessingDays",
             count(r.processing_days) FILTER (WHERE r.decided = 1)::int AS "processingObservations"
        FROM e r
       ${groupClause(query.groupBy)}`;
    return { sql, values: [query.from, query.to, ...scope.values], groupBy: query.groupBy };
  }

  /** Enrolments started, and ended (successfully, without success, dropped) in the period. */
  enrolments(query: PeriodQuery): Statement {
    const scope = scopeClause(query.scope, 3);
    const keys = keyList(query.groupBy, CASE_COLUMNS, 'r.at');
    const sql = `
      WITH e AS (
        SELECT r.*, r.started_on AS at, 1 AS started, 0 AS completed, 0 AS failed, 0 AS dropped
          FROM report_enrolments r WHERE r.started_on BETWEEN $1::date AND $2::date ${scope.sql}
        UNION ALL
        SELECT r.*, r.ended_on, 0,
               (r.status = 'ABGESCHLOSSEN_ERFOLGREICH')::int,
               (r.status = 'ABGESCHLOSSEN_OHNE_ERFOLG')::int,
               (r.status = 'ABGEBROCHEN')::int
          FROM report_enrolments r
         WHERE r.ended_on BETWEEN $1::date AND $2::date ${scope.sql}
           AND r.status IN ('ABGESCHLOSSEN_ERFOLGREICH', 'ABGESCHLOSSEN_OHNE_ERFOLG', 'ABGEBROCHEN')
      )
      SELECT ${[...keys, '1 AS "k__"'].join(', ')},
             coalesce(sum(r.started), 0)::int AS "enrolmentsStarted",
             coalesce(sum(r.completed), 0)::int AS "enrolmentsCompleted",
             coalesce(sum(r.failed), 0)::int AS "enrolmentsFailed",
             coalesce(sum(r.dropped), 0)::int AS "enrolmentsDropped"
        FROM e r
       ${groupClause(query.groupBy)}`;
    return { sql, values: [query.from, query.to, ...scope.values], groupBy: query.groupBy };
  }

  /** Referrals sent in the period, by partner type and by the partner's answer. */
  referrals(query: PeriodQuery): Statement {
    const scope = scopeClause(query.scope, 3);
    const keys = keyList(query.groupBy, CASE_COLUMNS, 'r.sent_on');
    const byType = PARTNER_TYPES.map(
      (type) => `count(*) FILTER (WHERE r.partner_type = '${type}')::int AS "${referralTypeColumn(type)}"`,
    );
    const sql = `
      SELECT ${[...keys, '1 AS "k__"'].join(', ')},
             count(*)::int AS "referralsSent",
             ${byType.join(',\n             ')},
             count(*) FILTER (WHERE r.answer = 'ACCEPTED')::int AS "referralsAccepted",
             count(*) FILTER (WHERE r.answer = 'DECLINED')::int AS "referralsDeclined",
             count(*) FILTER (WHERE r.answer = 'EXPIRED')::int AS "referralsExpired"
        FROM report_referrals r
       WHERE r.sent_on BETWEEN $1::date AND $2::date ${scope.sql}
       ${groupClause(query.groupBy)}`;
    return { sql, values: [query.from, query.to, ...scope.values], groupBy: query.groupBy };
  }

  /** First decisions in the period in the outcome groups of the §17 BQFG statistic. */
  outcomes(query: PeriodQuery): Statement {
    const scope = scopeClause(query.scope, 3);
    const keys = keyList(query.groupBy, CASE_COLUMNS, 'r.first_decided_on');
    const groups = OUTCOME_GROUPS.map(
      ([key, , outcomes]) =>
        `count(*) FILTER (WHERE r.first_outcome IN (${outcomes.map((outcome) => `'${outcome}'`).join(', ')}))::int AS "${key}"`,
    );
    const sql = `
      SELECT ${[...keys, '1 AS "k__"'].join(', ')},
             count(*)::int AS "decisions",
             ${groups.join(',\n             ')},
             percentile_cont(0.5) WITHIN GROUP (ORDER BY r.processing_days) AS "medianProcessingDays",
             count(r.processing_days)::int AS "processingObservations"
        FROM report_cases r
       WHERE r.first_decided_on BETWEEN $1::date AND $2::date ${scope.sql}
       ${groupClause(query.groupBy)}`;
    return { sql, values: [query.from, query.to, ...scope.values], groupBy: query.groupBy };
  }

  /** ESF+ participants (entered in the period) by gender, with the inputs of every indicator. */
  participants(query: Omit<PeriodQuery, 'groupBy'>): Statement {
    const scope = scopeClause(query.scope, 3);
    const sql = `
      SELECT r.gender AS "k_gender",
             count(*)::int AS "participants",
             count(*) FILTER (WHERE r.employment_status IN ('ARBEITSLOS', 'LANGZEITARBEITSLOS'))::int AS "unemployed",
             count(*) FILTER (WHERE r.employment_status = 'LANGZEITARBEITSLOS')::int AS "longTermUnemployed",
             count(*) FILTER (WHERE r.employment_status IN ('IN_BILDUNG', 'NICHTERWERBSTAETIG'))::int AS "inactive",
             count(*) FILTER (WHERE r.employment_status IN ('ERWERBSTAETIG', 'SELBSTSTAENDIG'))::int AS "employed",
             count(*) FILTER (WHERE r.employment_status IS NULL)::int AS "employmentNotStated",
             count(*) FILTER (WHERE r.age_at_entry < 18)::int AS "under18",
             count(*) FILTER (WHERE r.age_at_entry BETWEEN 18 AND 29)::int AS "age18to29",
             count(*) FILTER (WHERE r.age_at_entry BETWEEN 30 AND 54)::int AS "age30to54",
             count(*) FILTER (WHERE r.age_at_entry >= 55)::int AS "age55plus",
             count(*) FILTER (WHERE r.age_at_entry IS NULL)::int AS "ageNotStated",
             count(*) FILTER (WHERE r.isced_level BETWEEN 0 AND 2)::int AS "isced0to2",
             count(*) FILTER (WHERE r.isced_level BETWEEN 3 AND 4)::int AS "isced3to4",
             count(*) FILTER (WHERE r.isced_level BETWEEN 5 AND 8)::int AS "isced5to8",
             count(*) FILTER (WHERE r.isced_level IS NULL)::int AS "iscedNotStated",
             count(*) FILTER (WHERE r.third_country)::int AS "thirdCountryNationals"
        FROM report_participants r
       WHERE r.entry_on BETWEEN $1::date AND $2::date ${scope.sql}
       GROUP BY r.gender`;
    return { sql, values: [query.from, query.to, ...scope.values], groupBy: ['gender'] };
  }

  /** Names of networks and offices, titles of reference occupations: the groups' labels. */
  async labels(ids: { networks: string[]; offices: string[]; occupations: string[] }): Promise<{
    networks: Map<string, string>;
    offices: Map<string, string>;
    occupations: Map<string, string>;
  }> {
    const [networks, offices, occupations] = await Promise.all([
      ids.networks.length === 0
        ? []
        : this.database.rows<{ id: string; name: string }>(
            'SELECT id::text AS id, name FROM networks WHERE id = ANY($1::uuid[])',
            [ids.networks],
          ),
      ids.offices.length === 0
        ? []
        : this.database.rows<{ id: string; name: string }>(
            'SELECT id::text AS id, name FROM offices WHERE id = ANY($1::uuid[])',
            [ids.offices],
          ),
      ids.occupations.length === 0
        ? []
        : this.database.rows<{ id: string; name: string }>(
            'SELECT kldb AS id, title_de AS name FROM reference_occupations WHERE kldb = ANY($1::text[])',
            [ids.occupations],
          ),
    ]);
    const toMap = (rows: { id: string; name: string }[]) => new Map(rows.map((row) => [row.id, row.name]));
    return { networks: toMap(networks), offices: toMap(offices), occupations: toMap(occupations) };
  }

  /**
   * The plan PostgreSQL chooses for a report's statement (`EXPLAIN (FORMAT JSON)`): the tests check
   * that it reads the rollups only; operators can use it the same way.
   */
  async plan(statement: Statement): Promise<unknown> {
    const rows = await this.database.rows<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (FORMAT JSON) ${statement.sql}`,
      statement.values,
    );
    return rows[0]['QUERY PLAN'];
  }

  /** Runs a report statement: its rows as group keys and measures. */
  async run(statement: Statement): Promise<RawRow[]> {
    const { sql, values, groupBy } = statement;
    const rows = await this.database.rows<Record<string, unknown>>(sql, values);
    return rows.map((row) => {
      const keys: Record<string, string | null> = {};
      const measures: Record<string, number | null> = {};
      for (const [column, value] of Object.entries(row)) {
        if (column.startsWith('k_')) {
          if (column !== 'k__') {
            keys[column.slice(2)] = typeof value === 'string' ? value : null;
          }
        } else {
          measures[column] = value === null ? null : Number(value);
        }
      }
      for (const dimension of groupBy) {
        keys[dimension] ??= null;
      }
      return { keys, values: measures };
    });
  }
}
