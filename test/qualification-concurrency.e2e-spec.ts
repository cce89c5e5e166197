import { createAdviser, registerClient, type TestAdviser } from './support/clients';
import { call } from './support/org-fixtures';
import {
  createCoordinator,
  createOffer,
  enrol,
  ENROLMENTS,
  OFFERS,
  provider,
  queue,
  seatState,
  transition,
  type EnrolmentBody,
  type TestCoordinator,
} from './support/qualification';
import { createTestApp, type TestApp } from './support/test-app';

const TODAY = '2026-06-15';

/**
 * Seats are a database invariant: many requests at once never overbook an offer, the waiting list is
 * FIFO without gaps, and freed seats go to the oldest waiting in order.
 */
describe('enrolments under concurrency', () => {
  let t: TestApp;
  let coordinator: TestCoordinator;
  let adviser: TestAdviser;
  let providerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.setFixedTime(`${TODAY}T10:00:00Z`);
    coordinator = await createCoordinator(t);
    adviser = await createAdviser(t);
    providerId = await provider(t);
  });
  afterAll(() => t.close());

  async function clients(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < count; start += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, count - start) }, () => registerClient(t, adviser.token)),
      );
      ids.push(...batch.map((client) => client.id));
    }
    return ids;
  }

  async function current(id: string): Promise<EnrolmentBody> {
    return (await call(t, adviser.token, 'get', `${ENROLMENTS}/${id}`)).body as EnrolmentBody;
  }

  /** The invariant, read from the database: counters equal the enrolments and never exceed the capacity. */
  async function expectInvariant(offerId: string): Promise<void> {
    const state = await seatState(t, offerId);
    expect(state.seatsTaken).toBe(state.countedSeats);
    expect(state.waitlisted).toBe(state.countedWaiting);
    expect(state.countedSeats).toBeLessThanOrEqual(state.capacity);
    // A free seat never stays free while somebody waits.
    expect(state.countedWaiting === 0 || state.countedSeats === state.capacity).toBe(true);
  }

  it('100 concurrent enrolments into 10 seats: 10 ZUGESAGT, 90 WARTELISTE 1–90; cancellations promote FIFO; mixed changes never overbook', async () => {
    const offer = await createOffer(t, coordinator, providerId, { capacity: 10 });
    const clientIds = await clients(100);

    const started = Date.now();
    const responses = await Promise.all(
      clientIds.map((clientId) => enrol(t, adviser.token, clientId, offer.id)),
    );
    const elapsed = Date.now() - started;
    expect(responses.map((response) => response.status)).toEqual(clientIds.map(() => 201));
    const bodies = responses.map((response) => response.body as EnrolmentBody);
    const seated = bodies.filter((body) => body.status === 'ZUGESAGT');
    const waiting = bodies.filter((body) => body.status === 'WARTELISTE');
    expect(seated).toHaveLength(10);
    expect(waiting).toHaveLength(90);
    expect(waiting.map((body) => body.waitlistPosition).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 90 }, (_, index) => index + 1),
    );
    // The database agrees: counters, recount, and the queue order is the order of the answered positions.
    expect(await seatState(t, offer.id)).toEqual({
      capacity: 10,
      seatsTaken: 10,
      waitlisted: 90,
      countedSeats: 10,
      countedWaiting: 90,
    });
    const byPosition = [...waiting]
      .sort((a, b) => a.waitlistPosition! - b.waitlistPosition!)
      .map((body) => body.id);
    expect(await queue(t, offer.id)).toEqual(byPosition);
    // Every seat was decided before anybody waited: the seated were queued first.
    const { rows: order } = await t.db.query<{ status: string }>(
      'SELECT status FROM enrolments WHERE offer_id = $1 ORDER BY queued_at, id',
      [offer.id],
    );
    expect(order.slice(0, 10).every((row) => row.status === 'ZUGESAGT')).toBe(true);
    console.log(`100 concurrent enrolments answered in ${elapsed} ms`);

    // Three cancellations, one after the other: the three oldest waiting get the seats, in order.
    for (const body of seated.slice(0, 3)) {
      const response = await transition(t, adviser.token, body, { to: 'STORNIERT', date: TODAY });
      expect(response.status).toBe(200);
      await expectInvariant(offer.id);
    }
    const promoted = await Promise.all(byPosition.slice(0, 3).map(current));
    expect(promoted.map((body) => [body.status, body.waitlistPosition])).toEqual([
      ['ZUGESAGT', null],
      ['ZUGESAGT', null],
      ['ZUGESAGT', null],
    ]);
    const { rows: promotions } = await t.db.query<{ enrolmentId: string }>(
      `SELECT enrolment_id AS "enrolmentId" FROM enrolment_history
        WHERE payload->>'promoted' = 'true' AND enrolment_id = ANY($1::uuid[]) ORDER BY recorded_at`,
      [byPosition],
    );
    expect(promotions.map((row) => row.enrolmentId)).toEqual(byPosition.slice(0, 3));
    // The positions close up: the former 4th waits first now, the last is 87th.
    const rest = await Promise.all(byPosition.slice(3).map(current));
    expect(rest.map((body) => body.waitlistPosition)).toEqual(
      Array.from({ length: 87 }, (_, index) => index + 1),
    );

    // 20 concurrent changes: cancellations of seats and of waiting enrolments, and capacity changes.
    // A poller checks the invariant on committed data throughout.
    const seatedNow = [...seated.slice(3), ...promoted].map((body) => body.id);
    let polling = true;
    const violations: string[] = [];
    const poller = (async () => {
      let checks = 0;
      while (polling || checks === 0) {
        const state = await seatState(t, offer.id);
        if (state.seatsTaken > state.capacity || state.countedSeats > state.capacity) {
          violations.push(JSON.stringify(state));
        }
        checks += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return checks;
    })();
    const capacityChange = async (capacity: number) => {
      const read = await call(t, coordinator.token, 'get', `${OFFERS}/${offer.id}`);
      return call(
        t,
        coordinator.token,
        'patch',
        `${OFFERS}/${offer.id}`,
        { capacity },
        { 'if-match': read.headers.etag },
      );
    };
    const changes = await Promise.all([
      ...(await Promise.all(seatedNow.slice(0, 6).map(current))).map((body) =>
        transition(t, adviser.token, body, { to: 'STORNIERT', date: TODAY }),
      ),
      ...(await Promise.all(rest.slice(40, 44).map((body) => current(body.id)))).map((body) =>
        transition(t, adviser.token, body, { to: 'STORNIERT', date: TODAY }),
      ),
      ...[12, 6, 15, 9, 11, 4, 14, 10, 13, 8].map(capacityChange),
    ]);
    polling = false;
    const checks = await poller;
    // Transitions all succeed (each its own enrolment); capacity changes may lose the race (412) or
    // ask for less than the seats taken at that moment (409) — never anything else.
    expect(changes.slice(0, 10).map((response) => response.status)).toEqual(
      Array.from({ length: 10 }, () => 200),
    );
    for (const response of changes.slice(10)) {
      expect([200, 409, 412]).toContain(response.status);
    }
    expect(violations).toEqual([]);
    expect(checks).toBeGreaterThan(0);
    await expectInvariant(offer.id);

    // The waiting list is still FIFO: whoever is seated now waited longer than anybody still waiting.
    const { rows: final } = await t.db.query<{ status: string }>(
      `SELECT status FROM enrolments WHERE offer_id = $1 AND status IN ('ZUGESAGT', 'WARTELISTE') ORDER BY queued_at, id`,
      [offer.id],
    );
    const firstWaiting = final.findIndex((row) => row.status === 'WARTELISTE');
    expect(final.slice(firstWaiting).every((row) => row.status === 'WARTELISTE')).toBe(true);
  });

  it('the database itself refuses an overbooking, whatever the service does', async () => {
    const offer = await createOffer(t, coordinator, providerId, { capacity: 1 });
    const [first, second] = await clients(2);
    expect((await enrol(t, adviser.token, first, offer.id)).body.status).toBe('ZUGESAGT');
    // Straight into the table, past every service rule: the seat counter's CHECK refuses it.
    await expect(
      t.db.query(
        `INSERT INTO enrolments (offer_id, client_id, office_id, status) VALUES ($1, $2, $3, 'ZUGESAGT')`,
        [offer.id, second, adviser.officeId],
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'qualification_offers_seats_check' });
    // And a capacity below the seats taken, written directly, too.
    await expect(
      t.db.query('UPDATE qualification_offers SET capacity = 0 WHERE id = $1', [offer.id]),
    ).rejects.toMatchObject({ code: '23514' });
    // Two transactions racing for the last seat without the service's lock: the second fails.
    const other = await createOffer(t, coordinator, providerId, { capacity: 1 });
    const a = await t.db.connect();
    const b = await t.db.connect();
    try {
      await a.query('BEGIN');
      await b.query('BEGIN');
      await a.query(
        `INSERT INTO enrolments (offer_id, client_id, office_id, status) VALUES ($1, $2, $3, 'ZUGESAGT')`,
        [other.id, first, adviser.officeId],
      );
      const racing = b.query(
        `INSERT INTO enrolments (offer_id, client_id, office_id, status) VALUES ($1, $2, $3, 'ZUGESAGT')`,
        [other.id, second, adviser.officeId],
      );
      await a.query('COMMIT');
      await expect(racing).rejects.toMatchObject({ code: '23514' });
      await b.query('ROLLBACK');
    } finally {
      a.release();
      b.release();
    }
    expect(await seatState(t, other.id)).toMatchObject({ seatsTaken: 1, countedSeats: 1 });
    // One live enrolment per client and offer is an index too.
    await expect(
      t.db.query(
        `INSERT INTO enrolments (offer_id, client_id, office_id, status) VALUES ($1, $2, $3, 'WARTELISTE')`,
        [other.id, first, adviser.officeId],
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'enrolments_live_uq' });
  });
});
