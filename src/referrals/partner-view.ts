import type { SharableRecord } from '../clients/client-sharing.service';
import type { SharedCaseFacts } from '../recognition/recognition-case.service';
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

/** A qualification as the clients module answers it for sharing. */
export type SharedQualification = SharableRecord['qualifications'][number];

/** The linked case as the recognition module answers it for sharing (category VERFAHREN). */
export type SharedRecognitionCase = SharedCaseFacts;

/** A consultation for sharing: dates, topics and outcomes only. */
export type SharedConsultation = SharableRecord['consultations'][number];

/** Everything any category could show; the view picks the members of the consented categories. */
export type SharedClientData = SharableRecord['identity'] & {
  qualifications: SharedQualification[];
  /** The referral's linked recognition case; `null` when it has none. */
  recognitionCase: SharedRecognitionCase | null;
  /** Consultations that were not voided, oldest first. */
  consultations: SharedConsultation[];
};

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
