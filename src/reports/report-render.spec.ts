import { parse } from 'csv-parse/sync';
import { ProblemError } from '../common/errors/problem.error';
import { fileName, flatten, SUPPRESSED, toCsv, toJson } from './report-render';
import type { ReportDocument } from './reports.service';
import { negotiate } from './reports.controller';

function document(): ReportDocument {
  return {
    report: 'caseload',
    title: 'Fallzahlen der Beratung',
    period: { from: '2026-01-01', to: '2026-12-31' },
    groupBy: ['office'],
    scope: { level: 'NETWORK', id: 'n1', label: 'Netzwerk Nord' },
    suppression: { applied: true, minCell: 5, rule: 'rule' },
    dataAsOf: '2026-12-06T08:00:00.000000Z',
    generatedAt: '2026-12-06T09:00:00.000Z',
    groupColumns: [{ key: 'office', label: 'Beratungsstelle' }],
    columns: [
      { key: 'clientsCounselled', kind: 'count', label: 'Beratene Personen', description: '' },
      { key: 'completionRate', kind: 'rate', label: 'Erfolgsquote', description: '' },
    ],
    rows: [
      {
        group: { office: { id: 'o1', label: 'Beratung "Nord"; Kiel' } },
        cells: {
          clientsCounselled: { value: 12, suppressed: false },
          completionRate: { value: 0.25, suppressed: false },
        },
      },
      {
        group: { office: { id: 'o2', label: '=HYPERLINK("x")' } },
        cells: {
          clientsCounselled: { value: null, suppressed: true },
          completionRate: { value: null, suppressed: false },
        },
      },
    ],
    totals: {
      group: { office: { id: null, label: 'Insgesamt' } },
      cells: {
        clientsCounselled: { value: 15, suppressed: false },
        completionRate: { value: 0.5, suppressed: false },
      },
    },
  };
}

describe('report files', () => {
  it('flattens groups into id and label columns, withheld cells marked', () => {
    const { columns, rows } = flatten(document(), 'en');
    expect(columns.map((column) => column.header)).toEqual([
      'office',
      'officeLabel',
      'clientsCounselled',
      'completionRate',
    ]);
    expect(rows[1]).toEqual(['o2', '=HYPERLINK("x")', SUPPRESSED, null]);
    expect(rows[2]).toEqual([null, 'Insgesamt', 15, 0.5]);
  });

  it('writes CSV with BOM, quoting and a decimal point by default', () => {
    const csv = toCsv(document(), 'en');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8');
    expect(text).toContain('"Beratung ""Nord""; Kiel"');
    expect(text.split('\r\n')[1]).toBe('o1,"Beratung ""Nord""; Kiel",12,0.25');
    expect(parse(csv, { bom: true })).toEqual([
      ['office', 'officeLabel', 'clientsCounselled', 'completionRate'],
      ['o1', 'Beratung "Nord"; Kiel', '12', '0.25'],
      ['o2', `'=HYPERLINK("x")`, '.', ''],
      ['', 'Insgesamt', '15', '0.5'],
    ]);
  });

  it('writes German CSV with semicolons, a decimal comma and German headers', () => {
    const csv = toCsv(document(), 'de');
    expect(parse(csv, { bom: true, delimiter: ';' })).toEqual([
      ['Beratungsstelle (Schlüssel)', 'Beratungsstelle', 'Beratene Personen', 'Erfolgsquote'],
      ['o1', 'Beratung "Nord"; Kiel', '12', '0,25'],
      ['o2', `'=HYPERLINK("x")`, '.', ''],
      ['', 'Insgesamt', '15', '0,5'],
    ]);
  });

  it('names files after report and period', () => {
    expect(fileName(document(), 'xlsx')).toBe('caseload_2026-01-01_2026-12-31.xlsx');
  });
});

describe('content negotiation', () => {
  it.each([
    [undefined, 'json'],
    ['', 'json'],
    ['*/*', 'json'],
    ['application/json', 'json'],
    ['text/csv', 'csv'],
    ['text/csv;q=0.5, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['application/xml, text/*;q=0.1', 'csv'],
    ['text/html, application/json;q=0.9', 'json'],
  ])('Accept %p → %s', (accept, format) => {
    expect(negotiate(accept)).toBe(format);
  });

  it('refuses what no report can be (406)', () => {
    expect(() => negotiate('application/xml')).toThrow(ProblemError);
    expect(() => negotiate('text/csv;q=0')).toThrow(ProblemError);
  });
});

describe('toJson', () => {
  it('is the document as JSON, and a copy served from the cache carries its own generatedAt', () => {
    const first = document();
    expect(JSON.parse(toJson(first).toString('utf8'))).toEqual(first);
    const again = { ...first, generatedAt: '2026-12-06T10:30:00.000Z' };
    expect(JSON.parse(toJson(again).toString('utf8'))).toEqual(again);
    expect(JSON.parse(toJson(first).toString('utf8')).generatedAt).toBe('2026-12-06T09:00:00.000Z');
  });
});
