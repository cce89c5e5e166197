import type { Response } from 'supertest';
import { calendarDate } from '../src/common/time/clock';
import { createApiClient, createUser, partnerToken, tokenFor } from './support/auth';
import { createAdviser, registerClient, type TestAdviser } from './support/clients';
import { call, expectProblem, pages, patchCurrent, pointersOf, SOME_ID } from './support/org-fixtures';
import { listRoutes } from './support/routes';
import { createTestApp, type TestApp } from './support/test-app';

const CASES = '/api/v1/recognition-cases';
const CLIENTS = '/api/v1/clients';

/** Reference occupations of the curated list: nursing and specialist nursing (regulated), mechatronics and car mechatronics (not). */
const NURSING = '81302';
const SPECIALIST_NURSING = '81313';
const MECHATRONICS = '26112';
const CAR_MECHATRONICS = '25212';

const CASE_NOTE = 'Klientin wünscht Termin nur vormittags – Kinderbetreuung';
const TRANSITION_NOTE = 'Nachforderung: beglaubigte Übersetzung des Diploms (Sachbearbeiterin Frau K.)';
const DIFFERENCE_TEXT = 'Pharmakologie und Notfallversorgung fehlen im Umfang der deutschen Ausbildung';

interface CaseBody {
  id: string;
  version: number;
  status: string;
  [member: string]: unknown;
}

/** The calendar day in Germany, as the API counts days. */
function isoDay(date: Date): string {
  return calendarDate(date, 'Europe/Berlin');
}

function daysFromToday(days: number): string {
  return isoDay(new Date(Date.now() + days * 86_400_000));
}

async function authority(t: TestApp, name = 'Landesamt für Gesundheit und Soziales'): Promise<string> {
  const { rows } = await t.db.query<{ id: string }>(
    `INSERT INTO partners (name, type, bundesland) VALUES ($1, 'ANERKENNUNGSSTELLE', 'DE-BE') RETURNING id`,
    [name],
  );
  return rows[0].id;
}

/** A foreign qualification of the client, inserted directly (the qualification API is not under test here). */
async function qualification(t: TestApp, clientId: string, country: string): Promise<string> {
  const { rows } = await t.db.query<{ id: string }>(
    `INSERT INTO client_qualifications (client_id, kind, title_original, country)
     VALUES ($1, 'BERUFSAUSBILDUNG', 'Медична сестра', $2) RETURNING id`,
    [clientId, country],
  );
  return rows[0].id;
}

async function createCase(
  t: TestApp,
  adviser: TestAdviser,
  clientId: string,
  overrides: Record<string, unknown> = {},
): Promise<CaseBody> {
  const response = await call(t, adviser.token, 'post', CASES, {
    clientId,
    kldb: NURSING,
    legalBasis: 'PFLBG',
    procedureKind: 'BERUFSZULASSUNG',
    ...overrides,
  });
  if (response.status !== 201) {
    throw new Error(`Creating a case failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body as CaseBody;
}

function transition(t: TestApp, token: string, current: CaseBody, body: object): Promise<Response> {
  return call(t, token, 'post', `${CASES}/${current.id}/transitions`, body, {
    'if-match': `"${current.version}"`,
  });
}

/** A transition that must succeed; answers the updated case. */
async function step(t: TestApp, token: string, current: CaseBody, body: object): Promise<CaseBody> {
  const response = await transition(t, token, current, body);
  if (response.status !== 200) {
    throw new Error(
      `Transition ${JSON.stringify(body)} failed with ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
  expect(response.headers.etag).toBe(`"${(response.body as CaseBody).version}"`);
  return response.body as CaseBody;
}

async function historyCount(t: TestApp, caseId: string): Promise<number> {
  const { rows } = await t.db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM recognition_case_history WHERE case_id = $1',
    [caseId],
  );
  return rows[0].count;
}

async function auditActions(t: TestApp, caseId: string): Promise<string[]> {
  const { rows } = await t.db.query<{ action: string }>(
    `SELECT action FROM audit_events WHERE resource_type = 'recognition-case' AND resource_id = $1
      ORDER BY occurred_at, id`,
    [caseId],
  );
  return rows.map((row) => row.action);
}

function ids(response: Response): string[] {
  expect(response.status).toBe(200);
  return (response.body.items as { id: string }[]).map((item) => item.id);
}

async function databaseFingerprint(t: TestApp): Promise<Record<string, string>> {
  const { rows: tables } = await t.db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
  );
  const fingerprint: Record<string, string> = {};
  for (const { name } of tables) {
    // Refused accesses add DENIED audit events (asserted apart), nothing else.
    const withoutDenials = name === 'audit_events' ? ` WHERE t.outcome <> 'DENIED'` : '';
    const { rows } = await t.db.query<{ digest: string | null }>(
      `SELECT md5(string_agg(row_data, '|' ORDER BY row_data)) AS digest
         FROM (SELECT t::text AS row_data FROM "${name}" t${withoutDenials}) rows`,
    );
    fingerprint[name] = rows[0].digest ?? 'empty';
  }
  return fingerprint;
}

