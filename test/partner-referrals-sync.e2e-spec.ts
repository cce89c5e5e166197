import { createAdviser, type TestAdviser } from './support/clients';
import { call, expectProblem } from './support/org-fixtures';
import {
  consentedClient,
  createPartner,
  PARTNER_REFERRALS,
  referred,
  syncAll,
  type TestPartner,
} from './support/referrals';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The partner sync under concurrent writes: a partner paging while referrals are created and change
 * state sees every change — each final (id, version) in the database was delivered — and a change
 * whose transaction commits late is held back, not skipped.
 */
describe('partner referral sync', () => {
  let t: TestApp;
  let adviser: TestAdviser;
  let partner: TestPartner;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.setFixedTime('2026-06-15T10:00:00Z');
    adviser = await createAdviser(t);
    partner = await createPartner(t, 'JOBCENTER');
  });
  afterAll(() => t.close());

  async function versionsInDb(): Promise<Set<string>> {
    const { rows } = await t.db.query<{ key: string }>(
      `SELECT id || '@' || version AS key FROM referrals WHERE partner_id = $1`,
      [partner.partnerId],
    );
    return new Set(rows.map((row) => row.key));
  }

  it('a change committed late is held back and then delivered after the cursor, never skipped', async () => {
    const { clientId } = await consentedClient(t, adviser, partner);
    const slow = await referred(t, adviser, clientId, partner.partnerId);
    const first = await syncAll(t, partner);
    expect(first.items.map((item) => item.id)).toContain(slow.id);

    // A transaction changes the referral and stays open; another referral is created and committed after it.
    const holder = await t.db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`UPDATE referrals SET message = 'late', version = version + 1 WHERE id = $1`, [
        slow.id,
      ]);
      const fast = await referred(t, adviser, clientId, partner.partnerId);
      // Rows of transactions that started after the open one are held back too: nothing passes it.
      const during = await syncAll(t, partner, first.resumeCursor);
      expect(during.items.map((item) => item.id)).not.toContain(slow.id);
      await holder.query('COMMIT');
      const after = await syncAll(t, partner, during.resumeCursor);
      const seen = [...during.items, ...after.items].map((item) => `${item.id}@${item.version}`);
      expect(seen).toContain(`${slow.id}@2`);
      expect(seen).toContain(`${fast.id}@1`);
    } finally {
      holder.release();
    }
  });

  it('every change is seen while many concurrent updates run during paging', async () => {
    const referrals: string[] = [];
    for (let index = 0; index < 12; index++) {
      const { clientId } = await consentedClient(t, adviser, partner);
      referrals.push((await referred(t, adviser, clientId, partner.partnerId)).id);
    }
    const seen = new Set<string>();
    const start = await syncAll(t, partner);
    start.items.forEach((item) => seen.add(`${item.id}@${item.version}`));
    let cursor = start.resumeCursor;
    let writing = true;

    // Writers: accept, then complete each referral (partner), cancel some (adviser), send new ones —
    // concurrently with each other and with the reader, plus raw updates in slow transactions.
    const writers = (async () => {
      const steps = referrals.map(async (id, index) => {
        await call(t, partner.token, 'post', `${PARTNER_REFERRALS}/${id}/accept`, {});
        if (index % 3 === 0) {
          await call(
            t,
            adviser.token,
            'post',
            `/api/v1/referrals/${id}/cancel`,
            { reason: 'x' },
            { 'if-match': '"2"' },
          );
        } else {
          await call(t, partner.token, 'post', `${PARTNER_REFERRALS}/${id}/complete`, { outcome: 'ok' });
        }
      });
      const sends = Array.from({ length: 8 }, async () => {
        const { clientId } = await consentedClient(t, adviser, partner);
        await referred(t, adviser, clientId, partner.partnerId);
      });
      const slow = Array.from({ length: 6 }, async (_, index) => {
        const client = await t.db.connect();
        try {
          await client.query('BEGIN');
          await client.query(`UPDATE referrals SET version = version + 1 WHERE id = $1`, [
            referrals[index * 2],
          ]);
          await new Promise((resolve) => setTimeout(resolve, 150 + index * 40));
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      });
      await Promise.all([...steps, ...sends, ...slow]);
      writing = false;
    })();

    // The reader pages with small pages while the writers run, resuming from its stored cursor.
    const reader = (async () => {
      let rounds = 0;
      while (writing || rounds < 1) {
        const page = await syncAll(t, partner, cursor, 3);
        page.items.forEach((item) => seen.add(`${item.id}@${item.version}`));
        cursor = page.resumeCursor;
        rounds += 1;
      }
    })();
    await Promise.all([writers, reader]);
    const final = await syncAll(t, partner, cursor, 3);
    final.items.forEach((item) => seen.add(`${item.id}@${item.version}`));

    const expected = await versionsInDb();
    const missing = [...expected].filter((key) => !seen.has(key));
    expect(missing).toEqual([]);
    expect(expected.size).toBeGreaterThanOrEqual(20);
    // Nothing new after the end: the resume cursor stands after every change.
    const idle = await call(t, partner.token, 'get', `${PARTNER_REFERRALS}?cursor=${final.resumeCursor}`);
    expect(idle.body).toEqual({ items: [], nextCursor: null, resumeCursor: final.resumeCursor });
  });

  it('concurrent answers and cancellations: exactly one wins, the others get 409 or 412', async () => {
    const { clientId } = await consentedClient(t, adviser, partner);
    const target = await referred(t, adviser, clientId, partner.partnerId);
    const accepts = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(t, partner.token, 'post', `${PARTNER_REFERRALS}/${target.id}/accept`, {}),
      ),
    );
    expect(accepts.filter((response) => response.status === 200)).toHaveLength(1);
    expect(accepts.filter((response) => response.status === 409)).toHaveLength(19);
    const cancels = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(
          t,
          adviser.token,
          'post',
          `/api/v1/referrals/${target.id}/cancel`,
          { reason: 'x' },
          { 'if-match': '"2"' },
        ),
      ),
    );
    expect(cancels.filter((response) => response.status === 200)).toHaveLength(1);
    expect(cancels.filter((response) => [409, 412].includes(response.status))).toHaveLength(19);
    const { rows } = await t.db.query<{ steps: number }>(
      'SELECT count(*)::int AS steps FROM referral_history WHERE referral_id = $1',
      [target.id],
    );
    expect(rows[0].steps).toBe(3);
  });

  it('answers 400 for a forged cursor and filters by status and updatedSince', async () => {
    const forged = Buffer.from(JSON.stringify(['x1', 'nope'])).toString('base64url');
    expectProblem(
      await call(t, partner.token, 'get', `${PARTNER_REFERRALS}?cursor=${forged}`),
      400,
      'validation-error',
    );
    const declined = await call(t, partner.token, 'get', `${PARTNER_REFERRALS}?status=ERLEDIGT&limit=200`);
    expect(declined.status).toBe(200);
    expect(declined.body.items.length).toBeGreaterThan(0);
    expect(declined.body.items.every((item: { status: string }) => item.status === 'ERLEDIGT')).toBe(true);
    const future = await call(
      t,
      partner.token,
      'get',
      `${PARTNER_REFERRALS}?updatedSince=2099-01-01T00:00:00Z`,
    );
    expect(future.body.items).toEqual([]);
    // The items carry no client data.
    expect(Object.keys(declined.body.items[0])).not.toContain('client');
    expect(Object.keys(declined.body.items[0])).not.toContain('clientId');
  });
});
