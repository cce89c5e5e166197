import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { QueryRunner } from 'typeorm';
import { CuratedOccupations1795340000000 } from '../../migrations/1795340000000-CuratedOccupations';
import { CuratedOccupation81301_1795352417301 } from '../../migrations/1795352417301-CuratedOccupation81301';
import curated from '../../data/curated-occupations.json';

/** The shipped list, `data/curated-occupations.json`: read by the migration and by these tests. */
const CURATED_OCCUPATIONS = curated.occupations;
const DATA_FILE = path('../../data/curated-occupations.json');

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

  it('inserts exactly the rows of the data file, as CURATED, leaving existing codes alone', async () => {
    const queries = await capture((runner) => migration.up(runner));
    expect(queries).toHaveLength(1);
    const [{ sql, parameters }] = queries;
    expect(sql).toMatch(
      /^\s*INSERT INTO "reference_occupations" \("kldb", "title_de", "title_en", "regulated", "source"\)/,
    );
    expect(sql).toMatch(/'CURATED'/);
    expect(sql).toMatch(/ON CONFLICT \("kldb"\) DO NOTHING\s*$/);
    const [codes, titlesDe, titlesEn, regulated] = parameters as [string[], string[], string[], boolean[]];
    expect(
      codes.map((kldb, index) => ({
        kldb,
        titleDe: titlesDe[index],
        titleEn: titlesEn[index],
        regulated: regulated[index],
      })),
    ).toEqual(
      CURATED_OCCUPATIONS.map(({ kldb, titleDe, titleEn, regulated: flag }) => ({
        kldb,
        titleDe,
        titleEn,
        regulated: flag,
      })),
    );
  });

  it('reads the file the repository ships, data/curated-occupations.json', () => {
    expect(existsSync(DATA_FILE)).toBe(true);
    expect(JSON.parse(readFileSync(DATA_FILE, 'utf8'))).toEqual(curated);
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

  it('names the source of every regulated flag, and it agrees with the flag', () => {
    for (const occupation of CURATED_OCCUPATIONS) {
      expect({ kldb: occupation.kldb, source: occupation.regulatedSource.split(':')[0] }).toEqual({
        kldb: occupation.kldb,
        source: occupation.regulated ? 'regulated' : 'not regulated',
      });
      expect(occupation.regulatedSource.length).toBeGreaterThan('not regulated: '.length + 10);
    }
  });

  it('marks 81301 regulated only as the state-recognised helper training (Land law)', () => {
    const helper = CURATED_OCCUPATIONS.find((occupation) => occupation.kldb === '81301');
    expect(helper).toMatchObject({
      titleDe:
        'Gesundheits- und Krankenpflegehelfer/in, Pflegefachhelfer/in (staatlich anerkannte Helferausbildung)',
      regulated: true,
      regulatedSource: expect.stringContaining('Land law'),
    });
    expect(helper?.titleDe).not.toMatch(/, Pflegehelfer\/in$/);
  });

  it('corrects 81301 in databases created before, and only the curated row with the old title', async () => {
    const correction = new CuratedOccupation81301_1795352417301();
    expect(correction.name).toBe('CuratedOccupation81301_1795352417301');
    const [update] = await capture((runner) => correction.up(runner));
    expect(update.sql).toMatch(/WHERE "kldb" = '81301' AND "source" = 'CURATED' AND "title_de" = \$3/);
    expect(update.parameters).toEqual([
      CURATED_OCCUPATIONS.find((occupation) => occupation.kldb === '81301')?.titleDe,
      CURATED_OCCUPATIONS.find((occupation) => occupation.kldb === '81301')?.titleEn,
      'Gesundheits- und Krankenpflegehelfer/in, Pflegehelfer/in',
    ]);
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
