import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { WriteContext } from '../audit/write-context';
import type { Actor } from '../auth/actor';
import { ProblemError, RequestValidationError } from '../common/errors/problem.error';
import { Clock } from '../common/time/clock';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { CODE_LABELS } from '../reference-data/code-labels';
import { GENDERS, RESIDENCE_STATUSES } from '../reference-data/codes';
import { countryShortName } from '../reference-data/countries';
import { suppress, type Relation } from './disclosure';
import { ReportRollups } from './report-rollups';
import {
  CASELOAD_COLUMNS,
  CASELOAD_DAYS,
  CASELOAD_RATES,
  CASELOAD_SUMS,
  DIMENSION_LABELS,
  ESF_COLUMNS,
  ESF_GENDER_COLUMNS,
  ESF_INDICATORS,
  ESF_PARTITIONS,
  OUTCOME_COLUMNS,
  OUTCOME_DAYS,
  OUTCOME_SUMS,
  type Cell,
  type DaysRule,
  type Dimension,
  type GroupValue,
  type RateRule,
  type ReportColumn,
  type ReportRow,
} from './report-table';
import {
  officeMonthsApply,
  officeMonthsDistinct,
  ReportsRepository,
  type PeriodQuery,
  type RawRow,
  type ReportScope,
  type Statement,
} from './reports.repository';

export type ReportName = 'caseload' | 'esf-participants' | 'recognition-outcomes';
export type ReportFormat = 'json' | 'csv' | 'xlsx';
/**
 * How the caseload is computed: `auto` from the office-month rollup where it answers exactly
 * (`officeMonthsApply`), else from the fine rollups; `exact` always from the fine rollups (the tests
 * compare both).
 */
export type CaseloadPath = 'auto' | 'exact';

export interface ReportRequest {
  from: string;
  to: string;
  groupBy?: Dimension[];
  format: ReportFormat;
  locale: 'de' | 'en';
}

/** One report as published: the same table whether it leaves as JSON, CSV or XLSX. */
export interface ReportDocument {
  report: ReportName;
  title: string;
  period: { from: string; to: string };
  groupBy: string[];
  scope: { level: ReportScope['level']; id: string | null; label: string };
  suppression: { applied: boolean; minCell: number; rule: string };
  dataAsOf: string;
  generatedAt: string;
  /** The grouping columns of the rows (a dimension, or the ESF+ indicator). */
  groupColumns: { key: string; label: string }[];
  columns: ReportColumn[];
  rows: ReportRow[];
  /** The whole period and scope; `null` for the ESF+ table (its first row is the total). */
  totals: ReportRow | null;
}

/** The longest period a report covers. */
const MAX_YEARS = 10;

/**
 * Reports computed from the current rollups, by request, scope and `dataAsOf`: the same report asked
 * again before the next rebuild is the same table (only `generatedAt` differs), so it is served from
 * here. A rebuild changes `dataAsOf` and with it every key; the oldest entries give way first.
 */
const CACHE_ENTRIES = 64;
/**
 * …and at most this many cells in all (rows × columns): a network's year by month × office is ~15,000
 * cells (~1 MB of JSON), so the cache stays within ~25 MB of the API's heap budget (package.json
 * `start:prod`) however large the reports asked for.
 */
const CACHE_CELLS = 200_000;

function cellsOf(document: ReportDocument): number {
  return (document.rows.length + 1) * document.columns.length;
}

const NOT_STATED = 'ohne Angabe / nicht zutreffend';

