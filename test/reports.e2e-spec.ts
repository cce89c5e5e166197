import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { recomputable, type Relation } from '../src/reports/disclosure';
import { ReportRefreshJob } from '../src/reports/report-refresh.job';
import { ReportRollups } from '../src/reports/report-rollups';
import { CASELOAD_COLUMNS, CASELOAD_DIMENSIONS, CASELOAD_SUMS } from '../src/reports/report-table';
import { officeMonthsApply, ReportsRepository } from '../src/reports/reports.repository';
import { ReportsService, type CaseloadPath } from '../src/reports/reports.service';
import type { Actor } from '../src/auth/actor';
import type { Dimension } from '../src/reports/report-table';
import { createApiClient, createUser, partnerToken, tokenFor } from './support/auth';
import { eventually } from './support/job-probes';
import { arrangeReportFixture, type ReportFixture } from './support/report-fixture';
import { createTestApp, type TestApp } from './support/test-app';

const Q1 = 'from=2026-01-01&to=2026-03-31';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Cell {
  value: number | null;
  suppressed: boolean;
}
interface Row {
  group: Record<string, { id: string | null; label: string }>;
  cells: Record<string, Cell>;
}
interface Report {
  report: string;
  groupBy: string[];
  scope: { level: string; id: string | null; label: string };
  suppression: { applied: boolean; minCell: number };
  dataAsOf: string;
  groupColumns: { key: string; label: string }[];
  columns: { key: string; kind: string; label: string }[];
  rows: Row[];
  totals: Row | null;
}

/** The values of some measures of a row, for compact expectations. */
function values(row: Row | null | undefined, keys: readonly string[]): Record<string, number | null> {
  if (!row) {
    throw new Error('no such row');
  }
  return Object.fromEntries(keys.map((key) => [key, row.cells[key].value]));
}

function rowOf(report: Report, group: Record<string, string | null>): Row | undefined {
  return report.rows.find((row) => Object.entries(group).every(([key, id]) => row.group[key]?.id === id));
}

const CONSULTING = ['clientsCounselled', 'newClients', 'consultationsFirst', 'consultationsFollowUp'];
const CASES = [
  'casesOpened',
  'casesDecided',
  'decidedFullEquivalence',
  'decidedCompensationMeasure',
  'casesOpenAtEnd',
  'casesOverdueAtEnd',
  'medianProcessingDays',
];
const ENROLMENTS = [
  'enrolmentsStarted',
  'enrolmentsCompleted',
  'enrolmentsFailed',
  'enrolmentsDropped',
  'completionRate',
];
const REFERRALS = [
  'referralsSent',
  'referralsSentJobcenter',
  'referralsSentKammer',
  'referralsAccepted',
  'referralsDeclined',
  'referralsExpired',
  'referralAcceptanceRate',
];
const ADDITIVE = CASELOAD_COLUMNS.filter(
  (column) =>
    column.kind === 'count' &&
    !['clientsCounselled', 'casesOpenAtEnd', 'casesOverdueAtEnd'].includes(column.key),
).map((column) => column.key);

/** A cell as text: the workbook holds numbers and strings only. */
function cellText(value: ExcelJS.CellValue): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
}

