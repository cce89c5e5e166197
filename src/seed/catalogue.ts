/**
 * The fixed shape of the seeded country: the IQ networks with their Länder, where people live, where
 * clients trained (the main countries of training in the recognition statistics) and the partners an
 * office works with. Figures are rounded orientation values, not official statistics.
 */

export interface LandInfo {
  code: string;
  name: string;
  /** Relative number of counselling cases (roughly population × migration). */
  weight: number;
  /** Cities with the first two digits of their postal codes. */
  cities: readonly (readonly [string, string])[];
}

export const LAENDER: readonly LandInfo[] = [
  {
    code: 'DE-BW',
    name: 'Baden-Württemberg',
    weight: 14,
    cities: [
      ['Stuttgart', '70'],
      ['Mannheim', '68'],
      ['Karlsruhe', '76'],
      ['Freiburg im Breisgau', '79'],
      ['Ulm', '89'],
    ],
  },
  {
    code: 'DE-BY',
    name: 'Bayern',
    weight: 15,
    cities: [
      ['München', '80'],
      ['Nürnberg', '90'],
      ['Augsburg', '86'],
      ['Regensburg', '93'],
      ['Würzburg', '97'],
    ],
  },
  {
    code: 'DE-BE',
    name: 'Berlin',
    weight: 7,
    cities: [
      ['Berlin', '10'],
      ['Berlin', '12'],
      ['Berlin', '13'],
    ],
  },
  {
    code: 'DE-BB',
    name: 'Brandenburg',
    weight: 2,
    cities: [
      ['Potsdam', '14'],
      ['Cottbus', '03'],
      ['Frankfurt (Oder)', '15'],
    ],
  },
  {
    code: 'DE-HB',
    name: 'Bremen',
    weight: 1,
    cities: [
      ['Bremen', '28'],
      ['Bremerhaven', '27'],
    ],
  },
  {
    code: 'DE-HH',
    name: 'Hamburg',
    weight: 3,
    cities: [
      ['Hamburg', '20'],
      ['Hamburg', '22'],
    ],
  },
  {
    code: 'DE-HE',
    name: 'Hessen',
    weight: 9,
    cities: [
      ['Frankfurt am Main', '60'],
      ['Wiesbaden', '65'],
      ['Kassel', '34'],
      ['Darmstadt', '64'],
      ['Offenbach am Main', '63'],
    ],
  },
  {
    code: 'DE-MV',
    name: 'Mecklenburg-Vorpommern',
    weight: 1,
    cities: [
      ['Rostock', '18'],
      ['Schwerin', '19'],
      ['Greifswald', '17'],
    ],
  },
  {
    code: 'DE-NI',
    name: 'Niedersachsen',
    weight: 9,
    cities: [
      ['Hannover', '30'],
      ['Braunschweig', '38'],
      ['Osnabrück', '49'],
      ['Oldenburg', '26'],
      ['Göttingen', '37'],
    ],
  },
  {
    code: 'DE-NW',
    name: 'Nordrhein-Westfalen',
    weight: 22,
    cities: [
      ['Köln', '50'],
      ['Düsseldorf', '40'],
      ['Dortmund', '44'],
      ['Essen', '45'],
      ['Duisburg', '47'],
      ['Bielefeld', '33'],
      ['Münster', '48'],
      ['Aachen', '52'],
      ['Bonn', '53'],
      ['Wuppertal', '42'],
    ],
  },
  {
    code: 'DE-RP',
    name: 'Rheinland-Pfalz',
    weight: 4,
    cities: [
      ['Mainz', '55'],
      ['Ludwigshafen am Rhein', '67'],
      ['Koblenz', '56'],
      ['Trier', '54'],
    ],
  },
  {
    code: 'DE-SL',
    name: 'Saarland',
    weight: 1,
    cities: [
      ['Saarbrücken', '66'],
      ['Neunkirchen', '66'],
    ],
  },
  {
    code: 'DE-SN',
    name: 'Sachsen',
    weight: 4,
    cities: [
      ['Leipzig', '04'],
      ['Dresden', '01'],
      ['Chemnitz', '09'],
    ],
  },
  {
    code: 'DE-ST',
    name: 'Sachsen-Anhalt',
    weight: 2,
    cities: [
      ['Magdeburg', '39'],
      ['Halle (Saale)', '06'],
      ['Dessau-Roßlau', '06'],
    ],
  },
  {
    code: 'DE-SH',
    name: 'Schleswig-Holstein',
    weight: 3,
    cities: [
      ['Kiel', '24'],
      ['Lübeck', '23'],
      ['Flensburg', '24'],
    ],
  },
  {
    code: 'DE-TH',
    name: 'Thüringen',
    weight: 2,
    cities: [
      ['Erfurt', '99'],
      ['Jena', '07'],
      ['Gera', '07'],
    ],
  },
];

