/**
 * Every code list of the domain (`shared/domain.md`), the single source for DTO validation, database
 * checks and `GET /reference-data/enums` (labels in `code-labels.ts`). Codes for German legal and
 * administrative concepts stay German; they are part of the public contract and never change meaning.
 */
import { BUNDESLAENDER } from '../organisation/bundesland';
import { PARTNER_TYPES } from '../partners/partner-types';
import { USER_ROLES } from '../auth/roles';

export const GENDERS = ['W', 'M', 'D', 'X'] as const;

export const RESIDENCE_STATUSES = [
  'DEUTSCH',
  'EU_EWR_CH',
  'AE_ERWERB',
  'AE_16D',
  'AE_FAMILIE',
  'AE_HUMANITAER',
  'NIEDERLASSUNG',
  'AUFENTHALTSGESTATTUNG',
  'DULDUNG',
  'VISUM',
  'WOHNSITZ_AUSLAND',
  'SONSTIGES',
  'KEINE_ANGABE',
] as const;

export const GERMAN_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'KEINE', 'UNBEKANNT'] as const;

export const EMPLOYMENT_STATUSES = [
  'ERWERBSTAETIG',
  'SELBSTSTAENDIG',
  'ARBEITSLOS',
  'LANGZEITARBEITSLOS',
  'IN_BILDUNG',
  'NICHTERWERBSTAETIG',
] as const;

export const BENEFITS = ['SGB_II', 'SGB_III', 'ASYLBLG', 'KEINE'] as const;

export const ACCESS_ROUTES = [
  'SELBST',
  'SOZIALES_UMFELD',
  'JOBCENTER',
  'AGENTUR_FUER_ARBEIT',
  'KAMMER',
  'ANERKENNUNGSSTELLE',
  'MIGRATIONSBERATUNG',
  'ARBEITGEBER',
  'INTERNET',
  'SONSTIGE',
] as const;

export const QUALIFICATION_KINDS = [
  'BERUFSAUSBILDUNG',
  'HOCHSCHULABSCHLUSS',
  'FORTBILDUNG',
  'SCHULABSCHLUSS',
] as const;

export const CONSENT_PURPOSES = [
  'BERATUNG',
  'WEITERGABE_PARTNER',
  'ESF_MONITORING',
  'NACHBEFRAGUNG',
] as const;

export const DATA_CATEGORIES = [
  'STAMMDATEN',
  'KONTAKT',
  'QUALIFIKATION',
  'AUFENTHALT',
  'VERFAHREN',
  'BERATUNGSVERLAUF',
] as const;

/** A consent's state, derived: withdrawn and expired consents are kept as evidence but cover no sharing. */
export const CONSENT_STATUSES = ['ACTIVE', 'WITHDRAWN', 'EXPIRED'] as const;

export const CONSENT_METHODS = ['SCHRIFTLICH', 'ELEKTRONISCH', 'MUENDLICH_DOKUMENTIERT'] as const;

export const CONSULTATION_CHANNELS = ['PERSOENLICH', 'TELEFON', 'VIDEO', 'EMAIL', 'CHAT', 'GRUPPE'] as const;

export const CONSULTATION_KINDS = ['ERSTBERATUNG', 'FOLGEBERATUNG'] as const;

export const CONSULTATION_TOPICS = [
  'ANERKENNUNG_INFO',
  'REFERENZBERUF',
  'ZUSTAENDIGE_STELLE',
  'ANTRAGSUNTERSTUETZUNG',
  'UNTERLAGEN',
  'KOSTEN_FOERDERUNG',
  'BESCHEID_ERLAEUTERUNG',
  'AUSGLEICHSMASSNAHME',
  'ANPASSUNGSQUALIFIZIERUNG',
  'SPRACHFOERDERUNG',
  'ARBEITSMARKT',
  'ZAB_ZEUGNISBEWERTUNG',
  'SONSTIGES',
] as const;

export const CONSULTATION_OUTCOMES = [
  'ANTRAG_EMPFOHLEN',
  'ANTRAG_VORBEREITET',
  'UNTERLAGEN_NACHZUREICHEN',
  'VERWEIS_ERFOLGT',
  'QUALIFIZIERUNG_VERMITTELT',
  'FOERDERANTRAG_GESTELLT',
  'KEIN_ANERKENNUNGSBEDARF',
  'WEITERE_BERATUNG',
  'BERATUNG_ABGESCHLOSSEN',
] as const;

export const PROCEDURE_KINDS = ['GLEICHWERTIGKEIT', 'ZEUGNISBEWERTUNG_ZAB', 'BERUFSZULASSUNG'] as const;

export const FUNDING_SOURCES = [
  'ANERKENNUNGSZUSCHUSS',
  'JOBCENTER',
  'AGENTUR_FUER_ARBEIT',
  'LAND',
  'ARBEITGEBER',
  'SELBST',
] as const;

