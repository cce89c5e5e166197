import { PARTNER_TYPES } from '../partners/partner-types';
import { CODE_LABELS } from '../reference-data/code-labels';

/**
 * The tables the reports publish: their columns (measures), groupings and cells. One model for the
 * JSON answer, the CSV and the XLSX file. Definitions of every measure: docs/reports.md.
 */

/** `count`: a number of people or records (suppressed when small); `rate`: a share 0…1; `days`: a duration statistic. */
export type ColumnKind = 'count' | 'rate' | 'days';

export interface ReportColumn {
  key: string;
  kind: ColumnKind;
  /** German label (file headers with `locale=de`, XLSX). */
  label: string;
  description: string;
}

export interface Cell {
  /** `null` when suppressed, or for a rate or median without any case to compute it from. */
  value: number | null;
  suppressed: boolean;
}

export interface GroupValue {
  /** The code or id of the group; `null` for "not stated / not applicable". */
  id: string | null;
  label: string;
}

export interface ReportRow {
  group: Record<string, GroupValue>;
  cells: Record<string, Cell>;
}

/** A rate computed from count columns of the same row (suppressed with any of them). */
export interface RateRule {
  column: string;
  numerator: readonly string[];
  denominator: readonly string[];
}

/** A duration statistic over the cases counted in `basis` (suppressed with it, or when based on < minCell cases). */
export interface DaysRule {
  column: string;
  basis: string;
  /** The raw value holding the number of cases the statistic is computed from. */
  observations: string;
}

// ---------------------------------------------------------------------------------------------
// Groupings

export const CASELOAD_DIMENSIONS = [
  'network',
  'office',
  'month',
  'quarter',
  'kldb',
  'kldbGroup',
  'countryOfTraining',
  'gender',
  'residenceStatus',
  'regulated',
  'fastTrack',
] as const;
export type Dimension = (typeof CASELOAD_DIMENSIONS)[number];

export const OUTCOME_DIMENSIONS: readonly Dimension[] = [
  'kldb',
  'kldbGroup',
  'countryOfTraining',
  'network',
  'office',
  'month',
  'quarter',
  'gender',
  'regulated',
  'fastTrack',
];

export const DIMENSION_LABELS: Readonly<Record<Dimension, string>> = {
  network: 'Netzwerk',
  office: 'Beratungsstelle',
  month: 'Monat',
  quarter: 'Quartal',
  kldb: 'Referenzberuf (KldB 2010)',
  kldbGroup: 'Berufshauptgruppe (KldB 2010, 2-stellig)',
  countryOfTraining: 'Ausbildungsstaat',
  gender: 'Geschlecht',
  residenceStatus: 'Aufenthaltsstatus',
  regulated: 'Reglementierter Beruf',
  fastTrack: 'Beschleunigtes Fachkräfteverfahren (§ 81a AufenthG)',
};

// ---------------------------------------------------------------------------------------------
// Caseload

/** The decision outcomes of a first decision, one column each. */
export const DECISION_OUTCOME_COLUMNS = [
  ['decidedFullEquivalence', 'VOLLE_GLEICHWERTIGKEIT'],
  ['decidedPartialEquivalence', 'TEILWEISE_GLEICHWERTIGKEIT'],
  ['decidedCompensationMeasure', 'AUFLAGE_AUSGLEICHSMASSNAHME'],
  ['decidedNoEquivalence', 'KEINE_GLEICHWERTIGKEIT'],
  ['decidedFormalRejection', 'ABLEHNUNG_FORMAL'],
  ['decidedZabStatement', 'ZAB_BESCHEINIGUNG'],
] as const;