export interface NetworkPlan {
  name: string;
  bundeslaender: readonly string[];
  /** Share of the offices. */
  weight: number;
}

/**
 * 23 networks: one per Land (NRW has two), and six networks across Länder (specialist and
 * border-region networks) with offices in each of their Länder.
 */
export const NETWORKS: readonly NetworkPlan[] = [
  ...LAENDER.filter((land) => land.code !== 'DE-NW').map((land) => ({
    name: `IQ Netzwerk ${land.name}`,
    bundeslaender: [land.code],
    weight: land.weight,
  })),
  { name: 'IQ Netzwerk NRW – Rheinland', bundeslaender: ['DE-NW'], weight: 12 },
  { name: 'IQ Netzwerk NRW – Westfalen', bundeslaender: ['DE-NW'], weight: 10 },
  { name: 'IQ Netzwerk Rhein-Main-Neckar', bundeslaender: ['DE-HE', 'DE-BW', 'DE-RP'], weight: 2 },
  { name: 'IQ Netzwerk Metropolregion Nord', bundeslaender: ['DE-HH', 'DE-SH', 'DE-NI'], weight: 2 },
  { name: 'IQ Netzwerk Mitteldeutschland', bundeslaender: ['DE-SN', 'DE-ST', 'DE-TH'], weight: 1.5 },
  { name: 'IQ Netzwerk Berlin-Brandenburg Mobil', bundeslaender: ['DE-BE', 'DE-BB'], weight: 1.5 },
  { name: 'IQ Netzwerk Südwest Grenzregion', bundeslaender: ['DE-SL', 'DE-RP'], weight: 1 },
  {
    name: 'IQ Fachnetzwerk Gesundheitsberufe',
    bundeslaender: ['DE-BY', 'DE-BW', 'DE-NW', 'DE-NI'],
    weight: 2,
  },
];

export interface Origin {
  /** ISO 3166-1 alpha-2 country of training and (usually) nationality. */
  country: string;
  /** Share of the clients, in per cent. */
  weight: number;
  /** Where names come from: a faker locale or a curated list below. */
  names:
    | 'de'
    | 'uk'
    | 'ru'
    | 'tr'
    | 'pl'
    | 'ro'
    | 'en_IN'
    | 'hr'
    | 'sr_RS_latin'
    | 'arabic'
    | 'persian'
    | 'afghan'
    | 'greek'
    | 'en'
    | 'es'
    | 'pt_BR'
    | 'it';
  /** ISO 639-1 languages of counselling besides German. */
  languages: readonly string[];
  eu: boolean;
}