export const RECOGNITION_STATUSES = [
  'IN_VORBEREITUNG',
  'BEANTRAGT',
  'UNVOLLSTAENDIG',
  'IN_PRUEFUNG',
  'GEHEMMT',
  'BESCHIEDEN',
  'AUSGLEICH_LAUFEND',
  'RECHTSBEHELF',
  'ABGESCHLOSSEN',
  'ZURUECKGENOMMEN',
  'OHNE_BESCHEID_BEENDET',
] as const;

export const SUSPENSION_REASONS = ['NACHFORDERUNG', 'ECHTHEITSPRUEFUNG', 'QUALIFIKATIONSANALYSE'] as const;

export const RECOGNITION_OUTCOMES = [
  'VOLLE_GLEICHWERTIGKEIT',
  'TEILWEISE_GLEICHWERTIGKEIT',
  'AUFLAGE_AUSGLEICHSMASSNAHME',
  'KEINE_GLEICHWERTIGKEIT',
  'ABLEHNUNG_FORMAL',
  'GLEICHWERTIG_NACH_AUSGLEICH',
  'ZAB_BESCHEINIGUNG',
] as const;

/**
 * How substantial differences are compensated: the three compensation measures of a regulated
 * profession (§11 BQFG, sector laws), or an Anpassungsqualifizierung in a non-regulated one.
 */
export const COMPENSATION_OPTIONS = [
  'ANPASSUNGSLEHRGANG',
  'EIGNUNGSPRUEFUNG',
  'KENNTNISPRUEFUNG',
  'ANPASSUNGSQUALIFIZIERUNG',
] as const;

export const OFFER_TYPES = [
  'ANPASSUNGSLEHRGANG',
  'VORBEREITUNG_KENNTNISPRUEFUNG',
  'VORBEREITUNG_EIGNUNGSPRUEFUNG',
  'ANPASSUNGSQUALIFIZIERUNG',
  'BRUECKENMASSNAHME',
  'VORBEREITUNG_EXTERNENPRUEFUNG',
  'FACHSPRACHKURS',
  'QUALIFIKATIONSANALYSE',
  'SONSTIGE',
] as const;

export const OFFER_FORMATS = ['KURS', 'INDIVIDUELL', 'BETRIEBLICH'] as const;

export const OFFER_DELIVERIES = ['PRAESENZ', 'ONLINE', 'HYBRID'] as const;

export const ENROLMENT_STATUSES = [
  'ZUGESAGT',
  'WARTELISTE',
  'LAUFEND',
  'NICHT_ANGETRETEN',
  'ABGESCHLOSSEN_ERFOLGREICH',
  'ABGESCHLOSSEN_OHNE_ERFOLG',
  'ABGEBROCHEN',
  'STORNIERT',
] as const;

export const REFERRAL_STATUSES = [
  'GESENDET',
  'ANGENOMMEN',
  'ABGELEHNT',
  'ERLEDIGT',
  'STORNIERT',
  'ABGELAUFEN',
] as const;

/** The code lists served by `GET /reference-data/enums`, by their name in the API. */
export const CODE_LISTS = {
  gender: GENDERS,
  residenceStatus: RESIDENCE_STATUSES,
  germanLevel: GERMAN_LEVELS,
  employmentStatus: EMPLOYMENT_STATUSES,
  benefit: BENEFITS,
  accessRoute: ACCESS_ROUTES,
  qualificationKind: QUALIFICATION_KINDS,
  consentPurpose: CONSENT_PURPOSES,
  dataCategory: DATA_CATEGORIES,
  consentMethod: CONSENT_METHODS,
  consentStatus: CONSENT_STATUSES,
  consultationChannel: CONSULTATION_CHANNELS,
  consultationKind: CONSULTATION_KINDS,
  consultationTopic: CONSULTATION_TOPICS,
  consultationOutcome: CONSULTATION_OUTCOMES,
  procedureKind: PROCEDURE_KINDS,
  funding: FUNDING_SOURCES,
  recognitionStatus: RECOGNITION_STATUSES,
  suspensionReason: SUSPENSION_REASONS,
  recognitionOutcome: RECOGNITION_OUTCOMES,
  compensationOption: COMPENSATION_OPTIONS,
  offerType: OFFER_TYPES,
  offerFormat: OFFER_FORMATS,
  offerDelivery: OFFER_DELIVERIES,
  enrolmentStatus: ENROLMENT_STATUSES,
  referralStatus: REFERRAL_STATUSES,
  partnerType: PARTNER_TYPES,
  bundesland: BUNDESLAENDER,
  userRole: USER_ROLES,
} as const;

export type CodeListName = keyof typeof CODE_LISTS;
export type Code<Name extends CodeListName> = (typeof CODE_LISTS)[Name][number];

/** Pseudo-countries allowed beside ISO 3166-1 alpha-2 in nationalities: unknown and stateless. */
export const UNKNOWN_NATIONALITY = 'XX';
export const STATELESS = 'XS';
