import type { ClientBase } from 'pg';
import { nameKey } from '../clients/name-key';
import { FIRST_CONSULTATION, FOLLOW_UP_CONSULTATION } from '../clients/consultation-rules';
import {
  CONSULTATION_CHANNELS,
  CONSULTATION_OUTCOMES,
  CONSULTATION_TOPICS,
  DATA_CATEGORIES,
  FUNDING_SOURCES,
  OFFER_DELIVERIES,
  OFFER_FORMATS,
  OFFER_TYPES,
  SUSPENSION_REASONS,
} from '../reference-data/codes';
import {
  computeDeadlines,
  periodEventsOf,
  type DeadlineRules,
  type RecordedStep,
} from '../recognition/deadlines';
import {
  checkTransition,
  type CaseState,
  type RecognitionStatus,
  type TransitionInput,
} from '../recognition/recognition-state-machine';
import { workingDaysOf } from '../recognition/working-days';
import { BulkInserter, SerialConnection, type ColumnSpec } from './bulk';
import { LAENDER, NETWORKS, ORIGINS, PARTNER_PLAN, SHAPE, type LandInfo, type Origin } from './catalogue';
import { emailPart, personName, seedFakers } from './names';
import { Random, Weighted } from './random';

export type SeedScale = 'tiny' | 'demo' | 'national';

/** How much of everything a scale writes. */
export interface ScalePlan {
  /** Names of the networks to create (a prefix of NETWORKS for national). */
  networks: readonly string[];
  offices: number;
  advisersPerOffice: number;
  clients: number;
  offers: number;
  /** Partners per Land as in PARTNER_PLAN, limited to the Länder of the networks. */
  partnerLaender: 'network' | 'all';
}

export const SCALES: Readonly<Record<SeedScale, ScalePlan>> = {
  tiny: {
    networks: ['IQ Netzwerk Berlin', 'IQ Netzwerk NRW – Rheinland'],
    offices: 3,
    advisersPerOffice: 2,
    clients: 150,
    offers: 6,
    partnerLaender: 'network',
  },
  demo: {
    networks: ['IQ Netzwerk Berlin', 'IQ Netzwerk NRW – Rheinland'],
    offices: 6,
    advisersPerOffice: 3,
    clients: 400,
    offers: 12,
    partnerLaender: 'network',
  },
  national: {
    networks: NETWORKS.map((network) => network.name),
    offices: 270,
    advisersPerOffice: 4,
    clients: 250_000,
    offers: 4_900,
    partnerLaender: 'all',
  },
};

export interface SeedOptions {
  scale: SeedScale;
  seed: number;
  /** "Today" (YYYY-MM-DD, Europe/Berlin): nothing is dated after it. */
  today: string;
  /** The current instant; timestamps on `today` stay before it. */
  now: Date;
  /** argon2id hash of the password every seeded user signs in with. */
  passwordHash: string;
  /** argon2id hash of the secret every seeded API client authenticates with. */
  clientSecretHash: string;
  rules: DeadlineRules;
  /** CONSULTATION_EARLIEST_DATE: no consultation before it. */
  earliestConsultation: string;
  progress: SeedProgress;
}

/** One progress bar per phase (cli-progress in the command, silent in tests). */
export interface SeedProgress {
  phase(name: string, total: number): void;
  tick(count?: number): void;
  done(): void;
}

export const SILENT_PROGRESS: SeedProgress = {
  phase: () => undefined,
  tick: () => undefined,
  done: () => undefined,
};

export interface SeedSummary {
  counts: Record<string, number>;
  seconds: Record<string, number>;
  credentials: SeedCredentials;
}

export interface SeedCredentials {
  admin: string;
  coordinator: string;
  adviser: string;
  adviserOfficeId: string;
  partnerClientId: string;
  partnerName: string;
}

// ---------------------------------------------------------------------------------------------------
// Dates: epoch days internally, YYYY-MM-DD at the edges.

const DAY_MS = 86_400_000;

function toDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

/** Memoised: the seed formats millions of dates on a few thousand days (Date formatting was a hot spot). */
const DAY_TEXTS = new Map<number, string>();

function fromDay(day: number): string {
  let text = DAY_TEXTS.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    DAY_TEXTS.set(day, text);
  }
  return text;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, '0'));

/** `new Date(ms).toISOString()`, several times faster: the day from fromDay, the time of day by hand. */
function isoInstant(ms: number): string {
  const whole = Math.trunc(ms);
  const day = Math.floor(whole / DAY_MS);
  const time = whole - day * DAY_MS;
  return (
    `${fromDay(day)}T${TWO_DIGITS[Math.floor(time / 3_600_000)]}:${TWO_DIGITS[Math.floor(time / 60_000) % 60]}` +
    `:${TWO_DIGITS[Math.floor(time / 1_000) % 60]}.${THREE_DIGITS[time % 1_000]}Z`
  );
}

// ---------------------------------------------------------------------------------------------------
// What later phases need to know of earlier ones (compact, in memory).

interface OfficeInfo {
  id: string;
  networkIndex: number;
  land: LandInfo;
  advisers: string[];
}

interface PartnerInfo {
  id: string;
  type: string;
  land: string | null;
  /** The row id of its API client (the actor of its answers), if it has one. */
  apiClientRowId: string | null;
}

interface ClientInfo {
  id: string;
  office: number;
  origin: number;
  createdDay: number;
  birthDay: number;
  adviser: string;
  qualifications: { id: string; country: string; kldb: string; kind: string }[];
  /** Recognition cases that ended with a compensation measure or partial equivalence. */
  compensationCase: string | null;
  /** Last consultation day (activity). */
  lastDay: number;
  /** The consent to share data with a partner (or a type of partner), if given. */
  sharing: SharingConsent | null;
}

interface SharingConsent {
  id: string;
  partnerId: string | null;
  partnerType: string | null;
  categories: string[];
  givenDay: number;
  expiresDay: number | null;
  withdrawnDay: number | null;
}

interface Occupation {
  kldb: string;
  title: string;
  regulated: boolean;
}

class Timer {
  readonly seconds: Record<string, number> = {};
  private started = performance.now();
  private current = '';

  start(phase: string): void {
    this.stop();
    this.current = phase;
    this.started = performance.now();
  }

  stop(): void {
    if (this.current) {
      this.seconds[this.current] = Math.round((performance.now() - this.started) / 100) / 10;
      this.current = '';
    }
  }
}

/**
 * Writes a realistic, internally consistent data set into the migrated schema on one connection, in
 * one transaction (all or nothing). Rows are generated in this process and sent in multi-row batches;
 * derived values come from the application's own rules (name keys, Erst/Folge, deadlines, the
 * recognition state machine, the seat-counting trigger).
 */
export async function runSeed(client: ClientBase, options: SeedOptions): Promise<SeedSummary> {
  const seeder = new Seeder(client, options);
  return seeder.run();
}

class Seeder {
  private readonly plan: ScalePlan;
  private readonly random: Random;
  private readonly timer = new Timer();
  private readonly counts: Record<string, number> = {};
  private readonly todayDay: number;
  private readonly earliestDay: number;
  private readonly nowMs: number;
  private readonly serial: SerialConnection;

  private networks: { id: string; name: string; laender: readonly string[]; coordinator: string }[] = [];
  private offices: OfficeInfo[] = [];
  private admins: string[] = [];
  private partners: PartnerInfo[] = [];
  private partnersByLandType = new Map<string, PartnerInfo[]>();
  private zab!: PartnerInfo;
  private apiClients: { clientId: string; partner: PartnerInfo }[] = [];
  private clients: ClientInfo[] = [];
  private occupations: Occupation[] = [];

  constructor(
    private readonly db: ClientBase,
    private readonly options: SeedOptions,
  ) {
    this.plan = SCALES[options.scale];
    this.random = new Random(options.seed);
    seedFakers(options.seed);
    this.todayDay = toDay(options.today);
    this.earliestDay = toDay(options.earliestConsultation);
    this.nowMs = options.now.getTime();
    this.serial = new SerialConnection(db);
  }

  /** A timestamp on `day` (morning office hours, Berlin), `minutes` later; never after now. */
  private at(day: number, minutes: number): string {
    const start = day * DAY_MS;
    let ms = start + 7 * 3_600_000 + minutes * 60_000;
    const latest = this.nowMs - 60_000;
    if (ms > latest) {
      // Today, later than now: squeeze the day's events into the hours gone by, keeping their order.
      ms = start + Math.floor((Math.min(minutes, 1_440) / 1_440) * Math.max(0, latest - start));
    }
    return isoInstant(ms);
  }

  private inserter(
    table: string,
    specs: readonly ColumnSpec[],
    tick = false,
    parents: BulkInserter[] = [],
  ): BulkInserter {
    return new BulkInserter(
      this.serial,
      table,
      specs,
      tick ? (rows) => this.options.progress.tick(rows) : undefined,
      parents,
    );
  }