/** camelCase column key of a partner type: JOBCENTER → referralsSentJobcenter. */
export function referralTypeColumn(type: string): string {
  return `referralsSent${type
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;
}

export const CASELOAD_COLUMNS: readonly ReportColumn[] = [
  {
    key: 'clientsCounselled',
    kind: 'count',
    label: 'Beratene Personen',
    description:
      'Distinct clients with at least one (not voided) consultation in the period. Not additive over months: the total counts a person once.',
  },
  {
    key: 'newClients',
    kind: 'count',
    label: 'Neue Personen',
    description: 'Clients whose first consultation (Erstberatung) falls in the period.',
  },
  {
    key: 'consultationsFirst',
    kind: 'count',
    label: 'Erstberatungen',
    description: 'Consultations of kind ERSTBERATUNG held in the period (voided ones never count).',
  },
  {
    key: 'consultationsFollowUp',
    kind: 'count',
    label: 'Folgeberatungen',
    description: 'Consultations of kind FOLGEBERATUNG held in the period.',
  },
  {
    key: 'casesOpened',
    kind: 'count',
    label: 'Anträge gestellt',
    description: 'Recognition cases whose application was submitted in the period (submission date).',
  },
  {
    key: 'casesDecided',
    kind: 'count',
    label: 'Erstbescheide',
    description:
      'Recognition cases whose first decision is dated in the period; the sum of the outcome columns.',
  },
  ...DECISION_OUTCOME_COLUMNS.map(([key, outcome]): ReportColumn => ({
    key,
    kind: 'count',
    label: `Erstbescheide: ${CODE_LABELS.recognitionOutcome[outcome].de}`,
    description: `First decisions in the period with outcome ${outcome}.`,
  })),
  {
    key: 'casesOpenAtEnd',
    kind: 'count',
    label: 'Offene Verfahren am Ende des Zeitraums',
    description:
      'Cases submitted and neither decided nor ended without a decision on the last day of the period (of each month or quarter when grouped by time; today when that day is later).',
  },
  {
    key: 'casesOverdueAtEnd',
    kind: 'count',
    label: 'Davon überfällig',
    description:
      'Of the open cases, those whose documents were complete and whose decision due date had passed on that day.',
  },
  {
    key: 'medianProcessingDays',
    kind: 'days',
    label: 'Bearbeitungsdauer Median (Tage)',
    description:
      'Median calendar days from documents complete to the first decision, over the first decisions in the period.',
  },
  {
    key: 'p75ProcessingDays',
    kind: 'days',
    label: 'Bearbeitungsdauer 75. Perzentil (Tage)',
    description: '75th percentile of the same durations.',
  },
  {
    key: 'enrolmentsStarted',
    kind: 'count',
    label: 'Qualifizierungen begonnen',
    description: 'Enrolments that started (LAUFEND) in the period.',
  },
  {
    key: 'enrolmentsCompleted',
    kind: 'count',
    label: 'Qualifizierungen erfolgreich abgeschlossen',
    description: 'Enrolments that ended ABGESCHLOSSEN_ERFOLGREICH in the period.',
  },
  {
    key: 'enrolmentsFailed',
    kind: 'count',
    label: 'Qualifizierungen ohne Erfolg beendet',
    description: 'Enrolments that ended ABGESCHLOSSEN_OHNE_ERFOLG in the period.',
  },
  {
    key: 'enrolmentsDropped',
    kind: 'count',
    label: 'Qualifizierungen abgebrochen',
    description: 'Enrolments that ended ABGEBROCHEN in the period.',
  },
  {
    key: 'completionRate',
    kind: 'rate',
    label: 'Erfolgsquote Qualifizierungen',
    description: 'completed ÷ (completed + failed + dropped), of the enrolments that ended in the period.',
  },
  {
    key: 'referralsSent',
    kind: 'count',
    label: 'Verweisungen gesendet',
    description: 'Referrals sent in the period; the sum of the partner-type columns.',
  },
  ...PARTNER_TYPES.map((type): ReportColumn => ({
    key: referralTypeColumn(type),
    kind: 'count',
    label: `Verweisungen an ${CODE_LABELS.partnerType[type].de}`,
    description: `Referrals sent in the period to partners of type ${type}.`,
  })),
  {
    key: 'referralsAccepted',
    kind: 'count',
    label: 'Verweisungen angenommen',
    description:
      'Of the referrals sent in the period, those the partner accepted (ANGENOMMEN, later ERLEDIGT, or cancelled after acceptance).',
  },
  {
    key: 'referralsDeclined',
    kind: 'count',
    label: 'Verweisungen abgelehnt',
    description: 'Of the referrals sent in the period, those the partner declined (ABGELEHNT).',
  },
  {
    key: 'referralsExpired',
    kind: 'count',
    label: 'Verweisungen ohne Antwort abgelaufen',
    description: 'Of the referrals sent in the period, those that expired without an answer (ABGELAUFEN).',
  },
  {
    key: 'referralAcceptanceRate',
    kind: 'rate',
    label: 'Annahmequote Verweisungen',
    description:
      'accepted ÷ (accepted + declined + expired): referrals still waiting for an answer and those the office cancelled before an answer do not count.',
  },
];

export const CASELOAD_SUMS: readonly { total: string; parts: readonly string[] }[] = [
  { total: 'casesDecided', parts: DECISION_OUTCOME_COLUMNS.map(([key]) => key) },
  { total: 'referralsSent', parts: PARTNER_TYPES.map(referralTypeColumn) },
];

export const CASELOAD_RATES: readonly RateRule[] = [
  {
    column: 'completionRate',
    numerator: ['enrolmentsCompleted'],
    denominator: ['enrolmentsCompleted', 'enrolmentsFailed', 'enrolmentsDropped'],
  },
  {
    column: 'referralAcceptanceRate',
    numerator: ['referralsAccepted'],
    denominator: ['referralsAccepted', 'referralsDeclined', 'referralsExpired'],
  },
];

export const CASELOAD_DAYS: readonly DaysRule[] = [
  { column: 'medianProcessingDays', basis: 'casesDecided', observations: 'processingObservations' },
  { column: 'p75ProcessingDays', basis: 'casesDecided', observations: 'processingObservations' },
];

// ---------------------------------------------------------------------------------------------
// Recognition outcomes (the grouping of the §17 BQFG statistic)

export const OUTCOME_GROUPS = [
  ['fullEquivalence', 'Volle Gleichwertigkeit', ['VOLLE_GLEICHWERTIGKEIT']],
  ['partialEquivalence', 'Teilweise Gleichwertigkeit', ['TEILWEISE_GLEICHWERTIGKEIT']],
  ['compensationMeasure', 'Auflage einer Ausgleichsmaßnahme', ['AUFLAGE_AUSGLEICHSMASSNAHME']],
  ['negative', 'Keine Gleichwertigkeit', ['KEINE_GLEICHWERTIGKEIT']],
  [
    'other',
    'Sonstige Erledigung (formale Ablehnung, ZAB-Bescheinigung)',
    ['ABLEHNUNG_FORMAL', 'ZAB_BESCHEINIGUNG'],
  ],
] as const;

export const OUTCOME_COLUMNS: readonly ReportColumn[] = [
  {
    key: 'decisions',
    kind: 'count',
    label: 'Erstbescheide insgesamt',
    description:
      'Recognition cases whose first decision is dated in the period; the sum of the outcome columns.',
  },
  ...OUTCOME_GROUPS.map(([key, label, outcomes]): ReportColumn => ({
    key,
    kind: 'count',
    label,
    description: `First decisions with outcome ${outcomes.join(' or ')}.`,
  })),
  {
    key: 'medianProcessingDays',
    kind: 'days',
    label: 'Bearbeitungsdauer Median (Tage)',
    description: 'Median calendar days from documents complete to the first decision.',
  },
];

export const OUTCOME_SUMS = [{ total: 'decisions', parts: OUTCOME_GROUPS.map(([key]) => key) }];

export const OUTCOME_DAYS: readonly DaysRule[] = [
  { column: 'medianProcessingDays', basis: 'decisions', observations: 'processingObservations' },
];

// ---------------------------------------------------------------------------------------------
// ESF+ participants (Regulation (EU) 2021/1057, Annex I, 1.1 and 1.2)

export const ESF_COLUMNS: readonly ReportColumn[] = [
  { key: 'women', kind: 'count', label: 'Frauen', description: 'Participants with gender W.' },
  { key: 'men', kind: 'count', label: 'Männer', description: 'Participants with gender M.' },
  {
    key: 'nonBinary',
    kind: 'count',
    label: 'Nicht-binär',
    description: 'Participants with gender D (divers).',
  },
  {
    key: 'notStated',
    kind: 'count',
    label: 'Ohne Angabe',
    description: 'Participants with gender X (no answer); not an ESF+ category, shown so the rows add up.',
  },
  { key: 'total', kind: 'count', label: 'Insgesamt', description: 'All participants of the row.' },
];

export const ESF_GENDER_COLUMNS = [
  ['women', 'W'],
  ['men', 'M'],
  ['nonBinary', 'D'],
  ['notStated', 'X'],
] as const;

/** The indicator rows: key, German label, ESF+ reference, and the partitions of the participants they belong to. */
export const ESF_INDICATORS = [
  ['participants', 'Teilnehmende insgesamt', 'Annex I 1.1: total number of participants'],
  [
    'unemployed',
    'Arbeitslose, einschl. Langzeitarbeitslose',
    'Annex I 1.1: unemployed, including long-term unemployed',
  ],
  ['longTermUnemployed', 'Langzeitarbeitslose', 'Annex I 1.1: long-term unemployed'],
  ['inactive', 'Nichterwerbstätige', 'Annex I 1.1: inactive'],
  ['employed', 'Erwerbstätige, einschl. Selbstständige', 'Annex I 1.1: employed, including self-employed'],
  [
    'employmentNotStated',
    'Erwerbsstatus ohne Angabe',
    'not an indicator; completes the employment partition',
  ],
  ['under18', 'unter 18 Jahre', 'Annex I 1.1: children below 18 years of age'],
  ['age18to29', '18 bis 29 Jahre', 'Annex I 1.1: young people between 18 and 29 years of age'],
  ['age30to54', '30 bis 54 Jahre', 'not an indicator; completes the age partition'],
  ['age55plus', '55 Jahre und älter', 'Annex I 1.1: participants aged 55 years and above'],
  ['ageNotStated', 'Alter ohne Angabe', 'not an indicator; completes the age partition'],
  ['isced0to2', 'ISCED 0–2', 'Annex I 1.1: with lower secondary education or less (ISCED 0-2)'],
  [
    'isced3to4',
    'ISCED 3–4',
    'Annex I 1.1: with upper secondary (ISCED 3) or post-secondary education (ISCED 4)',
  ],
  ['isced5to8', 'ISCED 5–8', 'Annex I 1.1: with tertiary education (ISCED 5 to 8)'],
  ['iscedNotStated', 'ISCED ohne Angabe', 'not an indicator; completes the education partition'],
  ['thirdCountryNationals', 'Drittstaatsangehörige', 'Annex I 1.2: third-country nationals'],
] as const;

/** Row partitions of the participants (each sums to the `participants` row, column by column). */
export const ESF_PARTITIONS: readonly (readonly string[])[] = [
  ['unemployed', 'inactive', 'employed', 'employmentNotStated'],
  ['under18', 'age18to29', 'age30to54', 'age55plus', 'ageNotStated'],
  ['isced0to2', 'isced3to4', 'isced5to8', 'iscedNotStated'],
];