describe('Reports (caseload, ESF+, recognition outcomes)', () => {
  let t: TestApp;
  let fixture: ReportFixture;
  let admin: string;
  let coordinator: string;
  let adviser: string;
  let partner: string;
  let actors: Actor[];
  const bodies: string[] = [];

  const get = async (token: string, path: string, accept?: string): Promise<Response> => {
    const call = t.http.get(`/api/v1/reports/${path}`).auth(token, { type: 'bearer' });
    const response = await (accept ? call.set('Accept', accept) : call).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    const raw = response.body as Buffer;
    bodies.push(raw.toString('utf8'));
    if (
      String(response.headers['content-type']).startsWith('application/json') ||
      String(response.headers['content-type']).startsWith('application/problem+json')
    ) {
      response.body = JSON.parse(raw.toString('utf8'));
    }
    return response;
  };
  const report = async (token: string, path: string): Promise<Report> => {
    const response = await get(token, path);
    expect(response.status).toBe(200);
    return response.body as Report;
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { REPORT_MIN_CELL: '3', REPORTS_REFRESH_ENABLED: 'false' } });
    t.clock.setFixedTime('2026-06-15T10:00:00Z');
    fixture = await arrangeReportFixture(t);
    await t.app.get(ReportRollups).refresh();
    const [adminUser, coordinatorUser] = await Promise.all([
      createUser(t, { role: 'ADMIN' }),
      createUser(t, { role: 'COORDINATOR', networkId: fixture.networks.north }),
    ]);
    const actor = (
      id: string,
      role: Actor['role'],
      officeId: string | null,
      networkId: string | null,
    ): Actor => ({
      kind: 'user',
      id,
      role,
      officeId,
      networkId,
      partnerId: null,
      apiClientId: null,
    });
    actors = [
      actor(adminUser.id, 'ADMIN', null, null),
      actor(coordinatorUser.id, 'COORDINATOR', null, fixture.networks.north),
      actor(fixture.adviser.id, 'ADVISER', fixture.offices.kiel, null),
    ];
    admin = await tokenFor(t, adminUser);
    coordinator = await tokenFor(t, coordinatorUser);
    adviser = await tokenFor(t, fixture.adviser);
    partner = await partnerToken(t, await createApiClient(t));
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('caseload, hand-computed (administrator: every office, unsuppressed)', () => {
    let byOfficeMonth: Report;

    beforeAll(async () => {
      byOfficeMonth = await report(admin, `caseload?${Q1}&groupBy=office,month`);
    });

    it('states period, grouping, scope, freshness and that nothing is withheld', async () => {
      const state = await t.db.query<{ at: Date }>(
        "SELECT refreshed_at AS at FROM report_rollup_state WHERE name = 'reports'",
      );
      expect(byOfficeMonth).toMatchObject({
        report: 'caseload',
        period: { from: '2026-01-01', to: '2026-03-31' },
        groupBy: ['office', 'month'],
        scope: { level: 'ALL', id: null },
        suppression: { applied: false, minCell: 3 },
      });
      expect(new Date(byOfficeMonth.dataAsOf).getTime()).toBe(state.rows[0].at.getTime());
      expect(byOfficeMonth.groupColumns.map((column) => column.key)).toEqual(['office', 'month']);
    });

    it('lists the groups with labels, in order, leaving out groups without any count', () => {
      expect(byOfficeMonth.rows.map((row) => `${row.group.office.label} ${row.group.month.label}`)).toEqual([
        'Beratungsstelle Kiel Januar 2026',
        'Beratungsstelle Kiel Februar 2026',
        'Beratungsstelle Kiel März 2026',
        'Beratungsstelle Lübeck Januar 2026',
        'Beratungsstelle Lübeck Februar 2026',
        'Beratungsstelle Lübeck März 2026',
        'Beratungsstelle Rostock Januar 2026',
        'Beratungsstelle Rostock Februar 2026',
      ]);
      expect(byOfficeMonth.rows[0].group.office.id).toBe(fixture.offices.kiel);
      expect(byOfficeMonth.rows[0].group.month.id).toBe('2026-01');
    });

    it('counts clients and consultations per office and month (voided and out-of-period ones left out)', () => {
      const { kiel, luebeck, rostock } = fixture.offices;
      const expected: [string, string, number[]][] = [
        [kiel, '2026-01', [2, 1, 1, 2]],
        [kiel, '2026-02', [1, 0, 0, 1]],
        [kiel, '2026-03', [2, 1, 1, 1]], // the consultation on 31 March counts
        [luebeck, '2026-01', [0, 0, 0, 0]],
        [luebeck, '2026-02', [1, 1, 1, 0]],
        [luebeck, '2026-03', [1, 0, 0, 1]],
        [rostock, '2026-01', [1, 1, 1, 0]],
        [rostock, '2026-02', [0, 0, 0, 0]],
      ];
      for (const [office, month, counts] of expected) {
        expect(values(rowOf(byOfficeMonth, { office, month }), CONSULTING)).toEqual(
          Object.fromEntries(CONSULTING.map((key, index) => [key, counts[index]])),
        );
      }
    });

    it('counts recognition cases: opened, first decided by outcome, open and overdue at each month end', () => {
      const { kiel, luebeck, rostock } = fixture.offices;
      const expected: [string, string, (number | null)[]][] = [
        [kiel, '2026-01', [1, 1, 0, 1, 1, 0, 56]],
        [kiel, '2026-02', [1, 0, 0, 0, 2, 0, null]],
        // K3 was decided on 1 April, the first day after the period: not decided here, still open.
        [kiel, '2026-03', [0, 0, 0, 0, 2, 1, null]],
        [luebeck, '2026-01', [1, 0, 0, 0, 1, 0, null]],
        [luebeck, '2026-02', [0, 0, 0, 0, 1, 0, null]],
        [luebeck, '2026-03', [0, 1, 1, 0, 0, 0, 78]], // decided on 31 March
        [rostock, '2026-02', [1, 0, 0, 0, 1, 0, null]],
      ];
      for (const [office, month, counts] of expected) {
        expect(values(rowOf(byOfficeMonth, { office, month }), CASES)).toEqual(
          Object.fromEntries(CASES.map((key, index) => [key, counts[index]])),
        );
      }
    });

    it('counts enrolments and referrals with their rates', () => {
      const { kiel, luebeck } = fixture.offices;
      expect(values(rowOf(byOfficeMonth, { office: kiel, month: '2026-01' }), ENROLMENTS)).toEqual({
        enrolmentsStarted: 1,
        enrolmentsCompleted: 0,
        enrolmentsFailed: 0,
        enrolmentsDropped: 0,
        completionRate: null,
      });
      expect(values(rowOf(byOfficeMonth, { office: kiel, month: '2026-03' }), ENROLMENTS)).toEqual({
        enrolmentsStarted: 0,
        enrolmentsCompleted: 1,
        enrolmentsFailed: 0,
        enrolmentsDropped: 1,
        completionRate: 0.5,
      });
      expect(values(rowOf(byOfficeMonth, { office: luebeck, month: '2026-03' }), ENROLMENTS)).toMatchObject({
        enrolmentsStarted: 1,
      });
      expect(values(rowOf(byOfficeMonth, { office: kiel, month: '2026-03' }), REFERRALS)).toEqual({
        referralsSent: 2,
        referralsSentJobcenter: 1,
        referralsSentKammer: 1,
        referralsAccepted: 1,
        referralsDeclined: 0,
        referralsExpired: 0,
        referralAcceptanceRate: 1,
      });
      expect(values(rowOf(byOfficeMonth, { office: luebeck, month: '2026-02' }), REFERRALS)).toEqual({
        referralsSent: 1,
        referralsSentJobcenter: 1,
        referralsSentKammer: 0,
        referralsAccepted: 0,
        referralsDeclined: 0,
        referralsExpired: 1,
        referralAcceptanceRate: 0,
      });
    });

    it('has a totals row over the whole period: distinct clients once, stocks at the end', () => {
      expect(
        values(byOfficeMonth.totals, [
          ...CONSULTING,
          ...CASES,
          'p75ProcessingDays',
          ...ENROLMENTS,
          ...REFERRALS,
        ]),
      ).toEqual({
        clientsCounselled: 5,
        newClients: 4,
        consultationsFirst: 4,
        consultationsFollowUp: 5,
        casesOpened: 4,
        casesDecided: 2,
        decidedFullEquivalence: 1,
        decidedCompensationMeasure: 1,
        casesOpenAtEnd: 2,
        casesOverdueAtEnd: 1,
        medianProcessingDays: 67,
        p75ProcessingDays: 72.5,
        enrolmentsStarted: 3,
        enrolmentsCompleted: 1,
        enrolmentsFailed: 0,
        enrolmentsDropped: 1,
        completionRate: 0.5,
        referralsSent: 5,
        referralsSentJobcenter: 3,
        referralsSentKammer: 2,
        referralsAccepted: 2,
        referralsDeclined: 1,
        referralsExpired: 1,
        referralAcceptanceRate: 0.5,
      });
      expect(Object.values(byOfficeMonth.totals!.group).every((group) => group.label === 'Insgesamt')).toBe(
        true,
      );
    });

    it('the totals row equals the sum of the rows for every additive count', () => {
      for (const key of ADDITIVE) {
        const sum = byOfficeMonth.rows.reduce((total, row) => total + (row.cells[key].value ?? 0), 0);
        expect({ key, total: byOfficeMonth.totals!.cells[key].value }).toEqual({ key, total: sum });
      }
    });

    it.each(CASELOAD_DIMENSIONS.map((dimension) => [dimension]))(
      'groups by %s with the same totals',
      async (dimension) => {
        const grouped = await report(admin, `caseload?${Q1}&groupBy=${dimension}`);
        expect(grouped.totals!.cells).toEqual(byOfficeMonth.totals!.cells);
        for (const key of ADDITIVE) {
          const sum = grouped.rows.reduce((total, row) => total + (row.cells[key].value ?? 0), 0);
          expect({ key, sum }).toEqual({ key, sum: grouped.totals!.cells[key].value });
        }
        expect(grouped.rows.every((row) => typeof row.group[dimension].label === 'string')).toBe(true);
      },
    );

    it('labels and counts the other groupings as computed by hand', async () => {
      const byGender = await report(admin, `caseload?${Q1}&groupBy=gender`);
      expect(byGender.rows.map((row) => [row.group.gender.label, row.cells.clientsCounselled.value])).toEqual(
        [
          ['weiblich', 2],
          ['männlich', 2],
          ['keine Angabe', 1],
        ],
      );
      const byCountry = await report(admin, `caseload?${Q1}&groupBy=countryOfTraining`);
      expect(
        values(rowOf(byCountry, { countryOfTraining: 'SY' }), ['clientsCounselled', 'casesDecided']),
      ).toEqual({
        clientsCounselled: 1,
        casesDecided: 1,
      });
      expect(rowOf(byCountry, { countryOfTraining: 'SY' })!.group.countryOfTraining.label).toBe('Syrien');
      const byOccupation = await report(admin, `caseload?${Q1}&groupBy=kldb`);
      expect(
        values(rowOf(byOccupation, { kldb: '81302' }), ['casesOpened', 'casesDecided', 'casesOpenAtEnd']),
      ).toEqual({
        casesOpened: 2,
        casesDecided: 2,
        casesOpenAtEnd: 1,
      });
      // Consultations have no occupation: they fall into "not applicable".
      expect(values(rowOf(byOccupation, { kldb: null }), ['clientsCounselled'])).toEqual({
        clientsCounselled: 5,
      });
      const byGroup = await report(admin, `caseload?${Q1}&groupBy=kldbGroup,regulated,fastTrack`);
      expect(
        values(rowOf(byGroup, { kldbGroup: '26', regulated: 'false', fastTrack: 'true' }), [
          'casesOpened',
          'casesOverdueAtEnd',
        ]),
      ).toEqual({
        casesOpened: 1,
        casesOverdueAtEnd: 1,
      });
      const byQuarter = await report(admin, `caseload?${Q1}&groupBy=network,quarter`);
      expect(
        byQuarter.rows.map((row) => [
          row.group.network.label,
          row.group.quarter.label,
          row.cells.clientsCounselled.value,
        ]),
      ).toEqual([
        ['IQ Netzwerk Nord', '1. Quartal 2026', 4],
        ['IQ Netzwerk Ost', '1. Quartal 2026', 1],
      ]);
      const byResidence = await report(admin, `caseload?${Q1}&groupBy=residenceStatus`);
      expect(
        values(rowOf(byResidence, { residenceStatus: 'AE_16D' }), ['clientsCounselled', 'newClients']),
      ).toEqual({
        clientsCounselled: 2,
        newClients: 2,
      });
    });

    it('keeps distinct clients exact for periods that cut months', async () => {
      // 20 January … 5 February: C2 (20th, 25th) and C1 (5 February); C1's first consultation on the 10th is outside.
      const cut = await report(admin, 'caseload?from=2026-01-20&to=2026-02-05');
      expect(values(cut.totals, CONSULTING)).toEqual({
        clientsCounselled: 2,
        newClients: 0,
        consultationsFirst: 0,
        consultationsFollowUp: 3,
      });
    });
  });

  describe('the office-month rollup (fast path)', () => {
    const requests: [string, string, Dimension[]][] = [
      ['2026-01-01', '2026-03-31', ['office', 'month']],
      ['2026-01-01', '2026-03-31', ['month', 'office']],
      ['2026-01-01', '2026-03-31', ['network', 'month']],
      ['2026-01-01', '2026-03-31', ['month']],
      ['2026-01-01', '2026-03-31', ['office']],
      ['2026-01-01', '2026-03-31', ['network', 'office']],
      ['2026-01-01', '2026-03-31', []],
      ['2026-02-01', '2026-02-28', ['office']],
      ['2026-03-01', '2026-03-31', []],
      // Months after the last month-end stock in the rollup (today: 15 June 2026) take their stocks from the cases.
      ['2026-01-01', '2026-12-31', ['office', 'month']],
      ['2025-10-01', '2026-06-30', ['month']],
      ['2026-04-01', '2026-07-31', ['office']],
    ];

    it('answers every month × office query exactly as the fine rollups do, for every role', async () => {
      // A new dataAsOf: none of these reports is answered from the report cache.
      await t.app.get(ReportRollups).refresh();
      const service = t.app.get(ReportsService);
      const officeMonths = jest.spyOn(t.app.get(ReportsRepository), 'officeMonths');
      const caseload = (
        actor: Actor,
        [from, to, groupBy]: [string, string, Dimension[]],
        path: CaseloadPath,
      ) =>
        service
          .caseload(
            { from, to, groupBy, format: 'json', locale: 'en' },
            { actor, requestId: randomUUID() },
            path,
          )
          .then(({ generatedAt: _generatedAt, ...document }) => document);
      for (const actor of actors) {
        for (const request of requests) {
          expect(officeMonthsApply(request[0], request[1], request[2])).toBe(true);
          officeMonths.mockClear();
          const fast = await caseload(actor, request, 'auto');
          expect(officeMonths).toHaveBeenCalled();
          const exact = await caseload(actor, request, 'exact');
          expect([actor.role, request, fast]).toEqual([actor.role, request, exact]);
        }
      }
      officeMonths.mockRestore();
      // The hand-computed fixture is in it: the same figures as the tests above.
      const byOfficeMonth = await report(admin, `caseload?${Q1}&groupBy=office,month`);
      expect(byOfficeMonth.totals!.cells.clientsCounselled.value).toBeGreaterThan(0);
    });

    it('is not used where it would not be exact: days cutting a month, other groupings', () => {
      expect(officeMonthsApply('2026-01-20', '2026-02-28', ['office', 'month'])).toBe(false);
      expect(officeMonthsApply('2026-01-01', '2026-02-27', ['office', 'month'])).toBe(false);
      expect(officeMonthsApply('2026-01-01', '2026-03-31', ['office', 'gender'])).toBe(false);
      expect(officeMonthsApply('2026-01-01', '2026-03-31', ['quarter'])).toBe(false);
      expect(officeMonthsApply('2024-02-01', '2024-02-29', ['office'])).toBe(true);
    });

    it('reads only the office-month rollup for the grouped rows', async () => {
      const repository = t.app.get(ReportsRepository);
      const relations = new Set<string>();
      const collect = (node: unknown): void => {
        if (Array.isArray(node)) {
          node.forEach(collect);
        } else if (node && typeof node === 'object') {
          const record = node as Record<string, unknown>;
          if (typeof record['Relation Name'] === 'string') {
            relations.add(record['Relation Name']);
          }
          Object.values(record).forEach(collect);
        }
      };
      collect(
        await repository.plan(
          repository.officeMonths(
            {
              from: '2026-01-01',
              to: '2026-03-31',
              groupBy: ['month', 'office'],
              scope: { level: 'NETWORK', networkId: fixture.networks.north },
            },
            { stockMonth: '2026-05-01', distinct: true },
          ),
        ),
      );
      expect([...relations]).toEqual(['report_office_months']);
    });
  });

  describe('scope per role', () => {
    it('an adviser gets their own office, unsuppressed', async () => {
      const own = await report(adviser, `caseload?${Q1}&groupBy=office`);
      expect(own.scope).toEqual({
        level: 'OFFICE',
        id: fixture.offices.kiel,
        label: 'Beratungsstelle Beratungsstelle Kiel',
      });
      expect(own.suppression.applied).toBe(false);
      expect(own.rows.map((row) => row.group.office.id)).toEqual([fixture.offices.kiel]);
      expect(values(own.totals, CONSULTING)).toEqual({
        clientsCounselled: 3,
        newClients: 2,
        consultationsFirst: 2,
        consultationsFollowUp: 4,
      });
    });

    it('a coordinator gets their network with small counts withheld', async () => {
      const network = await report(coordinator, `caseload?${Q1}&groupBy=office`);
      const everything = await report(admin, `caseload?${Q1}&groupBy=office`);
      expect(network.scope).toMatchObject({ level: 'NETWORK', id: fixture.networks.north });
      expect(network.suppression.applied).toBe(true);
      expect(network.rows.map((row) => row.group.office.id)).toEqual([
        fixture.offices.kiel,
        fixture.offices.luebeck,
      ]);
      for (const row of network.rows) {
        const same = rowOf(everything, { office: row.group.office.id })!;
        for (const [key, cell] of Object.entries(row.cells)) {
          if (!cell.suppressed) {
            expect({ key, value: cell.value }).toEqual({ key, value: same.cells[key].value });
          }
        }
      }
    });

    it('a partner system may not pull reports (403)', async () => {
      for (const path of ['caseload', 'esf-participants', 'recognition-outcomes']) {
        const response = await get(partner, `${path}?${Q1}`);
        expect(response.status).toBe(403);
      }
    });
  });

  describe('disclosure control for coordinators', () => {
    it('withholds every count from 1 to minCell − 1 and enough others that none can be recomputed', async () => {
      for (const grouping of ['office', 'office,month', 'gender', 'kldb,countryOfTraining']) {
        const published = await report(coordinator, `caseload?${Q1}&groupBy=${grouping}`);
        const complete = await get(admin, `caseload?${Q1}&groupBy=${grouping}`);
        expect(complete.status).toBe(200);
        const counts = published.columns
          .filter((column) => column.kind === 'count')
          .map((column) => column.key);
        const rows = [...published.rows, published.totals!];
        const cells = new Map<string, number>();
        const withheld = new Set<string>();
        rows.forEach((row, r) => {
          const id = r === published.rows.length ? 'T' : String(r);
          for (const key of counts) {
            const cell = row.cells[key];
            if (cell.suppressed) {
              expect(cell.value).toBeNull();
              withheld.add(`${id}:${key}`);
              cells.set(`${id}:${key}`, 0);
            } else {
              expect(cell.value === 0 || cell.value! >= 3).toBe(true);
              cells.set(`${id}:${key}`, cell.value!);
            }
          }
        });
        expect(withheld.size).toBeGreaterThan(0);
        // The attacker's relations: column totals and the sums the table states.
        const relations: Relation[] = [];
        for (const key of counts) {
          relations.push({ total: `T:${key}`, parts: published.rows.map((_row, r) => `${r}:${key}`) });
        }
        rows.forEach((_row, r) => {
          const id = r === published.rows.length ? 'T' : String(r);
          for (const sum of CASELOAD_SUMS) {
            relations.push({ total: `${id}:${sum.total}`, parts: sum.parts.map((part) => `${id}:${part}`) });
          }
        });
        // Solving the published equations recovers no withheld cell.
        expect([...recomputable(cells, relations, withheld)]).toEqual([]);
        // Rates and durations over withheld counts are withheld too.
        for (const row of rows) {
          if (
            ['enrolmentsCompleted', 'enrolmentsFailed', 'enrolmentsDropped'].some(
              (key) => row.cells[key].suppressed,
            )
          ) {
            expect(row.cells.completionRate).toEqual({ value: null, suppressed: true });
          }
          if (row.cells.casesDecided.suppressed) {
            expect(row.cells.medianProcessingDays).toEqual({ value: null, suppressed: true });
          }
        }
      }
    });

    it('withholds small cells of the ESF+ table so that no row or partition reveals them', async () => {
      const esf = await report(coordinator, `esf-participants?${Q1}`);
      expect(esf.suppression.applied).toBe(true);
      for (const row of esf.rows) {
        for (const cell of Object.values(row.cells)) {
          expect(cell.suppressed ? cell.value === null : cell.value === 0 || cell.value! >= 3).toBe(true);
        }
      }
    });
  });

  describe('ESF+ participants and recognition outcomes', () => {
    it('counts participants who entered in the period by indicator and gender', async () => {
      const esf = await report(admin, `esf-participants?${Q1}`);
      const table = Object.fromEntries(
        esf.rows.map((row) => [
          row.group.indicator.id,
          Object.fromEntries(Object.entries(row.cells).map(([key, cell]) => [key, cell.value])),
        ]),
      );
      expect(table.participants).toEqual({ women: 2, men: 1, nonBinary: 0, notStated: 1, total: 4 });
      expect(table.unemployed).toEqual({ women: 1, men: 0, nonBinary: 0, notStated: 0, total: 1 });
      expect(table.longTermUnemployed).toEqual({ women: 0, men: 0, nonBinary: 0, notStated: 0, total: 0 });
      expect(table.inactive).toEqual({ women: 1, men: 0, nonBinary: 0, notStated: 1, total: 2 });
      expect(table.employed).toEqual({ women: 0, men: 1, nonBinary: 0, notStated: 0, total: 1 });
      expect(table.under18).toEqual({ women: 0, men: 0, nonBinary: 0, notStated: 1, total: 1 });
      expect(table.age30to54).toEqual({ women: 1, men: 1, nonBinary: 0, notStated: 0, total: 2 });
      expect(table.age55plus).toEqual({ women: 1, men: 0, nonBinary: 0, notStated: 0, total: 1 });
      expect(table.isced0to2).toEqual({ women: 1, men: 0, nonBinary: 0, notStated: 1, total: 2 });
      expect(table.isced5to8).toEqual({ women: 1, men: 1, nonBinary: 0, notStated: 0, total: 2 });
      expect(table.thirdCountryNationals).toEqual({ women: 1, men: 1, nonBinary: 0, notStated: 1, total: 3 });
      expect(esf.totals).toBeNull();
    });

    it('groups first decisions as the §17 BQFG statistic does, by occupation and country of training', async () => {
      const outcomes = await report(admin, `recognition-outcomes?${Q1}`);
      expect(outcomes.groupBy).toEqual(['kldb', 'countryOfTraining']);
      expect(
        outcomes.rows.map((row) => [
          row.group.kldb.id,
          row.group.countryOfTraining.label,
          row.cells.decisions.value,
          row.cells.fullEquivalence.value,
          row.cells.compensationMeasure.value,
          row.cells.medianProcessingDays.value,
        ]),
      ).toEqual([
        ['81302', 'Syrien', 1, 0, 1, 56],
        ['81302', 'Türkei', 1, 1, 0, 78],
      ]);
      expect(
        values(outcomes.totals, ['decisions', 'fullEquivalence', 'compensationMeasure', 'negative']),
      ).toEqual({
        decisions: 2,
        fullEquivalence: 1,
        compensationMeasure: 1,
        negative: 0,
      });
    });
  });

  describe('files', () => {
    const flat = (report: Report, locale: 'de' | 'en'): string[][] => {
      const rows = [...report.rows, ...(report.totals ? [report.totals] : [])];
      return rows.map((row) => [
        ...report.groupColumns.flatMap((group) => [
          row.group[group.key].id ?? '',
          row.group[group.key].label,
        ]),
        ...report.columns.map((column) => {
          const cell = row.cells[column.key];
          if (cell.suppressed) {
            return '.';
          }
          if (cell.value === null) {
            return '';
          }
          return locale === 'de' ? String(cell.value).replace('.', ',') : String(cell.value);
        }),
      ]);
    };

    it('CSV (default: comma, decimal point) parsed back equals the JSON table', async () => {
      const json = await report(coordinator, `caseload?${Q1}&groupBy=office,month`);
      const csv = await get(coordinator, `caseload?${Q1}&groupBy=office,month`, 'text/csv');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="caseload_2026-01-01_2026-03-31.csv"',
      );
      expect(csv.headers['cache-control']).toBe('no-store');
      const raw = csv.body as Buffer;
      expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const records: string[][] = parse(raw, { bom: true, delimiter: ',' });
      expect(records[0]).toEqual([
        'office',
        'officeLabel',
        'month',
        'monthLabel',
        ...json.columns.map((column) => column.key),
      ]);
      expect(records.slice(1)).toEqual(flat(json, 'en'));
    });

    it('CSV with locale=de: semicolons, decimal comma, German headers', async () => {
      const json = await report(admin, `caseload?${Q1}&groupBy=office`);
      const csv = await get(admin, `caseload?${Q1}&groupBy=office&format=csv&locale=de`);
      expect(csv.status).toBe(200);
      const text = (csv.body as Buffer).toString('utf8');
      expect(text).toContain(';0,5;');
      const records: string[][] = parse(csv.body as Buffer, { bom: true, delimiter: ';' });
      expect(records[0].slice(0, 3)).toEqual([
        'Beratungsstelle (Schlüssel)',
        'Beratungsstelle',
        'Beratene Personen',
      ]);
      expect(records.slice(1)).toEqual(flat(json, 'de'));
    });

    it('XLSX parsed back equals the JSON table, with a bold frozen header and an about sheet', async () => {
      const json = await report(coordinator, `recognition-outcomes?${Q1}&groupBy=kldb`);
      const response = await get(coordinator, `recognition-outcomes?${Q1}&groupBy=kldb`, XLSX);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(XLSX);
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="recognition-outcomes_2026-01-01_2026-03-31.xlsx"',
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(new Uint8Array(response.body as Buffer).buffer);
      const [sheet, about] = workbook.worksheets;
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getRow(1).font?.bold).toBe(true);
      const read: string[][] = [];
      sheet.eachRow((row, number) => {
        if (number > 1) {
          const cells: string[] = [];
          for (let column = 1; column <= sheet.columnCount; column += 1) {
            cells.push(cellText(row.getCell(column).value));
          }
          read.push(cells);
        }
      });
      expect(read).toEqual(flat(json, 'en'));
      const facts: Record<string, string> = {};
      about.eachRow((row) => {
        facts[cellText(row.getCell(1).value)] = cellText(row.getCell(2).value);
      });
      expect(facts.Period).toBe('2026-01-01 – 2026-03-31');
      expect(facts['Data as of']).toBe(json.dataAsOf);
      expect(facts.Scope).toBe(json.scope.label);
      expect(facts['Disclosure control']).toMatch(/^applied/);
    });

    it('answers 406 to a media type it cannot produce', async () => {
      const response = await get(admin, `caseload?${Q1}`, 'application/xml');
      expect(response.status).toBe(406);
    });
  });

  describe('requests and audit', () => {
    it('refuses a bad period or grouping with pointers', async () => {
      const reversed = await get(admin, 'caseload?from=2026-03-01&to=2026-01-01');
      expect(reversed.status).toBe(400);
      expect(reversed.body.errors).toEqual([{ pointer: '#/to', detail: 'must not be before from' }]);
      const badGroup = await get(admin, `caseload?${Q1}&groupBy=office,surname`);
      expect(badGroup.status).toBe(400);
      expect(badGroup.body.errors[0].pointer).toBe('#/groupBy');
      const missing = await get(admin, 'caseload?from=2026-01-01');
      expect(missing.status).toBe(400);
    });

    it('records every report read with its parameters, never figures', async () => {
      const before = await t.db.query(
        "SELECT count(*)::int AS n FROM audit_events WHERE action = 'report.read'",
      );
      await report(coordinator, `caseload?${Q1}&groupBy=office,month`);
      const events = await t.db.query<{ resource_type: string; resource_id: string; network_id: string }>(
        "SELECT resource_type, resource_id, network_id FROM audit_events WHERE action = 'report.read' ORDER BY occurred_at DESC LIMIT 1",
      );
      const after = await t.db.query(
        "SELECT count(*)::int AS n FROM audit_events WHERE action = 'report.read'",
      );
      expect(after.rows[0].n).toBe(before.rows[0].n + 1);
      expect(events.rows[0]).toEqual({
        resource_type: 'report',
        resource_id: 'caseload?from=2026-01-01&to=2026-03-31&groupBy=office%2Cmonth&format=json&locale=en',
        network_id: fixture.networks.north,
      });
    });

    it('no report contains a name, birth date, client id or note text', () => {
      expect(bodies.length).toBeGreaterThan(20);
      for (const body of bodies) {
        for (const secret of fixture.secrets) {
          expect(body.includes(secret) ? secret : null).toBeNull();
        }
      }
    });
  });

  describe('freshness', () => {
    it('answers from the rollups until they are rebuilt, then with the new figures and dataAsOf', async () => {
      const path = `caseload?${Q1}&groupBy=office`;
      const before = await report(admin, path);
      await t.db.query(
        `INSERT INTO consultations (client_id, office_id, adviser_id, held_on, duration_minutes, channel, kind)
         VALUES ($1, $2, $3, '2026-02-20', 30, 'TELEFON', 'FOLGEBERATUNG')`,
        [fixture.clients.c3, fixture.offices.kiel, fixture.adviser.id],
      );
      const stale = await report(admin, path);
      expect(stale.dataAsOf).toBe(before.dataAsOf);
      expect(stale.totals!.cells.clientsCounselled.value).toBe(5);
      await t.app.get(ReportRollups).refresh();
      const fresh = await report(admin, path);
      expect(new Date(fresh.dataAsOf).getTime()).toBeGreaterThan(new Date(before.dataAsOf).getTime());
      expect(fresh.totals!.cells.clientsCounselled.value).toBe(6);
      expect(fresh.totals!.cells.consultationsFollowUp.value).toBe(6);
    });

    it('skips the scheduled rebuild while no source table has changed, and rebuilds after a change or in a new month', async () => {
      const job = t.app.get(ReportRefreshJob);
      const lastRebuild = async () =>
        (
          await t.db.query<{ at: string }>(
            `SELECT to_char(refreshed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
               FROM report_rollup_state`,
          )
        ).rows[0].at;
      // Earlier tests' writes reach PostgreSQL's counters within seconds: run until a run finds none.
      let previous = '';
      await eventually(
        async () => {
          await job.handle();
          const at = await lastRebuild();
          const unchanged = at === previous;
          previous = at;
          return unchanged;
        },
        30_000,
        'a scheduled rebuild that finds nothing changed',
      );
      // A report read writes only its audit event, which no rollup reads.
      expect((await report(admin, `caseload?${Q1}&groupBy=office`)).dataAsOf).toBe(previous);
      await job.handle();
      expect(await lastRebuild()).toBe(previous);

      await t.db.query(
        `INSERT INTO consultations (client_id, office_id, adviser_id, held_on, duration_minutes, channel, kind)
         VALUES ($1, $2, $3, '2026-03-03', 30, 'TELEFON', 'FOLGEBERATUNG')`,
        [fixture.clients.c3, fixture.offices.kiel, fixture.adviser.id],
      );
      await eventually(
        async () => {
          await job.handle();
          return (await lastRebuild()) !== previous;
        },
        30_000,
        'the rebuild after a new consultation',
      );

      previous = await lastRebuild();
      t.clock.setFixedTime('2026-07-01T10:00:00Z');
      try {
        await job.handle();
        // June has ended: its month-end stocks belong in the office-month rollup now.
        expect(await lastRebuild()).not.toBe(previous);
        const { rows } = await t.db.query<{ through: string }>(
          `SELECT to_char(stock_through, 'YYYY-MM-DD') AS through FROM report_rollup_state`,
        );
        expect(rows[0].through).toBe('2026-06-30');
      } finally {
        t.clock.setFixedTime('2026-06-15T10:00:00Z');
      }
    });

    it('reports asked for before the first rebuild, while a rebuild runs, all wait for it (seen by the fuzzer: 500)', async () => {
      await t.db.query(`DELETE FROM report_rollup_state`);
      const [scheduled, ...answers] = await Promise.all([
        t.app.get(ReportRollups).refresh(),
        get(admin, `caseload?${Q1}&groupBy=office`),
        get(adviser, `esf-participants?${Q1}`),
        get(coordinator, `recognition-outcomes?${Q1}`),
        get(admin, `caseload?${Q1}&groupBy=month`),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      const asOf = new Set(answers.map((answer) => (answer.body as Report).dataAsOf));
      expect(asOf.size).toBe(1);
      const { rows } = await t.db.query<{ at: string }>(
        `SELECT to_char(refreshed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
           FROM report_rollup_state`,
      );
      expect(rows).toHaveLength(1);
      expect([...asOf][0]).toBe(rows[0].at);
      if (scheduled) {
        expect(scheduled.refreshedAt).toBe(rows[0].at);
      }
    });

    it('computes a report asked for by several callers at once only once, and serves it again from the cache', async () => {
      const run = jest.spyOn(t.app.get(ReportsRepository), 'run');
      try {
        const path = `caseload?${Q1}&groupBy=office,month`;
        await t.app.get(ReportRollups).refresh();
        await report(admin, path);
        const once = run.mock.calls.length;
        expect(once).toBeGreaterThan(0);

        await t.app.get(ReportRollups).refresh();
        run.mockClear();
        const answers = await Promise.all([1, 2, 3, 4, 5].map(() => get(admin, path)));
        expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
        expect(run.mock.calls.length).toBe(once);
        const [first, ...others] = answers.map((answer) => answer.body as Report);
        for (const other of others) {
          expect({ ...other, generatedAt: null }).toEqual({ ...first, generatedAt: null });
        }

        run.mockClear();
        expect((await get(admin, path)).status).toBe(200);
        expect(run).not.toHaveBeenCalled();
      } finally {
        run.mockRestore();
      }
    });
  });

  describe('on generated data', () => {
    it('a one-network report reads the rollups, never the consultations or cases', async () => {
      // 3,000 clients in the network's two offices, 24,000 consultations over two years.
      await t.db.query(
        `INSERT INTO clients (office_id, gender, birth_year, nationalities, residence_status)
         SELECT (ARRAY[$1::uuid, $2::uuid])[1 + i % 2], (ARRAY['W','M','D','X'])[1 + i % 4], 1960 + i % 40, '{SY}', 'AE_16D'
           FROM generate_series(1, 3000) i`,
        [fixture.offices.kiel, fixture.offices.luebeck],
      );
      await t.db.query(
        `INSERT INTO consultations (client_id, office_id, adviser_id, held_on, duration_minutes, channel, kind)
         SELECT c.id, c.office_id, $1, date '2025-01-01' + ((g * 37 + hashtext(c.id::text)) % 730 + 730) % 730,
                30, 'TELEFON', CASE WHEN g = 1 THEN 'ERSTBERATUNG' ELSE 'FOLGEBERATUNG' END
           FROM clients c CROSS JOIN generate_series(1, 8) g
          WHERE c.first_name IS NULL`,
        [fixture.adviser.id],
      );
      // 1,500 recognition cases: a third open, two thirds decided within 150 days (many per office and month).
      await t.db.query(
        `INSERT INTO recognition_cases (client_id, office_id, kldb, occupation_title, regulated, legal_basis,
                                        procedure_kind, fast_track, status, outcome, submitted_on, documents_complete_on,
                                        decided_on, first_decided_on, processing_days, decision_due_on)
         SELECT c.id, c.office_id, '81302', 'Titel', true, 'BQFG', 'GLEICHWERTIGKEIT', false,
                CASE WHEN n % 3 = 0 THEN 'IN_PRUEFUNG' ELSE 'BESCHIEDEN' END,
                CASE WHEN n % 3 = 0 THEN NULL
                     ELSE (ARRAY['VOLLE_GLEICHWERTIGKEIT','TEILWEISE_GLEICHWERTIGKEIT','KEINE_GLEICHWERTIGKEIT'])[1 + n % 3] END,
                s.on, s.on + 10,
                CASE WHEN n % 3 = 0 THEN NULL ELSE s.on + 10 + n % 150 END,
                CASE WHEN n % 3 = 0 THEN NULL ELSE s.on + 10 + n % 150 END,
                CASE WHEN n % 3 = 0 THEN NULL ELSE n % 150 END,
                s.on + 10 + 90
           FROM (SELECT id, office_id, row_number() OVER (ORDER BY id)::int AS n
                   FROM clients WHERE first_name IS NULL) c
           CROSS JOIN LATERAL (SELECT date '2025-01-01' + (c.n * 7 % 600)::int AS on) s
          WHERE c.n <= 1500`,
      );
      await t.app.get(ReportRollups).refresh();
      await t.db.query('ANALYZE report_client_months; ANALYZE report_participants; ANALYZE report_cases');
      const service = t.app.get(ReportsService);
      for (const actor of actors.slice(0, 2)) {
        for (const [from, to, groupBy] of [
          ['2025-01-01', '2025-12-31', ['month', 'office']],
          ['2026-01-01', '2026-12-31', ['office', 'month']],
          ['2025-07-01', '2026-06-30', ['month']],
          ['2025-03-01', '2025-03-31', ['office']],
        ] as [string, string, Dimension[]][]) {
          const caseload = (path: CaseloadPath) =>
            service
              .caseload(
                { from, to, groupBy, format: 'json', locale: 'en' },
                { actor, requestId: randomUUID() },
                path,
              )
              .then(({ generatedAt: _generatedAt, ...document }) => document);
          const fast = await caseload('auto');
          expect(fast.totals!.cells.casesDecided.value).toBeGreaterThan(0);
          expect([actor.role, from, groupBy, fast]).toEqual([
            actor.role,
            from,
            groupBy,
            await caseload('exact'),
          ]);
        }
      }
      const repository = t.app.get(ReportsRepository);
      const query = {
        from: '2026-01-01',
        to: '2026-12-31',
        groupBy: ['month', 'office'] as const,
        scope: { level: 'NETWORK' as const, networkId: fixture.networks.north },
      };
      const statements = [
        repository.consultations({ ...query, groupBy: [...query.groupBy] }),
        repository.newClients({ ...query, groupBy: [...query.groupBy] }),
        repository.caseFlow({ ...query, groupBy: [...query.groupBy] }),
        repository.caseStock({ ...query, groupBy: [...query.groupBy] }, '2026-06-15'),
        repository.enrolments({ ...query, groupBy: [...query.groupBy] }),
        repository.referrals({ ...query, groupBy: [...query.groupBy] }),
      ];
      const relations = new Set<string>();
      const collect = (node: unknown): void => {
        if (Array.isArray(node)) {
          node.forEach(collect);
        } else if (node && typeof node === 'object') {
          const record = node as Record<string, unknown>;
          if (typeof record['Relation Name'] === 'string') {
            relations.add(record['Relation Name']);
          }
          Object.values(record).forEach(collect);
        }
      };
      for (const statement of statements) {
        collect(await repository.plan(statement));
      }
      expect([...relations].sort()).toEqual([
        'report_cases',
        'report_client_months',
        'report_enrolments',
        'report_participants',
        'report_referrals',
      ]);
      const started = Date.now();
      const yearly = await report(coordinator, 'caseload?from=2026-01-01&to=2026-12-31&groupBy=month,office');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(yearly.totals!.cells.clientsCounselled.value).toBeGreaterThan(1_000);
    });
  });
});
