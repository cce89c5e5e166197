import { randomInt } from 'node:crypto';
import { createAdviser, registerClient, type TestAdviser } from './support/clients';
import { call, expectProblem, pages } from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const CLIENTS = '/api/v1/clients';

const SECRET_NOTE = 'Traumatherapie seit 2024, Diagnose F43.1 – nicht weitergeben';

interface SeededClient {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  email: string;
  phone: string;
  note: string;
  qualificationTitle: string;
  consultationIds: string[];
}

/** A client with a qualification, a consent and two consultations (one with a sensitive note), all via the API. */
async function seedClient(t: TestApp, adviser: TestAdviser): Promise<SeededClient> {
  const phone = `+49 171 ${randomInt(1_000_000, 9_999_999)}`;
  const note = `${SECRET_NOTE} (#${randomInt(1_000_000)})`;
  const qualificationTitle = `Магістр медсестринства №${randomInt(1_000_000)}`;
  // Unique per seeded client, so a search of the whole database after erasure finds no other client's.
  const birthDate = `19${randomInt(50, 80)}-0${randomInt(1, 10)}-${randomInt(10, 29)}`;
  const client = await registerClient(t, adviser.token, { birthDate, phone });
  const path = `${CLIENTS}/${client.id}`;
  const created = await Promise.all([
    call(t, adviser.token, 'post', `${path}/qualifications`, {
      kind: 'HOCHSCHULABSCHLUSS',
      titleOriginal: qualificationTitle,
      titleDe: `Master Pflegewissenschaft ${client.id}`,
      country: 'UA',
      yearAwarded: 2012,
    }),
    call(t, adviser.token, 'post', `${path}/consents`, {
      purpose: 'BERATUNG',
      givenOn: '2026-03-01',
      method: 'SCHRIFTLICH',
    }),
  ]);
  expect(created.map((response) => response.status)).toEqual([201, 201]);
  const consultationIds: string[] = [];
  for (const [heldOn, notes] of [
    ['2026-03-01', note],
    ['2026-04-15', undefined],
  ] as const) {
    const response = await call(t, adviser.token, 'post', `${path}/consultations`, {
      heldOn,
      durationMinutes: 60,
      channel: 'PERSOENLICH',
      topics: ['ANERKENNUNG_INFO', 'REFERENZBERUF'],
      outcomes: ['ANTRAG_EMPFOHLEN'],
      notes,
    });
    expect(response.status).toBe(201);
    consultationIds.push(response.body.id as string);
  }
  return {
    id: client.id,
    firstName: client.firstName as string,
    lastName: client.lastName as string,
    birthDate,
    email: client.email as string,
    phone,
    note,
    qualificationTitle,
    consultationIds,
  };
}

/** Every text-like column of every table in the schema that contains the value (case-insensitive). */
async function whereStored(t: TestApp, value: string): Promise<string[]> {
  const { rows: columns } = await t.db.query<{ table: string; column: string }>(
    `SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'date')`,
  );
  const found: string[] = [];
  for (const { table, column } of columns) {
    const { rows } = await t.db.query<{ hits: number }>(
      `SELECT count(*)::int AS hits FROM "${table}" WHERE "${column}"::text ILIKE '%' || $1 || '%'`,
      [value],
    );
    if (rows[0].hits > 0) {
      found.push(`${table}.${column}`);
    }
  }
  return found;
}

/** What reports count: the statistical profile and the consultations, without identities. */
async function reportFigures(t: TestApp, officeId: string): Promise<unknown> {
  const { rows } = await t.db.query(
    `SELECT c.gender, c.birth_year, c.nationalities, c.residence_status, count(DISTINCT c.id)::int AS clients,
            count(k.id)::int AS consultations, count(k.id) FILTER (WHERE k.kind = 'ERSTBERATUNG')::int AS first
       FROM clients c LEFT JOIN consultations k ON k.client_id = c.id
      WHERE c.office_id = $1
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2`,
    [officeId],
  );
  return rows;
}

