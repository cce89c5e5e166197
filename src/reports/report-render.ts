import ExcelJS from 'exceljs';
import type { ColumnKind } from './report-table';
import type { ReportDocument } from './reports.service';

/** The media types a report is served as. */
export const MEDIA_TYPES = {
  json: 'application/json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** How a withheld count appears in a file (the sign official German statistics use for "secret"). */
export const SUPPRESSED_MARK = '.';

export type FileLocale = 'de' | 'en';

/** One value of the flat table: text, a number, or withheld / empty. */
export type FlatValue = string | number | null | typeof SUPPRESSED;
export const SUPPRESSED = Symbol('suppressed');

export interface FlatColumn {
  header: string;
  kind: ColumnKind | 'id' | 'label';
}

/**
 * The report as one flat table, as the files carry it: per grouping two columns (its code or id and
 * its label), then the measures; the rows, then the totals row.
 */
export function flatten(
  document: ReportDocument,
  locale: FileLocale,
): { columns: FlatColumn[]; rows: FlatValue[][] } {
  const columns: FlatColumn[] = [];
  for (const group of document.groupColumns) {
    columns.push({ header: locale === 'de' ? `${group.label} (Schlüssel)` : group.key, kind: 'id' });
    columns.push({ header: locale === 'de' ? group.label : `${group.key}Label`, kind: 'label' });
  }
  for (const column of document.columns) {
    columns.push({ header: locale === 'de' ? column.label : column.key, kind: column.kind });
  }
  const rows = [...document.rows, ...(document.totals ? [document.totals] : [])].map((row) => {
    const values: FlatValue[] = [];
    for (const group of document.groupColumns) {
      const value = row.group[group.key];
      values.push(value?.id ?? null, value?.label ?? null);
    }
    for (const column of document.columns) {
      const cell = row.cells[column.key];
      values.push(cell.suppressed ? SUPPRESSED : cell.value);
    }
    return values;
  });
  return { columns, rows };
}

/**
 * CSV (RFC 4180 quoting, CRLF) in UTF-8 with a byte-order mark. `de`: `;` between fields and a
 * decimal comma, as Excel in Germany expects; otherwise `,` and a decimal point. A withheld count
 * is `.`, an empty cell has no value. Text that a spreadsheet would run as a formula is prefixed with `'`.
 */
/**
 * The serialised JSON of a report without `generatedAt`, by its rows: a report served again from the
 * cache shares its rows with the first answer (only `generatedAt` differs), and a national report runs
 * to a megabyte — serialising and encoding it anew was most of a cached answer's CPU time.
 */
const JSON_BODIES = new WeakMap<ReportDocument['rows'], Buffer>();

/** The JSON representation (UTF-8), `generatedAt` last. */
export function toJson(document: ReportDocument): Buffer {
  let head = JSON_BODIES.get(document.rows);
  if (!head) {
    head = Buffer.from(JSON.stringify({ ...document, generatedAt: undefined }).slice(0, -1), 'utf8');
    JSON_BODIES.set(document.rows, head);
  }
  return Buffer.concat([head, Buffer.from(`,"generatedAt":${JSON.stringify(document.generatedAt)}}`)]);
}

export function toCsv(document: ReportDocument, locale: FileLocale): Buffer {
  const separator = locale === 'de' ? ';' : ',';
  const { columns, rows } = flatten(document, locale);
  const field = (value: FlatValue): string => {
    if (value === SUPPRESSED) {
      return SUPPRESSED_MARK;
    }
    if (value === null) {
      return '';
    }
    if (typeof value === 'number') {
      const text = String(value);
      return locale === 'de' ? text.replace('.', ',') : text;
    }
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[";,\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [columns.map((column) => field(column.header)), ...rows.map((row) => row.map(field))].map(
    (line) => line.join(separator),
  );
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

const NUMBER_FORMATS: Partial<Record<FlatColumn['kind'], string>> = {
  count: '#,##0',
  rate: '0.0%',
  days: '0.0',
};

/**
 * XLSX: the table on the first sheet (bold frozen header row, number formats, column widths, the
 * totals row bold), and a second sheet stating period, filters, scope, data freshness and the
 * suppression rule.
 */
export async function toXlsx(document: ReportDocument, locale: FileLocale): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Anker';
  workbook.created = new Date(document.generatedAt);
  const { columns, rows } = flatten(document, locale);
  const sheet = workbook.addWorksheet(locale === 'de' ? 'Bericht' : 'Report', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns.map((column, index) => {
    const longest = Math.max(
      column.header.length,
      ...rows.map((row) => {
        const value = row[index];
        return typeof value === 'string' ? value.length : 8;
      }),
    );
    return {
      header: column.header,
      key: `c${index}`,
      width: Math.min(60, Math.max(10, longest + 2)),
      style: NUMBER_FORMATS[column.kind] ? { numFmt: NUMBER_FORMATS[column.kind] } : {},
    };
  });
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).alignment = { wrapText: true, vertical: 'top' };
  for (const row of rows) {
    const added = sheet.addRow(row.map((value) => (value === SUPPRESSED ? SUPPRESSED_MARK : value)));
    if (document.totals && row === rows[rows.length - 1]) {
      added.font = { bold: true };
    }
  }
  const about = workbook.addWorksheet(locale === 'de' ? 'Angaben' : 'About');
  about.columns = [
    { header: locale === 'de' ? 'Angabe' : 'Item', key: 'item', width: 28 },
    { header: locale === 'de' ? 'Wert' : 'Value', key: 'value', width: 100 },
  ];
  about.getRow(1).font = { bold: true };
  for (const [item, value] of describe(document, locale)) {
    about.addRow({ item, value });
  }
  about.getColumn('value').alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The second sheet: what the table is. */
export function describe(document: ReportDocument, locale: FileLocale): [string, string][] {
  const de = locale === 'de';
  return [
    [de ? 'Bericht' : 'Report', `${document.title} (${document.report})`],
    [de ? 'Zeitraum' : 'Period', `${document.period.from} – ${document.period.to}`],
    [
      de ? 'Gruppierung' : 'Grouped by',
      document.groupColumns.map((column) => column.label).join(', ') || (de ? 'keine' : 'none'),
    ],
    [de ? 'Filter' : 'Filters', de ? 'keine (der ganze Bereich)' : 'none (the whole scope)'],
    [de ? 'Bereich' : 'Scope', document.scope.label],
    [de ? 'Datenstand' : 'Data as of', document.dataAsOf],
    [de ? 'Erstellt' : 'Generated', document.generatedAt],
    [
      de ? 'Geheimhaltung' : 'Disclosure control',
      document.suppression.applied
        ? `${de ? 'angewendet' : 'applied'}: ${document.suppression.rule} ${de ? 'Gesperrte Werte: „.“' : 'Withheld values: "."'}`
        : `${de ? 'nicht angewendet (ungeschwärzt, nur zur internen Verwendung)' : 'not applied (unsuppressed, internal use only)'}: ${document.suppression.rule}`,
    ],
    [de ? 'Definitionen' : 'Definitions', 'docs/reports.md'],
  ];
}

/** `caseload_2026-01-01_2026-12-31.csv`. */
export function fileName(document: ReportDocument, format: 'csv' | 'xlsx'): string {
  return `${document.report}_${document.period.from}_${document.period.to}.${format}`;
}