/** Main countries of training of people seeking recognition (rounded shares). */
export const ORIGINS: readonly Origin[] = [
  { country: 'SY', weight: 13, names: 'arabic', languages: ['ar'], eu: false },
  { country: 'UA', weight: 11, names: 'uk', languages: ['uk', 'ru'], eu: false },
  { country: 'TR', weight: 8, names: 'tr', languages: ['tr'], eu: false },
  { country: 'IN', weight: 6, names: 'en_IN', languages: ['en', 'hi'], eu: false },
  { country: 'PL', weight: 5, names: 'pl', languages: ['pl'], eu: true },
  { country: 'RO', weight: 5, names: 'ro', languages: ['ro'], eu: true },
  { country: 'RU', weight: 4, names: 'ru', languages: ['ru'], eu: false },
  { country: 'IR', weight: 4, names: 'persian', languages: ['fa', 'en'], eu: false },
  { country: 'AF', weight: 4, names: 'afghan', languages: ['fa', 'ps'], eu: false },
  { country: 'BA', weight: 4, names: 'hr', languages: ['bs', 'hr'], eu: false },
  { country: 'RS', weight: 3, names: 'sr_RS_latin', languages: ['sr'], eu: false },
  { country: 'IQ', weight: 3, names: 'arabic', languages: ['ar', 'ku'], eu: false },
  { country: 'EG', weight: 2, names: 'arabic', languages: ['ar', 'en'], eu: false },
  { country: 'TN', weight: 2, names: 'arabic', languages: ['ar', 'fr'], eu: false },
  { country: 'PH', weight: 2, names: 'en', languages: ['en'], eu: false },
  { country: 'GR', weight: 2, names: 'greek', languages: ['el'], eu: true },
  { country: 'IT', weight: 2, names: 'it', languages: ['it'], eu: true },
  { country: 'CO', weight: 2, names: 'es', languages: ['es'], eu: false },
  { country: 'BR', weight: 2, names: 'pt_BR', languages: ['pt'], eu: false },
  { country: 'MX', weight: 1, names: 'es', languages: ['es'], eu: false },
  { country: 'NG', weight: 1, names: 'en', languages: ['en'], eu: false },
  { country: 'HR', weight: 2, names: 'hr', languages: ['hr'], eu: true },
  // Germans with a foreign qualification (studied or trained abroad) and Spätaussiedler.
  { country: 'KZ', weight: 3, names: 'ru', languages: ['ru'], eu: false },
  { country: 'DE', weight: 7, names: 'de', languages: [], eu: true },
];

/** Latin spellings as they appear in German passports and residence permits. */
export const CURATED_NAMES: Readonly<
  Record<
    'arabic' | 'persian' | 'afghan' | 'greek',
    { female: readonly string[]; male: readonly string[]; last: readonly string[] }
  >