const MONTH_LABEL = new Intl.DateTimeFormat('de-DE', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * The caseload, ESF+ and recognition-outcome reports: scope by role, the figures from the rollups,
 * labels for the groups, disclosure control for coordinators, an audit event for every report read.
 */
@Injectable()
export class ReportsService {
  private readonly cache = new Map<string, ReportDocument>();
  private readonly computing = new Map<string, Promise<ReportDocument>>();
  private cachedCells = 0;

  constructor(
    private readonly repository: ReportsRepository,
    private readonly rollups: ReportRollups,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async caseload(
    request: ReportRequest,
    context: WriteContext,
    path: CaseloadPath = 'auto',
  ): Promise<ReportDocument> {
    const groupBy = request.groupBy ?? [];
    const base = await this.prepare('caseload', request, groupBy, context, path);
    return this.once(base, groupBy, () => this.computeCaseload(base, groupBy, path));
  }

  private async computeCaseload(
    base: Prepared,
    groupBy: readonly Dimension[],
    path: CaseloadPath,
  ): Promise<ReportDocument> {
    const request = base.request;
    const query: PeriodQuery = { from: request.from, to: request.to, groupBy, scope: base.scope };
    const total: PeriodQuery = { ...query, groupBy: [] };
    const today = this.clock.today();
    const statements =
      path === 'auto' && base.stockThrough !== null && officeMonthsApply(request.from, request.to, groupBy)
        ? (period: PeriodQuery) => this.officeMonthStatements(period, today, base.stockThrough!)
        : (period: PeriodQuery) => [
            this.repository.consultations(period),
            this.repository.newClients(period),
            this.repository.caseFlow(period),
            this.repository.caseStock(period, today),
            this.repository.enrolments(period),
            this.repository.referrals(period),
          ];
    const [grouped, overall] = await Promise.all([
      Promise.all(statements(query).map((statement) => this.repository.run(statement))),
      Promise.all(statements(total).map((statement) => this.repository.run(statement))),
    ]);
    const table = await this.groupedTable(grouped.flat(), overall.flat(), groupBy, CASELOAD_COLUMNS);
    this.finish(table, CASELOAD_COLUMNS, CASELOAD_SUMS, CASELOAD_RATES, CASELOAD_DAYS, base.suppressed);
    return this.document(base, 'Fallzahlen der Beratung', groupBy, CASELOAD_COLUMNS, table);
  }

  /**
   * The caseload of whole months from the office-month rollup; later measures override earlier ones
   * in `groupedTable`: distinct clients (unless each group is one office-month) and the stocks of the
   * months the rollup has no month-end stock for (not ended when rebuilt, or today) from the fine rollups.
   */
  officeMonthStatements(period: PeriodQuery, today: string, stockThrough: string): Statement[] {
    // The last month whose end-of-month stock is stored and not later than today's.
    const lastEnded = previousMonthEnd(today);
    const covered = stockThrough > lastEnded ? lastEnded : stockThrough;
    const stockMonth = `${covered.slice(0, 7)}-01`;
    const distinct = officeMonthsDistinct(period.from, period.to, period.groupBy);
    const statements = [this.repository.officeMonths(period, { stockMonth, distinct })];
    if (!distinct) {
      statements.push(this.repository.clientsCounselled(period));
    }
    const uncovered = nextDay(covered);
    if (uncovered <= period.to) {
      const from = uncovered > period.from ? uncovered : period.from;
      statements.push(this.repository.caseStock({ ...period, from }, today));
    }
    return statements;
  }

  async recognitionOutcomes(request: ReportRequest, context: WriteContext): Promise<ReportDocument> {
    const groupBy = request.groupBy ?? ['kldb', 'countryOfTraining'];
    const base = await this.prepare('recognition-outcomes', request, groupBy, context);
    return this.once(base, groupBy, () => this.computeRecognitionOutcomes(base, groupBy));
  }

  private async computeRecognitionOutcomes(
    base: Prepared,
    groupBy: readonly Dimension[],
  ): Promise<ReportDocument> {
    const { request } = base;
    const query: PeriodQuery = { from: request.from, to: request.to, groupBy, scope: base.scope };
    const [grouped, overall] = await Promise.all([
      this.repository.run(this.repository.outcomes(query)),
      this.repository.run(this.repository.outcomes({ ...query, groupBy: [] })),
    ]);
    const table = await this.groupedTable(grouped, overall, groupBy, OUTCOME_COLUMNS);
    this.finish(table, OUTCOME_COLUMNS, OUTCOME_SUMS, [], OUTCOME_DAYS, base.suppressed);
    return this.document(
      base,
      'Anerkennungsbescheide nach Ergebnis (§ 17 BQFG)',
      groupBy,
      OUTCOME_COLUMNS,
      table,
    );
  }

  async esfParticipants(request: ReportRequest, context: WriteContext): Promise<ReportDocument> {
    const base = await this.prepare('esf-participants', request, [], context);
    return this.once(base, [], () => this.computeEsfParticipants(base));
  }

  private async computeEsfParticipants(base: Prepared): Promise<ReportDocument> {
    const { request } = base;
    const raw = await this.repository.run(
      this.repository.participants({ from: request.from, to: request.to, scope: base.scope }),
    );
    const byGender = new Map(raw.map((row) => [row.keys.gender, row.values]));
    const rows: ReportRow[] = ESF_INDICATORS.map(([key, label]) => {
      const cells: Record<string, Cell> = {};
      let sum = 0;
      for (const [column, gender] of ESF_GENDER_COLUMNS) {
        const value = byGender.get(gender)?.[key] ?? 0;
        sum += value;
        cells[column] = { value, suppressed: false };
      }
      cells.total = { value: sum, suppressed: false };
      return { group: { indicator: { id: key, label } }, cells };
    });
    if (base.suppressed) {
      const index = new Map<string, number>(ESF_INDICATORS.map(([key], position) => [key, position]));
      const relations: Relation[] = [];
      rows.forEach((_row, r) =>
        relations.push({
          total: `${r}:total`,
          parts: ESF_GENDER_COLUMNS.map(([column]) => `${r}:${column}`),
        }),
      );
      for (const partition of ESF_PARTITIONS) {
        for (const { key: column } of ESF_COLUMNS) {
          relations.push({
            total: `${index.get('participants')}:${column}`,
            parts: partition.map((indicator) => `${index.get(indicator)}:${column}`),
          });
        }
      }
      applySuppression(rows, null, ESF_COLUMNS, relations, this.config.reports.minCell);
    }
    return {
      ...this.document(base, 'ESF+-Teilnehmende (Gemeinsame Outputindikatoren)', [], ESF_COLUMNS, {
        rows,
        totals: null,
      }),
      groupColumns: [{ key: 'indicator', label: 'Indikator' }],
    };
  }

  /**
   * The report from the cache (see CACHE_ENTRIES and CACHE_CELLS), else computed — once: the same
   * report asked for again while it is being computed (ten coordinators opening the same dashboard)
   * waits for that computation instead of starting its own.
   */
  private async once(
    base: Prepared,
    groupBy: readonly Dimension[],
    compute: () => Promise<ReportDocument>,
  ): Promise<ReportDocument> {
    const key = cacheKey(base, groupBy, this.clock.today());
    const cached = this.cache.get(key) ?? (await this.computing.get(key));
    if (cached) {
      // Most recently used last: the first entry is the one to give way.
      if (this.cache.delete(key)) {
        this.cache.set(key, cached);
      }
      return { ...cached, generatedAt: this.clock.now().toISOString() };
    }
    const computing = compute()
      .then((document) => this.remember(key, document))
      .finally(() => this.computing.delete(key));
    this.computing.set(key, computing);
    return computing;
  }

  private remember(key: string, document: ReportDocument): ReportDocument {
    this.cachedCells -= this.cache.has(key) ? cellsOf(this.cache.get(key)!) : 0;
    this.cache.set(key, document);
    this.cachedCells += cellsOf(document);
    while (this.cache.size > CACHE_ENTRIES || (this.cachedCells > CACHE_CELLS && this.cache.size > 1)) {
      const oldest = this.cache.keys().next().value as string;
      this.cachedCells -= cellsOf(this.cache.get(oldest)!);
      this.cache.delete(oldest);
    }
    return document;
  }

  // -------------------------------------------------------------------------------------------

  /** Validates the period, resolves the caller's scope, records the read, reads `dataAsOf`. */
  private async prepare(
    report: ReportName,
    request: ReportRequest,
    groupBy: readonly Dimension[],
    context: WriteContext,
    path: CaseloadPath = 'auto',
  ) {
    checkPeriod(request.from, request.to);
    const scope = scopeOf(context.actor);
    await this.audit.record({
      actor: context.actor,
      action: 'report.read',
      resourceType: 'report',
      resourceId: auditedParameters(report, request, groupBy),
      requestId: context.requestId,
    });
    const state = await this.rollups.current();
    return {
      scopeLabel: await this.scopeLabel(scope),
      report,
      request,
      scope,
      // Figures leave the offices only for coordinators; administrators and advisers see them unsuppressed.
      suppressed: context.actor.role === 'COORDINATOR',
      dataAsOf: state.refreshedAt,
      stockThrough: state.stockThrough ?? null,
      path,
    };
  }

  private document(
    base: Prepared,
    title: string,
    groupBy: readonly Dimension[],
    columns: readonly ReportColumn[],
    table: { rows: ReportRow[]; totals: ReportRow | null },
  ): ReportDocument {
    const minCell = this.config.reports.minCell;
    return {
      report: base.report,
      title,
      period: { from: base.request.from, to: base.request.to },
      groupBy: [...groupBy],
      scope: { level: base.scope.level, id: scopeId(base.scope), label: base.scopeLabel },
      suppression: {
        applied: base.suppressed,
        minCell,
        rule: base.suppressed
          ? `Counts from 1 to ${minCell - 1} are withheld (null, suppressed: true), and as many further counts as needed so that none can be recomputed from the row, column and overall totals; rates and durations over a withheld count, or over fewer than ${minCell} cases, are withheld too.`
          : 'Not applied: unsuppressed figures for internal use (administration, or the own office). Do not pass them on outside.',
      },
      dataAsOf: base.dataAsOf,
      generatedAt: this.clock.now().toISOString(),
      groupColumns: groupBy.map((dimension) => ({ key: dimension, label: DIMENSION_LABELS[dimension] })),
      columns: [...columns],
      rows: table.rows,
      totals: table.totals,
    };
  }

  /** Merges the families' rows by group, labels the groups, orders the rows. */
  private async groupedTable(
    grouped: RawRow[],
    overall: RawRow[],
    groupBy: readonly Dimension[],
    columns: readonly ReportColumn[],
  ): Promise<{ rows: ReportRow[]; totals: ReportRow; raw: Map<ReportRow, Record<string, number | null>> }> {
    const merged = new Map<
      string,
      { keys: Record<string, string | null>; values: Record<string, number | null> }
    >();
    for (const row of grouped) {
      const id = JSON.stringify(groupBy.map((dimension) => row.keys[dimension] ?? null));
      const entry = merged.get(id) ?? { keys: row.keys, values: {} };
      Object.assign(entry.values, row.values);
      merged.set(id, entry);
    }
    const totalValues: Record<string, number | null> = {};
    for (const row of overall) {
      Object.assign(totalValues, row.values);
    }
    const labels = await this.labels(
      groupBy,
      [...merged.values()].map((entry) => entry.keys),
    );
    const raw = new Map<ReportRow, Record<string, number | null>>();
    const toRow = (group: Record<string, GroupValue>, values: Record<string, number | null>): ReportRow => {
      const cells: Record<string, Cell> = {};
      for (const column of columns) {
        cells[column.key] = {
          value: column.kind === 'count' ? (values[column.key] ?? 0) : roundDays(values[column.key]),
          suppressed: false,
        };
      }
      const row = { group, cells };
      raw.set(row, values);
      return row;
    };
    const rows = [...merged.values()]
      .filter((entry) =>
        columns.some((column) => column.kind === 'count' && (entry.values[column.key] ?? 0) > 0),
      )
      .map((entry) => {
        const group: Record<string, GroupValue> = {};
        for (const dimension of groupBy) {
          group[dimension] = labels(dimension, entry.keys[dimension] ?? null);
        }
        return toRow(group, entry.values);
      })
      .sort((left, right) => compareGroups(left, right, groupBy));
    const totalsGroup: Record<string, GroupValue> = {};
    for (const dimension of groupBy) {
      totalsGroup[dimension] = { id: null, label: 'Insgesamt' };
    }
    const totals = toRow(totalsGroup, totalValues);
    return { rows, totals, raw };
  }

  /** Rates, then (for coordinators) suppression of counts, rates and durations. */
  private finish(
    table: { rows: ReportRow[]; totals: ReportRow; raw: Map<ReportRow, Record<string, number | null>> },
    columns: readonly ReportColumn[],
    sums: readonly { total: string; parts: readonly string[] }[],
    rates: readonly RateRule[],
    days: readonly DaysRule[],
    suppressed: boolean,
  ): void {
    const all = [...table.rows, table.totals];
    for (const row of all) {
      for (const rate of rates) {
        const numerator = rate.numerator.reduce((sum, key) => sum + (row.cells[key].value ?? 0), 0);
        const denominator = rate.denominator.reduce((sum, key) => sum + (row.cells[key].value ?? 0), 0);
        row.cells[rate.column] = {
          value: denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000,
          suppressed: false,
        };
      }
    }
    if (!suppressed) {
      return;
    }
    const minCell = this.config.reports.minCell;
    const counts = columns.filter((column) => column.kind === 'count').map((column) => column.key);
    const relations: Relation[] = [];
    // Column totals: the totals row against the rows (conservative also where a measure is not
    // additive, such as distinct clients over months: more is withheld, never less).
    if (table.rows.length > 0) {
      for (const key of counts) {
        relations.push({ total: `T:${key}`, parts: table.rows.map((_row, r) => `${r}:${key}`) });
      }
    }
    all.forEach((_row, r) => {
      const id = r === table.rows.length ? 'T' : String(r);
      for (const sum of sums) {
        relations.push({ total: `${id}:${sum.total}`, parts: sum.parts.map((part) => `${id}:${part}`) });
      }
    });
    applySuppression(table.rows, table.totals, columns, relations, minCell);
    for (const row of all) {
      for (const rate of rates) {
        if ([...rate.numerator, ...rate.denominator].some((key) => row.cells[key].suppressed)) {
          row.cells[rate.column] = { value: null, suppressed: true };
        }
      }
      for (const rule of days) {
        const observations = table.raw.get(row)?.[rule.observations] ?? 0;
        if (row.cells[rule.basis].suppressed || (observations >= 1 && observations < minCell)) {
          row.cells[rule.column] = { value: null, suppressed: true };
        }
      }
    }
  }

  private async scopeLabel(scope: ReportScope): Promise<string> {
    if (scope.level === 'ALL') {
      return 'Alle Netzwerke und Beratungsstellen';
    }
    const names = await this.repository.labels({
      networks: scope.level === 'NETWORK' ? [scope.networkId] : [],
      offices: scope.level === 'OFFICE' ? [scope.officeId] : [],
      occupations: [],
    });
    return scope.level === 'NETWORK'
      ? `Netzwerk ${names.networks.get(scope.networkId) ?? scope.networkId}`
      : `Beratungsstelle ${names.offices.get(scope.officeId) ?? scope.officeId}`;
  }

  /** Labels of the groups: names of networks and offices, occupation titles, German country names. */
  private async labels(
    groupBy: readonly Dimension[],
    keys: Record<string, string | null>[],
  ): Promise<(dimension: Dimension, id: string | null) => GroupValue> {
    const ids = (dimension: Dimension) =>
      groupBy.includes(dimension)
        ? [...new Set(keys.map((key) => key[dimension]).filter((id): id is string => id !== null))]
        : [];
    const names = await this.repository.labels({
      networks: ids('network'),
      offices: ids('office'),
      occupations: ids('kldb'),
    });
    return (dimension, id) => {
      if (id === null) {
        return { id: null, label: NOT_STATED };
      }
      return { id, label: labelOf(dimension, id, names) ?? id };
    };
  }
}

type Prepared = Awaited<ReturnType<ReportsService['prepare']>>;

/** What makes two reports the same table: parameters, scope, suppression, rollups and today (stocks are as of today). */
function cacheKey(base: Prepared, groupBy: readonly Dimension[], today: string): string {
  return JSON.stringify([
    base.report,
    base.request.from,
    base.request.to,
    groupBy,
    base.scope,
    base.suppressed,
    base.dataAsOf,
    base.path,
    today,
  ]);
}

function labelOf(
  dimension: Dimension,
  id: string,
  names: { networks: Map<string, string>; offices: Map<string, string>; occupations: Map<string, string> },
): string | undefined {
  switch (dimension) {
    case 'network':
      return names.networks.get(id);
    case 'office':
      return names.offices.get(id);
    case 'month':
      return MONTH_LABEL.format(new Date(`${id}-01T00:00:00Z`));
    case 'quarter':
      return `${id.slice(6)}. Quartal ${id.slice(0, 4)}`;
    case 'kldb':
      return names.occupations.get(id) ?? `KldB ${id}`;
    case 'kldbGroup':
      return `Berufshauptgruppe ${id}`;
    case 'countryOfTraining':
      return countryShortName(id, 'de');
    case 'gender':
      return (CODE_LABELS.gender as Record<string, { de: string }>)[id]?.de;
    case 'residenceStatus':
      return (CODE_LABELS.residenceStatus as Record<string, { de: string }>)[id]?.de;
    case 'regulated':
    case 'fastTrack':
      return id === 'true' ? 'ja' : 'nein';
  }
}

/** Code lists shown in their own order (as in the forms), not alphabetically. */
const CODE_ORDER: Partial<Record<Dimension, readonly string[]>> = {
  gender: GENDERS,
  residenceStatus: RESIDENCE_STATUSES,
  regulated: ['true', 'false'],
  fastTrack: ['true', 'false'],
};

/** Rows in the order of the grouping: time by date, codes in list order, other groups by label; "not stated" last. */
function compareGroups(left: ReportRow, right: ReportRow, groupBy: readonly Dimension[]): number {
  for (const dimension of groupBy) {
    const a = left.group[dimension];
    const b = right.group[dimension];
    if (a.id === b.id) {
      continue;
    }
    if (a.id === null || b.id === null) {
      return a.id === null ? 1 : -1;
    }
    const codes = CODE_ORDER[dimension];
    const order =
      dimension === 'month' || dimension === 'quarter'
        ? a.id.localeCompare(b.id)
        : codes
          ? codes.indexOf(a.id) - codes.indexOf(b.id)
          : a.label.localeCompare(b.label, 'de') || a.id.localeCompare(b.id);
    if (order !== 0) {
      return order;
    }
  }
  return 0;
}

/**
 * Withholds counts (primary and secondary, see disclosure.ts); cell ids are `<row>:<column>`, the
 * totals row `T:<column>`.
 */
function applySuppression(
  rows: ReportRow[],
  totals: ReportRow | null,
  columns: readonly ReportColumn[],
  relations: Relation[],
  minCell: number,
): void {
  const cells = new Map<string, number>();
  const all: [string, ReportRow][] = rows.map((row, r) => [String(r), row]);
  if (totals) {
    all.push(['T', totals]);
  }
  for (const [id, row] of all) {
    for (const column of columns) {
      if (column.kind === 'count') {
        cells.set(`${id}:${column.key}`, row.cells[column.key].value ?? 0);
      }
    }
  }
  const withheld = suppress(cells, relations, minCell);
  for (const [id, row] of all) {
    for (const column of columns) {
      if (withheld.has(`${id}:${column.key}`)) {
        row.cells[column.key] = { value: null, suppressed: true };
      }
    }
  }
}

/** The last day of the month before the month of `date` (`YYYY-MM-DD`). */
function previousMonthEnd(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, 0)).toISOString().slice(0, 10);
}

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

