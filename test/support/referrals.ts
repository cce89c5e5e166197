import type { Response } from 'supertest';
import { createApiClient, type TestApiClient } from './auth';
import { registerClient, type TestAdviser } from './clients';
import { call } from './org-fixtures';
import type { TestApp } from './test-app';

export const REFERRALS = '/api/v1/referrals';
export const PARTNER_REFERRALS = '/api/v1/partner/referrals';
export const ALL_CATEGORIES = [
  'STAMMDATEN',
  'KONTAKT',
  'QUALIFIKATION',
  'AUFENTHALT',
  'VERFAHREN',
  'BERATUNGSVERLAUF',
];

export interface TestPartner extends TestApiClient {
  token: string;
  type: string;
}

/** A partner of this type with an API client, signed in through the real token endpoint. */
export async function createPartner(t: TestApp, type = 'JOBCENTER'): Promise<TestPartner> {
  const client = await createApiClient(t, type);
  const response = await t.http.post('/api/v1/auth/token').send({
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  if (response.status !== 200) {
    throw new Error(`Partner sign-in failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return { ...client, type, token: response.body.access_token as string };
}

/** Records a WEITERGABE_PARTNER consent through the API; answers its id. */
export async function giveConsent(
  t: TestApp,
  adviser: TestAdviser,
  clientId: string,
  target: { partnerId: string } | { partnerType: string },
  dataCategories: string[] = ALL_CATEGORIES,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const response = await call(t, adviser.token, 'post', `/api/v1/clients/${clientId}/consents`, {
    purpose: 'WEITERGABE_PARTNER',
    ...target,
    dataCategories,
    givenOn: '2026-01-05',
    method: 'SCHRIFTLICH',
    ...extra,
  });
  if (response.status !== 201) {
    throw new Error(`Consent failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body.id as string;
}

/** A client of the adviser's office with a consent for this partner covering `categories`. */
export async function consentedClient(
  t: TestApp,
  adviser: TestAdviser,
  partner: { partnerId: string },
  categories: string[] = ALL_CATEGORIES,
): Promise<{ clientId: string; consentId: string }> {
  const clientId = (await registerClient(t, adviser.token)).id;
  const consentId = await giveConsent(t, adviser, clientId, { partnerId: partner.partnerId }, categories);
  return { clientId, consentId };
}

export function refer(
  t: TestApp,
  adviser: TestAdviser,
  clientId: string,
  partnerId: string,
  extra: Record<string, unknown> = {},
): Promise<Response> {
  return call(t, adviser.token, 'post', REFERRALS, {
    clientId,
    partnerId,
    reason: 'ANERKENNUNG_INFO',
    dataCategories: ['STAMMDATEN'],
    ...extra,
  });
}

/** A referral that must be created; answers its body. */
export async function referred(
  t: TestApp,
  adviser: TestAdviser,
  clientId: string,
  partnerId: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; version: number; status: string } & Record<string, unknown>> {
  const response = await refer(t, adviser, clientId, partnerId, extra);
  if (response.status !== 201) {
    throw new Error(`Referral failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body as { id: string; version: number; status: string } & Record<string, unknown>;
}

/** The partner's sync from `cursor` until `nextCursor` is null; answers the items and the resume cursor. */
export async function syncAll(
  t: TestApp,
  partner: TestPartner,
  cursor: string | null = null,
  limit = 50,
): Promise<{ items: { id: string; version: number; status: string }[]; resumeCursor: string }> {
  const items: { id: string; version: number; status: string }[] = [];
  let next: string | null = cursor;
  let resume = cursor ?? '';
  for (let page = 0; page < 1000; page++) {
    const query: string = `?limit=${limit}${next === null ? '' : `&cursor=${next}`}`;
    const response = await call(t, partner.token, 'get', `${PARTNER_REFERRALS}${query}`);
    if (response.status !== 200) {
      throw new Error(`Sync failed with ${response.status}: ${JSON.stringify(response.body)}`);
    }
    items.push(...(response.body.items as { id: string; version: number; status: string }[]));
    resume = response.body.resumeCursor as string;
    next = response.body.nextCursor as string | null;
    if (next === null) {
      break;
    }
  }
  return { items, resumeCursor: resume };
}
