import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { QueryRunner } from 'typeorm';
import { CuratedOccupations1795340000000 } from '../../migrations/1795340000000-CuratedOccupations';
import { CURATED_OCCUPATIONS, type CuratedOccupation } from './curated-occupations';

/** The KldB 2010 codes with English labels, kept beside the repository (not in it). */
const KLDB_CODES_FILE = path('../../../shared/reference/kldb2010-codes.tsv');

function path(relative: string): string {
  return resolve(__dirname, relative);
}

interface CapturedQuery {
  sql: string;
  parameters: unknown[] | undefined;
}

/** Runs a migration step against a query runner that only records the statements. */
async function capture(step: (runner: QueryRunner) => Promise<void>): Promise<CapturedQuery[]> {
  const queries: CapturedQuery[] = [];
  const runner = {
    query: (sql: string, parameters?: unknown[]) => {
      queries.push({ sql, parameters });
      return Promise.resolve([]);
    },
  } as unknown as QueryRunner;
  await step(runner);
  return queries;
}

const LITERAL = `'((?:[^']|'')*)'`;
const ROW = new RegExp(
  `\\(\\s*${LITERAL}\\s*,\\s*${LITERAL}\\s*,\\s*${LITERAL}\\s*,\\s*(true|false)\\s*,\\s*'CURATED'\\s*\\)`,
  'g',
);
const unquote = (value: string) => value.replace(/''/g, "'");

/** The rows of the migration's INSERT, read back from its SQL. */
function rowsOf(sql: string): CuratedOccupation[] {
  return [...sql.matchAll(ROW)].map((match) => ({
    kldb: unquote(match[1]),
    titleDe: unquote(match[2]),
    titleEn: unquote(match[3]),
    regulated: match[4] === 'true',
  }));
}

function kldbCodes(): Set<string> {
  const codes = new Set<string>();
  for (const line of readFileSync(KLDB_CODES_FILE, 'utf8').split(/\r?\n/)) {
    const match = /^(\d{5})\s/.exec(line);
    if (match) {
      codes.add(match[1]);
    }
  }
  return codes;
}

describe('curated reference occupations', () => {
  const migration = new CuratedOccupations1795340000000();

  it('has the migration named like its class', () => {
    expect(migration.name).toBe('CuratedOccupations1795340000000');
  });

  it('inserts exactly the rows of the TypeScript list, as CURATED, leaving existing codes alone', async () => {
    const queries = await capture((runner) => migration.up(runner));
    expect(queries).toHaveLength(1);
    const [{ sql, parameters }] = queries;
    expect(parameters).toBeUndefined();
    expect(sql).toMatch(
      /^\s*INSERT INTO "reference_occupations" \("kldb", "title_de", "title_en", "regulated", "source"\) VALUES/,
    );
    expect(sql).toMatch(/ON CONFLICT \("kldb"\) DO NOTHING\s*$/);
    // Every tuple of the VALUES list was read back (none is malformed and silently left out).
    expect(rowsOf(sql)).toHaveLength((sql.match(/'CURATED'\)/g) ?? []).length);
    expect(rowsOf(sql)).toEqual(CURATED_OCCUPATIONS);
  });

  it('removes only the curated rows on revert', async () => {
    const queries = await capture((runner) => migration.down(runner));
    expect(queries).toEqual([
      { sql: `DELETE FROM "reference_occupations" WHERE "source" = 'CURATED'`, parameters: undefined },
    ]);
  });

  it('has at least 150 occupations, each code once, five digits, every label filled in', () => {
    expect(CURATED_OCCUPATIONS.length).toBeGreaterThanOrEqual(150);
    const codes = CURATED_OCCUPATIONS.map((occupation) => occupation.kldb);
    expect(new Set(codes).size).toBe(codes.length);
    for (const occupation of CURATED_OCCUPATIONS) {
      expect(occupation.kldb).toMatch(/^\d{5}$/);
      for (const title of [occupation.titleDe, occupation.titleEn]) {
        expect({ kldb: occupation.kldb, title: title.trim() === title && title.length > 0 }).toEqual({
          kldb: occupation.kldb,
          title: true,
        });
      }
      expect(typeof occupation.regulated).toBe('boolean');
    }
  });

  it('has regulated and non-regulated occupations', () => {
    const regulated = CURATED_OCCUPATIONS.filter((occupation) => occupation.regulated).length;
    expect(regulated).toBeGreaterThan(0);
    expect(regulated).toBeLessThan(CURATED_OCCUPATIONS.length);
  });

  // Chosen when the file is loaded, so that a missing reference list shows as skipped, by name.
  const withCodeList = existsSync(KLDB_CODES_FILE) ? it : it.skip;
  withCodeList(
    existsSync(KLDB_CODES_FILE)
      ? `has only codes of the KldB 2010 (checked against ${KLDB_CODES_FILE})`
      : `has only codes of the KldB 2010 — NOT CHECKED: ${KLDB_CODES_FILE} is missing`,
    () => {
      const known = kldbCodes();
      expect(known.size).toBeGreaterThan(1000);
      const unknown = CURATED_OCCUPATIONS.filter((occupation) => !known.has(occupation.kldb));
      expect(unknown).toEqual([]);
    },
  );
});
