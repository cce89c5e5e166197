import type { DataCategory } from './consent-coverage';

/**
 * The explicit allow-list of what a partner sees of a client, per consented data category. Nothing
 * outside it ever reaches a partner: the view is built member by member from this table, never by
 * copying a record. Notes, void reasons and free texts of consultations are in no category.
 */
export const PARTNER_VIEW_ALLOW_LIST: Readonly<Record<DataCategory, readonly (keyof SharedClientData)[]>> = {
  STAMMDATEN: ['firstName', 'lastName', 'birthDate'],
  KONTAKT: ['email', 'phone', 'postalCode', 'city'],
  QUALIFIKATION: ['qualifications'],
  AUFENTHALT: ['residenceStatus'],
  VERFAHREN: ['recognitionCase'],
  BERATUNGSVERLAUF: ['consultations'],
};

export interface SharedQualification {
  kind: string;
  titleOriginal: string | null;
  titleDe: string | null;
  country: string;
  yearAwarded: number | null;
  durationMonths: number | null;
  experienceMonths: number | null;
}

export interface SharedRecognitionCase {
  status: string;
  kldb: string;
  occupationTitle: string;
  procedureKind: string;
  submittedOn: string | null;
  documentsCompleteOn: string | null;
  decisionDueOn: string | null;
  decidedOn: string | null;
  outcome: string | null;
}

export interface SharedConsultation {
  heldOn: string;
  topics: string[];
  outcomes: string[];
}

/** Everything any category could show; the view picks the members of the consented categories. */
export interface SharedClientData {
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  postalCode: string | null;
  city: string | null;
  qualifications: SharedQualification[];
  residenceStatus: string | null;
  /** The referral's linked recognition case; `null` when it has none. */
  recognitionCase: SharedRecognitionCase | null;
  /** Consultations that were not voided, oldest first: dates, topics and outcomes only. */
  consultations: SharedConsultation[];
}

/** The members of the allow-list for these categories, in the table's order. */
export function allowedMembers(categories: readonly string[]): (keyof SharedClientData)[] {
  return (Object.keys(PARTNER_VIEW_ALLOW_LIST) as DataCategory[])
    .filter((category) => categories.includes(category))
    .flatMap((category) => PARTNER_VIEW_ALLOW_LIST[category]);
}

/** The partner's view of the client: exactly the allow-listed members of the consented categories. */
export function partnerView(
  data: SharedClientData,
  categories: readonly string[],
): Partial<SharedClientData> {
  const view: Partial<Record<keyof SharedClientData, unknown>> = {};
  for (const member of allowedMembers(categories)) {
    view[member] = data[member];
  }
  return view as Partial<SharedClientData>;
}
