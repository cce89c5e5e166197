import { randomBytes, randomUUID } from 'node:crypto';
import { Faker, de, en } from '@faker-js/faker';
import type { VerifyContext } from '../check';
import type { ApiClient } from './http';

/**
 * API-driven set-up on a running app, as an organisation would do it: the bootstrap administrator
 * (ADMIN_EMAIL/ADMIN_PASSWORD) creates networks, offices, users of every role and partners with API
 * clients; each person sets their own password (an administrator's is one-time), and the advisers and
 * coordinators then create some objects in their office or network. Everything goes through the
 * public HTTP API, so the set-up itself exercises it. Every personal value and secret is registered
 * with `context.sensitive` for the log-hygiene check.
 */

export type Role = 'ADMIN' | 'COORDINATOR' | 'ADVISER' | 'PARTNER';

/** Someone (a person or a partner system) holding a valid access token. */
export interface Principal {
  /** e.g. "ADVISER office 0", "PARTNER 1". */
  label: string;
  role: Role;
  token: string;
  userId?: string;
  email?: string;
  password?: string;
  officeId?: string;
  networkId?: string;
  partnerId?: string;
}

export interface OfficeObjects {
  officeId: string;
  networkId: string;
  adviser: Principal;
  /** Another adviser of the office who never signs in: the object of `/users/{id}` routes (changes to it harm no principal). */
  spareUserId: string;
  /** Clients of the office (the first has every object below). */
  clientIds: string[];
  consentId: string;
  /** A referral of the office's first client to partner 0 (when the API has referrals). */
  referralId?: string;
  consultationId: string;
  qualificationId: string;
  recognitionCaseId: string;
  enrolmentId: string;
}

export interface NetworkObjects {
  networkId: string;
  coordinator: Principal;
  offerId: string;
}

export interface PartnerObjects {
  partnerId: string;
  /** The API client's record id (the `{clientId}` of `/partners/{id}/api-clients/{clientId}`). */
  apiClientId: string;
  /** A second API client of the partner, the object of `/api-clients/{clientId}` routes (revoking it harms no principal). */
  spareApiClientId: string;
  principal: Principal;
  /** When the API has referrals and webhooks: a referral from office 0 addressed to this partner, */
  referralId?: string;
  /** the partner's webhook subscription, */
  webhookId?: string;
  /** and one of its deliveries (if one was queued in time). */
  deliveryId?: string;
}

export interface Fixtures {
  admin: Principal;
  /** Network 0 has offices 0 and 1; network 1 has office 2. */
  networks: NetworkObjects[];
  offices: OfficeObjects[];
  /** Partner systems (JOBCENTER) with an API client each. */
  partners: PartnerObjects[];
  authorityPartnerId: string;
  providerPartnerId: string;
  /** Every principal: the admin, each coordinator, each adviser, each partner client. */
  principals: Principal[];
  /** Personal values the set-up sent (names, birth dates, notes), for leak checks of responses. */
  personalValues: string[];
}

export interface FixtureOptions {
  admin: { email: string; password: string };
  /** Varies names and values; the same seed gives the same data. */
  seed: number;
  /** Clients per office (at least 1; default 3). */
  clientsPerOffice?: number;
  /** Prefix of every name, so that several fixture sets can live in one database. */
  tag?: string;
  /** Progress lines. */
  log?: (message: string) => void;
}

/** "Today" as the service sees it: the calendar date in Europe/Berlin. */
export function berlinToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
}

export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

function secret(): string {
  return `Pw-${randomBytes(15).toString('base64url')}`;
}

/** A password sign-in through the token endpoint. */
export async function passwordToken(api: ApiClient, email: string, password: string): Promise<string> {
  const body = await api.expect(200, 'POST', '/api/v1/auth/token', {
    body: { grant_type: 'password', username: email, password },
  });
  return body.access_token as string;
}

/** A client-credentials token of a partner system. */
export async function clientToken(api: ApiClient, clientId: string, clientSecret: string): Promise<string> {
  const body = await api.expect(200, 'POST', '/api/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
  });
  return body.access_token as string;
}

