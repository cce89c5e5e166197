import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { keysetAfter, orderAndLimit, type RowOf } from '../common/database/table';
import { SqlParameters } from '../common/sql';
import { ReferenceOccupationEntity } from './reference-occupation.entity';

/** A reference occupation as the queries return it (raw row, camelCase aliases). */
export type OccupationRow = Pick<
  RowOf<ReferenceOccupationEntity>,
  'kldb' | 'titleDe' | 'titleEn' | 'regulated'
>;

/** A search hit: the row and its score (a `real` as text, exact, so that it can serve as a keyset key). */
export interface RankedOccupationRow extends OccupationRow {
  score: string;
}

/**
 * How alike the searched text and a word sequence of the title must be (pg_trgm `word_similarity`,
 * 0–1) to be a hit. Lower than pg_trgm's default (0.6), so that a typo or a missing umlaut in a short
 * word still finds the title; hits are ranked, so weak ones come last.
 */
export const TITLE_MATCH_THRESHOLD = 0.4;

/** All SQL on `reference_occupations`. */
@Injectable()
export class ReferenceDataRepository {
  constructor(private readonly db: Db) {}

  /** The columns of an `OccupationRow` (where the row came from and when it changed stay internal). */
  private get columns(): string {
    return this.db.table(ReferenceOccupationEntity).columns(undefined, ['source', 'updatedAt']);
  }

  async findByKldb(kldb: string): Promise<OccupationRow | undefined> {
    return this.db.row<OccupationRow>(`SELECT ${this.columns} FROM reference_occupations WHERE kldb = $1`, [
      kldb,
    ]);
  }

  /** By code, optionally those starting with `prefix`; keyset on kldb; fetches `limit + 1` rows. */
  async listByCode(
    filter: { prefix?: string; regulated?: boolean },
    after: string | undefined,
    limit: number,
  ): Promise<OccupationRow[]> {
    const parameters = new SqlParameters();
    const conditions: string[] = [];
    if (filter.prefix !== undefined) {
      conditions.push(`starts_with(kldb, ${parameters.bind(filter.prefix)})`);
    }
    if (filter.regulated !== undefined) {
      conditions.push(`regulated = ${parameters.bind(filter.regulated)}`);
    }
    if (after !== undefined) {
      conditions.push(keysetAfter([{ expression: 'kldb', value: after, type: 'text' }], 'ASC', parameters));
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.db.rows<OccupationRow>(
      `SELECT ${this.columns} FROM reference_occupations ${where}
        ${orderAndLimit(['kldb'], 'ASC', limit, parameters)}`,
      parameters.values,
    );
  }

  /**
   * Occupations whose German title contains words like `text`, best first (then by code); keyset on
   * (score, kldb); fetches `limit + 1` rows. The trigram index on `lower(title_de)` finds the candidates
   * (`%>`: word similarity above the threshold); the score also compares both sides without accents
   * and with ß as ss (`unaccent`), so "Arztin" and "Strasse" rank like "Ärztin" and "Straße".
   * A transaction of its own (or the caller's), only to scope the threshold setting to it.
   */
  @Transactional()
  async searchByTitle(
    filter: { text: string; regulated?: boolean },
    after: { score: string; kldb: string } | undefined,
    limit: number,
  ): Promise<RankedOccupationRow[]> {
    // `%>` reads its threshold from this setting; `true`: for this transaction only.
    await this.db.run(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [
      String(TITLE_MATCH_THRESHOLD),
    ]);
    const parameters = new SqlParameters();
    const text = parameters.bind(filter.text);
    const conditions = [
      `(lower(title_de) %> lower(${text}::text) OR lower(title_de) %> unaccent(lower(${text}::text)))`,
    ];
    if (filter.regulated !== undefined) {
      conditions.push(`regulated = ${parameters.bind(filter.regulated)}`);
    }
    let page = '';
    if (after !== undefined) {
      const score = parameters.bind(after.score);
      page = `WHERE score < ${score}::real OR (score = ${score}::real AND kldb > ${parameters.bind(after.kldb)})`;
    }
    return this.db.rows<RankedOccupationRow>(
      `SELECT kldb, "titleDe", "titleEn", regulated, score::text AS score
           FROM (SELECT ${this.columns},
                        greatest(word_similarity(lower(${text}::text), lower(title_de)),
                                 word_similarity(unaccent(lower(${text}::text)), unaccent(lower(title_de)))) AS score
                   FROM reference_occupations
                  WHERE ${conditions.join(' AND ')}) AS hits
          ${page}
          ORDER BY score DESC, kldb
          LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }
}
