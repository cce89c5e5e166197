import { randomBytes } from 'node:crypto';
import { createOffice, createUser, tokenFor } from './auth';
import { call } from './org-fixtures';
import type { TestApp } from './test-app';

export interface TestAdviser {
  token: string;
  userId: string;
  officeId: string;
  networkId: string;
}

/** An adviser (signed in through the token endpoint) of a new office, or of the given one. */
export async function createAdviser(
  t: TestApp,
  office?: { officeId: string; networkId: string },
): Promise<TestAdviser> {
  const scope = office ?? (await createOffice(t));
  const user = await createUser(t, { role: 'ADVISER', officeId: scope.officeId });
  return { token: await tokenFor(t, user), userId: user.id, ...scope };
}

/** A random word of capitalised letters: names that no search or duplicate check confuses. */
export function randomName(length = 9): string {
  const letters = [...randomBytes(length)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('');
  return letters[0].toUpperCase() + letters.slice(1);
}

/** A unique, complete client body (random names, so tests never see each other's clients as duplicates). */
export function clientBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const suffix = randomBytes(3).toString('hex');
  return {
    firstName: randomName(),
    lastName: randomName(11),
    birthDate: '1991-04-17',
    email: `amina.${suffix}@example.org`,
    phone: '+49 30 1234567',
    postalCode: '10115',
    city: 'Berlin',
    gender: 'W',
    countryOfBirth: 'SY',
    nationalities: ['SY'],
    residenceBundesland: 'DE-BE',
    arrivalYear: 2019,
    residenceStatus: 'AE_16D',
    germanLevel: 'B1',
    iscedLevel: 6,
    employmentStatus: 'ARBEITSLOS',
    benefits: ['SGB_II'],
    accessRoute: 'JOBCENTER',
    ...overrides,
  };
}

/** Registers a client through the API (duplicates allowed) and answers the response body. */
export async function registerClient(
  t: TestApp,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; version: number } & Record<string, unknown>> {
  const response = await call(t, token, 'post', '/api/v1/clients?allowDuplicate=true', clientBody(overrides));
  if (response.status !== 201) {
    throw new Error(`Registering a client failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body as { id: string; version: number } & Record<string, unknown>;
}
