import { ReferralExpiryJob } from '../src/referrals/referral.job';
import { PARTNER_VIEW_ALLOW_LIST } from '../src/referrals/partner-view';
import { createUser, tokenFor } from './support/auth';
import { createAdviser, registerClient, type TestAdviser } from './support/clients';
import { call, expectProblem, SOME_ID } from './support/org-fixtures';
import {
  ALL_CATEGORIES,
  consentedClient,
  createPartner,
  giveConsent,
  PARTNER_REFERRALS,
  refer,
  referred,
  REFERRALS,
  syncAll,
  type TestPartner,
} from './support/referrals';
import { createTestApp, type TestApp } from './support/test-app';

const TODAY = '2026-06-15';
const MESSAGE = 'Bitte Kostenübernahme prüfen, Klientin spricht Arabisch';

describe('referrals', () => {
  let t: TestApp;
  let adviser: TestAdviser;
  let stranger: TestAdviser;
  let jobcenter: TestPartner;
  let kammer: TestPartner;
  let authority: TestPartner;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.setFixedTime(`${TODAY}T10:00:00Z`);
    adviser = await createAdviser(t);
    stranger = await createAdviser(t);
    [jobcenter, kammer, authority] = await Promise.all([
      createPartner(t, 'JOBCENTER'),
      createPartner(t, 'KAMMER'),
      createPartner(t, 'ANERKENNUNGSSTELLE'),
    ]);
  });
  afterAll(() => t.close());

  async function outbox(referralId: string): Promise<string[]> {
    const { rows } = await t.db.query<{ type: string }>(
      `SELECT type FROM webhook_messages WHERE data->>'referralId' = $1 ORDER BY created_at, id`,
      [referralId],
    );
    return rows.map((row) => row.type);
  }

  async function audits(
    action: string,
    resourceId: string,
  ): Promise<{ actorKind: string; clientId: string | null; outcome: string }[]> {
    const { rows } = await t.db.query(
      `SELECT actor_kind AS "actorKind", client_id AS "clientId", outcome FROM audit_events
        WHERE action = $1 AND resource_id = $2 ORDER BY occurred_at, id`,
      [action, resourceId],
    );
    return rows as { actorKind: string; clientId: string | null; outcome: string }[];
  }

  describe('sending', () => {
    it('needs a consent covering the partner and every category: 422 consent-missing names exactly what is missing', async () => {
      const clientId = (await registerClient(t, adviser.token)).id;
      const none = await refer(t, adviser, clientId, jobcenter.partnerId, {
        dataCategories: ['STAMMDATEN', 'KONTAKT'],
      });
      expectProblem(none, 422, 'consent-missing');
      expect(none.body.uncoveredCategories).toEqual(['STAMMDATEN', 'KONTAKT']);
      await giveConsent(t, adviser, clientId, { partnerType: 'JOBCENTER' }, ['STAMMDATEN', 'AUFENTHALT']);
      const partly = await refer(t, adviser, clientId, jobcenter.partnerId, {
        dataCategories: ['KONTAKT', 'STAMMDATEN', 'VERFAHREN'],
      });
      expectProblem(partly, 422, 'consent-missing');
      expect(partly.body.uncoveredCategories).toEqual(['KONTAKT', 'VERFAHREN']);
      // A consent for the type does not cover a partner of another type.
      const other = await refer(t, adviser, clientId, kammer.partnerId);
      expect(other.body.uncoveredCategories).toEqual(['STAMMDATEN']);
      expect(await t.db.query('SELECT 1 FROM referrals WHERE client_id = $1', [clientId])).toMatchObject({
        rowCount: 0,
      });
    });

    it('creates GESENDET with the consent it relies on, the default answer-by date, history, audit and webhook event', async () => {
      const { clientId, consentId } = await consentedClient(t, adviser, jobcenter, ['STAMMDATEN', 'KONTAKT']);
      const response = await refer(t, adviser, clientId, jobcenter.partnerId, {
        dataCategories: ['KONTAKT', 'STAMMDATEN'],
        message: MESSAGE,
      });
      expect(response.status).toBe(201);
      expect(response.headers.location).toBe(`${REFERRALS}/${response.body.id}`);
      expect(response.headers.etag).toBe('"1"');
      expect(response.body).toMatchObject({
        clientId,
        consentId,
        partnerId: jobcenter.partnerId,
        status: 'GESENDET',
        sentOn: TODAY,
        dueBy: '2026-06-29',
        overdue: false,
        message: MESSAGE,
        allowedTransitions: ['STORNIERT'],
      });
      const detail = await call(t, adviser.token, 'get', `${REFERRALS}/${response.body.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.history).toMatchObject([
        { from: null, to: 'GESENDET', actorKind: 'user', actorId: adviser.userId },
      ]);
      expect(await outbox(response.body.id)).toEqual(['referral.created']);
      const { rows } = await t.db.query(`SELECT data FROM webhook_messages WHERE data->>'referralId' = $1`, [
        response.body.id,
      ]);
      expect(Object.keys(rows[0].data).sort()).toEqual(['occurredAt', 'referralId', 'status']);
      expect(await audits('referral.create', response.body.id)).toEqual([
        { actorKind: 'user', clientId, outcome: 'SUCCESS' },
      ]);
      // The audit events hold no values.
      const logged = await t.db.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE row_to_json(audit_events)::text LIKE $1`,
        [`%Kostenübernahme%`],
      );
      expect(logged.rows[0].n).toBe(0);
    });

    it('refuses unknown partners, foreign cases and past answer-by dates (422), bad members (400), foreign clients (404)', async () => {
      const { clientId } = await consentedClient(t, adviser, jobcenter);
      const unknown = await refer(t, adviser, clientId, SOME_ID, {
        recognitionCaseId: SOME_ID,
        dueBy: '2026-06-14',
      });
      expectProblem(unknown, 422, 'unprocessable');
      expect((unknown.body.errors as { pointer: string }[]).map((error) => error.pointer).sort()).toEqual([
        '#/dueBy',
        '#/partnerId',
        '#/recognitionCaseId',
      ]);
      const bad = await refer(t, adviser, clientId, jobcenter.partnerId, {
        reason: 'KAFFEE',
        dataCategories: [],
      });
      expectProblem(bad, 400, 'validation-error');
      expectProblem(await refer(t, stranger, clientId, jobcenter.partnerId), 404, 'not-found');
    });

    it('honours Idempotency-Key: one referral, one event', async () => {
      const { clientId } = await consentedClient(t, adviser, jobcenter);
      const body = {
        clientId,
        partnerId: jobcenter.partnerId,
        reason: 'ARBEITSMARKT',
        dataCategories: ['STAMMDATEN'],
      };
      const first = await call(t, adviser.token, 'post', REFERRALS, body, { 'idempotency-key': 'ref-1' });
      const again = await call(t, adviser.token, 'post', REFERRALS, body, { 'idempotency-key': 'ref-1' });
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      expect((await t.db.query('SELECT id FROM referrals WHERE client_id = $1', [clientId])).rowCount).toBe(
        1,
      );
      expect(await outbox(first.body.id)).toEqual(['referral.created']);
    });
  });

  describe('office side', () => {
    it('lists the office’s referrals with filters, audits one event per client; another office sees nothing', async () => {
      const office = await createAdviser(t);
      const a = await consentedClient(t, office, jobcenter);
      const b = await consentedClient(t, office, kammer);
      const r1 = await referred(t, office, a.clientId, jobcenter.partnerId);
      const r2 = await referred(t, office, a.clientId, jobcenter.partnerId, { dueBy: TODAY });
      const r3 = await referred(t, office, b.clientId, kammer.partnerId);
      const all = await call(t, office.token, 'get', REFERRALS);
      expect(all.status).toBe(200);
      expect(all.body.items.map((item: { id: string }) => item.id)).toEqual([r3.id, r2.id, r1.id]);
      const byPartner = await call(t, office.token, 'get', `${REFERRALS}?partnerId=${kammer.partnerId}`);
      expect(byPartner.body.items.map((item: { id: string }) => item.id)).toEqual([r3.id]);
      const byClient = await call(t, office.token, 'get', `${REFERRALS}?clientId=${a.clientId}&limit=1`);
      expect(byClient.body.items).toHaveLength(1);
      expect(byClient.body.nextCursor).not.toBeNull();
      t.clock.setFixedTime('2026-06-16T10:00:00Z');
      try {
        const overdue = await call(t, office.token, 'get', `${REFERRALS}?overdue=true`);
        expect(overdue.body.items.map((item: { id: string }) => item.id)).toEqual([r2.id]);
        expect(overdue.body.items[0].overdue).toBe(true);
      } finally {
        t.clock.setFixedTime(`${TODAY}T10:00:00Z`);
      }
      const { rows } = await t.db.query<{ clientId: string }>(
        `SELECT DISTINCT client_id AS "clientId" FROM audit_events
          WHERE action = 'referral.list' AND actor_id = $1`,
        [office.userId],
      );
      expect(new Set(rows.map((row) => row.clientId))).toEqual(new Set([a.clientId, b.clientId]));
      const foreign = await call(t, stranger.token, 'get', `${REFERRALS}/${r1.id}`);
      expectProblem(foreign, 404, 'not-found');
      expect(await audits('referral.access-denied', r1.id)).toEqual([
        { actorKind: 'user', clientId: null, outcome: 'DENIED' },
      ]);
      expect((await call(t, stranger.token, 'get', REFERRALS)).body.items).toEqual([]);
    });

    it('cancels with If-Match and a reason; the partner is told; a final referral answers 409', async () => {
      const { clientId } = await consentedClient(t, adviser, jobcenter);
      const referral = await referred(t, adviser, clientId, jobcenter.partnerId);
      const path = `${REFERRALS}/${referral.id}/cancel`;
      expectProblem(
        await call(t, adviser.token, 'post', path, { reason: 'Arbeit gefunden' }),
        428,
        'precondition-required',
      );
      expectProblem(
        await call(t, adviser.token, 'post', path, {}, { 'if-match': '"1"' }),
        400,
        'validation-error',
      );
      const cancelled = await call(
        t,
        adviser.token,
        'post',
        path,
        { reason: 'Arbeit gefunden' },
        { 'if-match': '"1"' },
      );
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({
        status: 'STORNIERT',
        cancelReason: 'Arbeit gefunden',
        closedOn: TODAY,
        version: 2,
      });
      expect(cancelled.headers.etag).toBe('"2"');
      const again = await call(t, adviser.token, 'post', path, { reason: 'nochmal' }, { 'if-match': '"2"' });
      expectProblem(again, 409, 'invalid-transition');
      expect(again.body.allowedTargets).toEqual([]);
      expect(await outbox(referral.id)).toEqual(['referral.created', 'referral.cancelled']);
      const seen = await call(t, jobcenter.token, 'get', `${PARTNER_REFERRALS}/${referral.id}`);
      expect(seen.body).toMatchObject({ status: 'STORNIERT', cancelReason: 'Arbeit gefunden', client: null });
    });
  });

  describe('partner side', () => {
    it('three partners with referrals each see exactly their own; others answer 404 with a DENIED event', async () => {
      const partners = [jobcenter, kammer, authority];
      const office = await createAdviser(t);
      const sent = new Map<string, string[]>();
      for (const partner of partners) {
        for (let index = 0; index < 3; index++) {
          const { clientId } = await consentedClient(t, office, partner);
          const referral = await referred(t, office, clientId, partner.partnerId);
          sent.set(partner.partnerId, [...(sent.get(partner.partnerId) ?? []), referral.id]);
        }
      }
      for (const partner of partners) {
        const { rows } = await t.db.query<{ id: string }>('SELECT id FROM referrals WHERE partner_id = $1', [
          partner.partnerId,
        ]);
        const seen = (await syncAll(t, partner, null, 2)).items.map((item) => item.id);
        expect(new Set(seen)).toEqual(new Set(rows.map((row) => row.id)));
        for (const own of sent.get(partner.partnerId)!) {
          expect(seen).toContain(own);
        }
        for (const other of partners.filter((candidate) => candidate !== partner)) {
          const foreign = sent.get(other.partnerId)![0];
          expect(seen).not.toContain(foreign);
          expectProblem(
            await call(t, partner.token, 'get', `${PARTNER_REFERRALS}/${foreign}`),
            404,
            'not-found',
          );
          expectProblem(
            await call(t, partner.token, 'post', `${PARTNER_REFERRALS}/${foreign}/accept`, {}),
            404,
            'not-found',
          );
          expect((await audits('referral.access-denied', foreign)).length).toBeGreaterThan(0);
        }
      }
    });

    it('the partner view holds exactly the allow-listed members of the shared categories, for all 63 combinations', async () => {
      const office = await createAdviser(t);
      const clientId = (await registerClient(t, office.token)).id;
      await call(t, office.token, 'post', `/api/v1/clients/${clientId}/qualifications`, {
        kind: 'HOCHSCHULABSCHLUSS',
        titleOriginal: 'Bachelor of Nursing',
        country: 'SY',
      });
      await call(t, office.token, 'post', `/api/v1/clients/${clientId}/consultations`, {
        heldOn: '2026-06-01',
        durationMinutes: 45,
        channel: 'PERSOENLICH',
        language: 'ar',
        topics: ['ANERKENNUNG_INFO'],
        outcomes: ['ANTRAG_EMPFOHLEN'],
        notes: 'GEHEIME NOTIZ zur Gesundheit',
      });
      const mistaken = await call(t, office.token, 'post', `/api/v1/clients/${clientId}/consultations`, {
        heldOn: '2026-06-03',
        durationMinutes: 30,
        channel: 'TELEFON',
        topics: ['SPRACHFOERDERUNG'],
        outcomes: ['WEITERE_BERATUNG'],
      });
      expect(mistaken.status).toBe(201);
      const voided = await call(
        t,
        office.token,
        'post',
        `/api/v1/clients/${clientId}/consultations/${mistaken.body.id}/void`,
        { reason: 'Falsche Akte' },
        { 'if-match': mistaken.headers.etag },
      );
      expect(voided.status).toBe(200);
      await giveConsent(t, office, clientId, { partnerType: 'JOBCENTER' }, ALL_CATEGORIES);
      const masks = Array.from({ length: 63 }, (_, index) => index + 1);
      for (const mask of masks) {
        const categories = ALL_CATEGORIES.filter((_category, bit) => (mask >> bit) & 1);
        const referral = await referred(t, office, clientId, jobcenter.partnerId, {
          dataCategories: categories,
        });
        const view = await call(t, jobcenter.token, 'get', `${PARTNER_REFERRALS}/${referral.id}`);
        expect(view.status).toBe(200);
        expect(view.headers['cache-control']).toBe('no-store');
        const expected = categories
          .flatMap((category) => PARTNER_VIEW_ALLOW_LIST[category as keyof typeof PARTNER_VIEW_ALLOW_LIST])
          .sort();
        expect(Object.keys(view.body.client as object).sort()).toEqual(expected);
        expect(JSON.stringify(view.body)).not.toContain('GEHEIME');
        if (categories.includes('BERATUNGSVERLAUF')) {
          expect(view.body.client.consultations).toEqual([
            { heldOn: '2026-06-01', topics: ['ANERKENNUNG_INFO'], outcomes: ['ANTRAG_EMPFOHLEN'] },
          ]);
        }
      }
      // Each read is a partner access in the client's access log.
      const { rows } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'referral.partner-read' AND client_id = $1 AND actor_kind = 'partner'`,
        [clientId],
      );
      expect(rows[0].n).toBe(63);
      const accessLog = await call(
        t,
        office.token,
        'get',
        `/api/v1/clients/${clientId}/access-log?limit=200`,
      );
      expect(accessLog.status).toBe(200);
      const partnerReads = (
        accessLog.body.items as { action: string; actorKind: string; actorId: string }[]
      ).filter((event) => event.action === 'referral.partner-read');
      expect(partnerReads).toHaveLength(63);
      expect(new Set(partnerReads.map((event) => `${event.actorKind}:${event.actorId}`))).toEqual(
        new Set([`partner:${jobcenter.id}`]),
      );
    });

    it('accept → complete; decline needs a reason; illegal steps 409 with allowed targets; Idempotency-Key replays', async () => {
      const { clientId } = await consentedClient(t, adviser, jobcenter);
      const first = await referred(t, adviser, clientId, jobcenter.partnerId);
      const base = `${PARTNER_REFERRALS}/${first.id}`;
      const early = await call(t, jobcenter.token, 'post', `${base}/complete`, { outcome: 'fertig' });
      expectProblem(early, 409, 'invalid-transition');
      expect(early.body.allowedTargets).toEqual(['ANGENOMMEN', 'ABGELEHNT']);
      const accepted = await call(
        t,
        jobcenter.token,
        'post',
        `${base}/accept`,
        {},
        { 'idempotency-key': 'acc-1' },
      );
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({
        status: 'ANGENOMMEN',
        answeredOn: TODAY,
        allowedTransitions: ['ERLEDIGT'],
      });
      const replay = await call(
        t,
        jobcenter.token,
        'post',
        `${base}/accept`,
        {},
        { 'idempotency-key': 'acc-1' },
      );
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.version).toBe(accepted.body.version);
      const twice = await call(t, jobcenter.token, 'post', `${base}/accept`, {});
      expectProblem(twice, 409, 'invalid-transition');
      expect(twice.body.allowedTargets).toEqual(['ERLEDIGT']);
      const decision = await call(t, jobcenter.token, 'post', `${base}/complete`, {
        outcome: 'fertig',
        decision: { outcome: 'VOLLE_GLEICHWERTIGKEIT', decidedOn: TODAY },
      });
      expectProblem(decision, 422, 'unprocessable');
      const done = await call(t, jobcenter.token, 'post', `${base}/complete`, {
        outcome: 'Förderung bewilligt',
      });
      expect(done.body).toMatchObject({
        status: 'ERLEDIGT',
        outcome: 'Förderung bewilligt',
        closedOn: TODAY,
      });
      const office = await call(t, adviser.token, 'get', `${REFERRALS}/${first.id}`);
      expect(
        office.body.history.map((step: { to: string; actorKind: string }) => `${step.to}:${step.actorKind}`),
      ).toEqual(['GESENDET:user', 'ANGENOMMEN:partner', 'ERLEDIGT:partner']);
      expect(await audits('referral.accept', first.id)).toEqual([
        { actorKind: 'partner', clientId, outcome: 'SUCCESS' },
      ]);

      const second = await referred(t, adviser, clientId, jobcenter.partnerId);
      const noReason = await call(
        t,
        jobcenter.token,
        'post',
        `${PARTNER_REFERRALS}/${second.id}/decline`,
        {},
      );
      expectProblem(noReason, 400, 'validation-error');
      const declined = await call(t, jobcenter.token, 'post', `${PARTNER_REFERRALS}/${second.id}/decline`, {
        reason: 'Nicht zuständig',
      });
      expect(declined.body).toMatchObject({
        status: 'ABGELEHNT',
        declineReason: 'Nicht zuständig',
        answeredOn: TODAY,
        closedOn: TODAY,
      });
    });

    it('partner tokens on office routes and adviser tokens on partner routes answer 403', async () => {
      for (const [method, path] of [
        ['get', REFERRALS],
        ['post', REFERRALS],
        ['get', `${REFERRALS}/${SOME_ID}`],
        ['post', `${REFERRALS}/${SOME_ID}/cancel`],
        ['post', `${REFERRALS}/${SOME_ID}/apply-decision`],
      ] as const) {
        expectProblem(
          await call(t, jobcenter.token, method, path, method === 'post' ? {} : undefined),
          403,
          'forbidden',
        );
      }
      for (const [method, path] of [
        ['get', PARTNER_REFERRALS],
        ['get', `${PARTNER_REFERRALS}/${SOME_ID}`],
        ['post', `${PARTNER_REFERRALS}/${SOME_ID}/accept`],
        ['post', `${PARTNER_REFERRALS}/${SOME_ID}/decline`],
        ['post', `${PARTNER_REFERRALS}/${SOME_ID}/complete`],
      ] as const) {
        expectProblem(
          await call(t, adviser.token, method, path, method === 'post' ? {} : undefined),
          403,
          'forbidden',
        );
      }
      // Refusals on routes of client data are DENIED audit events, for both sides.
      const { rows } = await t.db.query<{ resourceId: string }>(
        `SELECT resource_id AS "resourceId" FROM audit_events
          WHERE action = 'access.denied' AND outcome = 'DENIED' AND actor_id = ANY($1::uuid[])`,
        [[adviser.userId, jobcenter.id]],
      );
      const refused = rows.map((row) => row.resourceId);
      expect(refused).toContain('GET /api/v1/partner/referrals/:id');
      expect(refused).toContain('POST /api/v1/referrals');
    });
  });

  describe('consents, expiry and the recognition case', () => {
    it('withdrawing the consent cancels its open referrals in the same transaction and tells each partner', async () => {
      const clientId = (await registerClient(t, adviser.token)).id;
      const consentId = await giveConsent(t, adviser, clientId, { partnerType: 'JOBCENTER' });
      const other = await createPartner(t, 'JOBCENTER');
      const open1 = await referred(t, adviser, clientId, jobcenter.partnerId);
      const open2 = await referred(t, adviser, clientId, other.partnerId);
      await call(t, other.token, 'post', `${PARTNER_REFERRALS}/${open2.id}/accept`, {});
      const closed = await referred(t, adviser, clientId, jobcenter.partnerId);
      await call(t, jobcenter.token, 'post', `${PARTNER_REFERRALS}/${closed.id}/decline`, { reason: 'nein' });
      const withdraw = await call(
        t,
        adviser.token,
        'post',
        `/api/v1/clients/${clientId}/consents/${consentId}/withdraw`,
        {},
        { 'if-match': '"1"' },
      );
      expect(withdraw.status).toBe(200);
      const { rows } = await t.db.query<{ id: string; status: string; cancelReason: string | null }>(
        `SELECT id, status, cancel_reason AS "cancelReason" FROM referrals WHERE client_id = $1`,
        [clientId],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      expect(byId.get(open1.id)).toMatchObject({ status: 'STORNIERT', cancelReason: 'consent withdrawn' });
      expect(byId.get(open2.id)).toMatchObject({ status: 'STORNIERT', cancelReason: 'consent withdrawn' });
      expect(byId.get(closed.id)).toMatchObject({ status: 'ABGELEHNT' });
      const history = await call(t, adviser.token, 'get', `${REFERRALS}/${open2.id}`);
      expect(history.body.history.at(-1)).toMatchObject({
        from: 'ANGENOMMEN',
        to: 'STORNIERT',
        actorKind: 'user',
        actorId: adviser.userId,
        payload: { cause: 'CONSENT_WITHDRAWN', consentId },
      });
      const events = await t.db.query<{ partnerId: string; data: { referralIds: string[] } }>(
        `SELECT partner_id AS "partnerId", data FROM webhook_messages WHERE type = 'consent.withdrawn' AND data->>'consentId' = $1`,
        [consentId],
      );
      expect(new Map(events.rows.map((row) => [row.partnerId, row.data.referralIds]))).toEqual(
        new Map([
          [jobcenter.partnerId, [open1.id]],
          [other.partnerId, [open2.id]],
        ]),
      );
      expect(await outbox(open1.id)).toEqual(['referral.created', 'referral.cancelled']);
      // No more data for the partner.
      expect(
        (await call(t, jobcenter.token, 'get', `${PARTNER_REFERRALS}/${open1.id}`)).body.client,
      ).toBeNull();
    });

    it('a failure while cancelling rolls the withdrawal back (atomic)', async () => {
      const clientId = (await registerClient(t, adviser.token)).id;
      const consentId = await giveConsent(t, adviser, clientId, { partnerType: 'JOBCENTER' });
      const referral = await referred(t, adviser, clientId, jobcenter.partnerId);
      await t.db.query(`
        CREATE FUNCTION fail_history() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.to_status = 'STORNIERT' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$`);
      await t.db.query(
        'CREATE TRIGGER fail_history BEFORE INSERT ON referral_history FOR EACH ROW EXECUTE FUNCTION fail_history()',
      );
      try {
        const withdraw = await call(
          t,
          adviser.token,
          'post',
          `/api/v1/clients/${clientId}/consents/${consentId}/withdraw`,
          {},
          { 'if-match': '"1"' },
        );
        expect(withdraw.status).toBe(500);
      } finally {
        await t.db.query('DROP TRIGGER fail_history ON referral_history');
        await t.db.query('DROP FUNCTION fail_history()');
      }
      const consent = await t.db.query('SELECT withdrawn_at FROM consents WHERE id = $1', [consentId]);
      expect(consent.rows[0].withdrawn_at).toBeNull();
      const row = await t.db.query('SELECT status FROM referrals WHERE id = $1', [referral.id]);
      expect(row.rows[0].status).toBe('GESENDET');
      expect(await outbox(referral.id)).toEqual(['referral.created']);
    });

    it('the daily job expires unanswered referrals after dueBy and cancels those whose consent expired, as the system', async () => {
      const clientId = (await registerClient(t, adviser.token)).id;
      await giveConsent(t, adviser, clientId, { partnerId: kammer.partnerId }, ALL_CATEGORIES);
      const expiring = await giveConsent(
        t,
        adviser,
        clientId,
        { partnerId: authority.partnerId },
        ALL_CATEGORIES,
        {
          expiresOn: '2026-06-20',
        },
      );
      const due = await referred(t, adviser, clientId, kammer.partnerId, { dueBy: '2026-06-18' });
      const later = await referred(t, adviser, clientId, kammer.partnerId, { dueBy: '2026-06-30' });
      const relying = await referred(t, adviser, clientId, authority.partnerId, { dueBy: '2026-07-30' });
      await call(t, authority.token, 'post', `${PARTNER_REFERRALS}/${relying.id}/accept`, {});
      const job = t.app.get(ReferralExpiryJob);
      expect(job.schedule).toBe('15 0 * * *');
      t.clock.setFixedTime('2026-06-18T21:59:00Z'); // 23:59 in Berlin: still the 18th
      await job.handle();
      expect((await t.db.query('SELECT status FROM referrals WHERE id = $1', [due.id])).rows[0].status).toBe(
        'GESENDET',
      );
      t.clock.setFixedTime('2026-06-20T22:30:00Z'); // 00:30 on the 21st in Berlin
      try {
        await job.handle();
        await job.handle(); // a re-run changes nothing
      } finally {
        t.clock.setFixedTime(`${TODAY}T10:00:00Z`);
      }
      const { rows } = await t.db.query<{
        id: string;
        status: string;
        closedOn: string;
        cancelReason: string | null;
      }>(
        `SELECT id, status, to_char(closed_on, 'YYYY-MM-DD') AS "closedOn", cancel_reason AS "cancelReason"
           FROM referrals WHERE client_id = $1`,
        [clientId],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      expect(byId.get(due.id)).toMatchObject({ status: 'ABGELAUFEN', closedOn: '2026-06-21' });
      expect(byId.get(later.id)).toMatchObject({ status: 'GESENDET' });
      expect(byId.get(relying.id)).toMatchObject({ status: 'STORNIERT', cancelReason: 'consent expired' });
      expect(await audits('referral.expire', due.id)).toEqual([
        { actorKind: 'system', clientId, outcome: 'SUCCESS' },
      ]);
      expect(await audits('referral.cancel', relying.id)).toEqual([
        { actorKind: 'system', clientId, outcome: 'SUCCESS' },
      ]);
      expect(await outbox(due.id)).toEqual(['referral.created', 'referral.expired']);
      expect(await outbox(relying.id)).toEqual(['referral.created', 'referral.cancelled']);
      const withdrawn = await t.db.query(
        `SELECT partner_id FROM webhook_messages WHERE type = 'consent.withdrawn' AND data->>'consentId' = $1`,
        [expiring],
      );
      expect(withdrawn.rows).toEqual([{ partner_id: authority.partnerId }]);
      const history = await t.db.query(
        `SELECT actor_kind, actor_id FROM referral_history WHERE referral_id = $1 AND to_status = 'ABGELAUFEN'`,
        [due.id],
      );
      expect(history.rows).toEqual([{ actor_kind: 'system', actor_id: null }]);
    });

    it('an authority’s decision shows on the case as a proposed step and is applied with one call', async () => {
      const { clientId } = await consentedClient(t, adviser, authority);
      const created = await call(t, adviser.token, 'post', '/api/v1/recognition-cases', {
        clientId,
        kldb: '81302',
        legalBasis: 'PFLBG',
        procedureKind: 'BERUFSZULASSUNG',
      });
      expect(created.status).toBe(201);
      let kase = created.body as { id: string; version: number };
      for (const step of [
        { to: 'BEANTRAGT', date: '2026-05-02', authorityPartnerId: authority.partnerId },
        { to: 'IN_PRUEFUNG', date: '2026-05-20' },
      ]) {
        const moved = await call(
          t,
          adviser.token,
          'post',
          `/api/v1/recognition-cases/${kase.id}/transitions`,
          step,
          {
            'if-match': `"${kase.version}"`,
          },
        );
        expect(moved.status).toBe(200);
        kase = moved.body;
      }
      const referral = await referred(t, adviser, clientId, authority.partnerId, {
        recognitionCaseId: kase.id,
        dataCategories: ['STAMMDATEN', 'VERFAHREN'],
      });
      const view = await call(t, authority.token, 'get', `${PARTNER_REFERRALS}/${referral.id}`);
      expect(view.body.client.recognitionCase).toMatchObject({
        status: 'IN_PRUEFUNG',
        kldb: '81302',
        documentsCompleteOn: '2026-05-20',
      });
      await call(t, authority.token, 'post', `${PARTNER_REFERRALS}/${referral.id}/accept`, {});
      const future = await call(t, authority.token, 'post', `${PARTNER_REFERRALS}/${referral.id}/complete`, {
        outcome: 'Bescheid erteilt',
        decision: { outcome: 'VOLLE_GLEICHWERTIGKEIT', decidedOn: '2026-06-16' },
      });
      expectProblem(future, 422, 'unprocessable');
      const done = await call(t, authority.token, 'post', `${PARTNER_REFERRALS}/${referral.id}/complete`, {
        outcome: 'Bescheid erteilt',
        decision: { outcome: 'VOLLE_GLEICHWERTIGKEIT', decidedOn: '2026-06-10' },
      });
      expect(done.status).toBe(200);
      expect(done.body.decision).toEqual({
        outcome: 'VOLLE_GLEICHWERTIGKEIT',
        decidedOn: '2026-06-10',
        appliedAt: null,
      });
      const proposed = await call(t, adviser.token, 'get', `/api/v1/recognition-cases/${kase.id}`);
      expect(proposed.body.nextSteps).toEqual([
        {
          to: 'BESCHIEDEN',
          members: { date: '2026-06-10', outcome: 'VOLLE_GLEICHWERTIGKEIT' },
          outcome: 'VOLLE_GLEICHWERTIGKEIT',
          basis: { resourceType: 'referral', resourceId: referral.id },
        },
      ]);
      const stale = await call(
        t,
        adviser.token,
        'post',
        `${REFERRALS}/${referral.id}/apply-decision`,
        undefined,
        {
          'if-match': `"${proposed.body.version - 1}"`,
        },
      );
      expectProblem(stale, 412, 'precondition-failed');
      const applied = await call(
        t,
        adviser.token,
        'post',
        `${REFERRALS}/${referral.id}/apply-decision`,
        undefined,
        {
          'if-match': `"${proposed.body.version}"`,
        },
      );
      expect(applied.status).toBe(200);
      expect(applied.body).toMatchObject({
        id: kase.id,
        status: 'BESCHIEDEN',
        outcome: 'VOLLE_GLEICHWERTIGKEIT',
        decidedOn: '2026-06-10',
        nextSteps: [],
      });
      const after = await call(t, adviser.token, 'get', `${REFERRALS}/${referral.id}`);
      expect(after.body.decision.appliedAt).not.toBeNull();
      const twice = await call(
        t,
        adviser.token,
        'post',
        `${REFERRALS}/${referral.id}/apply-decision`,
        undefined,
        {
          'if-match': `"${applied.body.version}"`,
        },
      );
      expectProblem(twice, 409, 'conflict');
      // A Jobcenter cannot attach a decision.
      const { clientId: other } = await consentedClient(t, adviser, jobcenter);
      const plain = await referred(t, adviser, other, jobcenter.partnerId);
      await call(t, jobcenter.token, 'post', `${PARTNER_REFERRALS}/${plain.id}/accept`, {});
      const refused = await call(t, jobcenter.token, 'post', `${PARTNER_REFERRALS}/${plain.id}/complete`, {
        outcome: 'x',
        decision: { outcome: 'VOLLE_GLEICHWERTIGKEIT', decidedOn: '2026-06-10' },
      });
      expectProblem(refused, 422, 'unprocessable');
    });
  });

  describe('privacy', () => {
    it('export lists the recipients; erasure removes the free texts and names the partners; the timeline shows steps without texts', async () => {
      const { clientId } = await consentedClient(t, adviser, jobcenter);
      const referral = await referred(t, adviser, clientId, jobcenter.partnerId, { message: MESSAGE });
      await call(t, jobcenter.token, 'post', `${PARTNER_REFERRALS}/${referral.id}/decline`, {
        reason: 'Nicht zuständig für Frau X',
      });
      const open = await referred(t, adviser, clientId, jobcenter.partnerId);
      const exported = await call(t, adviser.token, 'get', `/api/v1/clients/${clientId}/export`);
      expect(exported.status).toBe(200);
      const referrals = exported.body.records.referrals as {
        id: string;
        partnerName: string;
        message: string | null;
        history: unknown[];
      }[];
      expect(referrals.map((item) => item.id)).toEqual([referral.id, open.id]);
      expect(referrals[0]).toMatchObject({
        partnerId: jobcenter.partnerId,
        message: MESSAGE,
        declineReason: 'Nicht zuständig für Frau X',
      });
      expect(referrals[0].history).toHaveLength(2);
      const timeline = await call(t, adviser.token, 'get', `/api/v1/clients/${clientId}/timeline`);
      expect(JSON.stringify(timeline.body)).toContain('referral.sent');
      expect(JSON.stringify(timeline.body)).not.toContain('Frau X');
      const { rows: held } = await t.db.query(
        `SELECT client_id FROM referrals WHERE status IN ('GESENDET', 'ANGENOMMEN') AND client_id = $1`,
        [clientId],
      );
      expect(held).toHaveLength(1);
      const client = await call(t, adviser.token, 'get', `/api/v1/clients/${clientId}`);
      const erased = await call(t, adviser.token, 'post', `/api/v1/clients/${clientId}/erasure`, undefined, {
        'if-match': client.headers.etag,
      });
      expect(erased.status).toBe(200);
      expect(JSON.stringify(erased.body)).toContain(referral.id);
      const recipients = erased.body.dataRecipients as {
        resourceId: string;
        partnerId: string;
      }[];
      expect(recipients.map((item) => item.resourceId).sort()).toEqual([referral.id, open.id].sort());
      const texts = await t.db.query(
        `SELECT message, decline_reason, outcome, cancel_reason FROM referrals WHERE client_id = $1`,
        [clientId],
      );
      expect(texts.rows.every((row) => Object.values(row).every((value) => value === null))).toBe(true);
      const history = await t.db.query(
        `SELECT count(*)::int AS n FROM referral_history WHERE reason IS NOT NULL AND referral_id = ANY($1::uuid[])`,
        [[referral.id, open.id]],
      );
      expect(history.rows[0].n).toBe(0);
      // The open referral stays open, but the partner gets nothing of the erased client any more.
      const view = await call(t, jobcenter.token, 'get', `${PARTNER_REFERRALS}/${open.id}`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ status: 'GESENDET', message: null, client: null });
      // Free texts never reach the application log.
      expect(
        t.logLines().filter((line) => line.includes('Frau X') || line.includes('Kostenübernahme')),
      ).toEqual([]);
    });

    it('an open referral keeps the client from retention; a closed one does not', async () => {
      const admin = await tokenFor(t, await createUser(t, { role: 'ADMIN' }));
      const open = await consentedClient(t, adviser, jobcenter);
      const closed = await consentedClient(t, adviser, jobcenter);
      await referred(t, adviser, open.clientId, jobcenter.partnerId);
      const declined = await referred(t, adviser, closed.clientId, jobcenter.partnerId);
      await call(t, jobcenter.token, 'post', `${PARTNER_REFERRALS}/${declined.id}/decline`, {
        reason: 'nein',
      });
      for (const clientId of [open.clientId, closed.clientId]) {
        await t.db.query(`UPDATE clients SET updated_at = '2026-01-10 12:00 Europe/Berlin' WHERE id = $1`, [
          clientId,
        ]);
        await t.db.query(
          `UPDATE consents SET given_on = '2026-01-05', updated_at = '2026-01-10 12:00 Europe/Berlin' WHERE client_id = $1`,
          [clientId],
        );
        await t.db.query(
          `UPDATE referrals SET updated_at = '2026-01-10 12:00 Europe/Berlin' WHERE client_id = $1`,
          [clientId],
        );
        await t.db.query(
          `UPDATE referral_history SET occurred_on = '2026-01-10', recorded_at = '2026-01-10 12:00 Europe/Berlin'
            WHERE referral_id IN (SELECT id FROM referrals WHERE client_id = $1)`,
          [clientId],
        );
      }
      t.clock.setFixedTime('2029-06-15T10:00:00Z');
      try {
        const preview = await call(t, admin, 'get', '/api/v1/retention/preview?limit=200');
        expect(preview.status).toBe(200);
        const due = (preview.body.items as { clientId: string }[]).map((item) => item.clientId);
        expect(due).toContain(closed.clientId);
        expect(due).not.toContain(open.clientId);
      } finally {
        t.clock.setFixedTime(`${TODAY}T10:00:00Z`);
      }
    });
  });
});