function roundDays(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value * 10) / 10;
}

function scopeOf(actor: Actor): ReportScope {
  switch (actor.role) {
    case 'ADMIN':
      return { level: 'ALL' };
    case 'COORDINATOR':
      if (actor.networkId) {
        return { level: 'NETWORK', networkId: actor.networkId };
      }
      break;
    case 'ADVISER':
      if (actor.officeId) {
        return { level: 'OFFICE', officeId: actor.officeId };
      }
      break;
  }
  throw new ProblemError('forbidden', 'Reports need a network (coordinators) or an office (advisers).');
}

function scopeId(scope: ReportScope): string | null {
  return scope.level === 'NETWORK' ? scope.networkId : scope.level === 'OFFICE' ? scope.officeId : null;
}

function checkPeriod(from: string, to: string): void {
  if (from > to) {
    throw new RequestValidationError([{ pointer: '#/to', detail: 'must not be before from' }]);
  }
  const limit = new Date(`${from}T00:00:00Z`);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_YEARS);
  if (new Date(`${to}T00:00:00Z`) >= limit) {
    throw new RequestValidationError([
      { pointer: '#/to', detail: `must be less than ${MAX_YEARS} years after from` },
    ]);
  }
}

/** What the audit event names: the report and its parameters (never figures). */
function auditedParameters(
  report: ReportName,
  request: ReportRequest,
  groupBy: readonly Dimension[],
): string {
  const parameters = new URLSearchParams({ from: request.from, to: request.to });
  if (groupBy.length > 0) {
    parameters.set('groupBy', groupBy.join(','));
  }
  parameters.set('format', request.format);
  parameters.set('locale', request.locale);
  return `${report}?${parameters.toString()}`;
}
