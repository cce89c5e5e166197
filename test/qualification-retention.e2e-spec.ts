import { createUser, tokenFor } from './support/auth';
import { createAdviser, registerClient, type TestAdviser } from './support/clients';
import { call } from './support/org-fixtures';
import {
  createCoordinator,
  createOffer,
  enrol,
  provider,
  transition,
  type EnrolmentBody,
} from './support/qualification';
import { createTestApp, type TestApp } from './support/test-app';

/** The retention rule runs on this day; three years back is 2026-06-15. */
const TODAY = '2029-06-15';
const LONG_AGO = '2026-06-10';
const THREE_YEARS_LESS_A_DAY_AGO = '2026-06-16';

/** Moves every timestamp of the client and its enrolments to midday of `day` in Berlin. */
async function backdate(t: TestApp, clientId: string, day: string): Promise<void> {
  const at = `${day} 12:00 Europe/Berlin`;
  await t.db.query('UPDATE clients SET created_at = $2, updated_at = $2 WHERE id = $1', [clientId, at]);
  await t.db.query('UPDATE enrolments SET created_at = $2, updated_at = $2 WHERE client_id = $1', [
    clientId,
    at,
  ]);
  await t.db.query(
    `UPDATE enrolment_history SET occurred_on = $2::date, recorded_at = $3
      WHERE enrolment_id IN (SELECT id FROM enrolments WHERE client_id = $1)`,
    [clientId, day, at],
  );
}

describe('enrolments and the retention rule', () => {
  let t: TestApp;
  let adviser: TestAdviser;

  beforeAll(async () => {
    t = await createTestApp();
    adviser = await createAdviser(t);
  });
  afterAll(() => t.close());

  it('a live enrolment keeps the client; an enrolment’s steps are activity', async () => {
    t.clock.setFixedTime(`${LONG_AGO}T10:00:00Z`);
    const coordinator = await createCoordinator(t);
    const offer = await createOffer(t, coordinator, await provider(t), { capacity: 1, endsOn: null });
    const client = async () => (await registerClient(t, adviser.token)).id;

    const seated = await client();
    const seatedEnrolment = await enrol(t, adviser.token, seated, offer.id);
    expect(seatedEnrolment.body.status).toBe('ZUGESAGT');
    const waiting = await client();
    expect((await enrol(t, adviser.token, waiting, offer.id)).body.status).toBe('WARTELISTE');
    const cancelled = await client();
    const toCancel = await enrol(t, adviser.token, cancelled, offer.id);
    await transition(t, adviser.token, toCancel.body as EnrolmentBody, { to: 'STORNIERT', date: LONG_AGO });
    const cancelledLater = await client();
    const toCancelLater = await enrol(t, adviser.token, cancelledLater, offer.id);
    await transition(t, adviser.token, toCancelLater.body as EnrolmentBody, {
      to: 'STORNIERT',
      date: LONG_AGO,
    });
    for (const id of [seated, waiting, cancelled, cancelledLater]) {
      await backdate(t, id, LONG_AGO);
    }
    // The cancellation recorded a day less than three years ago is the client's last activity.
    await t.db.query(
      `UPDATE enrolment_history SET occurred_on = $2, recorded_at = $3
        WHERE to_status = 'STORNIERT' AND enrolment_id = $1`,
      [
        toCancelLater.body.id,
        THREE_YEARS_LESS_A_DAY_AGO,
        `${THREE_YEARS_LESS_A_DAY_AGO} 12:00 Europe/Berlin`,
      ],
    );

    t.clock.setFixedTime(`${TODAY}T10:00:00Z`);
    const admin = await tokenFor(t, await createUser(t, { role: 'ADMIN' }));
    const preview = await call(t, admin, 'get', '/api/v1/retention/preview');
    expect(preview.status).toBe(200);
    const due = (preview.body.items as { clientId: string; lastActivityOn: string }[]).filter((item) =>
      [seated, waiting, cancelled, cancelledLater].includes(item.clientId),
    );
    expect(due).toEqual([expect.objectContaining({ clientId: cancelled, lastActivityOn: LONG_AGO })]);
  });
});
