import { Injectable } from '@nestjs/common';
import { ProblemError, RequestValidationError } from '../common/errors/problem.error';
import { decodeCursor, toPage, type Page } from '../common/http/pagination';
import { labelledCodeLists } from './code-labels';
import { COUNTRY_CODES, EU_EEA_CH, PSEUDO_NATIONALITIES, countryShortName } from './countries';
import {
  KLDB_PATTERN,
  type CodeListsResponse,
  type CountryListResponse,
  type CountryResponse,
  type OccupationListQuery,
  type OccupationResponse,
} from './reference-data.dto';
import { ReferenceDataRepository, type OccupationRow } from './reference-data.repository';

/** A reference occupation, as other modules (e.g. recognition cases) use it. */
export interface ReferenceOccupation {
  kldb: string;
  titleDe: string;
  titleEn: string | null;
  regulated: boolean;
}

const DIGITS = /^\d+$/;
/** A `real` between 0 and 1 as PostgreSQL writes it (`1`, `0.85714287`, `5e-05`). */
const SCORE = /^(?:0|1)(?:\.\d+)?(?:e-\d+)?$|^\d(?:\.\d+)?e-\d+$/;

@Injectable()
export class ReferenceDataService {
  /** Built once: the code lists and countries change only with a release. */
  private readonly codeLists: CodeListsResponse = { lists: labelledCodeLists() };
  private readonly countryList: CountryListResponse = { items: buildCountries() };

  constructor(private readonly repository: ReferenceDataRepository) {}

  codes(): CodeListsResponse {
    return this.codeLists;
  }

  countries(): CountryListResponse {
    return this.countryList;
  }

  /**
   * Without `q` or with digits: by code (digits are the start of the code). With text: titles with
   * similar words, best match first.
   */
  async listOccupations(query: OccupationListQuery): Promise<Page<OccupationResponse>> {
    const q = query.q;
    if (q === undefined || DIGITS.test(q)) {
      const after = codeCursor(query.cursor);
      const rows = await this.repository.listByCode(
        { prefix: q, regulated: query.regulated },
        after,
        query.limit,
      );
      return toPage(rows, query.limit, (row) => ({ sortKey: row.kldb, id: row.kldb }), toOccupation);
    }
    const after = scoreCursor(query.cursor);
    const rows = await this.repository.searchByTitle(
      { text: q, regulated: query.regulated },
      after,
      query.limit,
    );
    return toPage(rows, query.limit, (row) => ({ sortKey: row.score, id: row.kldb }), toOccupation);
  }

  async getOccupation(kldb: string): Promise<OccupationResponse> {
    const occupation = await this.findOccupation(kldb);
    if (!occupation) {
      throw new ProblemError('notFound', `No reference occupation with the KldB code ${kldb}.`);
    }
    return occupation;
  }

  /** The reference occupation with this KldB code; `undefined` when there is none (or the code is malformed). */
  async findOccupation(kldb: string): Promise<ReferenceOccupation | undefined> {
    if (!KLDB_PATTERN.test(kldb)) {
      return undefined;
    }
    const row = await this.repository.findByKldb(kldb);
    return row && toOccupation(row);
  }
}

function toOccupation(row: OccupationRow): OccupationResponse {
  return { kldb: row.kldb, titleDe: row.titleDe, titleEn: row.titleEn, regulated: row.regulated };
}

function invalidCursor(): RequestValidationError {
  return new RequestValidationError([
    { pointer: '#/cursor', detail: 'must be a nextCursor value from a previous page of the same search' },
  ]);
}

/** The cursor of a list by code: the last code shown. */
function codeCursor(cursor: string | undefined): string | undefined {
  const key = decodeCursor(cursor);
  if (key && !(KLDB_PATTERN.test(key.sortKey) && key.id === key.sortKey)) {
    throw invalidCursor();
  }
  return key?.id;
}

/** The cursor of a title search: the score and code of the last hit shown. */
function scoreCursor(cursor: string | undefined): { score: string; kldb: string } | undefined {
  const key = decodeCursor(cursor);
  if (!key) {
    return undefined;
  }
  const score = Number(key.sortKey);
  if (!(SCORE.test(key.sortKey) && score >= 0 && score <= 1 && KLDB_PATTERN.test(key.id))) {
    throw invalidCursor();
  }
  return { score: key.sortKey, kldb: key.id };
}

/** The ISO 3166-1 countries by code with their short names, then `XX` (unknown) and `XS` (stateless). */
function buildCountries(): CountryResponse[] {
  const countries = COUNTRY_CODES.map((code) => ({
    code,
    de: countryShortName(code, 'de') ?? code,
    en: countryShortName(code, 'en') ?? code,
    euEeaCh: EU_EEA_CH.has(code),
    pseudo: false,
  }));
  const pseudo = PSEUDO_NATIONALITIES.map((nationality) => ({
    ...nationality,
    euEeaCh: false,
    pseudo: true,
  }));
  return [...countries, ...pseudo];
}
