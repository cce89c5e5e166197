import { Clock } from '../src/common/time/clock';
import { createOffice, createUser, tokenFor } from './support/auth';
import { createAdviser, registerClient, type TestAdviser } from './support/clients';
import { call, expectProblem } from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const CLIENTS = '/api/v1/clients';
const CASES = '/api/v1/recognition-cases';

/** The day the tests run the rule for (German calendar); midday, so UTC and Berlin agree on the day. */
const TODAY = '2029-06-15';
const THREE_YEARS_AGO = '2026-06-15';
const THREE_YEARS_AND_A_DAY_AGO = '2026-06-14';
const THREE_YEARS_LESS_A_DAY_AGO = '2026-06-16';

/** A client with a consultation on `day`, every record of it dated `day` (as if it had been then). */
async function clientLastSeenOn(t: TestApp, adviser: TestAdviser, day: string): Promise<string> {
  const client = await registerClient(t, adviser.token);
  const consultation = await call(t, adviser.token, 'post', `${CLIENTS}/${client.id}/consultations`, {
    heldOn: day,
    durationMinutes: 45,
    channel: 'PERSOENLICH',
    topics: ['ANERKENNUNG_INFO'],
    outcomes: ['ANTRAG_EMPFOHLEN'],
    notes: 'Termin nur vormittags',
  });
  expect(consultation.status).toBe(201);
  await backdate(t, client.id, day);
  return client.id;
}

/** Moves every timestamp of the client's records to midday of `day` in Berlin. */
async function backdate(t: TestApp, clientId: string, day: string): Promise<void> {
  const at = `${day} 12:00 Europe/Berlin`;
  await t.db.query(`UPDATE clients SET created_at = $2, updated_at = $2 WHERE id = $1`, [clientId, at]);
  await t.db.query(
    `UPDATE consultations SET held_on = $2::date, created_at = $3, updated_at = $3 WHERE client_id = $1`,
    [clientId, day, at],
  );
  await t.db.query(`UPDATE recognition_cases SET created_at = $2, updated_at = $2 WHERE client_id = $1`, [
    clientId,
    at,
  ]);
  await t.db.query(
    `UPDATE recognition_case_history SET occurred_on = $2::date, recorded_at = $3
      WHERE case_id IN (SELECT id FROM recognition_cases WHERE client_id = $1)`,
    [clientId, day, at],
  );
}

