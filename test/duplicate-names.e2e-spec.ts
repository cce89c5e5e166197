import type { QueryRunner } from 'typeorm';
import { RekeyClientNames1795352417302 } from '../migrations/1795352417302-RekeyClientNames';
import { nameKey } from '../src/clients/name-key';
import { DISTINCT_PEOPLE } from './fixtures/distinct-people';
import { clientBody, createAdviser, registerClient } from './support/clients';
import { call, expectProblem } from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { similarity } from './support/trigram';

const CLIENTS = '/api/v1/clients';

/**
 * Duplicate warnings through the API, against PostgreSQL's pg_trgm: the transliteration variants of
 * issue 17 are found, and among 200 distinct people sharing one birth date at most 2 are flagged.
 */
describe('duplicate warnings for name variants', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it("the unit tests' trigram similarity is PostgreSQL's similarity()", async () => {
    const keys = DISTINCT_PEOPLE.map(([firstName, lastName]) => nameKey(firstName, lastName));
    const left = keys.flatMap((key) => keys.slice(0, 12).map(() => key));
    const right = keys.flatMap(() => keys.slice(0, 12));
    const { rows } = await t.db.query<{ similarity: number }>(
      'SELECT similarity(l, r)::float8 AS similarity FROM unnest($1::text[], $2::text[]) AS p(l, r)',
      [left, right],
    );
    expect(rows).toHaveLength(left.length);
    rows.forEach((row, index) => {
      expect(row.similarity).toBeCloseTo(similarity(left[index], right[index]), 5);
    });
  });

  const VARIANTS = [
    [
      ['Mohammed', 'Al-Hassan'],
      ['Muhammad', 'Al-Hassan'],
    ],
    [
      ['Ahmad', 'Al Khatib'],
      ['Ahmed', 'Alkhatib'],
    ],
    [
      ['Yusuf', 'Abdallah'],
      ['Youssef', 'Abdullah'],
    ],
    [
      ['Олена', 'Шевченко'],
      ['Olena', 'Schewtschenko'],
    ],
    [
      ['Юлія', 'Ковальчук'],
      ['Yuliia', 'Kovalchuk'],
    ],
    [
      ['Jurij', 'Kusnezow'],
      ['Yuriy', 'Kuznetsov'],
    ],
    [
      ['Sergej', 'Schmidt'],
      ['Sergey', 'Shmidt'],
    ],
  ] as const;

  it.each(VARIANTS)('%j then %j with the same birth date → 409 duplicate-client', async (first, second) => {
    const office = await createAdviser(t);
    const existing = await registerClient(t, office.token, {
      firstName: first[0],
      lastName: first[1],
      birthDate: '1988-03-12',
    });
    const response = await call(
      t,
      office.token,
      'post',
      CLIENTS,
      clientBody({ firstName: second[0], lastName: second[1], birthDate: '1988-03-12' }),
    );
    expectProblem(response, 409, 'duplicate-client');
    expect(response.body.candidateIds).toEqual([existing.id]);
  });

  it.each(VARIANTS)('%j then %j with another birth date → no warning', async (first, second) => {
    const office = await createAdviser(t);
    await registerClient(t, office.token, {
      firstName: first[0],
      lastName: first[1],
      birthDate: '1988-03-12',
    });
    const response = await call(
      t,
      office.token,
      'post',
      CLIENTS,
      clientBody({ firstName: second[0], lastName: second[1], birthDate: '1988-03-13' }),
    );
    expect(response.status).toBe(201);
  });

  it('warns about at most 2 of 200 distinct people registered with one birth date', async () => {
    const office = await createAdviser(t);
    const warned: string[] = [];
    // 1 January: the date many documents give when the real birth date is not known.
    for (const [firstName, lastName] of DISTINCT_PEOPLE) {
      const body = clientBody({ firstName, lastName, birthDate: '1990-01-01' });
      const response = await call(t, office.token, 'post', CLIENTS, body);
      if (response.status === 409) {
        warned.push(`${firstName} ${lastName}`);
        const anyway = await call(t, office.token, 'post', `${CLIENTS}?allowDuplicate=true`, body);
        expect(anyway.status).toBe(201);
      } else {
        expect(response.status).toBe(201);
      }
    }
    // Measured: 2 (Oksana Kovalenko after Olena Kovalenko, Khaled Al-Ahmad after Ahmad Al-Ahmad).
    expect(warned.length).toBeLessThanOrEqual(2);
    const { rows } = await t.db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM clients WHERE office_id = $1',
      [office.officeId],
    );
    expect(rows[0].count).toBe(200);
  });

  it('the migration RekeyClientNames recomputes keys stored by the earlier function', async () => {
    const office = await createAdviser(t);
    const client = await registerClient(t, office.token, { firstName: 'Sergej', lastName: 'Schmidt' });
    // What the earlier function stored for this name.
    await t.db.query(`UPDATE clients SET name_key = 'schmidt sergej' WHERE id = $1`, [client.id]);
    const runner = {
      query: async (sql: string, values?: unknown[]): Promise<unknown[]> =>
        (await t.db.query(sql, values)).rows as unknown[],
    } as unknown as QueryRunner;
    await new RekeyClientNames1795352417302().up(runner);
    const { rows } = await t.db.query<{ key: string }>('SELECT name_key AS key FROM clients WHERE id = $1', [
      client.id,
    ]);
    expect(rows[0].key).toBe(nameKey('Sergey', 'Shmidt'));
  });
});