describe('recognition cases', () => {
  let t: TestApp;
  let adviser: TestAdviser;
  let authorityId: string;
  let nursingTitle: string;
  const today = isoDay(new Date());

  beforeAll(async () => {
    t = await createTestApp();
    adviser = await createAdviser(t);
    authorityId = await authority(t);
    const { rows } = await t.db.query<{ title: string }>(
      'SELECT title_de AS title FROM reference_occupations WHERE kldb = $1',
      [NURSING],
    );
    nursingTitle = rows[0].title;
  });

  afterAll(async () => {
    await t.close();
  });

  describe('a regulated case from preparation to equivalence after compensation', () => {
    let client: { id: string };
    let current: CaseBody;

    beforeAll(async () => {
      client = await registerClient(t, adviser.token);
    });

    it('opens the case IN_VORBEREITUNG with the occupation’s title and regulated flag, Location, ETag and a history row', async () => {
      const qualificationId = await qualification(t, client.id, 'UA');
      const response = await call(t, adviser.token, 'post', CASES, {
        clientId: client.id,
        qualificationId,
        kldb: NURSING,
        legalBasis: 'PFLBG',
        procedureKind: 'BERUFSZULASSUNG',
        funding: ['ANERKENNUNGSZUSCHUSS'],
        feesEur: 411.5,
        notes: CASE_NOTE,
      });
      expect(response.status).toBe(201);
      expect(response.headers.location).toBe(`${CASES}/${response.body.id}`);
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toMatchObject({
        clientId: client.id,
        officeId: adviser.officeId,
        qualificationId,
        kldb: NURSING,
        occupationTitle: nursingTitle,
        regulated: true,
        legalBasis: 'PFLBG',
        procedureKind: 'BERUFSZULASSUNG',
        authorityPartnerId: null,
        fastTrack: false,
        appliedFromAbroad: false,
        followUpOf: null,
        feesEur: 411.5,
        funding: ['ANERKENNUNGSZUSCHUSS'],
        status: 'IN_VORBEREITUNG',
        outcome: null,
        receiptConfirmationDueOn: null,
        decisionDueOn: null,
        overdue: false,
        processingDays: null,
        suspendedDays: 0,
        euQualification: false,
        notes: CASE_NOTE,
        substantialDifferences: [],
        allowedTransitions: ['BEANTRAGT', 'ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'],
        version: 1,
      });
      current = response.body as CaseBody;
      const { rows } = await t.db.query(
        `SELECT from_status, to_status, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, actor_id, actor_role
           FROM recognition_case_history WHERE case_id = $1`,
        [current.id],
      );
      expect(rows).toEqual([
        {
          from_status: null,
          to_status: 'IN_VORBEREITUNG',
          occurred_on: today,
          actor_id: adviser.userId,
          actor_role: 'ADVISER',
        },
      ]);
    });

    it('files the application: the authority is required, the receipt confirmation is due a month later', async () => {
      const missing = await transition(t, adviser.token, current, { to: 'BEANTRAGT', date: '2025-01-10' });
      expect(pointersOf(missing)).toEqual(['#/authorityPartnerId']);
      expectProblem(
        await transition(t, adviser.token, current, {
          to: 'BEANTRAGT',
          date: '2025-01-10',
          authorityPartnerId: SOME_ID,
        }),
        422,
        'unprocessable',
      );
      current = await step(t, adviser.token, current, {
        to: 'BEANTRAGT',
        date: '2025-01-10',
        authorityPartnerId: authorityId,
      });
      expect(current).toMatchObject({
        status: 'BEANTRAGT',
        version: 2,
        submittedOn: '2025-01-10',
        authorityPartnerId: authorityId,
        receiptConfirmationDueOn: '2025-02-10',
        decisionDueOn: null,
      });
    });

    it('documents missing, then complete: the decision is due three months later (31 Jan → 30 Apr)', async () => {
      current = await step(t, adviser.token, current, {
        to: 'UNVOLLSTAENDIG',
        date: '2025-01-20',
        note: TRANSITION_NOTE,
      });
      expect(current).toMatchObject({ documentsRequestedOn: '2025-01-20', decisionDueOn: null });
      current = await step(t, adviser.token, current, { to: 'IN_PRUEFUNG', date: '2025-01-31' });
      expect(current).toMatchObject({
        status: 'IN_PRUEFUNG',
        documentsCompleteOn: '2025-01-31',
        decisionDueOn: '2025-04-30',
        allowedTransitions: ['GEHEMMT', 'BESCHIEDEN', 'ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'],
      });
    });

    it('suspended: no decision date while GEHEMMT; resumed: the suspended days (first and last counted) move it', async () => {
      const reasonless = await transition(t, adviser.token, current, { to: 'GEHEMMT', date: '2025-02-10' });
      expect(pointersOf(reasonless)).toEqual(['#/suspensionReason']);
      current = await step(t, adviser.token, current, {
        to: 'GEHEMMT',
        date: '2025-02-10',
        suspensionReason: 'ECHTHEITSPRUEFUNG',
      });
      expect(current).toMatchObject({
        status: 'GEHEMMT',
        suspendedSince: '2025-02-10',
        decisionDueOn: null,
        overdue: false,
      });
      current = await step(t, adviser.token, current, { to: 'IN_PRUEFUNG', date: '2025-02-20' });
      expect(current).toMatchObject({
        status: 'IN_PRUEFUNG',
        suspendedSince: null,
        // 10 to 20 February, both days counted.
        suspendedDays: 11,
        // 30 April + 11 days = Sunday 11 May 2025: the period ends on Monday (§31(3) VwVfG).
        decisionReminderOn: '2025-05-11',
        decisionDueOn: '2025-05-12',
        deadlineBundesland: 'DE-BE',
        // Long past: the case is overdue until it is decided.
        overdue: true,
      });
      const { rows } = await t.db.query(
        `SELECT to_char(decision_due_on, 'YYYY-MM-DD') AS due FROM recognition_cases WHERE id = $1`,
        [current.id],
      );
      expect(rows[0].due).toBe('2025-05-12');
    });

    it('decides with a compensation measure and its substantial differences; processing days are stored', async () => {
      current = await step(t, adviser.token, current, {
        to: 'BESCHIEDEN',
        date: '2025-05-05',
        outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
        substantialDifferences: [
          { description: DIFFERENCE_TEXT, compensationOptions: ['KENNTNISPRUEFUNG', 'ANPASSUNGSLEHRGANG'] },
        ],
      });
      expect(current).toMatchObject({
        status: 'BESCHIEDEN',
        outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
        decidedOn: '2025-05-05',
        firstDecidedOn: '2025-05-05',
        processingDays: 94,
        decisionDueOn: '2025-05-12',
        overdue: false,
        substantialDifferences: [
          {
            id: expect.any(String),
            description: DIFFERENCE_TEXT,
            compensationOptions: ['KENNTNISPRUEFUNG', 'ANPASSUNGSLEHRGANG'],
          },
        ],
        allowedTransitions: ['AUSGLEICH_LAUFEND', 'ABGESCHLOSSEN', 'RECHTSBEHELF'],
      });
      const { rows } = await t.db.query('SELECT processing_days FROM recognition_cases WHERE id = $1', [
        current.id,
      ]);
      expect(rows[0].processing_days).toBe(94);
    });

    it('runs the compensation measure and closes the case equivalent after compensation', async () => {
      current = await step(t, adviser.token, current, { to: 'AUSGLEICH_LAUFEND', date: '2025-06-01' });
      expect(current.allowedTransitions).toEqual(['ABGESCHLOSSEN']);
      const without = await transition(t, adviser.token, current, {
        to: 'ABGESCHLOSSEN',
        date: '2025-11-20',
      });
      expect(pointersOf(without)).toEqual(['#/compensationPassed']);
      current = await step(t, adviser.token, current, {
        to: 'ABGESCHLOSSEN',
        date: '2025-11-20',
        compensationPassed: true,
      });
      expect(current).toMatchObject({
        status: 'ABGESCHLOSSEN',
        outcome: 'GLEICHWERTIG_NACH_AUSGLEICH',
        processingDays: 94,
        firstDecidedOn: '2025-05-05',
        allowedTransitions: [],
        version: 9,
      });
    });

    it('keeps every step in the history, oldest first and paginated, with date, actor, codes and note', async () => {
      const response = await call(t, adviser.token, 'get', `${CASES}/${current.id}/history?limit=200`);
      expect(response.status).toBe(200);
      const steps = (response.body.items as Record<string, unknown>[]).map((item) => ({
        from: item.from,
        to: item.to,
        date: item.date,
        actorId: item.actorId,
        actorRole: item.actorRole,
        payload: item.payload,
        note: item.note,
      }));
      const by = { actorId: adviser.userId, actorRole: 'ADVISER' };
      expect(steps).toEqual([
        { from: null, to: 'IN_VORBEREITUNG', date: today, ...by, payload: {}, note: null },
        {
          from: 'IN_VORBEREITUNG',
          to: 'BEANTRAGT',
          date: '2025-01-10',
          ...by,
          payload: { authorityPartnerId: authorityId },
          note: null,
        },
        {
          from: 'BEANTRAGT',
          to: 'UNVOLLSTAENDIG',
          date: '2025-01-20',
          ...by,
          payload: {},
          note: TRANSITION_NOTE,
        },
        { from: 'UNVOLLSTAENDIG', to: 'IN_PRUEFUNG', date: '2025-01-31', ...by, payload: {}, note: null },
        {
          from: 'IN_PRUEFUNG',
          to: 'GEHEMMT',
          date: '2025-02-10',
          ...by,
          payload: { suspensionReason: 'ECHTHEITSPRUEFUNG' },
          note: null,
        },
        {
          from: 'GEHEMMT',
          to: 'IN_PRUEFUNG',
          date: '2025-02-20',
          ...by,
          payload: { suspendedDays: 11 },
          note: null,
        },
        {
          from: 'IN_PRUEFUNG',
          to: 'BESCHIEDEN',
          date: '2025-05-05',
          ...by,
          payload: {
            outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
            substantialDifferences: [{ compensationOptions: ['KENNTNISPRUEFUNG', 'ANPASSUNGSLEHRGANG'] }],
          },
          note: null,
        },
        { from: 'BESCHIEDEN', to: 'AUSGLEICH_LAUFEND', date: '2025-06-01', ...by, payload: {}, note: null },
        {
          from: 'AUSGLEICH_LAUFEND',
          to: 'ABGESCHLOSSEN',
          date: '2025-11-20',
          ...by,
          payload: { compensationPassed: true, outcome: 'GLEICHWERTIG_NACH_AUSGLEICH' },
          note: null,
        },
      ]);
      const paged = await pages(t, adviser.token, `${CASES}/${current.id}/history?limit=4`);
      expect(paged.map((page) => page.length)).toEqual([4, 4, 1]);
      expect(paged.flat()).toEqual((response.body.items as { id: string }[]).map((item) => item.id));
    });

    it('records an audit event for every write and read, in the transaction of the write', async () => {
      await call(t, adviser.token, 'get', `${CASES}/${current.id}`);
      expect(await auditActions(t, current.id)).toEqual([
        'recognition-case.create',
        ...Array<string>(8).fill('recognition-case.transition'),
        'recognition-case.history.read',
        // `pages` read the history three more times.
        'recognition-case.history.read',
        'recognition-case.history.read',
        'recognition-case.history.read',
        'recognition-case.read',
      ]);
      const { rows } = await t.db.query<{ client_id: string; actor_id: string; outcome: string }>(
        `SELECT DISTINCT client_id, actor_id, outcome FROM audit_events
          WHERE resource_type = 'recognition-case' AND resource_id = $1`,
        [current.id],
      );
      expect(rows).toEqual([{ client_id: client.id, actor_id: adviser.userId, outcome: 'SUCCESS' }]);
    });

    it('shows each transition in the client’s timeline, without notes', async () => {
      const response = await call(t, adviser.token, 'get', `${CLIENTS}/${client.id}/timeline?limit=200`);
      expect(response.status).toBe(200);
      const entries = (
        response.body.items as { type: string; date: string; details: Record<string, unknown> }[]
      )
        .filter((entry) => entry.type === 'recognition-case.transition')
        .map((entry) => ({ date: entry.date, details: entry.details }));
      const of = (details: Record<string, unknown>) => ({ caseId: current.id, ...details });
      expect(entries).toEqual([
        { date: '2025-01-10', details: of({ from: 'IN_VORBEREITUNG', to: 'BEANTRAGT' }) },
        { date: '2025-01-20', details: of({ from: 'BEANTRAGT', to: 'UNVOLLSTAENDIG' }) },
        { date: '2025-01-31', details: of({ from: 'UNVOLLSTAENDIG', to: 'IN_PRUEFUNG' }) },
        { date: '2025-02-10', details: of({ from: 'IN_PRUEFUNG', to: 'GEHEMMT' }) },
        { date: '2025-02-20', details: of({ from: 'GEHEMMT', to: 'IN_PRUEFUNG' }) },
        {
          date: '2025-05-05',
          details: of({ from: 'IN_PRUEFUNG', to: 'BESCHIEDEN', outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME' }),
        },
        { date: '2025-06-01', details: of({ from: 'BESCHIEDEN', to: 'AUSGLEICH_LAUFEND' }) },
        {
          date: '2025-11-20',
          details: of({
            from: 'AUSGLEICH_LAUFEND',
            to: 'ABGESCHLOSSEN',
            outcome: 'GLEICHWERTIG_NACH_AUSGLEICH',
          }),
        },
        { date: today, details: of({ from: null, to: 'IN_VORBEREITUNG' }) },
      ]);
      const text = JSON.stringify(response.body);
      for (const secret of [CASE_NOTE, TRANSITION_NOTE, DIFFERENCE_TEXT]) {
        expect(text).not.toContain(secret);
      }
    });

    it('joins the client’s Art. 15 export with the case, its differences and its history, notes included', async () => {
      const response = await call(t, adviser.token, 'get', `${CLIENTS}/${client.id}/export`);
      expect(response.status).toBe(200);
      const exported = response.body.records.recognitionCases as Record<string, unknown>[];
      expect(exported).toHaveLength(1);
      expect(exported[0]).toMatchObject({
        id: current.id,
        status: 'ABGESCHLOSSEN',
        outcome: 'GLEICHWERTIG_NACH_AUSGLEICH',
        notes: CASE_NOTE,
        substantialDifferences: [{ description: DIFFERENCE_TEXT }],
      });
      const history = exported[0].history as { to: string; note: string | null }[];
      expect(history.map((entry) => entry.to)).toEqual([
        'IN_VORBEREITUNG',
        'BEANTRAGT',
        'UNVOLLSTAENDIG',
        'IN_PRUEFUNG',
        'GEHEMMT',
        'IN_PRUEFUNG',
        'BESCHIEDEN',
        'AUSGLEICH_LAUFEND',
        'ABGESCHLOSSEN',
      ]);
      expect(history[2].note).toBe(TRANSITION_NOTE);
    });
  });

  describe('a non-regulated partial decision and its follow-up case', () => {
    it('records a partial equivalence, closes it and links a follow-up case to it', async () => {
      const client = await registerClient(t, adviser.token);
      let first = await createCase(t, adviser, client.id, {
        kldb: MECHATRONICS,
        legalBasis: 'BQFG',
        procedureKind: 'GLEICHWERTIGKEIT',
        authorityPartnerId: authorityId,
      });
      expect(first).toMatchObject({ regulated: false, authorityPartnerId: authorityId });
      // The case names its authority already: filing needs no authorityPartnerId.
      first = await step(t, adviser.token, first, { to: 'BEANTRAGT', date: '2025-03-03' });
      first = await step(t, adviser.token, first, { to: 'IN_PRUEFUNG', date: '2025-03-31' });
      expect(first.decisionDueOn).toBe('2025-06-30');

      // A compensation measure exists for regulated professions only.
      expectProblem(
        await transition(t, adviser.token, first, {
          to: 'BESCHIEDEN',
          date: '2025-06-02',
          outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
        }),
        422,
        'unprocessable',
      );
      first = await step(t, adviser.token, first, {
        to: 'BESCHIEDEN',
        date: '2025-06-02',
        outcome: 'TEILWEISE_GLEICHWERTIGKEIT',
        substantialDifferences: [
          {
            description: 'Steuerungstechnik (SPS) nicht nachgewiesen',
            compensationOptions: ['ANPASSUNGSQUALIFIZIERUNG'],
          },
          { description: 'Arbeitsschutz', compensationOptions: [] },
        ],
      });
      expect(first).toMatchObject({
        outcome: 'TEILWEISE_GLEICHWERTIGKEIT',
        processingDays: 63,
        allowedTransitions: ['ABGESCHLOSSEN', 'RECHTSBEHELF'],
      });
      expect(
        (first.substantialDifferences as { description: string }[]).map((item) => item.description),
      ).toEqual(['Steuerungstechnik (SPS) nicht nachgewiesen', 'Arbeitsschutz']);

      const noCompensation = await transition(t, adviser.token, first, {
        to: 'AUSGLEICH_LAUFEND',
        date: '2025-06-10',
      });
      expectProblem(noCompensation, 409, 'invalid-transition');
      expect(noCompensation.body.allowedTargets).toEqual(['ABGESCHLOSSEN', 'RECHTSBEHELF']);

      first = await step(t, adviser.token, first, { to: 'ABGESCHLOSSEN', date: '2025-06-10' });
      expect(first).toMatchObject({ status: 'ABGESCHLOSSEN', outcome: 'TEILWEISE_GLEICHWERTIGKEIT' });

      const followUp = await createCase(t, adviser, client.id, {
        kldb: MECHATRONICS,
        legalBasis: 'BQFG',
        procedureKind: 'GLEICHWERTIGKEIT',
        followUpOf: first.id,
      });
      expect(followUp).toMatchObject({ followUpOf: first.id, status: 'IN_VORBEREITUNG' });
      const read = await call(t, adviser.token, 'get', `${CASES}/${followUp.id}`);
      expect(read.body.followUpOf).toBe(first.id);
    });

    it('refuses a follow-up of an undecided case or of another client’s case (422)', async () => {
      const client = await registerClient(t, adviser.token);
      const other = await registerClient(t, adviser.token);
      const undecided = await createCase(t, adviser, client.id);
      const othersDecided = await createCase(t, adviser, other.id, { kldb: MECHATRONICS, regulated: false });
      await t.db.query(`UPDATE recognition_cases SET status = 'ABGESCHLOSSEN' WHERE id = $1`, [
        othersDecided.id,
      ]);
      for (const [followUpOf, detail] of [
        [undecided.id, /must be a decided .* it is IN_VORBEREITUNG/],
        [othersDecided.id, /no recognition case with this id/],
        [SOME_ID, /no recognition case with this id/],
      ] as const) {
        const response = await call(t, adviser.token, 'post', CASES, {
          clientId: client.id,
          kldb: NURSING,
          legalBasis: 'PFLBG',
          procedureKind: 'BERUFSZULASSUNG',
          followUpOf,
        });
        expectProblem(response, 422, 'unprocessable');
        expect(response.body.errors).toEqual([
          { pointer: '#/followUpOf', detail: expect.stringMatching(detail) },
        ]);
      }
    });
  });

  describe('creation rules', () => {
    let client: { id: string };

    beforeAll(async () => {
      client = await registerClient(t, adviser.token);
    });

    it('validates every member and stores nothing', async () => {
      const before = await t.db.query('SELECT count(*)::int AS count FROM recognition_cases');
      const response = await call(t, adviser.token, 'post', CASES, {
        clientId: 'not-a-uuid',
        kldb: '8130',
        legalBasis: 'bqfg',
        procedureKind: 'ANERKENNUNG',
        funding: ['LAND', 'LAND'],
        feesEur: 10.123,
        status: 'BESCHIEDEN',
      });
      expect(pointersOf(response)).toEqual([
        '#/clientId',
        '#/feesEur',
        '#/funding',
        '#/kldb',
        '#/legalBasis',
        '#/procedureKind',
        '#/status',
      ]);
      const after = await t.db.query('SELECT count(*)::int AS count FROM recognition_cases');
      expect(after.rows[0].count).toBe(before.rows[0].count);
    });

    it('answers 422 for an unknown occupation, a qualification of another client and an unknown authority, all at once', async () => {
      const other = await registerClient(t, adviser.token);
      const foreignQualification = await qualification(t, other.id, 'PL');
      const response = await call(t, adviser.token, 'post', CASES, {
        clientId: client.id,
        kldb: '00000',
        qualificationId: foreignQualification,
        authorityPartnerId: SOME_ID,
        legalBasis: 'BQFG',
        procedureKind: 'GLEICHWERTIGKEIT',
      });
      expectProblem(response, 422, 'unprocessable');
      expect((response.body.errors as { pointer: string }[]).map((error) => error.pointer)).toEqual([
        '#/kldb',
        '#/qualificationId',
        '#/authorityPartnerId',
      ]);
    });

    it('takes an explicit regulated flag over the occupation’s and marks an EU/EEA/CH qualification', async () => {
      const euQualification = await qualification(t, client.id, 'PL');
      const created = await createCase(t, adviser, client.id, {
        kldb: MECHATRONICS,
        regulated: true,
        qualificationId: euQualification,
        legalBasis: 'BAYBQFG',
      });
      expect(created).toMatchObject({ regulated: true, euQualification: true, legalBasis: 'BAYBQFG' });
    });

    it('answers 404 for a client of another office and replays an Idempotency-Key', async () => {
      const stranger = await createAdviser(t);
      expectProblem(
        await call(t, stranger.token, 'post', CASES, {
          clientId: client.id,
          kldb: NURSING,
          legalBasis: 'PFLBG',
          procedureKind: 'BERUFSZULASSUNG',
        }),
        404,
        'not-found',
      );
      const body = {
        clientId: client.id,
        kldb: NURSING,
        legalBasis: 'PFLBG',
        procedureKind: 'BERUFSZULASSUNG',
      };
      const key = { 'idempotency-key': `case-${client.id}` };
      const first = await call(t, adviser.token, 'post', CASES, body, key);
      const again = await call(t, adviser.token, 'post', CASES, body, key);
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers['idempotent-replayed']).toBe('true');
    });
  });

  describe('changes of the description (PATCH)', () => {
    it('changes descriptive members, recomputes the deadlines for the fast track, re-copies the occupation', async () => {
      const client = await registerClient(t, adviser.token);
      let current = await createCase(t, adviser, client.id, { authorityPartnerId: authorityId });
      current = await step(t, adviser.token, current, { to: 'BEANTRAGT', date: '2025-01-10' });
      current = await step(t, adviser.token, current, { to: 'IN_PRUEFUNG', date: '2025-01-31' });
      expect(current).toMatchObject({ receiptConfirmationDueOn: '2025-02-10', decisionDueOn: '2025-04-30' });

      const fast = await call(
        t,
        adviser.token,
        'patch',
        `${CASES}/${current.id}`,
        { fastTrack: true, notes: 'Arbeitgeber hat das beschleunigte Verfahren beantragt' },
        { 'if-match': `"${current.version}"` },
      );
      expect(fast.status).toBe(200);
      expect(fast.headers.etag).toBe(`"${current.version + 1}"`);
      expect(fast.body).toMatchObject({
        fastTrack: true,
        receiptConfirmationDueOn: '2025-01-24',
        decisionDueOn: '2025-03-31',
        status: 'IN_PRUEFUNG',
      });

      const moved = await call(
        t,
        adviser.token,
        'patch',
        `${CASES}/${current.id}`,
        { kldb: SPECIALIST_NURSING, feesEur: null },
        { 'if-match': fast.headers.etag },
      );
      expect(moved.status).toBe(200);
      const { rows } = await t.db.query<{ title: string }>(
        'SELECT title_de AS title FROM reference_occupations WHERE kldb = $1',
        [SPECIALIST_NURSING],
      );
      expect(moved.body).toMatchObject({
        kldb: SPECIALIST_NURSING,
        occupationTitle: rows[0].title,
        regulated: true,
        feesEur: null,
      });
      expect(await auditActions(t, current.id)).toContain('recognition-case.update');
    });

    it.each([
      [{ status: 'BESCHIEDEN' }, ['#/status']],
      [{ outcome: 'VOLLE_GLEICHWERTIGKEIT' }, ['#/outcome']],
      [
        { decisionDueOn: '2030-01-01', documentsCompleteOn: '2025-01-01' },
        ['#/decisionDueOn', '#/documentsCompleteOn'],
      ],
      [{ followUpOf: SOME_ID }, ['#/followUpOf']],
      [{ legalBasis: null }, ['#/legalBasis']],
      [{}, ['#']],
    ])('refuses %j (400)', async (body, pointers) => {
      const client = await registerClient(t, adviser.token);
      const created = await createCase(t, adviser, client.id);
      const response = await call(t, adviser.token, 'patch', `${CASES}/${created.id}`, body, {
        'if-match': '"1"',
      });
      expect(pointersOf(response)).toEqual(pointers);
    });

    it('needs If-Match (428), refuses a stale one (412 with the current ETag) and a change contradicting the decision (422)', async () => {
      const client = await registerClient(t, adviser.token);
      let current = await createCase(t, adviser, client.id, { authorityPartnerId: authorityId });
      const path = `${CASES}/${current.id}`;
      expectProblem(
        await call(t, adviser.token, 'patch', path, { fastTrack: true }),
        428,
        'precondition-required',
      );
      current = await step(t, adviser.token, current, { to: 'BEANTRAGT', date: '2025-02-03' });
      const stale = await call(t, adviser.token, 'patch', path, { fastTrack: true }, { 'if-match': '"1"' });
      expectProblem(stale, 412, 'precondition-failed');
      expect(stale.headers.etag).toBe(`"${current.version}"`);
      current = await step(t, adviser.token, current, { to: 'IN_PRUEFUNG', date: '2025-02-28' });
      current = await step(t, adviser.token, current, {
        to: 'BESCHIEDEN',
        date: '2025-05-02',
        outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
      });
      const contradiction = await call(
        t,
        adviser.token,
        'patch',
        path,
        { regulated: false },
        { 'if-match': `"${current.version}"` },
      );
      expectProblem(contradiction, 422, 'unprocessable');
      expect(contradiction.body.errors[0].pointer).toBe('#/regulated');
      expect((await call(t, adviser.token, 'get', path)).body.regulated).toBe(true);
    });
  });

  describe('refused transitions', () => {
    it('answers 409 invalid-transition naming the allowed targets, and changes nothing', async () => {
      const client = await registerClient(t, adviser.token);
      const created = await createCase(t, adviser, client.id);
      const response = await transition(t, adviser.token, created, {
        to: 'BESCHIEDEN',
        date: '2025-05-02',
        outcome: 'VOLLE_GLEICHWERTIGKEIT',
      });
      expectProblem(response, 409, 'invalid-transition');
      expect(response.body.allowedTargets).toEqual(['BEANTRAGT', 'ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET']);
      expect(response.body.title).toBe('Transition not allowed');
      expect(response.body.detail).toBe(
        'A case in IN_VORBEREITUNG cannot move to BESCHIEDEN; it can move to BEANTRAGT, ZURUECKGENOMMEN, OHNE_BESCHEID_BEENDET.',
      );
      const read = await call(t, adviser.token, 'get', `${CASES}/${created.id}`);
      expect(read.body).toMatchObject({ status: 'IN_VORBEREITUNG', version: 1 });
      expect(await historyCount(t, created.id)).toBe(1);

      const withdrawn = await step(t, adviser.token, created, { to: 'ZURUECKGENOMMEN', date: '2025-05-02' });
      const final = await transition(t, adviser.token, withdrawn, { to: 'BEANTRAGT', date: '2025-05-03' });
      expectProblem(final, 409, 'invalid-transition');
      expect(final.body.allowedTargets).toEqual([]);
    });

    it('answers 422 for a date in the future or before the latest transition, 400 for unknown members', async () => {
      const client = await registerClient(t, adviser.token);
      let current = await createCase(t, adviser, client.id, { authorityPartnerId: authorityId });
      const future = await transition(t, adviser.token, current, { to: 'BEANTRAGT', date: daysFromToday(2) });
      expectProblem(future, 422, 'unprocessable');
      expect(future.body.errors[0].pointer).toBe('#/date');
      current = await step(t, adviser.token, current, { to: 'BEANTRAGT', date: '2025-03-10' });
      const earlier = await transition(t, adviser.token, current, {
        to: 'UNVOLLSTAENDIG',
        date: '2025-03-09',
      });
      expectProblem(earlier, 422, 'unprocessable');
      expect(earlier.body.detail).toContain('2025-03-10');
      expect(
        pointersOf(
          await transition(t, adviser.token, current, {
            to: 'UNVOLLSTAENDIG',
            date: '2025-03-11',
            outcome: 'X',
            extra: 1,
          }),
        ),
      ).toEqual(['#/extra', '#/outcome']);
      expect(pointersOf(await transition(t, adviser.token, current, { to: 'UNVOLLSTAENDIG' }))).toEqual([
        '#/date',
      ]);
      expectProblem(
        await call(t, adviser.token, 'post', `${CASES}/${current.id}/transitions`, {
          to: 'UNVOLLSTAENDIG',
          date: '2025-03-11',
        }),
        428,
        'precondition-required',
      );
      expect(await historyCount(t, current.id)).toBe(2);
    });
  });

  describe('the authority’s extension of the decision period', () => {
    it('extends once, capped for a regulated profession with an EU qualification, and shows it in the history', async () => {
      const client = await registerClient(t, adviser.token);
      const euQualification = await qualification(t, client.id, 'PL');
      let current = await createCase(t, adviser, client.id, {
        qualificationId: euQualification,
        authorityPartnerId: authorityId,
      });
      const path = `${CASES}/${current.id}/extension`;
      const tooEarly = await call(
        t,
        adviser.token,
        'post',
        path,
        { extendedUntil: '2025-07-15', date: '2025-06-20' },
        { 'if-match': `"${current.version}"` },
      );
      expectProblem(tooEarly, 409, 'conflict');

      current = await step(t, adviser.token, current, { to: 'BEANTRAGT', date: '2025-03-03' });
      current = await step(t, adviser.token, current, { to: 'IN_PRUEFUNG', date: '2025-03-31' });
      expect(current.decisionDueOn).toBe('2025-06-30');
      const headers = { 'if-match': `"${current.version}"` };

      const beyondCap = await call(
        t,
        adviser.token,
        'post',
        path,
        { extendedUntil: '2025-08-15', date: '2025-06-20' },
        headers,
      );
      expectProblem(beyondCap, 422, 'unprocessable');
      expect(beyondCap.body.latestAllowed).toBe('2025-07-30');
      expect(beyondCap.body.detail).toContain('2025-07-30');
      const notLater = await call(
        t,
        adviser.token,
        'post',
        path,
        { extendedUntil: '2025-06-30', date: '2025-06-20' },
        headers,
      );
      expectProblem(notLater, 422, 'unprocessable');

      const extended = await call(
        t,
        adviser.token,
        'post',
        path,
        { extendedUntil: '2025-07-30', date: '2025-06-20', note: 'Gutachten der Gutachtenstelle steht aus' },
        headers,
      );
      expect(extended.status).toBe(200);
      expect(extended.body).toMatchObject({
        extendedUntil: '2025-07-30',
        decisionDueOn: '2025-07-30',
        status: 'IN_PRUEFUNG',
      });
      expect(extended.headers.etag).toBe(`"${current.version + 1}"`);

      const again = await call(
        t,
        adviser.token,
        'post',
        path,
        { extendedUntil: '2025-07-31', date: '2025-06-21' },
        { 'if-match': extended.headers.etag },
      );
      expectProblem(again, 409, 'conflict');

      const history = await call(t, adviser.token, 'get', `${CASES}/${current.id}/history`);
      expect(history.body.items[3]).toMatchObject({
        from: 'IN_PRUEFUNG',
        to: 'IN_PRUEFUNG',
        date: '2025-06-20',
        payload: { extendedUntil: '2025-07-30' },
        note: 'Gutachten der Gutachtenstelle steht aus',
      });
      const timeline = await call(t, adviser.token, 'get', `${CLIENTS}/${client.id}/timeline?limit=200`);
      expect(
        (timeline.body.items as { type: string; date: string; details: unknown }[]).filter(
          (entry) => entry.type === 'recognition-case.extension',
        ),
      ).toEqual([
        expect.objectContaining({
          date: '2025-06-20',
          details: { caseId: current.id, status: 'IN_PRUEFUNG', extendedUntil: '2025-07-30' },
        }),
      ]);
      // A transition may not be dated before the extension was notified.
      const decided = await transition(
        t,
        adviser.token,
        { ...current, version: current.version + 1 },
        {
          to: 'BESCHIEDEN',
          date: '2025-06-19',
          outcome: 'VOLLE_GLEICHWERTIGKEIT',
        },
      );
      expectProblem(decided, 422, 'unprocessable');
      expect(await auditActions(t, current.id)).toContain('recognition-case.extension');
    });
  });

  describe('concurrent transitions', () => {
    it('with one If-Match: exactly one wins, the others get 412, one history row', async () => {
      const racer = await createAdviser(t);
      const client = await registerClient(t, racer.token);
      let current = await createCase(t, racer, client.id, { authorityPartnerId: authorityId });
      current = await step(t, racer.token, current, { to: 'BEANTRAGT', date: '2025-04-01' });
      const attempts = 30;
      const responses = await Promise.all(
        Array.from({ length: attempts }, (_, index) =>
          transition(t, racer.token, current, {
            to: 'UNVOLLSTAENDIG',
            date: '2025-04-10',
            note: `Versuch ${index}`,
          }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(attempts - 1);
      for (const response of responses.filter((candidate) => candidate.status === 412)) {
        expectProblem(response, 412, 'precondition-failed');
        expect(response.headers.etag).toBe(`"${current.version + 1}"`);
      }
      const { rows } = await t.db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM recognition_case_history WHERE case_id = $1 AND to_status = 'UNVOLLSTAENDIG'`,
        [current.id],
      );
      expect(rows[0].count).toBe(1);
      const read = await call(t, racer.token, 'get', `${CASES}/${current.id}`);
      expect(read.body).toMatchObject({ status: 'UNVOLLSTAENDIG', version: current.version + 1 });
      expect(
        (await auditActions(t, current.id)).filter((action) => action === 'recognition-case.transition'),
      ).toHaveLength(2);
    });
  });

  describe('list filters', () => {
    let office: TestAdviser;
    let first: { id: string };
    let second: { id: string };
    let overdueCase: CaseBody;
    let runningCase: CaseBody;
    let preparedCase: CaseBody;
    let filedCase: CaseBody;

    beforeAll(async () => {
      office = await createAdviser(t);
      first = await registerClient(t, office.token);
      second = await registerClient(t, office.token);
      overdueCase = await createCase(t, office, first.id, { authorityPartnerId: authorityId });
      overdueCase = await step(t, office.token, overdueCase, { to: 'BEANTRAGT', date: daysFromToday(-140) });
      // Documents complete about four months ago: the three months have passed.
      overdueCase = await step(t, office.token, overdueCase, {
        to: 'IN_PRUEFUNG',
        date: daysFromToday(-125),
      });
      runningCase = await createCase(t, office, first.id, {
        kldb: MECHATRONICS,
        legalBasis: 'BQFG',
        procedureKind: 'GLEICHWERTIGKEIT',
        authorityPartnerId: authorityId,
      });
      runningCase = await step(t, office.token, runningCase, { to: 'BEANTRAGT', date: today });
      runningCase = await step(t, office.token, runningCase, { to: 'IN_PRUEFUNG', date: today });
      preparedCase = await createCase(t, office, second.id, {
        kldb: CAR_MECHATRONICS,
        legalBasis: 'HWO',
        procedureKind: 'GLEICHWERTIGKEIT',
      });
      filedCase = await createCase(t, office, second.id, {
        kldb: SPECIALIST_NURSING,
        authorityPartnerId: authorityId,
      });
      filedCase = await step(t, office.token, filedCase, { to: 'BEANTRAGT', date: today });
    });

    it('has the overdue case overdue and the running one not', () => {
      expect(overdueCase).toMatchObject({ status: 'IN_PRUEFUNG', overdue: true });
      expect(runningCase).toMatchObject({ status: 'IN_PRUEFUNG', overdue: false });
      expect((runningCase.decisionDueOn as string) > today).toBe(true);
    });

    it.each([
      ['', ['filed', 'prepared', 'running', 'overdue']],
      ['overdue=true', ['overdue']],
      ['overdue=false', ['filed', 'prepared', 'running']],
      ['dueBefore=TODAY+30', ['overdue']],
      ['dueBefore=TODAY+120', ['running', 'overdue']],
      ['status=IN_PRUEFUNG', ['running', 'overdue']],
      ['status=BEANTRAGT', ['filed']],
      [`kldb=${NURSING}`, ['overdue']],
      ['kldb=813', ['filed', 'overdue']],
      ['kldb=2', ['prepared', 'running']],
      ['regulated=true', ['filed', 'overdue']],
      ['regulated=false', ['prepared', 'running']],
      ['clientId=SECOND', ['filed', 'prepared']],
      ['regulated=false&status=IN_PRUEFUNG', ['running']],
      ['overdue=true&clientId=SECOND', []],
    ])('?%s', async (filter, expected) => {
      const names: Record<string, string> = {
        [overdueCase.id]: 'overdue',
        [runningCase.id]: 'running',
        [preparedCase.id]: 'prepared',
        [filedCase.id]: 'filed',
      };
      const query = filter
        .replace('TODAY+30', daysFromToday(30))
        .replace('TODAY+120', daysFromToday(120))
        .replace('SECOND', second.id);
      const response = await call(t, office.token, 'get', `${CASES}?${query}`);
      expect(ids(response).map((id) => names[id])).toEqual(expected);
    });

    it('pages newest first and records one access-log entry per client shown', async () => {
      const paged = await pages(t, office.token, `${CASES}?limit=1`);
      expect(paged).toEqual([[filedCase.id], [preparedCase.id], [runningCase.id], [overdueCase.id]]);
      const response = await call(t, office.token, 'get', CASES);
      const { rows } = await t.db.query<{ client_id: string; resource_id: string; action: string }>(
        `SELECT client_id, resource_id, action FROM audit_events WHERE request_id = $1 ORDER BY client_id`,
        [response.headers['x-request-id']],
      );
      expect(rows).toEqual(
        [
          { client_id: first.id, resource_id: runningCase.id, action: 'recognition-case.list' },
          { client_id: second.id, resource_id: filedCase.id, action: 'recognition-case.list' },
        ].sort((a, b) => a.client_id.localeCompare(b.client_id)),
      );
    });

    it('shows another office nothing', async () => {
      expect(ids(await call(t, adviser.token, 'get', `${CASES}?clientId=${first.id}`))).toEqual([]);
    });

    it.each([
      'status=OFFEN',
      'overdue=maybe',
      'dueBefore=2025-02-30',
      'kldb=81x',
      'kldb=813021',
      'clientId=1',
      'regulated=1',
    ])('refuses ?%s (400)', async (query) => {
      expect(pointersOf(await call(t, office.token, 'get', `${CASES}?${query}`))).toEqual([
        `#/${query.split('=')[0]}`,
      ]);
    });

    it('keeps the deadline filters on the partial index of cases under examination', async () => {
      const { rows } = await t.db.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE indexname = 'recognition_cases_examined_due_idx'`,
      );
      // GEHEMMT too: a case suspended after its period expired stays overdue.
      expect(rows[0].indexdef).toMatch(
        /\(office_id, decision_due_on\) WHERE \(status = ANY \(ARRAY\['IN_PRUEFUNG'::text, 'GEHEMMT'::text\]\)\)/,
      );
      const client = await t.db.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        const plan = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT id FROM recognition_cases
            WHERE office_id = $1 AND status IN ('IN_PRUEFUNG', 'GEHEMMT') AND decision_due_on < $2::date`,
          [office.officeId, today],
        );
        expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(
          /recognition_cases_(examined|office_status)_due_idx/,
        );
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });
  });

  describe('issue 17: the legal procedure made exact', () => {
    async function partner(type: string, bundesland: string | null): Promise<string> {
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO partners (name, type, bundesland) VALUES ($1, $2, $3) RETURNING id`,
        [`${type} ${Math.random().toString(36).slice(2, 8)}`, type, bundesland],
      );
      return rows[0].id;
    }

    async function examined(
      documentsCompleteOn: string,
      overrides: Record<string, unknown> = {},
    ): Promise<CaseBody> {
      const client = await registerClient(t, adviser.token);
      let current = await createCase(t, adviser, client.id, {
        authorityPartnerId: authorityId,
        ...overrides,
      });
      current = await step(t, adviser.token, current, { to: 'BEANTRAGT', date: '2025-01-10' });
      return step(t, adviser.token, current, { to: 'IN_PRUEFUNG', date: documentsCompleteOn });
    }

    /** The pointers of a 422 (a rule against the stored case). */
    function rulePointers(response: Response): string[] {
      expectProblem(response, 422, 'unprocessable');
      return (response.body.errors as { pointer: string }[]).map((error) => error.pointer);
    }

    function extend(current: CaseBody, body: object): Promise<Response> {
      return call(t, adviser.token, 'post', `${CASES}/${current.id}/extension`, body, {
        'if-match': `"${current.version}"`,
      });
    }

    it('an expired period cannot be suspended: the due date stays and the case stays overdue while GEHEMMT', async () => {
      let current = await examined('2025-01-30');
      expect(current.decisionDueOn).toBe('2025-04-30');
      current = await step(t, adviser.token, current, {
        to: 'GEHEMMT',
        date: '2025-06-02',
        suspensionReason: 'NACHFORDERUNG',
      });
      expect(current).toMatchObject({ status: 'GEHEMMT', decisionDueOn: '2025-04-30', overdue: true });
      const overdue = await call(
        t,
        adviser.token,
        'get',
        `${CASES}?overdue=true&clientId=${current.clientId as string}`,
      );
      expect(ids(overdue)).toEqual([current.id]);
      current = await step(t, adviser.token, current, { to: 'IN_PRUEFUNG', date: '2025-06-13' });
      expect(current).toMatchObject({ decisionDueOn: '2025-04-30', suspendedDays: 0, overdue: true });

      // An extension changes a running period: notified after it ended, it is refused.
      const late = await extend(current, { extendedUntil: '2025-07-31', date: '2025-06-20' });
      expectProblem(late, 422, 'unprocessable');
      expect(late.body.errors).toEqual([
        { pointer: '#/date', detail: expect.stringContaining('must be notified before it ends') },
      ]);
    });

    it('a later suspension suspends the extended period too; the end moves past Whit Monday (§31(3) VwVfG)', async () => {
      let current = await examined('2025-01-31');
      const extended = await extend(current, { extendedUntil: '2025-05-29', date: '2025-04-20' });
      expect(extended.status).toBe(200);
      // 29 May 2025 is Ascension Day: the period ends on Friday 30 May.
      expect(extended.body).toMatchObject({ decisionReminderOn: '2025-05-29', decisionDueOn: '2025-05-30' });
      current = extended.body as CaseBody;
      current = await step(t, adviser.token, current, {
        to: 'GEHEMMT',
        date: '2025-05-05',
        suspensionReason: 'ECHTHEITSPRUEFUNG',
      });
      expect(current.decisionDueOn).toBeNull();
      current = await step(t, adviser.token, current, { to: 'IN_PRUEFUNG', date: '2025-05-14' });
      // 29 May + 10 days = Whit Sunday 8 June; Whit Monday is a holiday: due Tuesday 10 June.
      expect(current).toMatchObject({
        extendedUntil: '2025-05-29',
        suspendedDays: 10,
        decisionReminderOn: '2025-06-08',
        decisionDueOn: '2025-06-10',
        deadlineBundesland: 'DE-BE',
      });
    });

    it('skips the public holidays of the authority’s Land, else the office’s', async () => {
      // Documents complete 4 March 2026 → Thursday 4 June 2026, Corpus Christi in Bavaria, not in Berlin.
      const bavarian = await examined('2026-03-04', { authorityPartnerId: await partner('KAMMER', 'DE-BY') });
      expect(bavarian).toMatchObject({
        deadlineBundesland: 'DE-BY',
        decisionReminderOn: '2026-06-04',
        decisionDueOn: '2026-06-05',
      });
      const unknownLand = await examined('2026-03-04', {
        authorityPartnerId: await partner('ANERKENNUNGSSTELLE', null),
      });
      expect(unknownLand).toMatchObject({ deadlineBundesland: 'DE-BE', decisionDueOn: '2026-06-04' });
    });

    it('records when the authority confirmed receipt; until then the case is listed as overdue for it', async () => {
      const client = await registerClient(t, adviser.token);
      let current = await createCase(t, adviser, client.id, { authorityPartnerId: authorityId });
      const unfiled = await call(
        t,
        adviser.token,
        'post',
        `${CASES}/${current.id}/receipt-confirmation`,
        { date: '2025-01-20' },
        { 'if-match': `"${current.version}"` },
      );
      expectProblem(unfiled, 409, 'conflict');
      current = await step(t, adviser.token, current, { to: 'BEANTRAGT', date: '2025-01-10' });
      expect(current).toMatchObject({
        receiptConfirmationDueOn: '2025-02-10',
        receiptConfirmedOn: null,
        receiptConfirmedInTime: null,
        receiptConfirmationOverdue: true,
      });
      const listed = await call(
        t,
        adviser.token,
        'get',
        `${CASES}?receiptConfirmationOverdue=true&clientId=${client.id}`,
      );
      expect(ids(listed)).toEqual([current.id]);

      const confirm = (body: object) =>
        call(t, adviser.token, 'post', `${CASES}/${current.id}/receipt-confirmation`, body, {
          'if-match': `"${current.version}"`,
        });
      expect(rulePointers(await confirm({ date: '2025-01-09' }))).toEqual(['#/date']);
      expect(rulePointers(await confirm({ date: daysFromToday(2) }))).toEqual(['#/date']);
      const confirmed = await confirm({ date: '2025-02-12', note: 'Eingangsbestätigung per E-Mail' });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({
        receiptConfirmedOn: '2025-02-12',
        receiptConfirmedInTime: false,
        receiptConfirmationOverdue: false,
        status: 'BEANTRAGT',
      });
      current = confirmed.body as CaseBody;
      expect(
        ids(
          await call(
            t,
            adviser.token,
            'get',
            `${CASES}?receiptConfirmationOverdue=true&clientId=${client.id}`,
          ),
        ),
      ).toEqual([]);
      expectProblem(await confirm({ date: '2025-02-13' }), 409, 'conflict');

      const history = await call(t, adviser.token, 'get', `${CASES}/${current.id}/history`);
      expect(history.body.items.at(-1)).toMatchObject({
        from: 'BEANTRAGT',
        to: 'BEANTRAGT',
        date: '2025-02-12',
        payload: { receiptConfirmedOn: '2025-02-12' },
      });
      const timeline = await call(t, adviser.token, 'get', `${CLIENTS}/${client.id}/timeline?limit=200`);
      expect(
        (timeline.body.items as { type: string; details: unknown }[]).filter(
          (entry) => entry.type === 'recognition-case.receipt-confirmation',
        ),
      ).toEqual([
        expect.objectContaining({
          date: '2025-02-12',
          details: { caseId: current.id, status: 'BEANTRAGT', receiptConfirmedOn: '2025-02-12' },
        }),
      ]);
      expect(await auditActions(t, current.id)).toContain('recognition-case.receipt-confirmation');
    });

    it('decides a formal rejection from UNVOLLSTAENDIG, without processing days; an appeal withdrawn leaves it standing', async () => {
      const client = await registerClient(t, adviser.token);
      let current = await createCase(t, adviser, client.id, { authorityPartnerId: authorityId });
      current = await step(t, adviser.token, current, { to: 'BEANTRAGT', date: '2025-01-10' });
      current = await step(t, adviser.token, current, { to: 'UNVOLLSTAENDIG', date: '2025-01-20' });
      expect(current.allowedTransitions).toContain('BESCHIEDEN');
      const merits = await transition(t, adviser.token, current, {
        to: 'BESCHIEDEN',
        date: '2025-04-01',
        outcome: 'VOLLE_GLEICHWERTIGKEIT',
      });
      expectProblem(merits, 422, 'unprocessable');
      expect(merits.body.errors).toEqual([
        {
          pointer: '#/outcome',
          detail: expect.stringContaining('only a formal rejection (ABLEHNUNG_FORMAL'),
        },
      ]);
      current = await step(t, adviser.token, current, {
        to: 'BESCHIEDEN',
        date: '2025-04-01',
        outcome: 'ABLEHNUNG_FORMAL',
      });
      expect(current).toMatchObject({
        outcome: 'ABLEHNUNG_FORMAL',
        decidedOn: '2025-04-01',
        firstDecidedOn: '2025-04-01',
        processingDays: null,
      });
      current = await step(t, adviser.token, current, { to: 'RECHTSBEHELF', date: '2025-04-20' });
      current = await step(t, adviser.token, current, {
        to: 'BESCHIEDEN',
        date: '2025-05-15',
        appealWithdrawn: true,
      });
      expect(current).toMatchObject({
        status: 'BESCHIEDEN',
        outcome: 'ABLEHNUNG_FORMAL',
        decidedOn: '2025-04-01',
        appealFiledOn: '2025-04-20',
      });
      const history = await call(t, adviser.token, 'get', `${CASES}/${current.id}/history`);
      expect(history.body.items.at(-1)).toMatchObject({
        from: 'RECHTSBEHELF',
        to: 'BESCHIEDEN',
        date: '2025-05-15',
        payload: { appealWithdrawn: true },
      });
    });

    it('ends a ZAB statement with ZAB_BESCHEINIGUNG only', async () => {
      const zab = await partner('ZAB', 'DE-NW');
      const current = await examined('2025-02-03', {
        kldb: '43104',
        legalBasis: 'KMK',
        procedureKind: 'ZEUGNISBEWERTUNG_ZAB',
        authorityPartnerId: zab,
      });
      const recognition = await transition(t, adviser.token, current, {
        to: 'BESCHIEDEN',
        date: '2025-04-01',
        outcome: 'VOLLE_GLEICHWERTIGKEIT',
      });
      expectProblem(recognition, 422, 'unprocessable');
      expect(recognition.body.errors[0].detail).toContain('ends with ZAB_BESCHEINIGUNG only');
      const decided = await step(t, adviser.token, current, {
        to: 'BESCHIEDEN',
        date: '2025-04-01',
        outcome: 'ZAB_BESCHEINIGUNG',
      });
      expect(decided.outcome).toBe('ZAB_BESCHEINIGUNG');
    });

    it('accepts only a competent authority: ANERKENNUNGSSTELLE, KAMMER or ZAB', async () => {
      const client = await registerClient(t, adviser.token);
      const jobcenter = await partner('JOBCENTER', 'DE-BE');
      const response = await call(t, adviser.token, 'post', CASES, {
        clientId: client.id,
        kldb: NURSING,
        legalBasis: 'PFLBG',
        procedureKind: 'BERUFSZULASSUNG',
        authorityPartnerId: jobcenter,
      });
      expectProblem(response, 422, 'unprocessable');
      expect(response.body.errors).toEqual([
        {
          pointer: '#/authorityPartnerId',
          detail:
            'must be a competent authority, a partner of type ANERKENNUNGSSTELLE, KAMMER, ZAB; this partner is JOBCENTER',
        },
      ]);
      const current = await createCase(t, adviser, client.id);
      const filed = await transition(t, adviser.token, current, {
        to: 'BEANTRAGT',
        date: '2025-01-10',
        authorityPartnerId: jobcenter,
      });
      expectProblem(filed, 422, 'unprocessable');
      const patched = await patchCurrent(t, adviser.token, `${CASES}/${current.id}`, {
        authorityPartnerId: jobcenter,
      });
      expectProblem(patched, 422, 'unprocessable');
      for (const type of ['ANERKENNUNGSSTELLE', 'KAMMER', 'ZAB']) {
        const ok = await patchCurrent(t, adviser.token, `${CASES}/${current.id}`, {
          authorityPartnerId: await partner(type, 'DE-HH'),
        });
        expect(ok.status).toBe(200);
      }
    });

    it('derives the EU/EEA/CH cap whenever its inputs change: the qualification’s country, the link, the recorded recognition', async () => {
      const client = await registerClient(t, adviser.token);
      const ukrainian = await qualification(t, client.id, 'UA');
      let current = await createCase(t, adviser, client.id, {
        authorityPartnerId: authorityId,
        qualificationId: ukrainian,
      });
      expect(current.euQualification).toBe(false);
      const changed = await patchCurrent(
        t,
        adviser.token,
        `${CLIENTS}/${client.id}/qualifications/${ukrainian}`,
        {
          country: 'AT',
        },
      );
      expect(changed.status).toBe(200);
      const read = await call(t, adviser.token, 'get', `${CASES}/${current.id}`);
      expect(read.body.euQualification).toBe(true);

      const polish = await qualification(t, client.id, 'UA');
      const relinked = await patchCurrent(t, adviser.token, `${CASES}/${current.id}`, {
        qualificationId: polish,
      });
      expect(relinked.body.euQualification).toBe(false);
      const recognised = await patchCurrent(t, adviser.token, `${CASES}/${current.id}`, {
        qualificationId: null,
        recognisedInEuEeaCh: true,
      });
      expect(recognised.body).toMatchObject({
        qualificationId: null,
        recognisedInEuEeaCh: true,
        euQualification: true,
      });

      // With the cap, the extension may add one month at most.
      current = recognised.body as CaseBody;
      current = await step(t, adviser.token, current, { to: 'BEANTRAGT', date: '2025-01-10' });
      current = await step(t, adviser.token, current, { to: 'IN_PRUEFUNG', date: '2025-01-31' });
      const tooLong = await extend(current, { extendedUntil: '2025-06-15', date: '2025-04-10' });
      expectProblem(tooLong, 422, 'unprocessable');
      expect(tooLong.body.latestAllowed).toBe('2025-05-30');
    });

    it('links a follow-up only to a partial decision of the client, another occupation only when confirmed', async () => {
      const client = await registerClient(t, adviser.token);
      const decided = async (outcome: string) => {
        const created = await createCase(t, adviser, client.id, {
          kldb: MECHATRONICS,
          legalBasis: 'BQFG',
          procedureKind: 'GLEICHWERTIGKEIT',
        });
        await t.db.query(
          `UPDATE recognition_cases SET status = 'ABGESCHLOSSEN', outcome = $2 WHERE id = $1`,
          [created.id, outcome],
        );
        return created.id;
      };
      const follow = (followUpOf: string, extra: Record<string, unknown> = {}) =>
        call(t, adviser.token, 'post', CASES, {
          clientId: client.id,
          kldb: MECHATRONICS,
          legalBasis: 'BQFG',
          procedureKind: 'GLEICHWERTIGKEIT',
          followUpOf,
          ...extra,
        });
      const full = await follow(await decided('VOLLE_GLEICHWERTIGKEIT'));
      expectProblem(full, 422, 'unprocessable');
      expect(full.body.errors).toEqual([
        { pointer: '#/followUpOf', detail: expect.stringContaining('§6(5) BQFG') },
      ]);
      const rejected = await follow(await decided('KEINE_GLEICHWERTIGKEIT'));
      expect(rulePointers(rejected)).toEqual(['#/followUpOf']);

      const partial = await decided('TEILWEISE_GLEICHWERTIGKEIT');
      expect((await follow(partial)).status).toBe(201);
      const other = await follow(partial, { kldb: CAR_MECHATRONICS });
      expect(rulePointers(other)).toEqual(['#/followUpOtherOccupation']);
      const confirmed = await follow(partial, { kldb: CAR_MECHATRONICS, followUpOtherOccupation: true });
      expect(confirmed.status).toBe(201);
      expect(confirmed.body).toMatchObject({ followUpOf: partial, followUpOtherOccupation: true });
    });

    it('refuses a compensation measure for a non-regulated profession (the route is an Anpassungsqualifizierung)', async () => {
      const current = await examined('2025-02-03', {
        kldb: MECHATRONICS,
        legalBasis: 'BQFG',
        procedureKind: 'GLEICHWERTIGKEIT',
      });
      const response = await transition(t, adviser.token, current, {
        to: 'BESCHIEDEN',
        date: '2025-04-01',
        outcome: 'TEILWEISE_GLEICHWERTIGKEIT',
        substantialDifferences: [{ description: 'SPS fehlt', compensationOptions: ['KENNTNISPRUEFUNG'] }],
      });
      expect(rulePointers(response)).toEqual(['#/substantialDifferences/0/compensationOptions']);
    });
  });

  describe('office isolation', () => {
    /** A valid body per route, so that a 404 comes from the scope, not from validation. */
    const SAMPLE_BODIES: Record<string, object | undefined> = {
      'PATCH /api/v1/recognition-cases/:id': { notes: 'fremd' },
      'POST /api/v1/recognition-cases/:id/transitions': { to: 'ZURUECKGENOMMEN', date: '2025-06-25' },
      'POST /api/v1/recognition-cases/:id/extension': { extendedUntil: '2025-09-30', date: '2025-06-20' },
      'POST /api/v1/recognition-cases/:id/receipt-confirmation': { date: '2025-03-10' },
    };

    it('another office’s adviser gets 404 on every route and method of a case, and nothing changes', async () => {
      const owner = await createAdviser(t);
      const stranger = await createAdviser(t);
      const client = await registerClient(t, owner.token);
      let victim = await createCase(t, owner, client.id, { authorityPartnerId: authorityId });
      victim = await step(t, owner.token, victim, { to: 'BEANTRAGT', date: '2025-03-03' });
      victim = await step(t, owner.token, victim, { to: 'IN_PRUEFUNG', date: '2025-03-31' });

      const routes = listRoutes(t.app).filter((route) => route.path.startsWith(`${CASES}/:`));
      expect(routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
        'GET /api/v1/recognition-cases/:id',
        'GET /api/v1/recognition-cases/:id/history',
        'PATCH /api/v1/recognition-cases/:id',
        'POST /api/v1/recognition-cases/:id/extension',
        'POST /api/v1/recognition-cases/:id/receipt-confirmation',
        'POST /api/v1/recognition-cases/:id/transitions',
      ]);
      for (const route of routes.filter((candidate) => candidate.method !== 'GET')) {
        expect(`${route.method} ${route.path}` in SAMPLE_BODIES).toBe(true);
      }

      const before = await databaseFingerprint(t);
      for (const route of routes) {
        const path = route.path.replace(':id', victim.id);
        const method = route.method.toLowerCase() as 'get' | 'post' | 'patch';
        const body = SAMPLE_BODIES[`${route.method} ${route.path}`];
        const headers = { 'if-match': `"${victim.version}"` };
        const response = await call(t, stranger.token, method, path, body, headers);
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 404,
        });
        expectProblem(response, 404, 'not-found');
      }
      expect(await databaseFingerprint(t)).toEqual(before);
      // Each probe is kept in the audit log as refused, as for clients and enrolments.
      const denials = await t.db.query<{ action: string; resourceId: string; actorId: string }>(
        `SELECT action, resource_id AS "resourceId", actor_id AS "actorId" FROM audit_events
          WHERE outcome = 'DENIED' AND resource_id = $1`,
        [victim.id],
      );
      expect(denials.rows).toEqual(
        routes.map(() => ({
          action: 'recognition-case.access-denied',
          resourceId: victim.id,
          actorId: stranger.userId,
        })),
      );

      for (const route of routes.filter((candidate) => candidate.method === 'GET')) {
        expect((await call(t, owner.token, 'get', route.path.replace(':id', victim.id))).status).toBe(200);
      }

      // The same requests work for the owner (the 404s above are not broken bodies).
      const extended = await call(
        t,
        owner.token,
        'post',
        `${CASES}/${victim.id}/extension`,
        SAMPLE_BODIES['POST /api/v1/recognition-cases/:id/extension'],
        { 'if-match': `"${victim.version}"` },
      );
      expect(extended.status).toBe(200);
      const confirmed = await call(
        t,
        owner.token,
        'post',
        `${CASES}/${victim.id}/receipt-confirmation`,
        SAMPLE_BODIES['POST /api/v1/recognition-cases/:id/receipt-confirmation'],
        { 'if-match': extended.headers.etag },
      );
      expect(confirmed.status).toBe(200);
      const patched = await call(
        t,
        owner.token,
        'patch',
        `${CASES}/${victim.id}`,
        SAMPLE_BODIES['PATCH /api/v1/recognition-cases/:id'],
        { 'if-match': confirmed.headers.etag },
      );
      expect(patched.status).toBe(200);
      const ended = await call(
        t,
        owner.token,
        'post',
        `${CASES}/${victim.id}/transitions`,
        SAMPLE_BODIES['POST /api/v1/recognition-cases/:id/transitions'],
        { 'if-match': patched.headers.etag },
      );
      expect(ended.status).toBe(200);
    });
  });

  describe('Art. 17 erasure', () => {
    it('removes the case notes, transition notes and difference descriptions; codes and dates stay', async () => {
      const client = await registerClient(t, adviser.token);
      // Created with an Idempotency-Key: the kept reply holds the note and must be forgotten too.
      const created = await call(
        t,
        adviser.token,
        'post',
        CASES,
        {
          clientId: client.id,
          kldb: NURSING,
          legalBasis: 'PFLBG',
          procedureKind: 'BERUFSZULASSUNG',
          authorityPartnerId: authorityId,
          notes: CASE_NOTE,
        },
        { 'idempotency-key': `erasure-${client.id}` },
      );
      expect(created.status).toBe(201);
      const { rows: kept } = await t.db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM idempotency_keys WHERE response_body::text LIKE '%' || $1 || '%'`,
        [CASE_NOTE],
      );
      expect(kept[0].count).toBe(1);
      let current = created.body as CaseBody;
      current = await step(t, adviser.token, current, {
        to: 'BEANTRAGT',
        date: '2025-01-10',
        note: TRANSITION_NOTE,
      });
      current = await step(t, adviser.token, current, { to: 'IN_PRUEFUNG', date: '2025-01-31' });
      current = await step(t, adviser.token, current, {
        to: 'BESCHIEDEN',
        date: '2025-04-15',
        outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
        note: 'Bescheid kam per Einschreiben',
        substantialDifferences: [{ description: DIFFERENCE_TEXT, compensationOptions: ['EIGNUNGSPRUEFUNG'] }],
      });

      const clientRead = await call(t, adviser.token, 'get', `${CLIENTS}/${client.id}`);
      const erasure = await call(t, adviser.token, 'post', `${CLIENTS}/${client.id}/erasure`, undefined, {
        'if-match': clientRead.headers.etag,
      });
      expect(erasure.status).toBe(200);
      expect(erasure.body.parts).toContainEqual({ name: 'recognitionCases', rowsErased: 4 });

      const { rows: cases } = await t.db.query(
        `SELECT notes, status, outcome, kldb, regulated, to_char(documents_complete_on, 'YYYY-MM-DD') AS complete,
                to_char(decided_on, 'YYYY-MM-DD') AS decided, processing_days
           FROM recognition_cases WHERE id = $1`,
        [current.id],
      );
      expect(cases).toEqual([
        {
          notes: null,
          status: 'BESCHIEDEN',
          outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
          kldb: NURSING,
          regulated: true,
          complete: '2025-01-31',
          decided: '2025-04-15',
          processing_days: 74,
        },
      ]);
      const { rows: history } = await t.db.query<{
        to_status: string;
        note: string | null;
        payload: unknown;
      }>(
        `SELECT to_status, note, payload FROM recognition_case_history WHERE case_id = $1 ORDER BY recorded_at`,
        [current.id],
      );
      expect(history.map((row) => row.note)).toEqual([null, null, null, null]);
      expect(history.map((row) => row.to_status)).toEqual([
        'IN_VORBEREITUNG',
        'BEANTRAGT',
        'IN_PRUEFUNG',
        'BESCHIEDEN',
      ]);
      expect(history[3].payload).toEqual({
        outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
        substantialDifferences: [{ compensationOptions: ['EIGNUNGSPRUEFUNG'] }],
      });
      const { rows: differences } = await t.db.query(
        'SELECT description, compensation_options FROM substantial_differences WHERE case_id = $1',
        [current.id],
      );
      expect(differences).toEqual([{ description: null, compensation_options: ['EIGNUNGSPRUEFUNG'] }]);
      const { rows: leftovers } = await t.db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM idempotency_keys WHERE response_body::text LIKE '%' || $1 || '%'`,
        [CASE_NOTE],
      );
      expect(leftovers[0].count).toBe(0);

      const read = await call(t, adviser.token, 'get', `${CASES}/${current.id}`);
      expect(read.body).toMatchObject({
        notes: null,
        status: 'BESCHIEDEN',
        substantialDifferences: [{ description: null }],
      });
      expectProblem(
        await transition(t, adviser.token, read.body as CaseBody, {
          to: 'ABGESCHLOSSEN',
          date: '2025-05-01',
        }),
        409,
        'client-erased',
      );
      expectProblem(
        await call(t, adviser.token, 'post', CASES, {
          clientId: client.id,
          kldb: NURSING,
          legalBasis: 'PFLBG',
          procedureKind: 'BERUFSZULASSUNG',
        }),
        409,
        'client-erased',
      );
    });
  });

  describe('roles', () => {
    it('answers 403 to administrators, coordinators and partner systems on every recognition route', async () => {
      const coordinator = await createUser(t, { role: 'COORDINATOR', networkId: adviser.networkId });
      const admin = await createUser(t, { role: 'ADMIN' });
      const tokens = [
        await tokenFor(t, coordinator),
        await tokenFor(t, admin),
        await partnerToken(t, await createApiClient(t, 'ANERKENNUNGSSTELLE')),
      ];
      const routes = listRoutes(t.app).filter((route) => route.path.startsWith(CASES));
      expect(routes).toHaveLength(8);
      for (const token of tokens) {
        for (const route of routes) {
          const response = await call(
            t,
            token,
            route.method.toLowerCase() as 'get' | 'post' | 'patch',
            route.path.replace(':id', SOME_ID),
            route.method === 'GET' ? undefined : {},
            { 'if-match': '"1"' },
          );
          expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
            route: `${route.method} ${route.path}`,
            status: 403,
          });
          expectProblem(response, 403, 'forbidden');
        }
      }
    });
  });
});