  async run(): Promise<SeedSummary> {
    await this.db.query('BEGIN');
    try {
      await this.db.query('SET LOCAL synchronous_commit = off');
      await this.loadOccupations();
      const deferred = await this.deferIndexesAndForeignKeys(BULK_TABLES);
      await this.organisation();
      await this.clientsPhase();
      await this.consultationsPhase();
      await this.recognitionPhase();
      await this.enrolmentPhase();
      await this.referralPhase();
      await this.auditPhase();
      await this.restore(deferred);
      this.timer.start('commit');
      await this.db.query('COMMIT');
    } catch (error) {
      await this.db.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.options.progress.done();
    }
    this.timer.start('analyse');
    this.options.progress.phase('analyse (VACUUM ANALYZE)', 1);
    await this.db.query('VACUUM (ANALYZE)');
    this.options.progress.tick(1);
    this.options.progress.done();
    this.timer.stop();
    return { counts: this.counts, seconds: this.timer.seconds, credentials: this.credentials() };
  }

  private credentials(): SeedCredentials {
    const office = this.offices[0];
    const partner =
      this.apiClients.find((candidate) => candidate.partner.type === 'JOBCENTER') ?? this.apiClients[0];
    return {
      admin: 'admin@anker.example',
      coordinator: `coordinator.1@${slug(this.networks[office.networkIndex].name)}.anker.example`,
      adviser: `adviser.1@office-1.anker.example`,
      adviserOfficeId: office.id,
      partnerClientId: partner.clientId,
      partnerName: partner.partner.type,
    };
  }

  private async loadOccupations(): Promise<void> {
    const { rows } = await this.db.query<Occupation>(
      'SELECT kldb, title_de AS title, regulated FROM reference_occupations ORDER BY kldb',
    );
    if (rows.length === 0) {
      throw new Error('reference_occupations is empty: run the migrations first');
    }
    this.occupations = rows;
  }

  // -------------------------------------------------------------------------------------------------
  // Organisation: networks, offices, users, partners and their API clients.