> = {
  arabic: {
    female: [
      'Fatima',
      'Aisha',
      'Mariam',
      'Noor',
      'Rania',
      'Lina',
      'Hiba',
      'Yasmin',
      'Sara',
      'Reem',
      'Dana',
      'Hala',
      'Rasha',
      'Amal',
      'Layla',
      'Nour',
      'Ghada',
      'Salma',
      'Huda',
      'Zeinab',
    ],
    male: [
      'Mohammed',
      'Ahmad',
      'Omar',
      'Khaled',
      'Mahmoud',
      'Hassan',
      'Ali',
      'Youssef',
      'Bilal',
      'Tarek',
      'Samer',
      'Rami',
      'Abdullah',
      'Mustafa',
      'Ibrahim',
      'Firas',
      'Karim',
      'Hussein',
      'Walid',
      'Anas',
    ],
    last: [
      'Al-Ahmad',
      'Hassan',
      'Khalil',
      'Al Khatib',
      'Haddad',
      'Ibrahim',
      'Mansour',
      'Nasser',
      'Saleh',
      'Youssef',
      'Darwish',
      'Al-Hamwi',
      'Othman',
      'Shaheen',
      'Kanaan',
      'Abdallah',
      'El-Sayed',
      'Hamdan',
      'Qasim',
      'Suleiman',
      'Al Masri',
      'Jaber',
      'Barakat',
      'Habib',
    ],
  },
  persian: {
    female: [
      'Maryam',
      'Zahra',
      'Fatemeh',
      'Narges',
      'Shirin',
      'Leila',
      'Parisa',
      'Niloofar',
      'Mahsa',
      'Sepideh',
      'Azadeh',
      'Roya',
    ],
    male: [
      'Reza',
      'Mehdi',
      'Ali',
      'Hossein',
      'Amir',
      'Saeed',
      'Mohammad',
      'Hamid',
      'Behzad',
      'Arash',
      'Babak',
      'Farhad',
    ],
    last: [
      'Hosseini',
      'Ahmadi',
      'Mohammadi',
      'Rezaei',
      'Karimi',
      'Moradi',
      'Jafari',
      'Rahimi',
      'Sadeghi',
      'Tehrani',
      'Kazemi',
      'Ebrahimi',
      'Shirazi',
      'Najafi',
    ],
  },
  afghan: {
    female: [
      'Fereshta',
      'Mursal',
      'Zarghuna',
      'Shabnam',
      'Nazanin',
      'Farida',
      'Mina',
      'Habiba',
      'Gulalai',
      'Marwa',
    ],
    male: [
      'Ahmad',
      'Mohammad',
      'Abdul',
      'Sayed',
      'Hamid',
      'Najib',
      'Farid',
      'Jawad',
      'Wahid',
      'Rahim',
      'Mustafa',
      'Naweed',
    ],
    last: [
      'Ahmadzai',
      'Popal',
      'Sultani',
      'Hashimi',
      'Karimi',
      'Noori',
      'Stanikzai',
      'Rahimi',
      'Safi',
      'Amiri',
      'Haidari',
      'Wardak',
      'Sadat',
    ],
  },
  greek: {
    female: [
      'Maria',
      'Eleni',
      'Katerina',
      'Georgia',
      'Dimitra',
      'Sofia',
      'Ioanna',
      'Vasiliki',
      'Angeliki',
      'Despina',
    ],
    male: [
      'Georgios',
      'Dimitrios',
      'Konstantinos',
      'Ioannis',
      'Nikolaos',
      'Panagiotis',
      'Christos',
      'Athanasios',
      'Vasileios',
      'Evangelos',
    ],
    last: [
      'Papadopoulos',
      'Georgiou',
      'Nikolaidis',
      'Dimitriou',
      'Konstantinidis',
      'Papadakis',
      'Vlachos',
      'Oikonomou',
      'Makris',
      'Alexiou',
      'Karagiannis',
    ],
  },
};

/** Partner types with how many per Land, and whether they get machine credentials. */
export const PARTNER_PLAN: readonly {
  type: string;
  perLand: number;
  names: readonly string[];
  apiClient: boolean;
}[] = [
  { type: 'JOBCENTER', perLand: 3, names: ['Jobcenter'], apiClient: true },
  { type: 'AGENTUR_FUER_ARBEIT', perLand: 2, names: ['Agentur für Arbeit'], apiClient: true },
  { type: 'KAMMER', perLand: 2, names: ['IHK FOSA-Kontaktstelle', 'Handwerkskammer'], apiClient: true },
  {
    type: 'ANERKENNUNGSSTELLE',
    perLand: 2,
    names: ['Landesprüfungsamt für Gesundheitsberufe', 'Anerkennungsstelle Lehrkräfte'],
    apiClient: true,
  },
  {
    type: 'BILDUNGSTRAEGER',
    perLand: 3,
    names: ['Bildungswerk', 'Akademie für Pflegeberufe', 'Berufsförderungswerk'],
    apiClient: true,
  },
  { type: 'AUSLAENDERBEHOERDE', perLand: 1, names: ['Ausländerbehörde'], apiClient: false },
  { type: 'MIGRATIONSBERATUNG', perLand: 1, names: ['Migrationsberatung für Erwachsene'], apiClient: true },
  { type: 'ARBEITGEBER', perLand: 1, names: ['Klinikum', 'Pflegedienst', 'Ingenieurbüro'], apiClient: false },
  { type: 'SONSTIGE', perLand: 1, names: ['Welcome Center'], apiClient: false },
];

/** Per-row probabilities and means (shared by both scales). */
export const SHAPE = {
  qualificationShare: 0.88,
  secondQualification: 0.15,
  consultationsMean: 3.35,
  voidedShare: 0.01,
  partnerConsentShare: 0.37,
  esfConsentShare: 0.6,
  followUpConsentShare: 0.2,
  withdrawnShare: 0.04,
  fastTrackShare: 0.08,
} as const;
