import type { Response } from 'supertest';
import { createOffice, createUser, tokenFor } from './auth';
import { call } from './org-fixtures';
import type { TestApp } from './test-app';

export const OFFERS = '/api/v1/qualification-offers';
export const ENROLMENTS = '/api/v1/enrolments';

/** Reference occupations of the curated list. */
export const NURSING = '81302';
export const MECHATRONICS = '26112';

export interface TestCoordinator {
  token: string;
  userId: string;
  networkId: string;
  officeId: string;
}

/** A coordinator of a new network (with one office, for advisers of the same network). */
export async function createCoordinator(t: TestApp): Promise<TestCoordinator> {
  const scope = await createOffice(t);
  const user = await createUser(t, { role: 'COORDINATOR', networkId: scope.networkId });
  return { token: await tokenFor(t, user), userId: user.id, ...scope };
}

export async function provider(t: TestApp, name = 'Bildungswerk Nord gGmbH'): Promise<string> {
  const { rows } = await t.db.query<{ id: string }>(
    `INSERT INTO partners (name, type, bundesland) VALUES ($1, 'BILDUNGSTRAEGER', 'DE-BE') RETURNING id`,
    [name],
  );
  return rows[0].id;
}

export interface OfferBody {
  id: string;
  version: number;
  capacity: number;
  seatsTaken: number;
  seatsFree: number;
  waitlisted: number;
  [member: string]: unknown;
}

export interface EnrolmentBody {
  id: string;
  version: number;
  status: string;
  waitlistPosition: number | null;
  [member: string]: unknown;
}

export function offerBody(
  providerId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    title: 'Anpassungslehrgang Pflege',
    type: 'ANPASSUNGSLEHRGANG',
    providerPartnerId: providerId,
    referenceOccupations: [NURSING],
    format: 'KURS',
    delivery: 'HYBRID',
    capacity: 10,
    startsOn: '2026-07-01',
    endsOn: '2026-12-18',
    iqFunded: true,
    bundesland: 'DE-BE',
    city: 'Berlin',
    ...overrides,
  };
}

export async function createOffer(
  t: TestApp,
  coordinator: TestCoordinator,
  providerId: string,
  overrides: Record<string, unknown> = {},
): Promise<OfferBody> {
  const response = await call(t, coordinator.token, 'post', OFFERS, offerBody(providerId, overrides));
  if (response.status !== 201) {
    throw new Error(`Creating an offer failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body as OfferBody;
}

export function enrol(
  t: TestApp,
  token: string,
  clientId: string,
  offerId: string,
  extra: Record<string, unknown> = {},
): Promise<Response> {
  return call(t, token, 'post', ENROLMENTS, { clientId, offerId, ...extra });
}

export function transition(
  t: TestApp,
  token: string,
  current: { id: string; version: number },
  body: object,
): Promise<Response> {
  return call(t, token, 'post', `${ENROLMENTS}/${current.id}/transitions`, body, {
    'if-match': `"${current.version}"`,
  });
}

/** The offer's counters next to a recount of its enrolments, straight from the database. */
export interface SeatState {
  capacity: number;
  seatsTaken: number;
  waitlisted: number;
  countedSeats: number;
  countedWaiting: number;
}

export async function seatState(t: TestApp, offerId: string): Promise<SeatState> {
  const { rows } = await t.db.query<SeatState>(
    `SELECT o.capacity, o.seats_taken AS "seatsTaken", o.waitlisted,
            (SELECT count(*)::int FROM enrolments e WHERE e.offer_id = o.id AND e.status IN ('ZUGESAGT', 'LAUFEND'))
              AS "countedSeats",
            (SELECT count(*)::int FROM enrolments e WHERE e.offer_id = o.id AND e.status = 'WARTELISTE')
              AS "countedWaiting"
       FROM qualification_offers o WHERE o.id = $1`,
    [offerId],
  );
  return rows[0];
}

/** The waiting list in queue order: enrolment ids. */
export async function queue(t: TestApp, offerId: string): Promise<string[]> {
  const { rows } = await t.db.query<{ id: string }>(
    `SELECT id FROM enrolments WHERE offer_id = $1 AND status = 'WARTELISTE' ORDER BY queued_at, id`,
    [offerId],
  );
  return rows.map((row) => row.id);
}