export async function createFixtures(
  api: ApiClient,
  context: Pick<VerifyContext, 'sensitive'>,
  options: FixtureOptions,
): Promise<Fixtures> {
  const faker = new Faker({ locale: [de, en] });
  faker.seed(options.seed);
  const tag = options.tag ?? randomBytes(3).toString('hex');
  const log = options.log ?? (() => undefined);
  const today = berlinToday();
  const personalValues: string[] = [];
  const personal = (...values: string[]): void => {
    personalValues.push(...values);
    context.sensitive(...values);
  };

  const adminToken = await passwordToken(api, options.admin.email, options.admin.password);
  context.sensitive(adminToken);
  const admin: Principal = { label: 'ADMIN', role: 'ADMIN', token: adminToken, ...options.admin };
  const asAdmin = (method: string, path: string, body?: unknown) =>
    api.expect(method === 'POST' ? 201 : 200, method, path, {
      token: adminToken,
      body,
      idempotencyKey: method === 'POST' ? randomUUID() : undefined,
    });

  /** A user created by the administrator, who then signs in and sets their own password. */
  const person = async (
    label: string,
    role: 'ADMIN' | 'COORDINATOR' | 'ADVISER',
    scope: { officeId?: string; networkId?: string },
  ): Promise<Principal> => {
    const email = `${role.toLowerCase()}-${tag}-${randomBytes(3).toString('hex')}@verify.example.org`;
    const oneTime = secret();
    const own = secret();
    const displayName = `${faker.person.firstName()} ${faker.person.lastName()}`;
    context.sensitive(oneTime, own);
    const user = await asAdmin('POST', '/api/v1/users', {
      email,
      displayName,
      role,
      password: oneTime,
      ...scope,
    });
    const token = await passwordToken(api, email, oneTime);
    context.sensitive(token);
    await api.expect(204, 'POST', '/api/v1/auth/password', {
      token,
      body: { currentPassword: oneTime, newPassword: own },
    });
    return { label, role, token, userId: user.id as string, email, password: own, ...scope };
  };

  log(`fixtures ${tag}: networks, offices, partners`);
  const networkIds: string[] = [];
  for (const [index, land] of ['DE-BE', 'DE-HH'].entries()) {
    const network = await asAdmin('POST', '/api/v1/networks', {
      name: `IQ Netzwerk ${tag} ${index}`,
      bundeslaender: [land],
    });
    networkIds.push(network.id as string);
  }
  const officeNetworks = [0, 0, 1];
  const officeIds: string[] = [];
  for (const [index, networkIndex] of officeNetworks.entries()) {
    const office = await asAdmin('POST', '/api/v1/offices', {
      networkId: networkIds[networkIndex],
      name: `Beratungsstelle ${tag} ${index}`,
      bundesland: networkIndex === 0 ? 'DE-BE' : 'DE-HH',
    });
    officeIds.push(office.id as string);
  }
  const authority = await asAdmin('POST', '/api/v1/partners', {
    name: `Landesamt ${tag}`,
    type: 'ANERKENNUNGSSTELLE',
    bundesland: 'DE-BE',
  });
  const provider = await asAdmin('POST', '/api/v1/partners', {
    name: `Bildungsträger ${tag}`,
    type: 'BILDUNGSTRAEGER',
    bundesland: 'DE-BE',
  });
  const partners: PartnerObjects[] = [];
  for (const index of [0, 1]) {
    const partner = await asAdmin('POST', '/api/v1/partners', {
      name: `Jobcenter ${tag} ${index}`,
      type: 'JOBCENTER',
      bundesland: 'DE-BE',
    });
    const created = await asAdmin('POST', `/api/v1/partners/${partner.id}/api-clients`, {
      name: `Fachverfahren ${tag} ${index}`,
    });
    const credentials = apiClientCredentials(created);
    context.sensitive(credentials.clientSecret);
    const token = await clientToken(api, credentials.clientId, credentials.clientSecret);
    context.sensitive(token);
    const spare = apiClientCredentials(
      await asAdmin('POST', `/api/v1/partners/${partner.id}/api-clients`, { name: `Ersatz ${tag} ${index}` }),
    );
    context.sensitive(spare.clientSecret);
    partners.push({
      partnerId: partner.id as string,
      apiClientId: credentials.id,
      spareApiClientId: spare.id,
      principal: { label: `PARTNER ${index}`, role: 'PARTNER', token, partnerId: partner.id as string },
    });
  }

  log(`fixtures ${tag}: users of every role`);
  const networks: NetworkObjects[] = [];
  for (const [index, networkId] of networkIds.entries()) {
    const coordinator = await person(`COORDINATOR network ${index}`, 'COORDINATOR', { networkId });
    const offer = await api.expect(201, 'POST', '/api/v1/qualification-offers', {
      token: coordinator.token,
      idempotencyKey: randomUUID(),
      body: {
        title: `Anpassungslehrgang Pflege ${tag} ${index}`,
        type: 'ANPASSUNGSLEHRGANG',
        providerPartnerId: provider.id,
        referenceOccupations: ['81302'],
        format: 'KURS',
        delivery: 'HYBRID',
        capacity: 12,
        startsOn: addDays(today, 30),
        endsOn: addDays(today, 210),
        bundesland: index === 0 ? 'DE-BE' : 'DE-HH',
      },
    });
    networks.push({ networkId, coordinator, offerId: offer.id as string });
  }

  const offices: OfficeObjects[] = [];
  for (const [index, officeId] of officeIds.entries()) {
    log(`fixtures ${tag}: clients and their records in office ${index}`);
    const networkIndex = officeNetworks[index];
    const adviser = await person(`ADVISER office ${index}`, 'ADVISER', { officeId });
    const sparePassword = secret();
    context.sensitive(sparePassword);
    const spareUser = await asAdmin('POST', '/api/v1/users', {
      email: `spare-${tag}-${index}-${randomBytes(3).toString('hex')}@verify.example.org`,
      displayName: `${faker.person.firstName()} ${faker.person.lastName()}`,
      role: 'ADVISER',
      officeId,
      password: sparePassword,
    });
    const asAdviser = (method: string, path: string, body?: unknown) =>
      api.expect(method === 'POST' ? 201 : 200, method, path, {
        token: adviser.token,
        body,
        idempotencyKey: method === 'POST' ? randomUUID() : undefined,
      });
    const clientIds: string[] = [];
    for (let n = 0; n < Math.max(1, options.clientsPerOffice ?? 3); n += 1) {
      const sex = faker.person.sexType();
      const firstName = faker.person.firstName(sex);
      // A double name keeps each one distinctive enough to be searched for in the logs.
      const lastName = `${faker.person.lastName()}-${faker.person.lastName()}`;
      const birthDate = faker.date.birthdate({ min: 19, max: 64, mode: 'age' }).toISOString().slice(0, 10);
      const email = `${faker.internet.username({ firstName, lastName }).toLowerCase()}.${tag}@example.org`;
      personal(lastName, `${firstName} ${lastName}`, birthDate, email);
      const client = await asAdviser('POST', '/api/v1/clients?allowDuplicate=true', {
        firstName,
        lastName,
        gender: sex === 'female' ? 'W' : 'M',
        birthDate,
        email,
        nationalities: [faker.helpers.arrayElement(['UA', 'SY', 'TR', 'AF', 'IR', 'RO'])],
        residenceBundesland: networkIndex === 0 ? 'DE-BE' : 'DE-HH',
        germanLevel: faker.helpers.arrayElement(['A2', 'B1', 'B2', 'C1']),
        arrivalYear: faker.number.int({ min: 2012, max: 2025 }),
      });
      clientIds.push(client.id as string);
    }
    const clientId = clientIds[0];
    const consent = await asAdviser('POST', `/api/v1/clients/${clientId}/consents`, {
      purpose: 'BERATUNG',
      givenOn: today,
      method: 'SCHRIFTLICH',
    });
    const note = `Beratungsnotiz ${tag}-${index}: ${faker.lorem.sentence(8)}`;
    personal(note);
    const consultation = await asAdviser('POST', `/api/v1/clients/${clientId}/consultations`, {
      heldOn: today,
      durationMinutes: 60,
      channel: 'PERSOENLICH',
      topics: ['ANERKENNUNG_INFO', 'REFERENZBERUF'],
      notes: note,
    });
    const title = `Bachelor ${faker.lorem.word()} ${tag}-${index}`;
    personal(title);
    const qualification = await asAdviser('POST', `/api/v1/clients/${clientId}/qualifications`, {
      kind: 'HOCHSCHULABSCHLUSS',
      titleOriginal: title,
      country: 'UA',
      yearAwarded: 2015,
    });
    const caseNote = `Fallnotiz ${tag}-${index}: ${faker.lorem.sentence(6)}`;
    personal(caseNote);
    const recognitionCase = await asAdviser('POST', '/api/v1/recognition-cases', {
      clientId,
      kldb: '81302',
      legalBasis: 'PFLBG',
      procedureKind: 'BERUFSZULASSUNG',
      qualificationId: qualification.id,
      authorityPartnerId: authority.id,
      notes: caseNote,
    });
    const enrolmentNote = `Anmeldung ${tag}-${index}: ${faker.lorem.sentence(5)}`;
    personal(enrolmentNote);
    const enrolment = await asAdviser('POST', '/api/v1/enrolments', {
      clientId,
      offerId: networks[networkIndex].offerId,
      recognitionCaseId: recognitionCase.id,
      notes: enrolmentNote,
    });
    offices.push({
      officeId,
      networkId: networkIds[networkIndex],
      adviser,
      spareUserId: spareUser.id as string,
      clientIds,
      consentId: consent.id as string,
      consultationId: consultation.id as string,
      qualificationId: qualification.id as string,
      recognitionCaseId: recognitionCase.id as string,
      enrolmentId: enrolment.id as string,
    });
  }

  const paths = ((await api.expect(200, 'GET', '/openapi.json')) as { paths: Record<string, unknown> }).paths;
  if ('/api/v1/partner/webhooks' in paths) {
    log(`fixtures ${tag}: partners' webhook subscriptions`);
    for (const [index, partner] of partners.entries()) {
      const subscription = await api.expect(201, 'POST', '/api/v1/partner/webhooks', {
        token: partner.principal.token,
        body: {
          url: `https://hooks.partner-${index}.example.org/anker/${tag}`,
          events: ['referral.created'],
        },
      });
      partner.webhookId = subscription.id as string;
      if (typeof subscription.secret === 'string') {
        context.sensitive(subscription.secret);
      }
    }
  }
  if ('/api/v1/referrals' in paths) {
    log(`fixtures ${tag}: referrals (with the clients' consent) to each partner`);
    for (const [index, office] of offices.entries()) {
      const clientId = office.clientIds[0];
      for (const partner of partners) {
        await api.expect(201, 'POST', `/api/v1/clients/${clientId}/consents`, {
          token: office.adviser.token,
          idempotencyKey: randomUUID(),
          body: {
            purpose: 'WEITERGABE_PARTNER',
            partnerId: partner.partnerId,
            dataCategories: ['STAMMDATEN'],
            givenOn: today,
            method: 'SCHRIFTLICH',
          },
        });
        const message = `Weiterleitung ${tag}-${index}: ${faker.lorem.sentence(5)}`;
        personal(message);
        const referral = await api.expect(201, 'POST', '/api/v1/referrals', {
          token: office.adviser.token,
          idempotencyKey: randomUUID(),
          body: {
            clientId,
            partnerId: partner.partnerId,
            reason: 'ANERKENNUNG_INFO',
            dataCategories: ['STAMMDATEN'],
            message,
          },
        });
        if (partner === partners[0]) {
          office.referralId = referral.id as string;
        }
        if (index === 0) {
          partner.referralId = referral.id as string;
        }
      }
    }
    for (const partner of partners.filter((candidate) => candidate.webhookId !== undefined)) {
      // The event is queued by the referral's transaction and becomes a delivery shortly after.
      for (let attempt = 0; attempt < 20 && partner.deliveryId === undefined; attempt += 1) {
        const deliveries = await api.expect(
          200,
          'GET',
          `/api/v1/partner/webhooks/${partner.webhookId}/deliveries`,
          {
            token: partner.principal.token,
          },
        );
        partner.deliveryId = (deliveries.items as { id: string }[])[0]?.id;
        if (partner.deliveryId === undefined) {
          await new Promise((wake) => setTimeout(wake, 500));
        }
      }
    }
  }

  const principals = [
    admin,
    ...networks.map((network) => network.coordinator),
    ...offices.map((office) => office.adviser),
    ...partners.map((partner) => partner.principal),
  ];
  log(`fixtures ${tag}: ${principals.length} principals, ${offices.length} offices ready`);
  return {
    admin,
    networks,
    offices,
    partners,
    authorityPartnerId: authority.id as string,
    providerPartnerId: provider.id as string,
    principals,
    personalValues,
  };
}

/** The credentials in a `POST /partners/{id}/api-clients` answer (shown once). */
function apiClientCredentials(created: { id?: string; clientId?: string; clientSecret?: string }): {
  id: string;
  clientId: string;
  clientSecret: string;
} {
  const { id, clientId, clientSecret } = created;
  if (!id || !clientId || !clientSecret) {
    throw new Error(`unexpected api-client answer: keys ${Object.keys(created).join(', ')}`);
  }
  return { id, clientId, clientSecret };
}
