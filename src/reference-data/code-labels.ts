import { CODE_LISTS, type Code, type CodeListName } from './codes';

/** The German and English label of one code. */
export interface CodeLabel {
  readonly de: string;
  readonly en: string;
}

/**
 * A label for every code of every list: the mapped type makes the compiler refuse a list or a code
 * without its labels (and a label for a code that does not exist).
 */
export type CodeLabels = { readonly [Name in CodeListName]: Readonly<Record<Code<Name>, CodeLabel>> };

/**
 * German and English labels of the domain codes (`codes.ts`), served by `GET /reference-data/enums`.
 * The German label is the term used in counselling and in the law; the English one explains it.
 */
export const CODE_LABELS: CodeLabels = {
  gender: {
    W: { de: 'weiblich', en: 'female' },
    M: { de: 'männlich', en: 'male' },
    D: { de: 'divers', en: 'diverse' },
    X: { de: 'keine Angabe', en: 'not stated' },
  },
  residenceStatus: {
    DEUTSCH: { de: 'Deutsche Staatsangehörigkeit', en: 'German citizenship' },
    EU_EWR_CH: {
      de: 'freizügigkeitsberechtigt (EU, EWR, Schweiz)',
      en: 'free movement (EU, EEA, Switzerland)',
    },
    AE_ERWERB: {
      de: 'Aufenthaltserlaubnis zur Erwerbstätigkeit (§§ 18 ff. AufenthG)',
      en: 'Residence permit for employment (§§ 18 et seq. Residence Act)',
    },
    AE_16D: {
      de: 'Aufenthaltserlaubnis zur Anerkennung (§ 16d AufenthG)',
      en: 'Residence permit for recognition (§ 16d Residence Act)',
    },
    AE_FAMILIE: {
      de: 'Aufenthaltserlaubnis aus familiären Gründen (§§ 27 ff. AufenthG)',
      en: 'Residence permit for family reasons (§§ 27 et seq. Residence Act)',
    },
    AE_HUMANITAER: {
      de: 'Aufenthaltserlaubnis aus humanitären Gründen (§§ 22 ff. AufenthG)',
      en: 'Residence permit on humanitarian grounds (§§ 22 et seq. Residence Act)',
    },
    NIEDERLASSUNG: {
      de: 'Niederlassungserlaubnis oder Erlaubnis zum Daueraufenthalt-EU',
      en: 'Settlement permit or EU long-term residence permit',
    },
    AUFENTHALTSGESTATTUNG: {
      de: 'Aufenthaltsgestattung (Asylverfahren)',
      en: 'Permission to reside during the asylum procedure',
    },
    DULDUNG: { de: 'Duldung', en: 'Temporary suspension of deportation (Duldung)' },
    VISUM: { de: 'Visum', en: 'Visa' },
    WOHNSITZ_AUSLAND: { de: 'Wohnsitz im Ausland', en: 'Living abroad' },
    SONSTIGES: { de: 'sonstiger Aufenthaltsstatus', en: 'other residence status' },
    KEINE_ANGABE: { de: 'keine Angabe', en: 'not stated' },
  },
  germanLevel: {
    A1: { de: 'A1 – Anfänger', en: 'A1 – beginner' },
    A2: { de: 'A2 – grundlegende Kenntnisse', en: 'A2 – elementary' },
    B1: { de: 'B1 – fortgeschrittene Sprachverwendung', en: 'B1 – intermediate' },
    B2: { de: 'B2 – selbstständige Sprachverwendung', en: 'B2 – upper intermediate' },
    C1: { de: 'C1 – fachkundige Sprachkenntnisse', en: 'C1 – advanced' },
    C2: { de: 'C2 – annähernd muttersprachliche Kenntnisse', en: 'C2 – proficient' },
    KEINE: { de: 'keine Deutschkenntnisse', en: 'no knowledge of German' },
    UNBEKANNT: { de: 'unbekannt', en: 'unknown' },
  },
  employmentStatus: {
    ERWERBSTAETIG: { de: 'erwerbstätig (abhängig beschäftigt)', en: 'employed' },
    SELBSTSTAENDIG: { de: 'selbstständig', en: 'self-employed' },
    ARBEITSLOS: { de: 'arbeitslos', en: 'unemployed' },
    LANGZEITARBEITSLOS: {
      de: 'langzeitarbeitslos (ein Jahr und länger)',
      en: 'long-term unemployed (one year or longer)',
    },
    IN_BILDUNG: { de: 'in Schule, Ausbildung oder Studium', en: 'in education or training' },
    NICHTERWERBSTAETIG: {
      de: 'nicht erwerbstätig (weder beschäftigt noch arbeitslos)',
      en: 'economically inactive (neither employed nor unemployed)',
    },
  },
  benefit: {
    SGB_II: { de: 'Bürgergeld (SGB II)', en: "Citizen's benefit (SGB II)" },
    SGB_III: { de: 'Arbeitslosengeld (SGB III)', en: 'Unemployment benefit (SGB III)' },
    ASYLBLG: {
      de: 'Leistungen nach dem Asylbewerberleistungsgesetz',
      en: "Benefits under the Asylum Seekers' Benefits Act",
    },
    KEINE: { de: 'keine Leistungen', en: 'no benefits' },
  },
  accessRoute: {
    SELBST: { de: 'eigene Initiative', en: 'own initiative' },
    SOZIALES_UMFELD: { de: 'Familie, Freunde, Bekannte', en: 'Family, friends, acquaintances' },
    JOBCENTER: { de: 'Jobcenter', en: 'Jobcenter' },
    AGENTUR_FUER_ARBEIT: { de: 'Agentur für Arbeit', en: 'Employment agency (Agentur für Arbeit)' },
    KAMMER: { de: 'Kammer', en: 'Chamber (crafts, industry, professions)' },
    ANERKENNUNGSSTELLE: { de: 'Anerkennungsstelle', en: 'Recognition authority' },
    MIGRATIONSBERATUNG: {
      de: 'Migrationsberatung (MBE, JMD)',
      en: 'Migration counselling service (MBE, JMD)',
    },
    ARBEITGEBER: { de: 'Arbeitgeber', en: 'Employer' },
    INTERNET: { de: 'Internet, soziale Medien', en: 'Internet, social media' },
    SONSTIGE: { de: 'sonstige', en: 'other' },
  },
  qualificationKind: {
    BERUFSAUSBILDUNG: { de: 'Berufsausbildung', en: 'Vocational training' },
    HOCHSCHULABSCHLUSS: { de: 'Hochschulabschluss', en: 'University degree' },
    FORTBILDUNG: {
      de: 'Aufstiegsfortbildung (z. B. Meister, Techniker)',
      en: 'Advanced vocational qualification (e.g. master craftsperson, technician)',
    },
    SCHULABSCHLUSS: { de: 'Schulabschluss', en: 'School-leaving certificate' },
  },
  consentPurpose: {
    BERATUNG: { de: 'Beratung', en: 'Counselling' },
    WEITERGABE_PARTNER: {
      de: 'Weitergabe an Kooperationspartner',
      en: 'Sharing with partner organisations',
    },
    ESF_MONITORING: { de: 'ESF-Monitoring', en: 'ESF monitoring' },
    NACHBEFRAGUNG: { de: 'Nachbefragung', en: 'Follow-up survey' },
  },
  dataCategory: {
    STAMMDATEN: { de: 'Stammdaten (Name, Geburtsdatum)', en: 'Identity data (name, date of birth)' },
    KONTAKT: { de: 'Kontaktdaten', en: 'Contact details' },
    QUALIFIKATION: { de: 'Qualifikationen', en: 'Qualifications' },
    AUFENTHALT: { de: 'Aufenthaltsstatus', en: 'Residence status' },
    VERFAHREN: { de: 'Anerkennungsverfahren', en: 'Recognition procedure' },
    BERATUNGSVERLAUF: {
      de: 'Beratungsverlauf (Zusammenfassungen)',
      en: 'Counselling history (summaries)',
    },
  },
  consentMethod: {
    SCHRIFTLICH: { de: 'schriftlich', en: 'in writing' },
    ELEKTRONISCH: { de: 'elektronisch', en: 'electronically' },
    MUENDLICH_DOKUMENTIERT: { de: 'mündlich, dokumentiert', en: 'orally, documented' },
  },
  consentStatus: {
    ACTIVE: { de: 'wirksam', en: 'active' },
    WITHDRAWN: { de: 'widerrufen', en: 'withdrawn' },
    EXPIRED: { de: 'abgelaufen', en: 'expired' },
  },
  consultationChannel: {
    PERSOENLICH: { de: 'persönlich', en: 'in person' },
    TELEFON: { de: 'Telefon', en: 'Telephone' },
    VIDEO: { de: 'Video', en: 'Video call' },
    EMAIL: { de: 'E-Mail', en: 'Email' },
    CHAT: { de: 'Chat', en: 'Chat' },
    GRUPPE: { de: 'Gruppenberatung', en: 'Group session' },
  },
  consultationKind: {
    ERSTBERATUNG: { de: 'Erstberatung', en: 'First consultation' },
    FOLGEBERATUNG: { de: 'Folgeberatung', en: 'Follow-up consultation' },
  },
  consultationTopic: {
    ANERKENNUNG_INFO: { de: 'Information zur Anerkennung', en: 'Information on recognition' },
    REFERENZBERUF: { de: 'Referenzberuf', en: 'Reference occupation' },
    ZUSTAENDIGE_STELLE: { de: 'zuständige Stelle', en: 'competent authority' },
    ANTRAGSUNTERSTUETZUNG: { de: 'Unterstützung beim Antrag', en: 'Help with the application' },
    UNTERLAGEN: { de: 'Unterlagen', en: 'Documents' },
    KOSTEN_FOERDERUNG: { de: 'Kosten und Förderung', en: 'Costs and funding' },
    BESCHEID_ERLAEUTERUNG: { de: 'Erläuterung des Bescheids', en: 'Explaining the decision' },
    AUSGLEICHSMASSNAHME: { de: 'Ausgleichsmaßnahme', en: 'Compensation measure' },
    ANPASSUNGSQUALIFIZIERUNG: { de: 'Anpassungsqualifizierung', en: 'Adaptation qualification' },
    SPRACHFOERDERUNG: { de: 'Sprachförderung', en: 'Language support' },
    ARBEITSMARKT: { de: 'Arbeitsmarkt und Beschäftigung', en: 'Labour market and employment' },
    ZAB_ZEUGNISBEWERTUNG: {
      de: 'Zeugnisbewertung der ZAB',
      en: 'Statement of comparability (ZAB)',
    },
    SONSTIGES: { de: 'Sonstiges', en: 'Other' },
  },
  consultationOutcome: {
    ANTRAG_EMPFOHLEN: { de: 'Antrag empfohlen', en: 'Application recommended' },
    ANTRAG_VORBEREITET: { de: 'Antrag vorbereitet', en: 'Application prepared' },
    UNTERLAGEN_NACHZUREICHEN: { de: 'Unterlagen nachzureichen', en: 'Documents to be supplied' },
    VERWEIS_ERFOLGT: { de: 'Verweisung erfolgt', en: 'Referred to a partner' },
    QUALIFIZIERUNG_VERMITTELT: { de: 'Qualifizierung vermittelt', en: 'Placed in a qualification' },
    FOERDERANTRAG_GESTELLT: { de: 'Förderantrag gestellt', en: 'Funding application submitted' },
    KEIN_ANERKENNUNGSBEDARF: { de: 'kein Anerkennungsbedarf', en: 'no recognition needed' },
    WEITERE_BERATUNG: { de: 'weitere Beratung vereinbart', en: 'further counselling arranged' },
    BERATUNG_ABGESCHLOSSEN: { de: 'Beratung abgeschlossen', en: 'Counselling completed' },
  },
  procedureKind: {
    GLEICHWERTIGKEIT: { de: 'Gleichwertigkeitsfeststellung', en: 'Equivalence assessment' },
    ZEUGNISBEWERTUNG_ZAB: {
      de: 'Zeugnisbewertung der ZAB',
      en: 'Statement of comparability by the ZAB',
    },
    BERUFSZULASSUNG: {
      de: 'Berufszulassung (z. B. Approbation, Berufserlaubnis)',
      en: 'Licence to practise (e.g. Approbation, professional licence)',
    },
  },
  funding: {
    ANERKENNUNGSZUSCHUSS: { de: 'Anerkennungszuschuss des Bundes', en: 'Federal recognition grant' },
    JOBCENTER: { de: 'Jobcenter', en: 'Jobcenter' },
    AGENTUR_FUER_ARBEIT: { de: 'Agentur für Arbeit', en: 'Employment agency (Agentur für Arbeit)' },
    LAND: { de: 'Förderprogramm des Landes', en: 'Funding programme of the Land' },
    ARBEITGEBER: { de: 'Arbeitgeber', en: 'Employer' },
    SELBST: { de: 'Selbstzahler', en: 'Self-funded' },
  },
  recognitionStatus: {
    IN_VORBEREITUNG: { de: 'in Vorbereitung', en: 'in preparation' },
    BEANTRAGT: { de: 'beantragt', en: 'applied for' },
    UNVOLLSTAENDIG: {
      de: 'unvollständig (Unterlagen nachgefordert)',
      en: 'incomplete (documents requested)',
    },
    IN_PRUEFUNG: { de: 'in Prüfung', en: 'under review' },
    GEHEMMT: { de: 'Frist gehemmt', en: 'Deadline suspended' },
    BESCHIEDEN: { de: 'beschieden', en: 'decided' },
    AUSGLEICH_LAUFEND: {
      de: 'Ausgleichsmaßnahme läuft',
      en: 'Compensation measure in progress',
    },
    RECHTSBEHELF: { de: 'Rechtsbehelf eingelegt', en: 'Appeal lodged' },
    ABGESCHLOSSEN: { de: 'abgeschlossen', en: 'closed' },
    ZURUECKGENOMMEN: { de: 'zurückgenommen', en: 'withdrawn' },
    OHNE_BESCHEID_BEENDET: { de: 'ohne Bescheid beendet', en: 'ended without a decision' },
  },
  suspensionReason: {
    NACHFORDERUNG: { de: 'Nachforderung von Unterlagen', en: 'Documents requested' },
    ECHTHEITSPRUEFUNG: { de: 'Echtheitsprüfung', en: 'Authenticity check' },
    QUALIFIKATIONSANALYSE: { de: 'Qualifikationsanalyse', en: 'Skills analysis' },
  },
  recognitionOutcome: {
    VOLLE_GLEICHWERTIGKEIT: { de: 'volle Gleichwertigkeit', en: 'full equivalence' },
    TEILWEISE_GLEICHWERTIGKEIT: { de: 'teilweise Gleichwertigkeit', en: 'partial equivalence' },
    AUFLAGE_AUSGLEICHSMASSNAHME: {
      de: 'Auflage einer Ausgleichsmaßnahme',
      en: 'Compensation measure required',
    },
    KEINE_GLEICHWERTIGKEIT: { de: 'keine Gleichwertigkeit', en: 'no equivalence' },
    ABLEHNUNG_FORMAL: { de: 'Ablehnung aus formalen Gründen', en: 'Rejected on formal grounds' },
    GLEICHWERTIG_NACH_AUSGLEICH: {
      de: 'gleichwertig nach Ausgleichsmaßnahme',
      en: 'equivalent after compensation measure',
    },
    ZAB_BESCHEINIGUNG: {
      de: 'Zeugnisbewertung der ZAB erteilt',
      en: 'Statement of comparability issued by the ZAB',
    },
  },
  compensationOption: {
    ANPASSUNGSLEHRGANG: { de: 'Anpassungslehrgang', en: 'Adaptation period' },
    EIGNUNGSPRUEFUNG: { de: 'Eignungsprüfung', en: 'Aptitude test' },
    KENNTNISPRUEFUNG: { de: 'Kenntnisprüfung', en: 'Knowledge test' },
    ANPASSUNGSQUALIFIZIERUNG: { de: 'Anpassungsqualifizierung', en: 'Adaptation qualification' },
  },
  offerType: {
    ANPASSUNGSLEHRGANG: { de: 'Anpassungslehrgang', en: 'Adaptation period' },
    VORBEREITUNG_KENNTNISPRUEFUNG: {
      de: 'Vorbereitung auf die Kenntnisprüfung',
      en: 'Preparation for the knowledge test',
    },
    VORBEREITUNG_EIGNUNGSPRUEFUNG: {
      de: 'Vorbereitung auf die Eignungsprüfung',
      en: 'Preparation for the aptitude test',
    },
    ANPASSUNGSQUALIFIZIERUNG: { de: 'Anpassungsqualifizierung', en: 'Adaptation qualification' },
    BRUECKENMASSNAHME: { de: 'Brückenmaßnahme', en: 'Bridging programme' },
    VORBEREITUNG_EXTERNENPRUEFUNG: {
      de: 'Vorbereitung auf die Externenprüfung',
      en: 'Preparation for the external examination',
    },
    FACHSPRACHKURS: { de: 'Fachsprachkurs', en: 'Professional language course' },
    QUALIFIKATIONSANALYSE: { de: 'Qualifikationsanalyse', en: 'Skills analysis' },
    SONSTIGE: { de: 'sonstige Maßnahme', en: 'other measure' },
  },
  offerFormat: {
    KURS: { de: 'Kurs (Gruppe)', en: 'Course (group)' },
    INDIVIDUELL: { de: 'individuell', en: 'individual' },
    BETRIEBLICH: { de: 'betrieblich', en: 'in-company' },
  },
  offerDelivery: {
    PRAESENZ: { de: 'Präsenz', en: 'In person' },
    ONLINE: { de: 'online', en: 'online' },
    HYBRID: { de: 'hybrid', en: 'hybrid' },
  },
  enrolmentStatus: {
    ZUGESAGT: { de: 'Platz zugesagt', en: 'Place confirmed' },
    WARTELISTE: { de: 'Warteliste', en: 'Waiting list' },
    LAUFEND: { de: 'laufend', en: 'in progress' },
    NICHT_ANGETRETEN: { de: 'nicht angetreten', en: 'did not start' },
    ABGESCHLOSSEN_ERFOLGREICH: { de: 'erfolgreich abgeschlossen', en: 'completed successfully' },
    ABGESCHLOSSEN_OHNE_ERFOLG: { de: 'ohne Erfolg abgeschlossen', en: 'completed without success' },
    ABGEBROCHEN: { de: 'abgebrochen', en: 'dropped out' },
    STORNIERT: { de: 'storniert', en: 'cancelled' },
  },
  referralStatus: {
    GESENDET: { de: 'gesendet', en: 'sent' },
    ANGENOMMEN: { de: 'angenommen', en: 'accepted' },
    ABGELEHNT: { de: 'abgelehnt', en: 'declined' },
    ERLEDIGT: { de: 'erledigt', en: 'completed' },
    STORNIERT: { de: 'storniert', en: 'cancelled' },
    ABGELAUFEN: { de: 'abgelaufen', en: 'expired' },
  },
  partnerType: {
    JOBCENTER: { de: 'Jobcenter', en: 'Jobcenter' },
    AGENTUR_FUER_ARBEIT: { de: 'Agentur für Arbeit', en: 'Employment agency (Agentur für Arbeit)' },
    KAMMER: { de: 'Kammer', en: 'Chamber (crafts, industry, professions)' },
    ANERKENNUNGSSTELLE: { de: 'Anerkennungsstelle', en: 'Recognition authority' },
    ZAB: {
      de: 'Zentralstelle für ausländisches Bildungswesen (ZAB)',
      en: 'Central Office for Foreign Education (ZAB)',
    },
    BILDUNGSTRAEGER: { de: 'Bildungsträger', en: 'Education provider' },
    AUSLAENDERBEHOERDE: { de: 'Ausländerbehörde', en: 'Immigration office' },
    MIGRATIONSBERATUNG: { de: 'Migrationsberatung', en: 'Migration counselling service' },
    ARBEITGEBER: { de: 'Arbeitgeber', en: 'Employer' },
    SONSTIGE: { de: 'sonstige', en: 'other' },
  },
  bundesland: {
    'DE-BW': { de: 'Baden-Württemberg', en: 'Baden-Württemberg' },
    'DE-BY': { de: 'Bayern', en: 'Bavaria' },
    'DE-BE': { de: 'Berlin', en: 'Berlin' },
    'DE-BB': { de: 'Brandenburg', en: 'Brandenburg' },
    'DE-HB': { de: 'Bremen', en: 'Bremen' },
    'DE-HH': { de: 'Hamburg', en: 'Hamburg' },
    'DE-HE': { de: 'Hessen', en: 'Hesse' },
    'DE-MV': { de: 'Mecklenburg-Vorpommern', en: 'Mecklenburg-Western Pomerania' },
    'DE-NI': { de: 'Niedersachsen', en: 'Lower Saxony' },
    'DE-NW': { de: 'Nordrhein-Westfalen', en: 'North Rhine-Westphalia' },
    'DE-RP': { de: 'Rheinland-Pfalz', en: 'Rhineland-Palatinate' },
    'DE-SL': { de: 'Saarland', en: 'Saarland' },
    'DE-SN': { de: 'Sachsen', en: 'Saxony' },
    'DE-ST': { de: 'Sachsen-Anhalt', en: 'Saxony-Anhalt' },
    'DE-SH': { de: 'Schleswig-Holstein', en: 'Schleswig-Holstein' },
    'DE-TH': { de: 'Thüringen', en: 'Thuringia' },
  },
  userRole: {
    ADMIN: { de: 'Administrator/in', en: 'Administrator' },
    COORDINATOR: { de: 'Koordinator/in', en: 'Coordinator' },
    ADVISER: { de: 'Berater/in', en: 'Adviser' },
  },
};

export interface LabelledCode extends CodeLabel {
  readonly code: string;
}

/** Every list with its codes in the order of `codes.ts`, each with both labels. */
export function labelledCodeLists(): Record<CodeListName, LabelledCode[]> {
  const lists = {} as Record<CodeListName, LabelledCode[]>;
  for (const name of Object.keys(CODE_LISTS) as CodeListName[]) {
    const labels: Readonly<Record<string, CodeLabel>> = CODE_LABELS[name];
    lists[name] = CODE_LISTS[name].map((code: string) => ({ code, ...labels[code] }));
  }
  return lists;
}
