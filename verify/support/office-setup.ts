import { randomBytes } from 'node:crypto';
import type { VerifyContext } from '../check';
import { SUITE_SECRETS } from './app-process';
import { call, expectStatus } from './http-call';

/**
 * The few objects the fault, shutdown and replica checks write against, made through the public API
 * as an operator would: the bootstrap administrator signs in and creates a network, an office, an
 * education provider, an adviser and a coordinator; both people replace their one-time password.
 */
export interface OfficeSetup {
  adminToken: string;
  networkId: string;
  officeId: string;
  providerId: string;
  adviserToken: string;
  coordinatorToken: string;
}

export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const body = await expectStatus<{ access_token: string }>(
    `sign-in of ${username}`,
    200,
    call(baseUrl, 'POST', '/api/v1/auth/token', { body: { grant_type: 'password', username, password } }),
  );
  return body.access_token;
}

export async function setUpOffice(
  baseUrl: string,
  context: VerifyContext,
  label: string,
): Promise<OfficeSetup> {
  const suffix = `${label}-${randomBytes(3).toString('hex')}`;
  const adminToken = await signIn(baseUrl, SUITE_SECRETS.adminEmail, SUITE_SECRETS.adminPassword);
  context.sensitive(adminToken);
  const post = <T>(what: string, path: string, body: unknown, token = adminToken) =>
    expectStatus<T>(what, 201, call(baseUrl, 'POST', path, { token, body }));

  const network = await post<{ id: string }>('create network', '/api/v1/networks', {
    name: `IQ Netzwerk Verify ${suffix}`,
    bundeslaender: ['DE-BE'],
  });
  const office = await post<{ id: string }>('create office', '/api/v1/offices', {
    networkId: network.id,
    name: `Beratungsstelle Verify ${suffix}`,
    bundesland: 'DE-BE',
  });
  const provider = await post<{ id: string }>('create provider', '/api/v1/partners', {
    name: `Bildungswerk Verify ${suffix}`,
    type: 'BILDUNGSTRAEGER',
    bundesland: 'DE-BE',
  });

  const person = async (role: 'ADVISER' | 'COORDINATOR'): Promise<string> => {
    const email = `${role.toLowerCase()}-${suffix}@verify.example`;
    const oneTime = `Einmal-${randomBytes(9).toString('base64url')}`;
    const own = `Eigenes-${randomBytes(9).toString('base64url')}`;
    context.sensitive(oneTime, own);
    await post('create user', '/api/v1/users', {
      email,
      displayName: `Verify ${role}`,
      role,
      ...(role === 'ADVISER' ? { officeId: office.id } : { networkId: network.id }),
      password: oneTime,
    });
    const first = await signIn(baseUrl, email, oneTime);
    await expectStatus(
      'change own password',
      204,
      call(baseUrl, 'POST', '/api/v1/auth/password', {
        token: first,
        body: { currentPassword: oneTime, newPassword: own },
      }),
    );
    const token = await signIn(baseUrl, email, own);
    context.sensitive(first, token);
    return token;
  };

  return {
    adminToken,
    networkId: network.id,
    officeId: office.id,
    providerId: provider.id,
    adviserToken: await person('ADVISER'),
    coordinatorToken: await person('COORDINATOR'),
  };
}

/**
 * A client body whose last name carries `marker`, so that rows can be matched to requests afterwards.
 * A birth year rather than a birth date: the duplicate check (same birth date, similar name) would
 * otherwise answer 409 for the near-identical names of a load.
 */
export function clientBody(marker: string): Record<string, unknown> {
  return {
    firstName: 'Verify',
    lastName: `Load ${marker}`,
    birthYear: 1990,
    gender: 'W',
    nationalities: ['UA'],
    countryOfBirth: 'UA',
  };
}