async function openCase(
  t: TestApp,
  adviser: TestAdviser,
  clientId: string,
): Promise<{ id: string; version: number }> {
  const response = await call(t, adviser.token, 'post', CASES, {
    clientId,
    kldb: '81302',
    legalBasis: 'PFLBG',
    procedureKind: 'BERUFSZULASSUNG',
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; version: number };
}

async function withdrawCase(
  t: TestApp,
  adviser: TestAdviser,
  current: { id: string; version: number },
): Promise<void> {
  const response = await call(
    t,
    adviser.token,
    'post',
    `${CASES}/${current.id}/transitions`,
    { to: 'ZURUECKGENOMMEN', date: TODAY },
    { 'if-match': `"${current.version}"` },
  );
  expect(response.status).toBe(200);
}

async function erasedAt(t: TestApp, clientId: string): Promise<string | null> {
  const { rows } = await t.db.query<{ erased_at: string | null }>(
    'SELECT erased_at FROM clients WHERE id = $1',
    [clientId],
  );
  return rows[0].erased_at;
}

/** What reports count: the statistical profile and the consultations, without identities. */
async function reportFigures(t: TestApp, officeId: string): Promise<unknown> {
  const { rows } = await t.db.query(
    `SELECT c.gender, c.birth_year, c.nationalities, c.residence_status, count(DISTINCT c.id)::int AS clients,
            count(k.id)::int AS consultations
       FROM clients c LEFT JOIN consultations k ON k.client_id = c.id
      WHERE c.office_id = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2`,
    [officeId],
  );
  return rows;
}

describe('retention', () => {
  let t: TestApp;
  let adviser: TestAdviser;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    adviser = await createAdviser(t);
    admin = await tokenFor(t, await createUser(t, { role: 'ADMIN' }));
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    t.app.get(Clock).setFixedTime(`${TODAY}T10:00:00Z`);
  });

  it('erases exactly the clients nobody has served for three years, through the Art. 17 erasure', async () => {
    const overdue = await clientLastSeenOn(t, adviser, THREE_YEARS_AND_A_DAY_AGO);
    const dueToday = await clientLastSeenOn(t, adviser, THREE_YEARS_AGO);
    const recent = await clientLastSeenOn(t, adviser, THREE_YEARS_LESS_A_DAY_AGO);
    // Seen long ago, but with a case still open.
    const withOpenCase = await clientLastSeenOn(t, adviser, '2020-01-10');
    await openCase(t, adviser, withOpenCase);
    await backdate(t, withOpenCase, '2020-01-10');
    // A closed case: its closing is the last activity, whatever came before.
    const closedRecently = await clientLastSeenOn(t, adviser, '2020-01-10');
    await withdrawCase(t, adviser, await openCase(t, adviser, closedRecently));
    await backdate(t, closedRecently, '2020-01-10');
    await t.db.query(
      `UPDATE recognition_case_history SET occurred_on = $2, recorded_at = $3
        WHERE to_status = 'ZURUECKGENOMMEN' AND case_id IN (SELECT id FROM recognition_cases WHERE client_id = $1)`,
      [closedRecently, THREE_YEARS_LESS_A_DAY_AGO, `${THREE_YEARS_LESS_A_DAY_AGO} 12:00 Europe/Berlin`],
    );
    const closedLongAgo = await clientLastSeenOn(t, adviser, '2020-01-10');
    await withdrawCase(t, adviser, await openCase(t, adviser, closedLongAgo));
    await backdate(t, closedLongAgo, THREE_YEARS_AND_A_DAY_AGO);

    const preview = await call(t, admin, 'get', '/api/v1/retention/preview');
    expect(preview.status).toBe(200);
    const due = (preview.body.items as { clientId: string }[]).filter((item) =>
      [overdue, dueToday, recent, withOpenCase, closedRecently, closedLongAgo].includes(item.clientId),
    );
    expect(due).toEqual([
      {
        clientId: [overdue, closedLongAgo].sort()[0],
        officeId: adviser.officeId,
        lastActivityOn: THREE_YEARS_AND_A_DAY_AGO,
        dueOn: '2029-06-14',
      },
      {
        clientId: [overdue, closedLongAgo].sort()[1],
        officeId: adviser.officeId,
        lastActivityOn: THREE_YEARS_AND_A_DAY_AGO,
        dueOn: '2029-06-14',
      },
      { clientId: dueToday, officeId: adviser.officeId, lastActivityOn: THREE_YEARS_AGO, dueOn: TODAY },
    ]);
    // Ids and dates only.
    expect(Object.keys(preview.body.items[0]).sort()).toEqual([
      'clientId',
      'dueOn',
      'lastActivityOn',
      'officeId',
    ]);

    const figuresBefore = await reportFigures(t, adviser.officeId);
    const run = await call(t, admin, 'post', '/api/v1/retention/runs');
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ trigger: 'MANUAL', asOf: TODAY, erased: 3, failed: 0 });
    expect(run.body.finishedAt).not.toBeNull();

    for (const id of [overdue, dueToday, closedLongAgo]) {
      expect(await erasedAt(t, id)).not.toBeNull();
    }
    for (const id of [recent, withOpenCase, closedRecently]) {
      expect(await erasedAt(t, id)).toBeNull();
    }
    // The Art. 17 path: identity and free texts gone, the statistical profile kept.
    const { rows } = await t.db.query(
      `SELECT c.first_name, c.last_name, c.email, c.birth_year IS NOT NULL AS has_birth_year, k.notes
         FROM clients c JOIN consultations k ON k.client_id = c.id WHERE c.id = $1`,
      [overdue],
    );
    expect(rows).toEqual([
      { first_name: null, last_name: null, email: null, has_birth_year: true, notes: null },
    ]);
    expect(await reportFigures(t, adviser.officeId)).toEqual(figuresBefore);

    // Audited with the system as the actor, the run's id as the request id.
    const audit = await t.db.query(
      `SELECT actor_kind, actor_id, request_id FROM audit_events WHERE action = 'client.erase' AND client_id = $1`,
      [overdue],
    );
    expect(audit.rows).toEqual([{ actor_kind: 'system', actor_id: null, request_id: run.body.id }]);

    const again = await call(t, admin, 'post', '/api/v1/retention/runs');
    expect(again.body).toMatchObject({ erased: 0, failed: 0 });
    const runs = await call(t, admin, 'get', '/api/v1/retention/runs');
    expect(runs.status).toBe(200);
    expect(runs.body.items.map((item: { id: string }) => item.id)).toEqual([again.body.id, run.body.id]);
  });

  it('counts a change of the record as activity', async () => {
    const client = await clientLastSeenOn(t, adviser, '2020-01-10');
    const { rows } = await t.db.query<{ version: number }>('SELECT version FROM clients WHERE id = $1', [
      client,
    ]);
    const changed = await call(
      t,
      adviser.token,
      'patch',
      `${CLIENTS}/${client}`,
      { city: 'Potsdam' },
      { 'if-match': `"${rows[0].version}"` },
    );
    expect(changed.status).toBe(200);
    const run = await call(t, admin, 'post', '/api/v1/retention/runs');
    expect(run.status).toBe(200);
    expect(await erasedAt(t, client)).toBeNull();
  });

  it('the daily job applies the rule as the system', async () => {
    const client = await clientLastSeenOn(t, adviser, '2020-01-10');
    const handler = t.app.get((await import('../src/retention/retention.job')).RetentionJob);
    expect(handler.schedule).toBe('30 2 * * *');
    await handler.handle();
    expect(await erasedAt(t, client)).not.toBeNull();
    const { rows } = await t.db.query(
      `SELECT trigger, requested_by FROM retention_runs ORDER BY started_at DESC LIMIT 1`,
    );
    expect(rows).toEqual([{ trigger: 'SCHEDULE', requested_by: null }]);
  });

  it('shows a coordinator the clients due in their network only; advisers may not look', async () => {
    const mine = await clientLastSeenOn(t, adviser, '2020-01-10');
    const other = await createAdviser(t, await createOffice(t));
    const theirs = await clientLastSeenOn(t, other, '2020-01-10');
    const coordinator = await tokenFor(
      t,
      await createUser(t, { role: 'COORDINATOR', networkId: adviser.networkId }),
    );

    const preview = await call(t, coordinator, 'get', '/api/v1/retention/preview?limit=200');
    expect(preview.status).toBe(200);
    const ids = (preview.body.items as { clientId: string }[]).map((item) => item.clientId);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);

    expectProblem(await call(t, coordinator, 'post', '/api/v1/retention/runs'), 403, 'forbidden');
    expectProblem(await call(t, adviser.token, 'get', '/api/v1/retention/preview'), 403, 'forbidden');
  });

  it('pages the preview by due day', async () => {
    for (const day of ['2020-01-10', '2020-01-11', '2020-01-12']) {
      await clientLastSeenOn(t, adviser, day);
    }
    const first = await call(t, admin, 'get', '/api/v1/retention/preview?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await call(
      t,
      admin,
      'get',
      `/api/v1/retention/preview?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.status).toBe(200);
    const all = [...first.body.items, ...second.body.items] as { dueOn: string; clientId: string }[];
    expect(new Set(all.map((item) => item.clientId)).size).toBe(all.length);
    expect(all.map((item) => item.dueOn)).toEqual([...all.map((item) => item.dueOn)].sort());
    expectProblem(
      await call(t, admin, 'get', '/api/v1/retention/preview?cursor=bm9wZQ'),
      400,
      'validation-error',
    );
  });
});
