import { createUser, type TestUser } from './auth';
import type { TestApp } from './test-app';

/**
 * A small, hand-computed data set for the reports (test/reports.e2e-spec.ts lists the expected
 * figures): two networks, three offices, six clients with consultations, recognition cases,
 * enrolments and referrals around the period 2026-01-01 … 2026-03-31. Inserted directly (arranging),
 * with personal values the reports must never contain.
 */
export interface ReportFixture {
  networks: { north: string; east: string };
  offices: { kiel: string; luebeck: string; rostock: string };
  adviser: TestUser;
  clients: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6', string>;
  /** Names, birth dates, notes and messages that must appear in no report. */
  secrets: string[];
}

interface ClientInput {
  office: string;
  gender: string;
  residenceStatus: string | null;
  nationalities: string[];
  birthYear: number | null;
  employment: string | null;
  isced: number | null;
  qualificationCountry: string | null;
}

export async function arrangeReportFixture(t: TestApp): Promise<ReportFixture> {
  const db = t.db;
  const secrets: string[] = [];
  const one = async (sql: string, values: unknown[]): Promise<string> =>
    (await db.query<{ id: string }>(sql, values)).rows[0].id;

  const north = await one(
    `INSERT INTO networks (name, bundeslaender) VALUES ('IQ Netzwerk Nord', '{DE-SH}') RETURNING id`,
    [],
  );
  const east = await one(
    `INSERT INTO networks (name, bundeslaender) VALUES ('IQ Netzwerk Ost', '{DE-MV}') RETURNING id`,
    [],
  );
  const office = (network: string, name: string, land: string) =>
    one(`INSERT INTO offices (network_id, name, bundesland) VALUES ($1, $2, $3) RETURNING id`, [
      network,
      name,
      land,
    ]);
  const kiel = await office(north, 'Beratungsstelle Kiel', 'DE-SH');
  const luebeck = await office(north, 'Beratungsstelle Lübeck', 'DE-SH');
  const rostock = await office(east, 'Beratungsstelle Rostock', 'DE-MV');
  const adviser = await createUser(t, { role: 'ADVISER', officeId: kiel });

  let counter = 0;
  const client = async (input: ClientInput): Promise<string> => {
    counter += 1;
    const firstName = `Vorname${counter}Geheim`;
    const lastName = `Nachname${counter}Vertraulich`;
    const birthDate = input.birthYear === null ? null : `${input.birthYear}-04-1${counter % 10}`;
    secrets.push(firstName, lastName, `ratsuchende${counter}@example.org`);
    if (birthDate) {
      secrets.push(birthDate);
    }
    const id = await one(
      `INSERT INTO clients (office_id, first_name, last_name, birth_date, email, gender, birth_year, nationalities,
                            residence_status, employment_status, isced_level)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        input.office,
        firstName,
        lastName,
        birthDate,
        `ratsuchende${counter}@example.org`,
        input.gender,
        input.birthYear,
        input.nationalities,
        input.residenceStatus,
        input.employment,
        input.isced,
      ],
    );
    if (input.qualificationCountry) {
      await db.query(
        `INSERT INTO client_qualifications (client_id, kind, title_original, country) VALUES ($1, 'BERUFSAUSBILDUNG', $2, $3)`,
        [id, `Originaltitel ${counter} geheim`, input.qualificationCountry],
      );
      secrets.push(`Originaltitel ${counter} geheim`);
    }
    return id;
  };

  const c1 = await client({
    office: kiel,
    gender: 'W',
    residenceStatus: 'AE_16D',
    nationalities: ['SY'],
    birthYear: 1990,
    employment: 'ARBEITSLOS',
    isced: 6,
    qualificationCountry: 'SY',
  });
  const c2 = await client({
    office: kiel,
    gender: 'M',
    residenceStatus: 'AE_ERWERB',
    nationalities: ['UA'],
    birthYear: 2000,
    employment: 'LANGZEITARBEITSLOS',
    isced: 3,
    qualificationCountry: 'UA',
  });
  const c3 = await client({
    office: kiel,
    gender: 'D',
    residenceStatus: null,
    nationalities: ['XS'],
    birthYear: null,
    employment: 'ERWERBSTAETIG',
    isced: null,
    qualificationCountry: null,
  });
  const c4 = await client({
    office: kiel,
    gender: 'W',
    residenceStatus: 'AE_16D',
    nationalities: ['PL'],
    birthYear: 1970,
    employment: 'NICHTERWERBSTAETIG',
    isced: 2,
    qualificationCountry: 'PL',
  });
  const c5 = await client({
    office: luebeck,
    gender: 'X',
    residenceStatus: null,
    nationalities: ['TR'],
    birthYear: 2010,
    employment: 'IN_BILDUNG',
    isced: 1,
    qualificationCountry: 'TR',
  });
  const c6 = await client({
    office: rostock,
    gender: 'M',
    residenceStatus: 'AE_ERWERB',
    nationalities: ['IN'],
    birthYear: 1985,
    employment: 'ERWERBSTAETIG',
    isced: 7,
    qualificationCountry: 'IN',
  });

  const consultation = async (
    clientId: string,
    officeId: string,
    heldOn: string,
    kind: string,
    voided = false,
  ) => {
    const note = `Notiz ${heldOn} ${kind} streng vertraulich`;
    secrets.push(note);
    await db.query(
      `INSERT INTO consultations (client_id, office_id, adviser_id, held_on, duration_minutes, channel, kind, notes, voided_at)
       VALUES ($1, $2, $3, $4, 45, 'PERSOENLICH', $5, $6, $7)`,
      [clientId, officeId, adviser.id, heldOn, kind, note, voided ? new Date('2026-02-11T09:00:00Z') : null],
    );
  };
  await consultation(c1, kiel, '2026-01-10', 'ERSTBERATUNG');
  await consultation(c1, kiel, '2026-02-05', 'FOLGEBERATUNG');
  await consultation(c1, kiel, '2026-03-31', 'FOLGEBERATUNG'); // last day of the period: counts
  await consultation(c2, kiel, '2025-12-15', 'ERSTBERATUNG'); // before the period: C2 is no new client
  await consultation(c2, kiel, '2026-01-20', 'FOLGEBERATUNG');
  await consultation(c2, kiel, '2026-01-25', 'FOLGEBERATUNG');
  await consultation(c3, kiel, '2026-02-10', 'FOLGEBERATUNG', true); // voided: never counts
  await consultation(c3, kiel, '2026-04-01', 'ERSTBERATUNG'); // first day after the period
  await consultation(c4, kiel, '2026-03-15', 'ERSTBERATUNG');
  await consultation(c5, luebeck, '2026-02-28', 'ERSTBERATUNG');
  await consultation(c5, luebeck, '2026-03-01', 'FOLGEBERATUNG');
  await consultation(c6, rostock, '2026-01-05', 'ERSTBERATUNG');

  const qualificationOf = async (clientId: string) =>
    (await db.query<{ id: string }>('SELECT id FROM client_qualifications WHERE client_id = $1', [clientId]))
      .rows[0]?.id ?? null;
  const recognitionCase = async (input: {
    clientId: string;
    officeId: string;
    kldb: string;
    regulated: boolean;
    fastTrack: boolean;
    status: string;
    outcome?: string;
    submittedOn: string;
    documentsCompleteOn?: string;
    firstDecidedOn?: string;
    processingDays?: number;
    decisionDueOn?: string;
    linkQualification?: boolean;
    endedOn?: string;
  }) => {
    const note = `Fallnotiz ${input.kldb} ${input.submittedOn} geheim`;
    secrets.push(note);
    const id = await one(
      `INSERT INTO recognition_cases (client_id, office_id, qualification_id, kldb, occupation_title, regulated, legal_basis,
                                      procedure_kind, fast_track, status, outcome, submitted_on, documents_complete_on,
                                      decided_on, first_decided_on, processing_days, decision_due_on, notes)
       VALUES ($1, $2, $3, $4, 'Titel', $5, 'BQFG', 'GLEICHWERTIGKEIT', $6, $7, $8, $9, $10, $11, $11, $12, $13, $14)
       RETURNING id`,
      [
        input.clientId,
        input.officeId,
        input.linkQualification ? await qualificationOf(input.clientId) : null,
        input.kldb,
        input.regulated,
        input.fastTrack,
        input.status,
        input.outcome ?? null,
        input.submittedOn,
        input.documentsCompleteOn ?? null,
        input.firstDecidedOn ?? null,
        input.processingDays ?? null,
        input.decisionDueOn ?? null,
        note,
      ],
    );
    const history = async (to: string, on: string, payload: object) =>
      db.query(
        `INSERT INTO recognition_case_history (case_id, from_status, to_status, occurred_on, actor_id, actor_role, payload)
         VALUES ($1, NULL, $2, $3, $4, 'ADVISER', $5)`,
        [id, to, on, adviser.id, JSON.stringify(payload)],
      );
    if (input.firstDecidedOn) {
      await history('BESCHIEDEN', input.firstDecidedOn, { outcome: input.outcome });
    }
    if (input.endedOn) {
      await history(input.status, input.endedOn, {});
    }
    return id;
  };
  // K1: decided in January with a compensation measure (56 days from documents complete).
  const k1 = await recognitionCase({
    clientId: c1,
    officeId: kiel,
    kldb: '81302',
    regulated: true,
    fastTrack: false,
    status: 'AUSGLEICH_LAUFEND',
    outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
    submittedOn: '2025-11-01',
    documentsCompleteOn: '2025-11-20',
    firstDecidedOn: '2026-01-15',
    processingDays: 56,
    decisionDueOn: '2026-02-20',
    linkQualification: true,
  });
  // K2: opened in January, still under examination, due 10 March: overdue at the end of March only.
  await recognitionCase({
    clientId: c2,
    officeId: kiel,
    kldb: '26112',
    regulated: false,
    fastTrack: true,
    status: 'IN_PRUEFUNG',
    submittedOn: '2026-01-05',
    documentsCompleteOn: '2026-01-10',
    decisionDueOn: '2026-03-10',
  });
  // K3: opened in February, decided the first day after the period (not counted as decided).
  await recognitionCase({
    clientId: c4,
    officeId: kiel,
    kldb: '81302',
    regulated: true,
    fastTrack: false,
    status: 'BESCHIEDEN',
    outcome: 'VOLLE_GLEICHWERTIGKEIT',
    submittedOn: '2026-02-01',
    documentsCompleteOn: '2026-02-02',
    firstDecidedOn: '2026-04-01',
    processingDays: 58,
    decisionDueOn: '2026-05-02',
  });
  // K4: opened in January, decided on the last day of the period (78 days).
  await recognitionCase({
    clientId: c5,
    officeId: luebeck,
    kldb: '81302',
    regulated: true,
    fastTrack: false,
    status: 'BESCHIEDEN',
    outcome: 'VOLLE_GLEICHWERTIGKEIT',
    submittedOn: '2026-01-10',
    documentsCompleteOn: '2026-01-12',
    firstDecidedOn: '2026-03-31',
    processingDays: 78,
    decisionDueOn: '2026-04-12',
  });
  // K5: opened in February, withdrawn on 5 March.
  await recognitionCase({
    clientId: c6,
    officeId: rostock,
    kldb: '26112',
    regulated: false,
    fastTrack: false,
    status: 'ZURUECKGENOMMEN',
    submittedOn: '2026-02-10',
    endedOn: '2026-03-05',
  });

  const provider = await one(
    `INSERT INTO partners (name, type) VALUES ('Bildungswerk Nord', 'BILDUNGSTRAEGER') RETURNING id`,
    [],
  );
  const offer = await one(
    `INSERT INTO qualification_offers (network_id, title, type, provider_partner_id, format, delivery, capacity, starts_on)
     VALUES ($1, 'Anpassungslehrgang Pflege', 'ANPASSUNGSLEHRGANG', $2, 'KURS', 'PRAESENZ', 10, '2025-09-01') RETURNING id`,
    [north, provider],
  );
  const enrolment = async (
    clientId: string,
    officeId: string,
    status: string,
    startedOn: string,
    endedOn: string | null,
    caseId: string | null = null,
  ) => {
    const note = `Teilnahmenotiz ${startedOn} geheim`;
    secrets.push(note);
    await db.query(
      `INSERT INTO enrolments (offer_id, client_id, office_id, recognition_case_id, status, started_on, ended_on, notes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [offer, clientId, officeId, caseId, status, startedOn, endedOn, note],
    );
  };
  await enrolment(c1, kiel, 'ABGESCHLOSSEN_ERFOLGREICH', '2026-01-10', '2026-03-20', k1);
  await enrolment(c4, kiel, 'ABGEBROCHEN', '2026-02-15', '2026-03-31');
  await enrolment(c5, luebeck, 'LAUFEND', '2026-03-01', null);
  await enrolment(c2, kiel, 'ABGESCHLOSSEN_OHNE_ERFOLG', '2025-10-01', '2026-04-01'); // ended the day after

  const jobcenter = await one(
    `INSERT INTO partners (name, type) VALUES ('Jobcenter Kiel', 'JOBCENTER') RETURNING id`,
    [],
  );
  const kammer = await one(
    `INSERT INTO partners (name, type) VALUES ('IHK Schleswig-Holstein', 'KAMMER') RETURNING id`,
    [],
  );
  const referral = async (
    clientId: string,
    officeId: string,
    partnerId: string,
    sentOn: string,
    status: string,
    answeredOn: string | null,
  ) => {
    const consent = await one(
      `INSERT INTO consents (client_id, purpose, partner_id, data_categories, given_on, method)
       VALUES ($1, 'WEITERGABE_PARTNER', $2, '{STAMMDATEN}', '2025-12-01', 'SCHRIFTLICH') RETURNING id`,
      [clientId, partnerId],
    );
    const message = `Nachricht an Partner ${sentOn} vertraulich`;
    secrets.push(message);
    await db.query(
      `INSERT INTO referrals (client_id, office_id, partner_id, consent_id, reason, data_categories, message, due_by,
                              status, sent_on, answered_on)
       VALUES ($1, $2, $3, $4, 'ANERKENNUNG_INFO', '{STAMMDATEN}', $5, '2026-06-30', $6, $7, $8)`,
      [clientId, officeId, partnerId, consent, message, status, sentOn, answeredOn],
    );
  };
  await referral(c1, kiel, jobcenter, '2026-01-12', 'ERLEDIGT', '2026-01-14');
  await referral(c2, kiel, kammer, '2026-02-03', 'ABGELEHNT', '2026-02-04');
  await referral(c4, kiel, jobcenter, '2026-03-31', 'GESENDET', null);
  await referral(c5, luebeck, jobcenter, '2026-02-01', 'ABGELAUFEN', null);
  await referral(c5, luebeck, kammer, '2026-04-01', 'ANGENOMMEN', '2026-04-02'); // sent the day after
  await referral(c1, kiel, kammer, '2026-03-02', 'STORNIERT', '2026-03-03'); // accepted, then cancelled

  return {
    networks: { north, east },
    offices: { kiel, luebeck, rostock },
    adviser,
    clients: { c1, c2, c3, c4, c5, c6 },
    secrets: [...secrets, c1, c2, c3, c4, c5, c6],
  };
}
