import { createUser, tokenFor } from './support/auth';
import { createAdviser, registerClient, type TestAdviser } from './support/clients';
import { call, expectProblem, pointersOf, SOME_ID } from './support/org-fixtures';
import {
  createCoordinator,
  createOffer,
  enrol,
  ENROLMENTS,
  MECHATRONICS,
  NURSING,
  offerBody,
  OFFERS,
  provider,
  seatState,
  transition,
  type EnrolmentBody,
  type OfferBody,
  type TestCoordinator,
} from './support/qualification';
import { createTestApp, type TestApp } from './support/test-app';

const TODAY = '2026-06-15';
const NOTE = 'Klientin braucht Kinderbetreuung ab 14 Uhr';
const DROP_REASON = 'Arbeitsaufnahme bei Vivantes, Schichtdienst';

describe('adaptation qualifications', () => {
  let t: TestApp;
  let coordinator: TestCoordinator;
  let otherCoordinator: TestCoordinator;
  let adviser: TestAdviser;
  let stranger: TestAdviser;
  let providerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.setFixedTime(`${TODAY}T10:00:00Z`);
    coordinator = await createCoordinator(t);
    otherCoordinator = await createCoordinator(t);
    // An adviser of another network's office: offers are read across networks.
    adviser = await createAdviser(t);
    stranger = await createAdviser(t);
    providerId = await provider(t);
  });
  afterAll(() => t.close());

  async function client(owner: TestAdviser = adviser): Promise<string> {
    return (await registerClient(t, owner.token)).id;
  }

  async function enrolled(offerId: string, extra: Record<string, unknown> = {}): Promise<EnrolmentBody> {
    const response = await enrol(t, adviser.token, await client(), offerId, extra);
    expect(response.status).toBe(201);
    return response.body as EnrolmentBody;
  }

  describe('offers', () => {
    it('a coordinator creates an offer of their network; it shows its seats', async () => {
      const response = await call(
        t,
        coordinator.token,
        'post',
        OFFERS,
        offerBody(providerId, { capacity: 12 }),
      );
      expect(response.status).toBe(201);
      expect(response.headers.location).toBe(`${OFFERS}/${response.body.id}`);
      expect(response.headers.etag).toBe('"1"');
      expect(response.body).toMatchObject({
        networkId: coordinator.networkId,
        capacity: 12,
        seatsTaken: 0,
        seatsFree: 12,
        waitlisted: 0,
        referenceOccupations: [NURSING],
        iqFunded: true,
      });
      const read = await call(t, adviser.token, 'get', `${OFFERS}/${response.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(response.body);
    });

    it('an adviser and an administrator cannot create offers (403)', async () => {
      expectProblem(await call(t, adviser.token, 'post', OFFERS, offerBody(providerId)), 403, 'forbidden');
      const admin = await tokenFor(t, await createUser(t, { role: 'ADMIN' }));
      expectProblem(await call(t, admin, 'post', OFFERS, offerBody(providerId)), 403, 'forbidden');
    });

    it('refuses unknown occupations and providers and an end before the start (422), bad members (400)', async () => {
      const unknown = await call(
        t,
        coordinator.token,
        'post',
        OFFERS,
        offerBody(SOME_ID, { referenceOccupations: ['99999'], endsOn: '2026-06-30' }),
      );
      expectProblem(unknown, 422, 'unprocessable');
      expect((unknown.body.errors as { pointer: string }[]).map((error) => error.pointer).sort()).toEqual([
        '#/endsOn',
        '#/providerPartnerId',
        '#/referenceOccupations',
      ]);
      expect(
        pointersOf(
          await call(
            t,
            coordinator.token,
            'post',
            OFFERS,
            offerBody(providerId, {
              capacity: 0,
              type: 'KURS',
              referenceOccupations: ['813'],
              delivery: undefined,
            }),
          ),
        ),
      ).toEqual(['#/capacity', '#/delivery', '#/referenceOccupations', '#/type']);
    });

    it('a coordinator of another network reads the offer but cannot change it (404)', async () => {
      const offer = await createOffer(t, coordinator, providerId);
      expect((await call(t, otherCoordinator.token, 'get', `${OFFERS}/${offer.id}`)).status).toBe(200);
      expectProblem(
        await call(
          t,
          otherCoordinator.token,
          'patch',
          `${OFFERS}/${offer.id}`,
          { title: 'Übernommen' },
          {
            'if-match': '"1"',
          },
        ),
        404,
        'not-found',
      );
      expectProblem(
        await call(t, otherCoordinator.token, 'get', `${OFFERS}/${offer.id}/enrolments`),
        404,
        'not-found',
      );
      expectProblem(
        await call(t, adviser.token, 'patch', `${OFFERS}/${offer.id}`, { title: 'x' }, { 'if-match': '"1"' }),
        403,
        'forbidden',
      );
      const changed = await call(
        t,
        coordinator.token,
        'patch',
        `${OFFERS}/${offer.id}`,
        { title: 'Neu' },
        {
          'if-match': '"1"',
        },
      );
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ title: 'Neu', version: 2 });
      expectProblem(
        await call(
          t,
          coordinator.token,
          'patch',
          `${OFFERS}/${offer.id}`,
          { title: 'Alt' },
          { 'if-match': '"1"' },
        ),
        412,
        'precondition-failed',
      );
      expectProblem(
        await call(t, coordinator.token, 'patch', `${OFFERS}/${offer.id}`, { title: 'Alt' }),
        428,
        'precondition-required',
      );
    });

    it('filters by kldb, type, network, start, seats, Bundesland and delivery', async () => {
      const network = await createCoordinator(t);
      const nursing = await createOffer(t, network, providerId, { capacity: 1, startsOn: '2026-09-01' });
      const mechatronics = await createOffer(t, network, providerId, {
        type: 'BRUECKENMASSNAHME',
        referenceOccupations: [MECHATRONICS],
        delivery: 'ONLINE',
        bundesland: 'DE-HH',
        startsOn: '2026-08-01',
      });
      await enrolled(nursing.id);
      const ids = async (query: string) => {
        const response = await call(
          t,
          adviser.token,
          'get',
          `${OFFERS}?networkId=${network.networkId}&${query}`,
        );
        expect(response.status).toBe(200);
        return (response.body.items as OfferBody[]).map((offer) => offer.id);
      };
      expect(await ids('')).toEqual([mechatronics.id, nursing.id]);
      expect(await ids('kldb=813')).toEqual([nursing.id]);
      expect(await ids(`kldb=${MECHATRONICS}`)).toEqual([mechatronics.id]);
      expect(await ids('type=BRUECKENMASSNAHME')).toEqual([mechatronics.id]);
      expect(await ids('startsAfter=2026-08-15')).toEqual([nursing.id]);
      expect(await ids('hasSeats=true')).toEqual([mechatronics.id]);
      expect(await ids('hasSeats=false')).toEqual([nursing.id]);
      expect(await ids('bundesland=DE-HH')).toEqual([mechatronics.id]);
      expect(await ids('delivery=HYBRID')).toEqual([nursing.id]);
      expect(pointersOf(await call(t, adviser.token, 'get', `${OFFERS}?hasSeats=ja&kldb=x`))).toEqual([
        '#/hasSeats',
        '#/kldb',
      ]);
      const full = await call(t, coordinator.token, 'get', `${OFFERS}/${nursing.id}`);
      expect(full.body).toMatchObject({ seatsTaken: 1, seatsFree: 0, waitlisted: 0 });
    });

    it('capacity below the seats taken → 409; raised → the oldest waiting get the seats at once', async () => {
      const offer = await createOffer(t, coordinator, providerId, { capacity: 2 });
      const seated = [await enrolled(offer.id), await enrolled(offer.id)];
      const waiting = [await enrolled(offer.id), await enrolled(offer.id), await enrolled(offer.id)];
      expect(seated.map((e) => e.status)).toEqual(['ZUGESAGT', 'ZUGESAGT']);
      expect(waiting.map((e) => [e.status, e.waitlistPosition])).toEqual([
        ['WARTELISTE', 1],
        ['WARTELISTE', 2],
        ['WARTELISTE', 3],
      ]);
      const lowered = await call(
        t,
        coordinator.token,
        'patch',
        `${OFFERS}/${offer.id}`,
        { capacity: 1 },
        {
          'if-match': '"1"',
        },
      );
      expectProblem(lowered, 409, 'conflict');
      expect(lowered.body.seatsTaken).toBe(2);

      const raised = await call(
        t,
        coordinator.token,
        'patch',
        `${OFFERS}/${offer.id}`,
        { capacity: 4 },
        {
          'if-match': '"1"',
        },
      );
      expect(raised.status).toBe(200);
      expect(raised.body).toMatchObject({ capacity: 4, seatsTaken: 4, seatsFree: 0, waitlisted: 1 });
      const states = await Promise.all(
        waiting.map(
          async (e) => (await call(t, adviser.token, 'get', `${ENROLMENTS}/${e.id}`)).body as EnrolmentBody,
        ),
      );
      expect(states.map((e) => [e.status, e.waitlistPosition, e.confirmedOn])).toEqual([
        ['ZUGESAGT', null, TODAY],
        ['ZUGESAGT', null, TODAY],
        ['WARTELISTE', 1, null],
      ]);
      const history = await call(t, adviser.token, 'get', `${ENROLMENTS}/${waiting[0].id}/history`);
      expect(history.body.items).toEqual([
        expect.objectContaining({ from: null, to: 'WARTELISTE', payload: { waitlistPosition: 1 } }),
        expect.objectContaining({
          from: 'WARTELISTE',
          to: 'ZUGESAGT',
          date: TODAY,
          actorId: coordinator.userId,
          actorRole: 'COORDINATOR',
          payload: { promoted: true, cause: 'CAPACITY_RAISED' },
        }),
      ]);
      const { rows } = await t.db.query(
        `SELECT client_id AS "clientId", actor_id AS "actorId" FROM audit_events
          WHERE action = 'enrolment.promote' AND resource_id = $1`,
        [waiting[0].id],
      );
      expect(rows).toEqual([{ clientId: waiting[0].clientId, actorId: coordinator.userId }]);
      expect(await seatState(t, offer.id)).toEqual({
        capacity: 4,
        seatsTaken: 4,
        waitlisted: 1,
        countedSeats: 4,
        countedWaiting: 1,
      });
    });
  });

  describe('enrolments', () => {
    it('ZUGESAGT while a seat is free, then WARTELISTE with its position; one live enrolment per client', async () => {
      const offer = await createOffer(t, coordinator, providerId, { capacity: 1 });
      const clientId = await client();
      const first = await enrol(t, adviser.token, clientId, offer.id, { notes: NOTE });
      expect(first.status).toBe(201);
      expect(first.headers.location).toBe(`${ENROLMENTS}/${first.body.id}`);
      expect(first.body).toMatchObject({
        clientId,
        offerId: offer.id,
        officeId: adviser.officeId,
        status: 'ZUGESAGT',
        waitlistPosition: null,
        confirmedOn: TODAY,
        notes: NOTE,
        allowedTransitions: ['LAUFEND', 'NICHT_ANGETRETEN', 'STORNIERT'],
        version: 1,
      });
      const again = await enrol(t, adviser.token, clientId, offer.id);
      expectProblem(again, 409, 'conflict');
      expect(again.body.enrolmentId).toBe(first.body.id);

      const second = await enrolled(offer.id);
      expect(second).toMatchObject({
        status: 'WARTELISTE',
        waitlistPosition: 1,
        allowedTransitions: ['STORNIERT'],
      });

      // Once the enrolment is over, the client may enrol again.
      const cancelled = await transition(t, adviser.token, first.body as EnrolmentBody, {
        to: 'STORNIERT',
        date: TODAY,
      });
      expect(cancelled.status).toBe(200);
      const promoted = await call(t, adviser.token, 'get', `${ENROLMENTS}/${second.id}`);
      expect(promoted.body).toMatchObject({ status: 'ZUGESAGT', waitlistPosition: null, version: 2 });
      const reenrolled = await enrol(t, adviser.token, clientId, offer.id);
      expect(reenrolled.body).toMatchObject({ status: 'WARTELISTE', waitlistPosition: 1 });
    });

    it('links the recognition case of the same client only (422), and an unknown or ended offer (422)', async () => {
      const offer = await createOffer(t, coordinator, providerId);
      const clientId = await client();
      const otherClient = await client();
      const recognitionCase = await call(t, adviser.token, 'post', '/api/v1/recognition-cases', {
        clientId: otherClient,
        kldb: NURSING,
        legalBasis: 'PFLBG',
        procedureKind: 'BERUFSZULASSUNG',
      });
      expect(recognitionCase.status).toBe(201);
      const foreignCase = await enrol(t, adviser.token, clientId, offer.id, {
        recognitionCaseId: recognitionCase.body.id,
      });
      expectProblem(foreignCase, 422, 'unprocessable');
      expect(foreignCase.body.errors).toEqual([expect.objectContaining({ pointer: '#/recognitionCaseId' })]);
      const linked = await enrol(t, adviser.token, otherClient, offer.id, {
        recognitionCaseId: recognitionCase.body.id,
      });
      expect(linked.body).toMatchObject({ status: 'ZUGESAGT', recognitionCaseId: recognitionCase.body.id });

      const unknownOffer = await enrol(t, adviser.token, clientId, SOME_ID);
      expectProblem(unknownOffer, 422, 'unprocessable');
      expect(unknownOffer.body.errors).toEqual([expect.objectContaining({ pointer: '#/offerId' })]);
      const ended = await createOffer(t, coordinator, providerId, {
        startsOn: '2026-01-05',
        endsOn: '2026-06-14',
      });
      expectProblem(await enrol(t, adviser.token, clientId, ended.id), 422, 'unprocessable');
      expect(pointersOf(await call(t, adviser.token, 'post', ENROLMENTS, { clientId: 'x' }))).toEqual([
        '#/clientId',
        '#/offerId',
      ]);
    });

    it('lists with filters, reads, changes the notes with If-Match, and audits each access', async () => {
      const offer = await createOffer(t, coordinator, providerId, { capacity: 1 });
      const seated = await enrolled(offer.id);
      const waiting = await enrolled(offer.id);
      const byOffer = await call(t, adviser.token, 'get', `${ENROLMENTS}?offerId=${offer.id}`);
      expect((byOffer.body.items as EnrolmentBody[]).map((e) => e.id)).toEqual([waiting.id, seated.id]);
      const byStatus = await call(
        t,
        adviser.token,
        'get',
        `${ENROLMENTS}?offerId=${offer.id}&status=WARTELISTE`,
      );
      expect((byStatus.body.items as EnrolmentBody[]).map((e) => e.id)).toEqual([waiting.id]);
      const byClient = await call(
        t,
        adviser.token,
        'get',
        `${ENROLMENTS}?clientId=${seated.clientId as string}`,
      );
      expect((byClient.body.items as EnrolmentBody[]).map((e) => e.id)).toEqual([seated.id]);

      const read = await call(t, adviser.token, 'get', `${ENROLMENTS}/${seated.id}`);
      expect(read.headers.etag).toBe('"1"');
      const changed = await call(
        t,
        adviser.token,
        'patch',
        `${ENROLMENTS}/${seated.id}`,
        { notes: NOTE },
        {
          'if-match': '"1"',
        },
      );
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ notes: NOTE, version: 2, status: 'ZUGESAGT' });
      expect(changed.headers.etag).toBe('"2"');
      expectProblem(
        await call(
          t,
          adviser.token,
          'patch',
          `${ENROLMENTS}/${seated.id}`,
          { notes: 'x' },
          { 'if-match': '"1"' },
        ),
        412,
        'precondition-failed',
      );
      expect(
        pointersOf(
          await call(
            t,
            adviser.token,
            'patch',
            `${ENROLMENTS}/${seated.id}`,
            { status: 'LAUFEND' },
            {
              'if-match': '"2"',
            },
          ),
        ),
      ).toEqual(['#/status']);
      const { rows } = await t.db.query<{ action: string }>(
        `SELECT action FROM audit_events WHERE resource_type = 'enrolment' AND resource_id = $1 ORDER BY occurred_at, id`,
        [seated.id],
      );
      expect(rows.map((row) => row.action)).toEqual([
        'enrolment.create',
        'enrolment.list',
        'enrolment.list',
        'enrolment.read',
        'enrolment.update',
      ]);
    });

    it('walks the state machine with dates, actor, reason and history', async () => {
      const offer = await createOffer(t, coordinator, providerId, { capacity: 1 });
      const seated = await enrolled(offer.id);
      const waiting = await enrolled(offer.id);
      // Not before the enrolment itself (recorded today).
      const early = await transition(t, adviser.token, seated, { to: 'LAUFEND', date: '2026-06-14' });
      expectProblem(early, 422, 'unprocessable');
      expect(early.body.errors).toEqual([expect.objectContaining({ pointer: '#/date' })]);
      const started = await transition(t, adviser.token, seated, { to: 'LAUFEND', date: TODAY });
      expect(started.body).toMatchObject({ status: 'LAUFEND', startedOn: TODAY, version: 2 });
      expectProblem(
        await transition(t, adviser.token, seated, { to: 'ABGEBROCHEN', date: TODAY, reason: DROP_REASON }),
        412,
        'precondition-failed',
      );
      expect(
        pointersOf(
          await transition(t, adviser.token, started.body as EnrolmentBody, {
            to: 'ABGEBROCHEN',
            date: TODAY,
          }),
        ),
      ).toEqual(['#/reason']);
      const future = await transition(t, adviser.token, started.body as EnrolmentBody, {
        to: 'ABGEBROCHEN',
        date: '2026-06-16',
        reason: DROP_REASON,
      });
      expectProblem(future, 422, 'unprocessable');
      const dropped = await transition(t, adviser.token, started.body as EnrolmentBody, {
        to: 'ABGEBROCHEN',
        date: TODAY,
        reason: DROP_REASON,
      });
      expect(dropped.body).toMatchObject({
        status: 'ABGEBROCHEN',
        endedOn: TODAY,
        reason: DROP_REASON,
        allowedTransitions: [],
      });
      // The freed seat went to the waiting enrolment in the same transaction.
      const promoted = await call(t, adviser.token, 'get', `${ENROLMENTS}/${waiting.id}`);
      expect(promoted.body).toMatchObject({ status: 'ZUGESAGT', confirmedOn: TODAY });
      const history = await call(t, adviser.token, 'get', `${ENROLMENTS}/${seated.id}/history`);
      expect(history.body.items).toEqual([
        expect.objectContaining({ from: null, to: 'ZUGESAGT', date: TODAY, actorId: adviser.userId }),
        expect.objectContaining({ from: 'ZUGESAGT', to: 'LAUFEND', date: TODAY, reason: null }),
        expect.objectContaining({ from: 'LAUFEND', to: 'ABGEBROCHEN', date: TODAY, reason: DROP_REASON }),
      ]);
      const promotion = await call(t, adviser.token, 'get', `${ENROLMENTS}/${waiting.id}/history`);
      expect(promotion.body.items[1]).toMatchObject({
        from: 'WARTELISTE',
        to: 'ZUGESAGT',
        actorId: adviser.userId,
        payload: { promoted: true, cause: 'SEAT_FREED' },
      });
    });

    describe('every pair of states', () => {
      const STATES = [
        'ZUGESAGT',
        'WARTELISTE',
        'LAUFEND',
        'NICHT_ANGETRETEN',
        'ABGESCHLOSSEN_ERFOLGREICH',
        'ABGESCHLOSSEN_OHNE_ERFOLG',
        'ABGEBROCHEN',
        'STORNIERT',
      ] as const;
      type State = (typeof STATES)[number];
      const LEGAL: Record<State, State[]> = {
        WARTELISTE: ['STORNIERT'],
        ZUGESAGT: ['LAUFEND', 'NICHT_ANGETRETEN', 'STORNIERT'],
        LAUFEND: ['ABGESCHLOSSEN_ERFOLGREICH', 'ABGESCHLOSSEN_OHNE_ERFOLG', 'ABGEBROCHEN'],
        NICHT_ANGETRETEN: [],
        ABGESCHLOSSEN_ERFOLGREICH: [],
        ABGESCHLOSSEN_OHNE_ERFOLG: [],
        ABGEBROCHEN: [],
        STORNIERT: [],
      };
      const PATH: Record<State, State[]> = {
        ZUGESAGT: [],
        WARTELISTE: [],
        LAUFEND: ['LAUFEND'],
        NICHT_ANGETRETEN: ['NICHT_ANGETRETEN'],
        ABGESCHLOSSEN_ERFOLGREICH: ['LAUFEND', 'ABGESCHLOSSEN_ERFOLGREICH'],
        ABGESCHLOSSEN_OHNE_ERFOLG: ['LAUFEND', 'ABGESCHLOSSEN_OHNE_ERFOLG'],
        ABGEBROCHEN: ['LAUFEND', 'ABGEBROCHEN'],
        STORNIERT: ['STORNIERT'],
      };
      const body = (to: State) => ({
        to,
        date: TODAY,
        ...(to === 'ABGEBROCHEN' ? { reason: DROP_REASON } : {}),
      });

      /** An enrolment in this state: a large offer for seats, a full one for the waiting list. */
      async function inState(state: State, offers: { large: string; full: string }): Promise<EnrolmentBody> {
        let current = await enrolled(state === 'WARTELISTE' ? offers.full : offers.large);
        for (const step of PATH[state]) {
          const response = await transition(t, adviser.token, current, body(step));
          expect(response.status).toBe(200);
          current = response.body as EnrolmentBody;
        }
        expect(current.status).toBe(state);
        return current;
      }

      it('answers 200 for every legal pair and 409 with the allowed targets for every other', async () => {
        const large = await createOffer(t, coordinator, providerId, { capacity: 100 });
        const full = await createOffer(t, coordinator, providerId, { capacity: 1 });
        await enrolled(full.id);
        const offers = { large: large.id, full: full.id };
        const outcomes: string[] = [];
        for (const from of STATES) {
          const kept = await inState(from, offers);
          for (const to of STATES) {
            if (LEGAL[from].includes(to)) {
              const fresh = await inState(from, offers);
              const response = await transition(t, adviser.token, fresh, body(to));
              outcomes.push(`${from}→${to}:${response.status}:${response.body.status}`);
            } else {
              const response = await transition(t, adviser.token, kept, body(to));
              expectProblem(response, 409, 'invalid-transition');
              expect(response.body.allowedTargets).toEqual(LEGAL[from]);
              outcomes.push(`${from}→${to}:409`);
            }
          }
          // Refused steps change nothing.
          const after = await call(t, adviser.token, 'get', `${ENROLMENTS}/${kept.id}`);
          expect(after.body).toMatchObject({ status: from, version: kept.version });
        }
        const legal = outcomes.filter((outcome) => !outcome.endsWith(':409'));
        expect(legal).toEqual(STATES.flatMap((from) => LEGAL[from].map((to) => `${from}→${to}:200:${to}`)));
        expect(outcomes.filter((outcome) => outcome.endsWith(':409'))).toHaveLength(64 - legal.length);
        expect(await seatState(t, full.id)).toMatchObject({ seatsTaken: 1, countedSeats: 1 });
      });

      it('explains that a waiting enrolment gets its seat automatically', async () => {
        const full = await createOffer(t, coordinator, providerId, { capacity: 1 });
        await enrolled(full.id);
        const waiting = await enrolled(full.id);
        const response = await transition(t, adviser.token, waiting, { to: 'ZUGESAGT', date: TODAY });
        expectProblem(response, 409, 'invalid-transition');
        expect(response.body.detail).toMatch(/automatically/);
      });
    });
  });

  describe('with the recognition case', () => {
    it('a completed linked enrolment offers closing the case with GLEICHWERTIG_NACH_AUSGLEICH', async () => {
      const authority = await t.db.query<{ id: string }>(
        `INSERT INTO partners (name, type) VALUES ('Landesamt für Gesundheit', 'ANERKENNUNGSSTELLE') RETURNING id`,
      );
      const clientId = await client();
      const created = await call(t, adviser.token, 'post', '/api/v1/recognition-cases', {
        clientId,
        kldb: NURSING,
        legalBasis: 'PFLBG',
        procedureKind: 'BERUFSZULASSUNG',
        authorityPartnerId: authority.rows[0].id,
      });
      expect(created.status).toBe(201);
      let recognitionCase = created.body as { id: string; version: number; status: string };
      for (const step of [
        { to: 'BEANTRAGT', date: TODAY },
        { to: 'IN_PRUEFUNG', date: TODAY },
        { to: 'BESCHIEDEN', date: TODAY, outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME' },
        { to: 'AUSGLEICH_LAUFEND', date: TODAY },
      ]) {
        const moved = await call(
          t,
          adviser.token,
          'post',
          `/api/v1/recognition-cases/${recognitionCase.id}/transitions`,
          step,
          {
            'if-match': `"${recognitionCase.version}"`,
          },
        );
        expect(moved.status).toBe(200);
        recognitionCase = moved.body as typeof recognitionCase;
      }
      expect(recognitionCase).toMatchObject({ status: 'AUSGLEICH_LAUFEND', nextSteps: [] });

      const offer = await createOffer(t, coordinator, providerId);
      const enrolment = await enrol(t, adviser.token, clientId, offer.id, {
        recognitionCaseId: recognitionCase.id,
      });
      const started = await transition(t, adviser.token, enrolment.body as EnrolmentBody, {
        to: 'LAUFEND',
        date: TODAY,
      });
      const caseWhileRunning = await call(
        t,
        adviser.token,
        'get',
        `/api/v1/recognition-cases/${recognitionCase.id}`,
      );
      expect(caseWhileRunning.body.nextSteps).toEqual([]);
      await transition(t, adviser.token, started.body as EnrolmentBody, {
        to: 'ABGESCHLOSSEN_ERFOLGREICH',
        date: TODAY,
      });

      const read = await call(t, adviser.token, 'get', `/api/v1/recognition-cases/${recognitionCase.id}`);
      expect(read.body.nextSteps).toEqual([
        {
          to: 'ABGESCHLOSSEN',
          members: { compensationPassed: true },
          outcome: 'GLEICHWERTIG_NACH_AUSGLEICH',
          basis: { resourceType: 'enrolment', resourceId: enrolment.body.id },
        },
      ]);
      const listed = await call(t, adviser.token, 'get', `/api/v1/recognition-cases?clientId=${clientId}`);
      expect(listed.body.items[0].nextSteps).toEqual(read.body.nextSteps);

      // The adviser triggers it.
      const closed = await call(
        t,
        adviser.token,
        'post',
        `/api/v1/recognition-cases/${recognitionCase.id}/transitions`,
        { to: 'ABGESCHLOSSEN', date: TODAY, compensationPassed: true },
        { 'if-match': read.headers.etag },
      );
      expect(closed.body).toMatchObject({
        status: 'ABGESCHLOSSEN',
        outcome: 'GLEICHWERTIG_NACH_AUSGLEICH',
        nextSteps: [],
      });
    });
  });

  it('a repeated enrolment with the same Idempotency-Key answers the first one again', async () => {
    const offer = await createOffer(t, coordinator, providerId, { capacity: 1 });
    const clientId = await client();
    const key = { 'idempotency-key': `enrol-${clientId}` };
    const first = await call(t, adviser.token, 'post', ENROLMENTS, { clientId, offerId: offer.id }, key);
    const again = await call(t, adviser.token, 'post', ENROLMENTS, { clientId, offerId: offer.id }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await seatState(t, offer.id)).toMatchObject({ seatsTaken: 1, countedSeats: 1, waitlisted: 0 });
  });

  describe('office isolation', () => {
    it('every enrolment route answers 404 to another office and audits the probe as DENIED', async () => {
      const offer = await createOffer(t, coordinator, providerId);
      const own = await enrolled(offer.id);
      const foreignClient = await client(stranger);
      const probes = [
        () => call(t, stranger.token, 'get', `${ENROLMENTS}/${own.id}`),
        () =>
          call(t, stranger.token, 'patch', `${ENROLMENTS}/${own.id}`, { notes: 'x' }, { 'if-match': '"1"' }),
        () => transition(t, stranger.token, own, { to: 'STORNIERT', date: TODAY }),
        () => call(t, stranger.token, 'get', `${ENROLMENTS}/${own.id}/history`),
        () => enrol(t, adviser.token, foreignClient, offer.id),
      ];
      for (const probe of probes) {
        expectProblem(await probe(), 404, 'not-found');
      }
      const listed = await call(t, stranger.token, 'get', `${ENROLMENTS}?clientId=${own.clientId as string}`);
      expect(listed.body).toEqual({ items: [], nextCursor: null });
      const byOffer = await call(t, stranger.token, 'get', `${ENROLMENTS}?offerId=${offer.id}`);
      expect(byOffer.body.items).toEqual([]);
      const { rows } = await t.db.query<{ action: string; resourceId: string; actorId: string }>(
        `SELECT action, resource_id AS "resourceId", actor_id AS "actorId" FROM audit_events
          WHERE outcome = 'DENIED' AND resource_id IN ($1, $2) ORDER BY occurred_at, id`,
        [own.id, foreignClient],
      );
      expect(rows).toEqual([
        ...Array.from({ length: 4 }, () => ({
          action: 'enrolment.access-denied',
          resourceId: own.id,
          actorId: stranger.userId,
        })),
        { action: 'client.access-denied', resourceId: foreignClient, actorId: adviser.userId },
      ]);
      const unchanged = await call(t, adviser.token, 'get', `${ENROLMENTS}/${own.id}`);
      expect(unchanged.body).toMatchObject({ status: 'ZUGESAGT', version: 1, notes: null });
    });

    it('coordinators have no enrolment routes (403) and see the offer’s enrolments without names', async () => {
      const offer = await createOffer(t, coordinator, providerId, { capacity: 1 });
      const clientBody = await registerClient(t, adviser.token);
      const seated = await enrol(t, adviser.token, clientBody.id, offer.id, { notes: NOTE });
      const waiting = await enrolled(offer.id);
      expectProblem(await call(t, coordinator.token, 'get', ENROLMENTS), 403, 'forbidden');
      expectProblem(
        await call(t, coordinator.token, 'get', `${ENROLMENTS}/${seated.body.id}`),
        403,
        'forbidden',
      );
      expectProblem(
        await call(t, adviser.token, 'get', `${OFFERS}/${offer.id}/enrolments`),
        403,
        'forbidden',
      );

      const response = await call(t, coordinator.token, 'get', `${OFFERS}/${offer.id}/enrolments`);
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([
        {
          id: seated.body.id,
          clientPseudonym: expect.stringMatching(/^[0-9a-f]{16}$/),
          officeId: adviser.officeId,
          status: 'ZUGESAGT',
          waitlistPosition: null,
          confirmedOn: TODAY,
          startedOn: null,
          endedOn: null,
          createdAt: expect.any(String),
        },
        expect.objectContaining({ id: waiting.id, status: 'WARTELISTE', waitlistPosition: 1 }),
      ]);
      const text = JSON.stringify(response.body);
      for (const value of [
        clientBody.id,
        waiting.clientId,
        clientBody.firstName,
        clientBody.lastName,
        NOTE,
      ]) {
        expect(text).not.toContain(value as string);
      }
    });
  });

  describe('the client’s record', () => {
    it('joins the export, the timeline and the erasure (free texts)', async () => {
      const offer = await createOffer(t, coordinator, providerId);
      const clientId = await client();
      const created = await enrol(t, adviser.token, clientId, offer.id, { notes: NOTE });
      const started = await transition(t, adviser.token, created.body as EnrolmentBody, {
        to: 'LAUFEND',
        date: TODAY,
      });
      await transition(t, adviser.token, started.body as EnrolmentBody, {
        to: 'ABGEBROCHEN',
        date: TODAY,
        reason: DROP_REASON,
      });

      const exported = await call(t, adviser.token, 'get', `/api/v1/clients/${clientId}/export`);
      expect(exported.status).toBe(200);
      expect(exported.body.records.enrolments).toEqual([
        expect.objectContaining({
          id: created.body.id,
          notes: NOTE,
          reason: DROP_REASON,
          history: [
            expect.objectContaining({ to: 'ZUGESAGT' }),
            expect.objectContaining({ to: 'LAUFEND' }),
            expect.objectContaining({ to: 'ABGEBROCHEN', reason: DROP_REASON }),
          ],
        }),
      ]);

      const timeline = await call(t, adviser.token, 'get', `/api/v1/clients/${clientId}/timeline`);
      const entries = (timeline.body.items as { type: string; resourceId: string }[]).filter(
        (entry) => entry.resourceId === created.body.id,
      );
      expect(entries.map((entry) => entry.type)).toEqual([
        'enrolment.created',
        'enrolment.transition',
        'enrolment.transition',
      ]);
      expect(JSON.stringify(timeline.body)).not.toContain(DROP_REASON);

      const current = await call(t, adviser.token, 'get', `/api/v1/clients/${clientId}`);
      const erased = await call(t, adviser.token, 'post', `/api/v1/clients/${clientId}/erasure`, undefined, {
        'if-match': current.headers.etag,
      });
      expect(erased.status).toBe(200);
      expect(erased.body.parts).toEqual(expect.arrayContaining([{ name: 'enrolments', rowsErased: 2 }]));
      const { rows } = await t.db.query(
        `SELECT (SELECT count(*)::int FROM enrolments WHERE client_id = $1 AND (notes IS NOT NULL OR reason IS NOT NULL))
                  AS enrolments,
                (SELECT count(*)::int FROM enrolment_history h JOIN enrolments e ON e.id = h.enrolment_id
                  WHERE e.client_id = $1 AND h.reason IS NOT NULL) AS history`,
        [clientId],
      );
      expect(rows[0]).toEqual({ enrolments: 0, history: 0 });
      // The statistics stay.
      const kept = await t.db.query(
        'SELECT status, started_on::text AS "startedOn" FROM enrolments WHERE id = $1',
        [created.body.id],
      );
      expect(kept.rows[0]).toEqual({ status: 'ABGEBROCHEN', startedOn: TODAY });
    });
  });

  it('keeps the counters equal to the enrolments after everything above', async () => {
    const { rows } = await t.db.query<{ id: string }>('SELECT id FROM qualification_offers');
    for (const { id } of rows) {
      const state = await seatState(t, id);
      expect(state.seatsTaken).toBe(state.countedSeats);
      expect(state.waitlisted).toBe(state.countedWaiting);
      expect(state.seatsTaken).toBeLessThanOrEqual(state.capacity);
    }
    expect(rows.length).toBeGreaterThan(5);
  });
});