  private async organisation(): Promise<void> {
    this.timer.start('organisation');
    const random = this.random.fork('organisation');
    const plans = this.plan.networks.map((name) => NETWORKS.find((network) => network.name === name)!);
    this.options.progress.phase('organisation', plans.length + this.plan.offices);
    const created = this.at(toDay('2012-03-01'), 0);

    const networkRows = this.inserter('networks', [
      ['id', 'uuid'],
      ['name', 'text'],
      ['bundeslaender', 'text[]'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ]);
    for (const plan of plans) {
      const id = random.uuid();
      this.networks.push({ id, name: plan.name, laender: plan.bundeslaender, coordinator: '' });
      await networkRows.add([id, plan.name, plan.bundeslaender, created, created]);
      this.options.progress.tick();
    }
    await networkRows.finish();

    // Offices in proportion to the networks' weights, at least one each.
    const totalWeight = plans.reduce((sum, plan) => sum + plan.weight, 0);
    const perNetwork = plans.map((plan) =>
      Math.max(1, Math.round((this.plan.offices * plan.weight) / totalWeight)),
    );
    const officeRows = this.inserter('offices', [
      ['id', 'uuid'],
      ['network_id', 'uuid'],
      ['name', 'text'],
      ['bundesland', 'text'],
      ['mobile', 'boolean'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ]);
    let officeNumber = 0;
    for (const [networkIndex, plan] of plans.entries()) {
      const names = new Map<string, number>();
      for (let index = 0; index < perNetwork[networkIndex]; index += 1) {
        const land = LAENDER.find(
          (candidate) => candidate.code === plan.bundeslaender[index % plan.bundeslaender.length],
        )!;
        const [city] = land.cities[index % land.cities.length];
        const mobile = index > 0 && random.chance(0.1);
        const base = `${mobile ? 'Mobile Beratung' : 'Beratungsstelle'} ${city}`;
        const seen = (names.get(base) ?? 0) + 1;
        names.set(base, seen);
        const name = seen === 1 ? base : `${base} ${seen}`;
        const id = random.uuid();
        this.offices.push({ id, networkIndex, land, advisers: [] });
        officeNumber += 1;
        await officeRows.add([id, this.networks[networkIndex].id, name, land.code, mobile, created, created]);
        this.options.progress.tick();
      }
    }
    await officeRows.finish();
    this.counts.networks = this.networks.length;
    this.counts.offices = officeNumber;

    const userRows = this.inserter('users', [
      ['id', 'uuid'],
      ['email', 'text'],
      ['display_name', 'text'],
      ['role', 'text'],
      ['office_id', 'uuid'],
      ['network_id', 'uuid'],
      ['password_hash', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ]);
    const user = async (
      email: string,
      displayName: string,
      role: string,
      officeId: string | null,
      networkId: string | null,
    ) => {
      const id = random.uuid();
      await userRows.add([
        id,
        email,
        displayName,
        role,
        officeId,
        networkId,
        this.options.passwordHash,
        created,
        created,
      ]);
      return id;
    };
    const german = ORIGINS.find((origin) => origin.country === 'DE')!;
    const displayName = () => {
      const name = personName(german, random.chance(0.6), random);
      return `${name.firstName} ${name.lastName}`;
    };
    this.admins.push(await user('admin@anker.example', 'Anker Administration', 'ADMIN', null, null));
    this.admins.push(await user('admin.2@anker.example', displayName(), 'ADMIN', null, null));
    for (const network of this.networks) {
      for (let index = 1; index <= 2; index += 1) {
        const id = await user(
          `coordinator.${index}@${slug(network.name)}.anker.example`,
          displayName(),
          'COORDINATOR',
          null,
          network.id,
        );
        network.coordinator ||= id;
      }
    }
    for (const [index, office] of this.offices.entries()) {
      const advisers = Math.max(1, this.plan.advisersPerOffice + random.int(-1, 2));
      for (let number = 1; number <= advisers; number += 1) {
        office.advisers.push(
          await user(
            `adviser.${number}@office-${index + 1}.anker.example`,
            displayName(),
            'ADVISER',
            office.id,
            null,
          ),
        );
      }
    }
    await userRows.finish();
    this.counts.users = userRows.inserted;

    // Partners in each Land the networks cover (all Länder nationally), plus the one ZAB.
    const laender =
      this.plan.partnerLaender === 'all'
        ? LAENDER
        : LAENDER.filter((land) => this.networks.some((network) => network.laender.includes(land.code)));
    const partnerRows = this.inserter('partners', [
      ['id', 'uuid'],
      ['name', 'text'],
      ['type', 'text'],
      ['bundesland', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ]);
    const apiClientRows = this.inserter('api_clients', [
      ['id', 'uuid'],
      ['partner_id', 'uuid'],
      ['client_id', 'text'],
      ['secret_hash', 'text'],
      ['name', 'text'],
      ['created_at', 'timestamptz'],
    ]);
    const addPartner = async (name: string, type: string, land: string | null, withClient: boolean) => {
      const partner: PartnerInfo = { id: random.uuid(), type, land, apiClientRowId: null };
      this.partners.push(partner);
      const key = `${land}/${type}`;
      this.partnersByLandType.set(key, [...(this.partnersByLandType.get(key) ?? []), partner]);
      await partnerRows.add([partner.id, name, type, land, created, created]);
      if (withClient) {
        const clientId = `pc_seed${String(this.apiClients.length + 1).padStart(4, '0')}${random.uuid().replace(/-/g, '').slice(0, 12)}`;
        this.apiClients.push({ clientId, partner });
        partner.apiClientRowId = random.uuid();
        await apiClientRows.add([
          partner.apiClientRowId,
          partner.id,
          clientId,
          this.options.clientSecretHash,
          `${name} – Fachverfahren`,
          created,
        ]);
      }
      return partner;
    };
    this.zab = await addPartner('Zentralstelle für ausländisches Bildungswesen (ZAB)', 'ZAB', null, true);
    for (const land of laender) {
      for (const partnerPlan of PARTNER_PLAN) {
        for (let index = 0; index < partnerPlan.perLand; index += 1) {
          const [city] = land.cities[index % land.cities.length];
          const base = partnerPlan.names[index % partnerPlan.names.length];
          await addPartner(
            `${base} ${city}${index >= land.cities.length ? ` ${index + 1}` : ''}`,
            partnerPlan.type,
            land.code,
            partnerPlan.apiClient,
          );
        }
      }
    }
    await partnerRows.finish();
    await apiClientRows.finish();
    this.counts.partners = partnerRows.inserted;
    this.counts.api_clients = apiClientRows.inserted;
    this.options.progress.done();
  }

  private partnerIn(land: string, type: string, random: Random): PartnerInfo {
    const candidates = this.partnersByLandType.get(`${land}/${type}`);
    return candidates ? random.pick(candidates) : this.zab;
  }

  // -------------------------------------------------------------------------------------------------
  // Clients with their qualifications and consents.

  private async clientsPhase(): Promise<void> {
    this.timer.start('clients');
    this.options.progress.phase('clients, qualifications, consents', this.plan.clients);
    const random = this.random.fork('clients');
    const origins = new Weighted(ORIGINS.map((origin, index) => [index, origin.weight] as const));
    const offices = new Weighted(
      this.offices.map(
        (office, index) => [index, office.land.weight / (office.advisers.length > 0 ? 1 : 1)] as const,
      ),
    );
    const occupationsBy = {
      regulated: this.occupations.filter((occupation) => occupation.regulated),
      other: this.occupations.filter((occupation) => !occupation.regulated),
    };
    // Registration dates: more recent years weigh more (the programme grew).
    const firstDay = Math.max(toDay('2012-04-01'), this.earliestDay);
    const span = this.todayDay - firstDay;

    const clientRows = this.inserter(
      'clients',
      [
        ['id', 'uuid'],
        ['office_id', 'uuid'],
        ['first_name', 'text'],
        ['last_name', 'text'],
        ['name_key', 'text'],
        ['birth_date', 'date'],
        ['email', 'text'],
        ['phone', 'text'],
        ['postal_code', 'text'],
        ['city', 'text'],
        ['gender', 'text'],
        ['birth_year', 'int2'],
        ['country_of_birth', 'text'],
        ['nationalities', 'text[]'],
        ['residence_bundesland', 'text'],
        ['arrival_year', 'int2'],
        ['residence_status', 'text'],
        ['german_level', 'text'],
        ['isced_level', 'int2'],
        ['employment_status', 'text'],
        ['benefits', 'text[]'],
        ['access_route', 'text'],
        ['created_by', 'uuid'],
        ['created_at', 'timestamptz'],
        ['updated_at', 'timestamptz'],
      ],
      true,
    );
    const qualificationRows = this.inserter(
      'client_qualifications',
      [
        ['id', 'uuid'],
        ['client_id', 'uuid'],
        ['kind', 'text'],
        ['title_original', 'text'],
        ['title_de', 'text'],
        ['country', 'text'],
        ['year_awarded', 'int2'],
        ['duration_months', 'int2'],
        ['experience_months', 'int2'],
        ['created_at', 'timestamptz'],
        ['updated_at', 'timestamptz'],
      ],
      false,
      [clientRows],
    );
    const consentRows = this.inserter(
      'consents',
      [
        ['id', 'uuid'],
        ['client_id', 'uuid'],
        ['purpose', 'text'],
        ['partner_id', 'uuid'],
        ['partner_type', 'text'],
        ['data_categories', 'text[]'],
        ['given_on', 'date'],
        ['method', 'text'],
        ['expires_on', 'date'],
        ['withdrawn_at', 'timestamptz'],
        ['version', 'int4'],
        ['created_at', 'timestamptz'],
        ['updated_at', 'timestamptz'],
      ],
      false,
      [clientRows],
    );

    const sharingTypes = [
      'JOBCENTER',
      'AGENTUR_FUER_ARBEIT',
      'KAMMER',
      'ANERKENNUNGSSTELLE',
      'BILDUNGSTRAEGER',
      'MIGRATIONSBERATUNG',
    ];
    for (let index = 0; index < this.plan.clients; index += 1) {
      const origin: Origin = ORIGINS[origins.draw(random)];
      const officeIndex = offices.draw(random);
      const office = this.offices[officeIndex];
      // sqrt skews towards recent registrations.
      const createdDay = firstDay + Math.floor(Math.sqrt(random.next()) * span);
      const ageAtRegistration = random.int(19, 58);
      const birthDay = createdDay - ageAtRegistration * 365 - random.int(0, 364);
      const birthDate = fromDay(birthDay);
      const birthYear = Number(birthDate.slice(0, 4));
      const registrationYear = Number(fromDay(createdDay).slice(0, 4));
      const female = random.chance(0.47);
      const gender = random.chance(0.01) ? random.pick(['D', 'X']) : female ? 'W' : 'M';
      const name = personName(origin, female, random);
      const [city, plz] = random.pick(office.land.cities);
      const german = origin.country === 'DE';
      const arrivalYear = german ? null : Math.max(birthYear + 16, registrationYear - random.geometric(2));
      const adviser = random.pick(office.advisers);
      const id = random.uuid();
      const created = this.at(createdDay, random.int(0, 480));
      const nationalities = german
        ? ['DE']
        : origin.country === 'KZ' && random.chance(0.6)
          ? ['DE', 'KZ']
          : random.chance(0.03)
            ? [random.pick(['XS', 'XX'])]
            : [origin.country];
      await clientRows.add([
        id,
        office.id,
        name.firstName,
        name.lastName,
        nameKey(name.firstName, name.lastName),
        birthDate,
        random.chance(0.7)
          ? `${emailPart(name.firstName)}.${emailPart(name.lastName)}${random.int(1, 99)}@example.net`
          : null,
        random.chance(0.8) ? `+49 1${random.int(50, 79)} ${random.int(1_000_000, 9_999_999)}` : null,
        `${plz}${String(random.int(0, 999)).padStart(3, '0')}`,
        city,
        gender,
        birthYear,
        origin.country === 'KZ' ? 'KZ' : origin.country,
        nationalities,
        office.land.code,
        arrivalYear,
        german
          ? 'DEUTSCH'
          : origin.eu
            ? 'EU_EWR_CH'
            : random.pick([
                'AE_16D',
                'AE_FAMILIE',
                'AE_HUMANITAER',
                'AE_ERWERB',
                'NIEDERLASSUNG',
                'AUFENTHALTSGESTATTUNG',
                'DULDUNG',
                'VISUM',
                'WOHNSITZ_AUSLAND',
                'KEINE_ANGABE',
              ]),
        german ? 'C2' : random.pick(['A1', 'A2', 'B1', 'B1', 'B2', 'B2', 'C1', 'KEINE', 'UNBEKANNT']),
        random.pick([3, 4, 4, 5, 6, 6, 7, 7, 8]),
        random.pick([
          'ERWERBSTAETIG',
          'ARBEITSLOS',
          'ARBEITSLOS',
          'LANGZEITARBEITSLOS',
          'IN_BILDUNG',
          'NICHTERWERBSTAETIG',
          'SELBSTSTAENDIG',
        ]),
        random.pick([['SGB_II'], ['SGB_II'], ['SGB_III'], ['KEINE'], ['KEINE'], ['ASYLBLG']]),
        random.pick([
          'SELBST',
          'SOZIALES_UMFELD',
          'JOBCENTER',
          'JOBCENTER',
          'AGENTUR_FUER_ARBEIT',
          'MIGRATIONSBERATUNG',
          'INTERNET',
          'KAMMER',
          'ARBEITGEBER',
          'SONSTIGE',
        ]),
        adviser,
        created,
        created,
      ]);
      const info: ClientInfo = {
        id,
        office: officeIndex,
        origin: ORIGINS.indexOf(origin),
        createdDay,
        birthDay,
        adviser,
        qualifications: [],
        compensationCase: null,
        lastDay: createdDay,
        sharing: null,
      };
      this.clients.push(info);

      // Foreign qualifications (Germans too: trained abroad).
      const qualificationCount = random.chance(SHAPE.qualificationShare)
        ? random.chance(SHAPE.secondQualification)
          ? 2
          : 1
        : 0;
      for (let number = 0; number < qualificationCount; number += 1) {
        const regulated = random.chance(0.45);
        const occupation = random.pick(regulated ? occupationsBy.regulated : occupationsBy.other);
        const level = occupation.kldb.charAt(4);
        const kind =
          level === '4' || level === '3'
            ? 'HOCHSCHULABSCHLUSS'
            : random.chance(0.85)
              ? 'BERUFSAUSBILDUNG'
              : 'FORTBILDUNG';
        const country = german
          ? random.pick(ORIGINS.filter((candidate) => candidate.country !== 'DE')).country
          : origin.country;
        const yearAwarded = Math.min(
          registrationYear - 1,
          birthYear + (kind === 'HOCHSCHULABSCHLUSS' ? random.int(22, 30) : random.int(18, 26)),
        );
        const qualificationId = random.uuid();
        info.qualifications.push({ id: qualificationId, country, kldb: occupation.kldb, kind });
        const at = this.at(createdDay, 481 + number);
        await qualificationRows.add([
          qualificationId,
          id,
          kind,
          `${occupation.title} (${country})`,
          occupation.title,
          country,
          yearAwarded,
          kind === 'HOCHSCHULABSCHLUSS' ? random.pick([36, 48, 60]) : random.pick([24, 36]),
          random.geometric(36),
          at,
          at,
        ]);
      }

      // Consents: counselling always; ESF monitoring and follow-up surveys often; sharing with partners.
      const consent = async (
        purpose: string,
        givenDay: number,
        partnerId: string | null,
        partnerType: string | null,
        categories: string[],
        expires: number | null,
      ) => {
        const withdrawn = random.chance(SHAPE.withdrawnShare) && givenDay + 30 < this.todayDay;
        const withdrawnDay = withdrawn ? random.int(givenDay + 30, this.todayDay) : null;
        const withdrawnAt = withdrawnDay === null ? null : this.at(withdrawnDay, 600);
        const at = this.at(givenDay, 490);
        const consentId = random.uuid();
        if (purpose === 'WEITERGABE_PARTNER') {
          info.sharing = {
            id: consentId,
            partnerId,
            partnerType,
            categories,
            givenDay,
            expiresDay: expires,
            withdrawnDay,
          };
        }
        await consentRows.add([
          consentId,
          id,
          purpose,
          partnerId,
          partnerType,
          categories,
          fromDay(givenDay),
          random.pick(['SCHRIFTLICH', 'SCHRIFTLICH', 'ELEKTRONISCH', 'MUENDLICH_DOKUMENTIERT']),
          expires === null ? null : fromDay(expires),
          withdrawnAt,
          withdrawn ? 2 : 1,
          at,
          withdrawnAt ?? at,
        ]);
      };
      await consent('BERATUNG', createdDay, null, null, [], null);
      if (random.chance(SHAPE.esfConsentShare)) {
        await consent('ESF_MONITORING', createdDay, null, null, [], null);
      }
      if (random.chance(SHAPE.followUpConsentShare)) {
        await consent('NACHBEFRAGUNG', createdDay, null, null, [], createdDay + 730);
      }
      if (random.chance(SHAPE.partnerConsentShare)) {
        const givenDay = Math.min(this.todayDay, createdDay + random.geometric(20));
        const categories = [
          'STAMMDATEN',
          ...random.some(
            DATA_CATEGORIES.filter((category) => category !== 'STAMMDATEN'),
            1,
            4,
          ),
        ];
        const type = random.pick(sharingTypes);
        if (random.chance(0.5)) {
          await consent(
            'WEITERGABE_PARTNER',
            givenDay,
            null,
            type,
            categories,
            random.chance(0.5) ? givenDay + 730 : null,
          );
        } else {
          const partner = this.partnerIn(office.land.code, type, random);
          await consent(
            'WEITERGABE_PARTNER',
            givenDay,
            partner.id,
            null,
            categories,
            random.chance(0.5) ? givenDay + 730 : null,
          );
        }
      }
    }
    await clientRows.finish();
    await qualificationRows.finish();
    await consentRows.finish();
    this.counts.clients = clientRows.inserted;
    this.counts.client_qualifications = qualificationRows.inserted;
    this.counts.consents = consentRows.inserted;
    this.options.progress.done();
  }

  // -------------------------------------------------------------------------------------------------
  // Consultations: the first on the day of registration (ERSTBERATUNG), follow-ups after it.

  private async consultationsPhase(): Promise<void> {
    this.timer.start('consultations');
    this.options.progress.phase('consultations', this.clients.length);
    const random = this.random.fork('consultations');
    const rows = this.inserter('consultations', [
      ['id', 'uuid'],
      ['client_id', 'uuid'],
      ['office_id', 'uuid'],
      ['adviser_id', 'uuid'],
      ['held_on', 'date'],
      ['duration_minutes', 'int2'],
      ['channel', 'text'],
      ['mobile', 'boolean'],
      ['language', 'text'],
      ['interpreter_used', 'boolean'],
      ['kind', 'text'],
      ['topics', 'text[]'],
      ['outcomes', 'text[]'],
      ['next_contact_due', 'date'],
      ['version', 'int4'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
      ['voided_at', 'timestamptz'],
      ['voided_by', 'uuid'],
      ['void_reason', 'text'],
    ]);
    const channels = new Weighted<string>([
      ['PERSOENLICH', 55],
      ['TELEFON', 20],
      ['VIDEO', 12],
      ['EMAIL', 8],
      ['CHAT', 2],
      ['GRUPPE', 3],
    ]);
    void CONSULTATION_CHANNELS;
    let count = 0;
    for (const [index, client] of this.clients.entries()) {
      const office = this.offices[client.office];
      const origin = ORIGINS[client.origin];
      const followUps = random.geometric(SHAPE.consultationsMean);
      const days = [client.createdDay];
      let day = client.createdDay;
      for (let number = 0; number < followUps; number += 1) {
        day += random.int(5, 120);
        if (day > this.todayDay) {
          break;
        }
        days.push(day);
      }
      // The earliest valid consultation is the ERSTBERATUNG (held_on, then created_at, then id); a
      // voided one keeps the kind it had when it was voided.
      let firstAssigned = false;
      for (const [number, heldDay] of days.entries()) {
        const voided = number > 0 && random.chance(SHAPE.voidedShare);
        const kind: string = !voided && !firstAssigned ? FIRST_CONSULTATION : FOLLOW_UP_CONSULTATION;
        firstAssigned ||= kind === FIRST_CONSULTATION;
        const adviser = random.chance(0.85) ? client.adviser : random.pick(office.advisers);
        const created = this.at(heldDay, 10 + number);
        const language =
          origin.languages.length > 0 && random.chance(0.35) ? random.pick(origin.languages) : 'de';
        const next =
          number < days.length - 1
            ? days[number + 1]
            : random.chance(0.3)
              ? heldDay + random.int(7, 60)
              : null;
        const voidedAt = voided ? this.at(heldDay, 30 + number) : null;
        await rows.add([
          random.uuid(),
          client.id,
          office.id,
          adviser,
          fromDay(heldDay),
          random.pick([30, 45, 45, 60, 60, 90]),
          channels.draw(random),
          random.chance(0.05),
          language,
          language !== 'de' && random.chance(0.3),
          kind,
          random.some(CONSULTATION_TOPICS, 1, 3),
          random.some(CONSULTATION_OUTCOMES, 1, 2),
          next === null ? null : fromDay(next),
          voided ? 2 : 1,
          created,
          voidedAt ?? created,
          voidedAt,
          voided ? adviser : null,
          voided ? 'Doppelt erfasst' : null,
        ]);
        count += 1;
      }
      client.lastDay = days[days.length - 1];
      if ((index & 1023) === 1023) {
        this.options.progress.tick(1024);
      }
    }
    await rows.finish();
    this.counts.consultations = count;
    this.options.progress.done();
  }

  // -------------------------------------------------------------------------------------------------
  // Recognition cases, walked through the real state machine; deadlines from the real deadline code.

  private async recognitionPhase(): Promise<void> {
    this.timer.start('recognition cases');
    this.options.progress.phase('recognition cases', this.clients.length);
    const random = this.random.fork('recognition');
    const caseRows = this.inserter('recognition_cases', [
      ['id', 'uuid'],
      ['client_id', 'uuid'],
      ['office_id', 'uuid'],
      ['qualification_id', 'uuid'],
      ['kldb', 'text'],
      ['occupation_title', 'text'],
      ['regulated', 'boolean'],
      ['legal_basis', 'text'],
      ['procedure_kind', 'text'],
      ['authority_partner_id', 'uuid'],
      ['fast_track', 'boolean'],
      ['applied_from_abroad', 'boolean'],
      ['fees_eur', 'numeric'],
      ['funding', 'text[]'],
      ['status', 'text'],
      ['outcome', 'text'],
      ['submitted_on', 'date'],
      ['documents_requested_on', 'date'],
      ['documents_complete_on', 'date'],
      ['decided_on', 'date'],
      ['first_decided_on', 'date'],
      ['appeal_filed_on', 'date'],
      ['suspended_days', 'int4'],
      ['suspended_since', 'date'],
      ['receipt_confirmation_due_on', 'date'],
      ['decision_due_on', 'date'],
      ['decision_reminder_on', 'date'],
      ['processing_days', 'int4'],
      ['deadline_bundesland', 'text'],
      ['recognised_in_eu_eea_ch', 'boolean'],
      ['version', 'int4'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ]);
    const historyRows = this.inserter(
      'recognition_case_history',
      [
        ['id', 'uuid'],
        ['case_id', 'uuid'],
        ['from_status', 'text'],
        ['to_status', 'text'],
        ['occurred_on', 'date'],
        ['actor_id', 'uuid'],
        ['actor_role', 'text'],
        ['payload', 'jsonb'],
        ['recorded_at', 'timestamptz'],
      ],
      false,
      [caseRows],
    );
    const differenceRows = this.inserter(
      'substantial_differences',
      [
        ['id', 'uuid'],
        ['case_id', 'uuid'],
        ['description', 'text'],
        ['compensation_options', 'text[]'],
        ['created_at', 'timestamptz'],
      ],
      false,
      [caseRows],
    );
    const occupations = new Map(this.occupations.map((occupation) => [occupation.kldb, occupation]));
    const caseShare = 0.6 / SHAPE.qualificationShare;
    let cases = 0;
    let steps = 0;
    for (const [index, client] of this.clients.entries()) {
      if ((index & 1023) === 1023) {
        this.options.progress.tick(1024);
      }
      if (client.qualifications.length === 0 || !random.chance(caseShare)) {
        continue;
      }
      const qualification = client.qualifications[0];
      const occupation = occupations.get(qualification.kldb)!;
      const office = this.offices[client.office];
      const zab = !occupation.regulated && qualification.kind === 'HOCHSCHULABSCHLUSS' && random.chance(0.35);
      const procedureKind = zab
        ? 'ZEUGNISBEWERTUNG_ZAB'
        : occupation.regulated && random.chance(0.5)
          ? 'BERUFSZULASSUNG'
          : 'GLEICHWERTIGKEIT';
      const authority = zab
        ? this.zab
        : this.partnerIn(office.land.code, occupation.regulated ? 'ANERKENNUNGSSTELLE' : 'KAMMER', random);
      const legalBasis = zab
        ? 'ZAB'
        : occupation.kldb.startsWith('813')
          ? 'PFLBG'
          : occupation.kldb.startsWith('814')
            ? 'BAEO'
            : occupation.regulated
              ? `BQFG-${office.land.code.slice(3)}`
              : occupation.kldb.charAt(0) === '2'
                ? 'HWO'
                : 'BQFG';
      const fastTrack = !zab && random.chance(SHAPE.fastTrackShare);
      const createdDay = Math.min(this.todayDay, client.createdDay + random.geometric(20));
      const caseId = random.uuid();
      const euOrigin = ORIGINS.find((origin) => origin.country === qualification.country)?.eu ?? false;
      const adviser = client.adviser;

      // Walk the state machine from IN_VORBEREITUNG, one transition after the other, stopping at today.
      let state: CaseState = {
        status: 'IN_VORBEREITUNG',
        outcome: null,
        regulated: occupation.regulated,
        procedureKind,
        authorityPartnerId: null,
        documentsCompleteOn: null,
        firstDecidedOn: null,
        suspendedSince: null,
        latestEventOn: fromDay(createdDay),
      };
      const columns: Record<string, unknown> = {
        submittedOn: null,
        documentsRequestedOn: null,
        documentsCompleteOn: null,
        decidedOn: null,
        firstDecidedOn: null,
        appealFiledOn: null,
        processingDays: null,
        suspendedSince: null,
        outcome: null,
        authorityPartnerId: null,
      };
      const recorded: RecordedStep[] = [
        { fromStatus: null, toStatus: 'IN_VORBEREITUNG', occurredOn: fromDay(createdDay) },
      ];
      const history: unknown[][] = [
        [
          random.uuid(),
          caseId,
          null,
          'IN_VORBEREITUNG',
          fromDay(createdDay),
          adviser,
          'ADVISER',
          {},
          this.at(createdDay, 500),
        ],
      ];
      let day = createdDay;
      let version = 1;
      let differences: string[][] = [];
      const step = (input: Omit<TransitionInput, 'date'>, afterDays: number): boolean => {
        const next = day + Math.max(0, afterDays);
        if (next > this.todayDay) {
          return false;
        }
        const date = fromDay(next);
        const check = checkTransition(state, { ...input, date }, this.options.today);
        if (!check.ok) {
          throw new Error(`seed: ${state.status} → ${input.to} refused: ${JSON.stringify(check)}`);
        }
        day = next;
        history.push([
          random.uuid(),
          caseId,
          state.status,
          input.to,
          date,
          adviser,
          'ADVISER',
          check.payload,
          this.at(next, 520 + history.length),
        ]);
        recorded.push({ fromStatus: state.status, toStatus: input.to, occurredOn: date });
        Object.assign(columns, check.changes);
        if (check.differences !== undefined) {
          differences = check.differences.map((difference) => difference.compensationOptions);
        }
        state = {
          ...state,
          status: input.to,
          outcome: check.changes.outcome ?? state.outcome,
          authorityPartnerId: check.changes.authorityPartnerId ?? state.authorityPartnerId,
          documentsCompleteOn: check.changes.documentsCompleteOn ?? state.documentsCompleteOn,
          firstDecidedOn: check.changes.firstDecidedOn ?? state.firstDecidedOn,
          suspendedSince:
            'suspendedSince' in check.changes ? (check.changes.suspendedSince ?? null) : state.suspendedSince,
          latestEventOn: date,
        };
        version += 1;
        return true;
      };
      this.walkCase(random, step, () => this.todayDay - day, {
        zab,
        regulated: occupation.regulated,
        fastTrack,
        procedureKind,
        authorityId: authority.id,
      });

      const calendar = workingDaysOf(authority.land ?? office.land.code);
      const deadlines =
        state.status === 'IN_VORBEREITUNG'
          ? null
          : computeDeadlines(
              {
                fastTrack,
                submittedOn: columns.submittedOn as string | null,
                documentsCompleteOn: columns.documentsCompleteOn as string | null,
                events: periodEventsOf(recorded),
              },
              this.options.rules,
              calendar,
            );
      const created = this.at(createdDay, 500);
      await caseRows.add([
        caseId,
        client.id,
        office.id,
        qualification.id,
        occupation.kldb,
        occupation.title,
        occupation.regulated,
        legalBasis,
        procedureKind,
        state.authorityPartnerId ?? (random.chance(0.5) ? authority.id : null),
        fastTrack,
        random.chance(0.07),
        random.chance(0.8) ? random.pick([100, 200, 350, 420, 600]) : null,
        random.chance(0.6) ? random.some(FUNDING_SOURCES, 1, 2) : [],
        state.status,
        state.outcome,
        columns.submittedOn,
        columns.documentsRequestedOn,
        columns.documentsCompleteOn,
        columns.decidedOn,
        columns.firstDecidedOn,
        columns.appealFiledOn,
        deadlines?.suspendedDays ?? 0,
        state.suspendedSince,
        deadlines?.receiptConfirmationDueOn ?? null,
        deadlines?.decisionDueOn ?? null,
        deadlines?.decisionReminderOn ?? null,
        columns.processingDays,
        deadlines === null ? null : calendar.bundesland,
        euOrigin,
        version,
        created,
        this.at(day, 520 + history.length),
      ]);
      for (const row of history) {
        await historyRows.add(row);
      }
      for (const options of differences) {
        await differenceRows.add([random.uuid(), caseId, null, options, this.at(day, 530)]);
      }
      if (state.outcome === 'AUFLAGE_AUSGLEICHSMASSNAHME' || state.outcome === 'TEILWEISE_GLEICHWERTIGKEIT') {
        client.compensationCase = caseId;
      }
      cases += 1;
      steps += history.length;
    }
    await caseRows.finish();
    await historyRows.finish();
    await differenceRows.finish();
    this.counts.recognition_cases = cases;
    this.counts.recognition_case_history = steps;
    this.counts.substantial_differences = differenceRows.inserted;
    this.options.progress.done();
  }

  /** A plausible path through the procedure; `step` refuses dates after today (the case stays where it is). */
  private walkCase(
    random: Random,
    step: (input: Omit<TransitionInput, 'date'>, afterDays: number) => boolean,
    daysAgo: () => number,
    kind: {
      zab: boolean;
      regulated: boolean;
      fastTrack: boolean;
      procedureKind: string;
      authorityId: string;
    },
  ): void {
    const to = (status: RecognitionStatus, afterDays: number, extra: Partial<TransitionInput> = {}) =>
      step({ to: status, ...extra }, afterDays);
    if (random.chance(0.04)) {
      return; // still being prepared
    }
    if (!to('BEANTRAGT', random.int(7, 90), { authorityPartnerId: kind.authorityId })) {
      return;
    }
    if (random.chance(0.02)) {
      to(random.pick(['ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'] as const), random.int(10, 120));
      return;
    }
    if (random.chance(0.4)) {
      if (!to('UNVOLLSTAENDIG', random.int(5, 30))) {
        return;
      }
      if (!kind.zab && random.chance(0.04)) {
        to('BESCHIEDEN', random.int(60, 180), { outcome: 'ABLEHNUNG_FORMAL' });
        return;
      }
      if (!to('IN_PRUEFUNG', random.int(14, 90))) {
        return;
      }
    } else if (!to('IN_PRUEFUNG', random.int(5, 35))) {
      return;
    }
    const periodDays = kind.fastTrack ? 61 : 92;
    // Suspensions (Hemmung) while the period runs.
    let elapsed = 0;
    if (random.chance(0.15)) {
      const start = random.int(10, 50);
      if (!to('GEHEMMT', start, { suspensionReason: random.pick(SUSPENSION_REASONS) })) {
        return;
      }
      if (daysAgo() < 400 && random.chance(0.25)) {
        return; // still suspended: waiting for documents or a skills analysis
      }
      const length = random.int(14, 100);
      if (!to('IN_PRUEFUNG', length)) {
        return;
      }
      elapsed = start;
    }
    if (random.chance(0.02)) {
      to(random.pick(['ZURUECKGENOMMEN', 'OHNE_BESCHEID_BEENDET'] as const), random.int(5, 40));
      return;
    }
    if (daysAgo() < 450 && random.chance(0.3)) {
      return; // the authority has not decided yet: overdue once the period has run out
    }
    // Most decisions come within the period; a fifth are late (those still open become overdue).
    const late = random.chance(0.2);
    const decisionIn = late
      ? periodDays - elapsed + random.int(10, 200)
      : Math.max(5, random.int(20, periodDays - elapsed - 3));
    const outcome = this.outcomeFor(random, kind);
    const differences =
      outcome === 'AUFLAGE_AUSGLEICHSMASSNAHME'
        ? [
            {
              compensationOptions: random.some(
                ['ANPASSUNGSLEHRGANG', 'KENNTNISPRUEFUNG', 'EIGNUNGSPRUEFUNG'],
                1,
                2,
              ),
            },
          ]
        : outcome === 'TEILWEISE_GLEICHWERTIGKEIT'
          ? [{ compensationOptions: ['ANPASSUNGSQUALIFIZIERUNG'] }]
          : undefined;
    if (!to('BESCHIEDEN', decisionIn, { outcome, substantialDifferences: differences })) {
      return;
    }
    if (random.chance(0.05) && outcome !== 'ZAB_BESCHEINIGUNG') {
      if (!to('RECHTSBEHELF', random.int(10, 30))) {
        return;
      }
      if (random.chance(0.4)) {
        to('BESCHIEDEN', random.int(30, 200), { appealWithdrawn: true });
      } else {
        to('BESCHIEDEN', random.int(60, 240), {
          outcome: kind.regulated
            ? 'VOLLE_GLEICHWERTIGKEIT'
            : outcome === 'KEINE_GLEICHWERTIGKEIT'
              ? 'TEILWEISE_GLEICHWERTIGKEIT'
              : outcome,
          substantialDifferences: outcome === 'TEILWEISE_GLEICHWERTIGKEIT' ? differences : undefined,
        });
      }
      return;
    }
    if (outcome === 'AUFLAGE_AUSGLEICHSMASSNAHME' && random.chance(0.8)) {
      if (!to('AUSGLEICH_LAUFEND', random.int(20, 120))) {
        return;
      }
      to('ABGESCHLOSSEN', random.int(120, 540), { compensationPassed: random.chance(0.85) });
      return;
    }
    if (random.chance(0.75)) {
      to('ABGESCHLOSSEN', random.int(3, 60));
    }
  }

  private outcomeFor(random: Random, kind: { zab: boolean; regulated: boolean }): string {
    if (kind.zab) {
      return 'ZAB_BESCHEINIGUNG';
    }
    const roll = random.next();
    if (kind.regulated) {
      return roll < 0.55
        ? 'VOLLE_GLEICHWERTIGKEIT'
        : roll < 0.93
          ? 'AUFLAGE_AUSGLEICHSMASSNAHME'
          : 'KEINE_GLEICHWERTIGKEIT';
    }
    return roll < 0.6
      ? 'VOLLE_GLEICHWERTIGKEIT'
      : roll < 0.92
        ? 'TEILWEISE_GLEICHWERTIGKEIT'
        : 'KEINE_GLEICHWERTIGKEIT';
  }

  // -------------------------------------------------------------------------------------------------
  // Qualification offers and enrolments: seats in queue order, freed seats to the oldest waiting.

  private async enrolmentPhase(): Promise<void> {
    this.timer.start('offers and enrolments');
    this.options.progress.phase('offers and enrolments', this.plan.offers);
    const random = this.random.fork('enrolments');
    const offerRows = this.inserter('qualification_offers', [
      ['id', 'uuid'],
      ['network_id', 'uuid'],
      ['title', 'text'],
      ['type', 'text'],
      ['provider_partner_id', 'uuid'],
      ['reference_occupations', 'text[]'],
      ['format', 'text'],
      ['delivery', 'text'],
      ['capacity', 'int4'],
      ['starts_on', 'date'],
      ['ends_on', 'date'],
      ['iq_funded', 'boolean'],
      ['bundesland', 'text'],
      ['city', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ]);
    const enrolmentRows = this.inserter(
      'enrolments',
      [
        ['id', 'uuid'],
        ['offer_id', 'uuid'],
        ['client_id', 'uuid'],
        ['office_id', 'uuid'],
        ['recognition_case_id', 'uuid'],
        ['status', 'text'],
        ['queued_at', 'timestamptz'],
        ['confirmed_on', 'date'],
        ['started_on', 'date'],
        ['ended_on', 'date'],
        ['reason', 'text'],
        ['version', 'int4'],
        ['created_at', 'timestamptz'],
        ['updated_at', 'timestamptz'],
      ],
      false,
      [offerRows],
    );
    const historyRows = this.inserter(
      'enrolment_history',
      [
        ['id', 'uuid'],
        ['enrolment_id', 'uuid'],
        ['from_status', 'text'],
        ['to_status', 'text'],
        ['occurred_on', 'date'],
        ['actor_id', 'uuid'],
        ['actor_role', 'text'],
        ['payload', 'jsonb'],
        ['reason', 'text'],
        ['recorded_at', 'timestamptz'],
      ],
      false,
      [enrolmentRows],
    );
    // Clients per network, those needing a compensation measure first in line.
    const byNetwork = this.networks.map(() => ({
      all: [] as ClientInfo[],
      compensation: [] as ClientInfo[],
    }));
    for (const client of this.clients) {
      const pool = byNetwork[this.offices[client.office].networkIndex];
      pool.all.push(client);
      if (client.compensationCase !== null) {
        pool.compensation.push(client);
      }
    }
    const networkWeights = new Weighted(byNetwork.map((pool, index) => [index, pool.all.length] as const));
    const providers = this.partners.filter((partner) => partner.type === 'BILDUNGSTRAEGER');
    let enrolments = 0;
    for (let offerNumber = 0; offerNumber < this.plan.offers; offerNumber += 1) {
      this.options.progress.tick();
      const networkIndex = offerNumber < this.networks.length ? offerNumber : networkWeights.draw(random);
      const network = this.networks[networkIndex];
      const pool = byNetwork[networkIndex];
      if (pool.all.length === 0) {
        continue;
      }
      const landCode = random.pick(network.laender);
      const land = LAENDER.find((candidate) => candidate.code === landCode)!;
      const provider = providers.find((partner) => partner.land === land.code) ?? random.pick(providers);
      const occupation = random.pick(this.occupations);
      const type = random.pick(OFFER_TYPES);
      const startsDay = random.int(toDay('2016-01-01'), this.todayDay + 150);
      const endsDay = startsDay + random.int(30, 365);
      const capacity = random.int(6, 20);
      const offerId = random.uuid();
      const offerCreatedDay = Math.min(this.todayDay, startsDay - random.int(30, 120));
      const [city] = random.pick(land.cities);
      await offerRows.add([
        offerId,
        network.id,
        `${occupation.title}: ${titleOf(type)}`,
        type,
        provider.id,
        [occupation.kldb],
        random.pick(OFFER_FORMATS),
        random.pick(OFFER_DELIVERIES),
        capacity,
        fromDay(startsDay),
        fromDay(endsDay),
        random.chance(0.7),
        land.code,
        city,
        this.at(offerCreatedDay, 60),
        this.at(offerCreatedDay, 60),
      ]);

      // Applicants in queue order: each takes the earliest seat that is (or becomes) free.
      const applicants = Math.round(capacity * (0.5 + random.next() * 1.3));
      const chosen = new Set<string>();
      const queue: { client: ClientInfo; day: number }[] = [];
      for (let attempt = 0; attempt < applicants * 3 && queue.length < applicants; attempt += 1) {
        const client =
          pool.compensation.length > 0 && random.chance(0.5)
            ? random.pick(pool.compensation)
            : random.pick(pool.all);
        const day = random.int(
          Math.max(offerCreatedDay, client.createdDay),
          Math.min(this.todayDay, startsDay),
        );
        if (
          chosen.has(client.id) ||
          day > this.todayDay ||
          day < client.createdDay ||
          day < offerCreatedDay
        ) {
          continue;
        }
        chosen.add(client.id);
        queue.push({ client, day });
      }
      queue.sort((a, b) => a.day - b.day);
      const freeSeats: number[] = Array.from({ length: capacity }, () => -Infinity);
      for (const [position, applicant] of queue.entries()) {
        const enrolmentId = random.uuid();
        const client = applicant.client;
        const coordinatorOrAdviser = client.adviser;
        const queuedAt = this.at(applicant.day, 120 + position);
        const history: unknown[][] = [];
        const record = (
          from: string | null,
          toStatus: string,
          day: number,
          payload: object,
          reason: string | null = null,
        ) =>
          history.push([
            random.uuid(),
            enrolmentId,
            from,
            toStatus,
            fromDay(day),
            coordinatorOrAdviser,
            'ADVISER',
            payload,
            reason,
            this.at(day, 130 + position + history.length),
          ]);
        freeSeats.sort((a, b) => a - b);
        const seatFrom = freeSeats[0];
        let status: string;
        let confirmed: number | null = null;
        let started: number | null = null;
        let ended: number | null = null;
        let reason: string | null = null;
        let version = 1;
        const direct = seatFrom <= applicant.day;
        const promotedOn = direct ? applicant.day : seatFrom;
        if (direct) {
          record(null, 'ZUGESAGT', applicant.day, {});
        } else {
          record(null, 'WARTELISTE', applicant.day, { waitlistPosition: 1 });
        }
        const seatAvailable =
          promotedOn <= this.todayDay && promotedOn <= endsDay && Number.isFinite(promotedOn);
        if (!seatAvailable) {
          // No seat became free: still waiting, or cancelled once the measure is over.
          if (endsDay < this.todayDay) {
            status = 'STORNIERT';
            ended = Math.max(applicant.day, startsDay);
            record('WARTELISTE', 'STORNIERT', ended, {});
            version += 1;
          } else {
            status = 'WARTELISTE';
          }
        } else {
          freeSeats.shift();
          confirmed = promotedOn;
          if (!direct) {
            record('WARTELISTE', 'ZUGESAGT', promotedOn, { promoted: true, cause: 'SEAT_FREED' });
            version += 1;
          }
          status = 'ZUGESAGT';
          let freedOn = Infinity;
          const startDay = Math.max(startsDay, confirmed);
          if (startDay > this.todayDay) {
            if (random.chance(0.05)) {
              const cancelDay = random.int(confirmed, this.todayDay);
              status = 'STORNIERT';
              ended = cancelDay;
              freedOn = cancelDay;
            }
          } else if (random.chance(0.07)) {
            status = 'NICHT_ANGETRETEN';
            ended = startDay;
            freedOn = startDay;
          } else {
            status = 'LAUFEND';
            started = startDay;
            record('ZUGESAGT', 'LAUFEND', startDay, {});
            version += 1;
            const roll = random.next();
            if (roll < 0.08) {
              const dropDay = random.int(startDay, Math.min(endsDay, this.todayDay));
              status = 'ABGEBROCHEN';
              ended = dropDay;
              freedOn = dropDay;
              reason = random.pick([
                'Arbeitsaufnahme',
                'Umzug',
                'Gesundheitliche Gründe',
                'Familiäre Gründe',
              ]);
            } else if (endsDay < this.todayDay) {
              // Completed once the measure is over: on its last day the participants still hold their
              // seats, so its waiting list is still behind a full course.
              status = roll < 0.85 ? 'ABGESCHLOSSEN_ERFOLGREICH' : 'ABGESCHLOSSEN_OHNE_ERFOLG';
              ended = endsDay;
            }
          }
          if (status !== 'ZUGESAGT' && status !== 'LAUFEND') {
            record(started === null ? 'ZUGESAGT' : 'LAUFEND', status, ended!, {}, reason);
            version += 1;
          }
          freeSeats.push(freedOn);
        }
        const lastDay = Math.max(applicant.day, confirmed ?? 0, started ?? 0, ended ?? 0);
        await enrolmentRows.add([
          enrolmentId,
          offerId,
          client.id,
          this.offices[client.office].id,
          client.compensationCase,
          status,
          queuedAt,
          confirmed === null ? null : fromDay(confirmed),
          started === null ? null : fromDay(started),
          ended === null ? null : fromDay(ended),
          reason,
          version,
          queuedAt,
          this.at(lastDay, 130 + position + history.length),
        ]);
        for (const row of history) {
          await historyRows.add(row);
        }
        enrolments += 1;
      }
    }
    await offerRows.finish();
    await enrolmentRows.finish();
    await historyRows.finish();
    this.counts.qualification_offers = offerRows.inserted;
    this.counts.enrolments = enrolments;
    this.counts.enrolment_history = historyRows.inserted;
    this.options.progress.done();
  }

  // -------------------------------------------------------------------------------------------------
  // Referrals to partners, each covered by the client's sharing consent on the day it was sent.

  private async referralPhase(): Promise<void> {
    this.timer.start('referrals');
    this.options.progress.phase('referrals', this.clients.length);
    const random = this.random.fork('referrals');
    const referralRows = this.inserter('referrals', [
      ['id', 'uuid'],
      ['client_id', 'uuid'],
      ['office_id', 'uuid'],
      ['partner_id', 'uuid'],
      ['consent_id', 'uuid'],
      ['reason', 'text'],
      ['data_categories', 'text[]'],
      ['due_by', 'date'],
      ['status', 'text'],
      ['sent_on', 'date'],
      ['answered_on', 'date'],
      ['closed_on', 'date'],
      ['decline_reason', 'text'],
      ['outcome', 'text'],
      ['cancel_reason', 'text'],
      ['version', 'int4'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ]);
    const historyRows = this.inserter(
      'referral_history',
      [
        ['id', 'uuid'],
        ['referral_id', 'uuid'],
        ['from_status', 'text'],
        ['to_status', 'text'],
        ['occurred_on', 'date'],
        ['actor_kind', 'text'],
        ['actor_id', 'uuid'],
        ['actor_role', 'text'],
        ['payload', 'jsonb'],
        ['reason', 'text'],
        ['recorded_at', 'timestamptz'],
      ],
      false,
      [referralRows],
    );
    const reasons = [
      'ANERKENNUNG_INFO',
      'ZUSTAENDIGE_STELLE',
      'ANTRAGSUNTERSTUETZUNG',
      'KOSTEN_FOERDERUNG',
      'ANPASSUNGSQUALIFIZIERUNG',
      'SPRACHFOERDERUNG',
      'ARBEITSMARKT',
    ];
    const partnersById = new Map(this.partners.map((partner) => [partner.id, partner]));
    const answerDays = 14;
    let count = 0;
    for (const [index, client] of this.clients.entries()) {
      if ((index & 1023) === 1023) {
        this.options.progress.tick(1024);
      }
      const sharing = client.sharing;
      if (sharing === null) {
        continue;
      }
      const office = this.offices[client.office];
      const referrals = 1 + random.geometric(0.1);
      for (let number = 0; number < referrals; number += 1) {
        // Sent while the consent was in force.
        const lastDay = Math.min(
          this.todayDay,
          sharing.expiresDay ?? Infinity,
          (sharing.withdrawnDay ?? Infinity) - 1,
        );
        if (lastDay < sharing.givenDay) {
          break;
        }
        const sentDay = random.int(sharing.givenDay, lastDay);
        const partner =
          sharing.partnerId !== null
            ? partnersById.get(sharing.partnerId)!
            : this.partnerIn(office.land.code, sharing.partnerType!, random);
        const categories = random.some(sharing.categories, 1, sharing.categories.length);
        const dueDay = sentDay + answerDays;
        const referralId = random.uuid();
        const adviser = client.adviser;
        const history: unknown[][] = [];
        const record = (
          from: string | null,
          to: string,
          day: number,
          kind: 'user' | 'partner' | 'system',
          payload: object,
          reason: string | null = null,
        ) =>
          history.push([
            random.uuid(),
            referralId,
            from,
            to,
            fromDay(day),
            kind,
            kind === 'user' ? adviser : kind === 'partner' ? partner.apiClientRowId : null,
            kind === 'user' ? 'ADVISER' : kind === 'partner' ? 'PARTNER' : null,
            payload,
            reason,
            this.at(day, 300 + history.length),
          ]);
        record(null, 'GESENDET', sentDay, 'user', { consentId: sharing.id });
        let status = 'GESENDET';
        let answered: number | null = null;
        let closed: number | null = null;
        let declineReason: string | null = null;
        let outcome: string | null = null;
        let cancelReason: string | null = null;
        // The consent's end (withdrawal, or the day after it expired) cancels what is still open then.
        const consentEnd = Math.min(
          sharing.withdrawnDay ?? Infinity,
          sharing.expiresDay === null ? Infinity : sharing.expiresDay + 1,
        );
        const roll = random.next();
        const answerDay = sentDay + random.int(1, 20);
        // Partners answer only through an API client; those without one let referrals run out.
        const answers = partner.apiClientRowId !== null;
        if (roll < 0.07 && sentDay + 3 <= this.todayDay && sentDay + 3 < consentEnd) {
          status = 'STORNIERT';
          closed = sentDay + random.int(0, 3);
          cancelReason = 'Anliegen hat sich erledigt';
          record('GESENDET', 'STORNIERT', closed, 'user', {}, cancelReason);
        } else if ((!answers || answerDay > dueDay) && dueDay < this.todayDay && dueDay + 1 < consentEnd) {
          status = 'ABGELAUFEN';
          closed = dueDay + 1;
          record('GESENDET', 'ABGELAUFEN', closed, 'system', {});
        } else if (answers && answerDay <= this.todayDay && answerDay < consentEnd && answerDay <= dueDay) {
          answered = answerDay;
          if (roll < 0.17) {
            status = 'ABGELEHNT';
            declineReason = random.pick(['Nicht zuständig', 'Keine Kapazität', 'Unterlagen unvollständig']);
            closed = answerDay;
            record('GESENDET', 'ABGELEHNT', answerDay, 'partner', {}, declineReason);
          } else {
            status = 'ANGENOMMEN';
            record('GESENDET', 'ANGENOMMEN', answerDay, 'partner', {});
            const doneDay = answerDay + random.int(7, 120);
            if (doneDay <= this.todayDay && doneDay < consentEnd && random.chance(0.8)) {
              status = 'ERLEDIGT';
              closed = doneDay;
              outcome = random.pick([
                'Beratung durchgeführt',
                'Antrag eingereicht',
                'Maßnahme vermittelt',
                'Förderung bewilligt',
              ]);
              record('ANGENOMMEN', 'ERLEDIGT', doneDay, 'partner', {});
            }
          }
        }
        if ((status === 'GESENDET' || status === 'ANGENOMMEN') && consentEnd <= this.todayDay) {
          closed = consentEnd;
          cancelReason = sharing.withdrawnDay === consentEnd ? 'CONSENT_WITHDRAWN' : 'CONSENT_EXPIRED';
          record(status, 'STORNIERT', consentEnd, 'system', { consentId: sharing.id });
          status = 'STORNIERT';
        }
        await referralRows.add([
          referralId,
          client.id,
          office.id,
          partner.id,
          sharing.id,
          random.pick(reasons),
          categories,
          fromDay(dueDay),
          status,
          fromDay(sentDay),
          answered === null ? null : fromDay(answered),
          closed === null ? null : fromDay(closed),
          declineReason,
          outcome,
          cancelReason,
          history.length,
          this.at(sentDay, 300),
          this.at(closed ?? answered ?? sentDay, 300 + history.length),
        ]);
        for (const row of history) {
          await historyRows.add(row);
        }
        count += 1;
      }
    }
    await referralRows.finish();
    await historyRows.finish();
    this.counts.referrals = count;
    this.counts.referral_history = historyRows.inserted;
    this.options.progress.done();
  }

  // -------------------------------------------------------------------------------------------------
  // The audit events the API writes for each of these writes (never values), generated in SQL.

  private async auditPhase(): Promise<void> {
    this.timer.start('audit events');
    const statements = auditStatements(this.admins[0]);
    this.options.progress.phase('audit events', statements.length);
    for (const statement of statements) {
      await this.db.query(statement);
      this.options.progress.tick();
    }
    const { rows } = await this.db.query<{ count: string }>('SELECT count(*) FROM audit_events');
    this.counts.audit_events = Number(rows[0].count);
    this.options.progress.done();
  }

  /**
   * Drops the secondary indexes and the foreign keys of the big tables while they fill, and answers
   * their definitions to build them again afterwards (`restore`). Building an index once is several
   * times faster than maintaining it row by row, and re-adding a foreign key validates every row in
   * one join instead of one lookup per row. All of it inside the seed's transaction: a failure
   * restores them, and nobody sees the tables meanwhile.
   *
   * Their primary keys too, unless a table that keeps its foreign keys (enrolments → clients) needs
   * them while loading: the ids are random UUIDs, so every row lands on a random page of the key's
   * index — on the audit log (3M rows) that index outgrows shared_buffers and each checkpoint makes
   * every page of it cost a full-page image again; loading without it and building it once afterwards
   * more than halved the audit phase. A duplicate id still fails the seed, when the key is re-added.
   */
  private async deferIndexesAndForeignKeys(tables: readonly string[]): Promise<Deferred> {
    const indexes = await this.db.query<{ name: string; definition: string }>(
      `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace
          AND NOT x.indisprimary AND NOT x.indisunique
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
        ORDER BY t.relname, i.relname`,
      [tables],
    );
    const foreignKeys = await this.db.query<DeferredConstraint>(
      `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
         FROM pg_constraint
        WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND conrelid::regclass::text = ANY($1)
        ORDER BY 1, 2`,
      [tables],
    );
    const keys = await this.db.query<DeferredConstraint>(
      `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
         FROM pg_constraint k
        WHERE contype IN ('p', 'u') AND connamespace = 'public'::regnamespace
          AND conrelid::regclass::text = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                           WHERE f.contype = 'f' AND f.conindid = k.conindid
                             AND NOT (f.conrelid::regclass::text = ANY($1)))
        ORDER BY 1, 2`,
      [tables],
    );
    for (const constraint of [...foreignKeys.rows, ...keys.rows]) {
      await this.db.query(
        `ALTER TABLE ${quoteIdentifier(constraint.table)} DROP CONSTRAINT ${quoteIdentifier(constraint.name)}`,
      );
    }
    for (const index of indexes.rows) {
      await this.db.query(`DROP INDEX public.${quoteIdentifier(index.name)}`);
    }
    return { keys: keys.rows, indexes: indexes.rows, foreignKeys: foreignKeys.rows };
  }

  /** Re-adds the deferred keys and builds the indexes, then validates and re-adds the foreign keys. */
  private async restore(deferred: Deferred): Promise<void> {
    this.timer.start('indexes and foreign keys');
    this.options.progress.phase(
      'indexes and foreign keys',
      deferred.keys.length + deferred.indexes.length + deferred.foreignKeys.length,
    );
    await this.db.query("SET LOCAL maintenance_work_mem = '256MB'");
    const addConstraint = (constraint: DeferredConstraint) =>
      this.db.query(
        `ALTER TABLE ${quoteIdentifier(constraint.table)} ADD CONSTRAINT ${quoteIdentifier(constraint.name)} ${constraint.definition}`,
      );
    // Keys first: the foreign keys need the unique index of what they reference.
    for (const key of deferred.keys) {
      await addConstraint(key);
      this.options.progress.tick();
    }
    for (const index of deferred.indexes) {
      await this.db.query(index.definition);
      this.options.progress.tick();
    }
    for (const key of deferred.foreignKeys) {
      await addConstraint(key);
      this.options.progress.tick();
    }
    this.options.progress.done();
  }
}

interface DeferredConstraint {
  table: string;
  name: string;
  definition: string;
}

interface Deferred {
  keys: DeferredConstraint[];
  indexes: { name: string; definition: string }[];
  foreignKeys: DeferredConstraint[];
}

/**
 * The tables that receive most rows: their secondary indexes, foreign keys and (where no other table
 * needs them) primary keys are built after loading.
 */
const BULK_TABLES = [
  'clients',
  'client_qualifications',
  'consents',
  'consultations',
  'recognition_cases',
  'recognition_case_history',
  'substantial_differences',
  'enrolment_history',
  'referrals',
  'referral_history',
  'audit_events',
];

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function slug(text: string): string {
  return emailPart(text.replace(/[–-]/g, ' ')).slice(0, 40) || 'network';
}

function titleOf(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/**
 * One INSERT … SELECT per kind of write: the action, resource and actor the API records, at the time
 * of the write. Ids are derived from the row (md5), so a given seed writes the same events.
 */
function auditStatements(adminId: string): string[] {
  const insert = `INSERT INTO audit_events (id, occurred_at, actor_kind, actor_id, role, office_id, network_id, action, resource_type, resource_id, client_id, request_id, outcome)`;
  const adviser = (
    userColumn: string,
    at: string,
    action: string,
    resourceType: string,
    resourceId: string,
    clientId: string,
    from: string,
    /** What makes the event unique (the row, or the history step). */
    key = resourceId,
  ) =>
    `${insert}
     SELECT md5('${action}' || ${key}::text)::uuid, ${at}, 'user', u.id, u.role, u.office_id, COALESCE(u.network_id, uo.network_id),
            '${action}', '${resourceType}', ${resourceId}::text, ${clientId}, md5('request' || '${action}' || ${key}::text)::uuid, 'SUCCESS'
       ${from} JOIN users u ON u.id = ${userColumn} LEFT JOIN offices uo ON uo.id = u.office_id`;
  const admin = (table: string, action: string, resourceType: string) =>
    `${insert}
     SELECT md5('${action}' || t.id::text)::uuid, t.created_at, 'user', '${adminId}'::uuid, 'ADMIN', NULL, NULL,
            '${action}', '${resourceType}', t.id::text, NULL, md5('request' || t.id::text)::uuid, 'SUCCESS'
       FROM ${table} t`;
  return [
    admin('networks', 'network.create', 'network'),
    admin('offices', 'office.create', 'office'),
    admin('users', 'user.create', 'user'),
    admin('partners', 'partner.create', 'partner'),
    admin('api_clients', 'api-client.create', 'api-client'),
    adviser('c.created_by', 'c.created_at', 'client.create', 'client', 'c.id', 'c.id', 'FROM clients c'),
    adviser(
      'c.created_by',
      'q.created_at',
      'qualification.create',
      'qualification',
      'q.id',
      'q.client_id',
      'FROM client_qualifications q JOIN clients c ON c.id = q.client_id',
    ),
    adviser(
      'c.created_by',
      's.created_at',
      'consent.create',
      'consent',
      's.id',
      's.client_id',
      'FROM consents s JOIN clients c ON c.id = s.client_id',
    ),
    adviser(
      'c.created_by',
      's.withdrawn_at',
      'consent.withdraw',
      'consent',
      's.id',
      's.client_id',
      'FROM consents s JOIN clients c ON c.id = s.client_id AND s.withdrawn_at IS NOT NULL',
    ),
    adviser(
      'k.adviser_id',
      'k.created_at',
      'consultation.create',
      'consultation',
      'k.id',
      'k.client_id',
      'FROM consultations k',
    ),
    adviser(
      'k.voided_by',
      'k.voided_at',
      'consultation.void',
      'consultation',
      'k.id',
      'k.client_id',
      'FROM consultations k',
    ),
    adviser(
      'h.actor_id',
      'h.recorded_at',
      `recognition-case.' || CASE WHEN h.from_status IS NULL THEN 'create' ELSE 'transition' END || '`,
      'recognition-case',
      'h.case_id',
      'r.client_id',
      'FROM recognition_case_history h JOIN recognition_cases r ON r.id = h.case_id',
      'h.id',
    ),
    `${insert}
     SELECT md5('qualification-offer.create' || o.id::text)::uuid, o.created_at, 'user', n.coordinator, 'COORDINATOR', NULL, o.network_id,
            'qualification-offer.create', 'qualification-offer', o.id::text, NULL, md5('request' || o.id::text)::uuid, 'SUCCESS'
       FROM qualification_offers o
       JOIN LATERAL (SELECT id AS coordinator FROM users WHERE network_id = o.network_id AND role = 'COORDINATOR' ORDER BY email LIMIT 1) n ON true`,
    `${insert}
     SELECT md5('referral' || h.id::text)::uuid, h.recorded_at, h.actor_kind, h.actor_id, h.actor_role,
            CASE WHEN h.actor_kind = 'user' THEN r.office_id END, CASE WHEN h.actor_kind = 'user' THEN o.network_id END,
            'referral.' || CASE h.to_status WHEN 'GESENDET' THEN 'create' WHEN 'ANGENOMMEN' THEN 'accept' WHEN 'ABGELEHNT' THEN 'decline'
                                WHEN 'ERLEDIGT' THEN 'complete' WHEN 'ABGELAUFEN' THEN 'expire' ELSE 'cancel' END,
            'referral', r.id::text, r.client_id, md5('request' || h.id::text)::uuid, 'SUCCESS'
       FROM referral_history h JOIN referrals r ON r.id = h.referral_id JOIN offices o ON o.id = r.office_id`,
    adviser(
      'h.actor_id',
      'h.recorded_at',
      `enrolment.' || CASE WHEN h.from_status IS NULL THEN 'create' ELSE 'transition' END || '`,
      'enrolment',
      'h.enrolment_id',
      'e.client_id',
      'FROM enrolment_history h JOIN enrolments e ON e.id = h.enrolment_id',
      'h.id',
    ),
  ];
}
