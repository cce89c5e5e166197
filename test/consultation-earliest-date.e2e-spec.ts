import { createAdviser, registerClient } from './support/clients';
import { call, pointersOf } from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

/** CONSULTATION_EARLIEST_DATE is configuration: an office that started later refuses earlier dates. */
describe('CONSULTATION_EARLIEST_DATE', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CONSULTATION_EARLIEST_DATE: '2012-01-01' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses a consultation before the configured day and accepts that day', async () => {
    const adviser = await createAdviser(t);
    const client = await registerClient(t, adviser.token);
    const path = `/api/v1/clients/${client.id}/consultations`;
    const body = { durationMinutes: 45, channel: 'TELEFON', topics: ['ANERKENNUNG_INFO'] };
    const refused = await call(t, adviser.token, 'post', path, { ...body, heldOn: '2011-12-31' });
    expect(pointersOf(refused)).toEqual(['#/heldOn']);
    expect(refused.body.errors[0].detail).toBe(
      'must not be before 2012-01-01, when the counselling programme began',
    );
    expect((await call(t, adviser.token, 'post', path, { ...body, heldOn: '2012-01-01' })).status).toBe(201);
  });

  it('refuses a configured day that is no calendar date at start-up', async () => {
    await expect(createTestApp({ env: { CONSULTATION_EARLIEST_DATE: '2012-02-30' } })).rejects.toThrow(
      /CONSULTATION_EARLIEST_DATE/,
    );
  });
});