describe('data-subject rights', () => {
  let t: TestApp;
  let adviser: TestAdviser;
  let stranger: TestAdviser;

  beforeAll(async () => {
    t = await createTestApp();
    adviser = await createAdviser(t);
    stranger = await createAdviser(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('access log: every read and write of the client, newest first, paginated', async () => {
    const client = await registerClient(t, adviser.token);
    await call(t, adviser.token, 'get', `${CLIENTS}/${client.id}`);
    const response = await call(t, adviser.token, 'get', `${CLIENTS}/${client.id}/access-log?limit=2`);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body.items.map((item: { action: string }) => item.action)).toEqual([
      'client.access-log.read',
      'client.read',
    ]);
    expect(response.body.items[0]).toMatchObject({
      actorId: adviser.userId,
      role: 'ADVISER',
      clientId: client.id,
    });
    const all = await pages(t, adviser.token, `${CLIENTS}/${client.id}/access-log?limit=2`);
    expect(all.flat()).toHaveLength(4);
    expectProblem(
      await call(t, stranger.token, 'get', `${CLIENTS}/${client.id}/access-log`),
      404,
      'not-found',
    );
  });

  it('export: one complete JSON document incl. notes and the access log', async () => {
    const seeded = await seedClient(t, adviser);
    const response = await call(t, adviser.token, 'get', `${CLIENTS}/${seeded.id}/export`);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="client-${seeded.id}.json"`);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toMatchObject({
      format: 'anker.client-export.v1',
      client: { id: seeded.id, firstName: seeded.firstName, birthDate: seeded.birthDate },
    });
    const records = response.body.records as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(records)).toEqual(
      expect.arrayContaining(['consents', 'consultations', 'qualifications']),
    );
    expect(records.qualifications).toEqual([
      expect.objectContaining({ titleOriginal: seeded.qualificationTitle }),
    ]);
    expect(records.consents).toEqual([expect.objectContaining({ purpose: 'BERATUNG' })]);
    expect(records.consultations.map((consultation) => consultation.notes)).toEqual(
      expect.arrayContaining([seeded.note]),
    );
    const actions = (response.body.accessLog as { action: string }[]).map((event) => event.action);
    expect(actions[0]).toBe('client.create');
    expect(actions[actions.length - 1]).toBe('client.export');
    expectProblem(await call(t, stranger.token, 'get', `${CLIENTS}/${seeded.id}/export`), 404, 'not-found');
  });

  it('timeline: consultations, consents and qualifications in date order, without notes', async () => {
    const seeded = await seedClient(t, adviser);
    const response = await call(t, adviser.token, 'get', `${CLIENTS}/${seeded.id}/timeline`);
    expect(response.status).toBe(200);
    const entries = response.body.items as { date: string; type: string; details: unknown }[];
    const dates = entries.map((entry) => entry.date);
    expect(dates).toEqual([...dates].sort());
    expect(entries.map((entry) => entry.type)).toEqual(
      expect.arrayContaining(['consultation', 'consent.given', 'qualification.added']),
    );
    expect(entries.filter((entry) => entry.type === 'consultation')).toHaveLength(2);
    expect(JSON.stringify(response.body)).not.toContain('Traumatherapie');
    const paged = await pages(t, adviser.token, `${CLIENTS}/${seeded.id}/timeline?limit=1`);
    expect(paged.flat()).toHaveLength(entries.length);
    const march = await call(t, adviser.token, 'get', `${CLIENTS}/${seeded.id}/timeline?from=2026-04-01`);
    expect(march.body.items.map((entry: { date: string }) => entry.date)).not.toContain('2026-03-01');
  });

  describe('erasure', () => {
    it('needs the current version, removes identity, contact data and free texts everywhere, keeps report figures', async () => {
      const seeded = await seedClient(t, adviser);
      // A kept idempotent reply would be a copy of the identity: it must go too.
      const keyed = await call(
        t,
        adviser.token,
        'post',
        `${CLIENTS}/${seeded.id}/consultations`,
        {
          heldOn: '2026-05-02',
          durationMinutes: 30,
          channel: 'TELEFON',
          topics: ['UNTERLAGEN'],
          notes: `Rückruf ${seeded.id}`,
        },
        { 'idempotency-key': `erase-${seeded.id}` },
      );
      expect(keyed.status).toBe(201);
      const figuresBefore = await reportFigures(t, adviser.officeId);
      for (const value of [seeded.firstName, seeded.lastName, seeded.email, seeded.note]) {
        expect(await whereStored(t, value)).not.toEqual([]);
      }
      expect((await whereStored(t, `Rückruf ${seeded.id}`)).sort()).toEqual([
        'consultations.notes',
        'idempotency_keys.response_body',
      ]);

      expectProblem(
        await call(t, adviser.token, 'post', `${CLIENTS}/${seeded.id}/erasure`),
        428,
        'precondition-required',
      );
      expectProblem(
        await call(t, stranger.token, 'post', `${CLIENTS}/${seeded.id}/erasure`, undefined, {
          'if-match': '"1"',
        }),
        404,
        'not-found',
      );
      const current = await call(t, adviser.token, 'get', `${CLIENTS}/${seeded.id}`);
      const response = await call(t, adviser.token, 'post', `${CLIENTS}/${seeded.id}/erasure`, undefined, {
        'if-match': current.headers.etag,
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        clientId: seeded.id,
        identityErased: expect.arrayContaining(['firstName', 'lastName', 'birthDate', 'email', 'phone']),
        dataRecipients: [],
      });
      expect(response.body.parts).toEqual(
        expect.arrayContaining([
          { name: 'consultations', rowsErased: 3 },
          { name: 'qualifications', rowsErased: 1 },
        ]),
      );

      for (const value of [
        seeded.firstName,
        seeded.lastName,
        seeded.email,
        seeded.phone,
        seeded.birthDate,
        seeded.note,
        `Rückruf ${seeded.id}`,
        seeded.qualificationTitle,
        `Master Pflegewissenschaft ${seeded.id}`,
      ]) {
        expect({ value, storedIn: await whereStored(t, value) }).toEqual({ value, storedIn: [] });
      }
      expect(await reportFigures(t, adviser.officeId)).toEqual(figuresBefore);

      const read = await call(t, adviser.token, 'get', `${CLIENTS}/${seeded.id}`);
      expect(read.body).toMatchObject({
        firstName: null,
        lastName: null,
        birthDate: null,
        email: null,
        birthYear: Number(seeded.birthDate.slice(0, 4)),
        erasedAt: response.body.erasedAt,
      });
      expectProblem(
        await call(
          t,
          adviser.token,
          'patch',
          `${CLIENTS}/${seeded.id}`,
          { city: 'Köln' },
          { 'if-match': read.headers.etag },
        ),
        409,
        'client-erased',
      );
      expectProblem(
        await call(t, adviser.token, 'post', `${CLIENTS}/${seeded.id}/erasure`, undefined, {
          'if-match': read.headers.etag,
        }),
        409,
        'client-erased',
      );
      const listed = await call(t, adviser.token, 'get', `${CLIENTS}?erased=true`);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(seeded.id);
    });
  });

  it('no seeded name, birth date, contact data or note appears in the application log', async () => {
    const seeded = await seedClient(t, adviser);
    await call(t, adviser.token, 'post', `${CLIENTS}/search`, {
      name: `${seeded.firstName} ${seeded.lastName}`,
    });
    await call(t, adviser.token, 'get', `${CLIENTS}/${seeded.id}/export`);
    const log = t.logLines().join('\n');
    expect(log).toContain('request completed');
    for (const value of [
      seeded.firstName,
      seeded.lastName,
      seeded.birthDate,
      seeded.email,
      seeded.phone,
      'Traumatherapie',
    ]) {
      expect(log).not.toContain(value);
    }
  });
});
