import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CODE_LISTS, type CodeListName } from '../src/reference-data/codes';
import curated from '../data/curated-occupations.json';

/** The shipped rows as the API answers them (the source of each `regulated` flag stays in the file). */
const CURATED_OCCUPATIONS = curated.occupations.map(({ kldb, titleDe, titleEn, regulated }) => ({
  kldb,
  titleDe,
  titleEn,
  regulated,
}));
import { ImportFileError, parseOccupationFile } from '../src/reference-data/occupation-import';
import { formatSummary, importOccupations } from '../src/reference-data/occupation-importer';
import { ReferenceDataService } from '../src/reference-data/reference-data.service';
import { createApiClient, partnerToken, roleTokens } from './support/auth';
import { call, expectProblem, pointersOf } from './support/org-fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const BASE = '/api/v1/reference-data';
const FIXTURES = join(__dirname, 'fixtures');

interface Occupation {
  kldb: string;
  titleDe: string;
  titleEn: string | null;
  regulated: boolean;
}

interface LabelledCode {
  code: string;
  de: string;
  en: string;
}

interface Country extends LabelledCode {
  euEeaCh: boolean;
  pseudo: boolean;
}

describe('reference data', () => {
  let t: TestApp;
  let tokens: Record<'ADMIN' | 'COORDINATOR' | 'ADVISER' | 'PARTNER', string>;

  beforeAll(async () => {
    t = await createTestApp();
    tokens = { ...(await roleTokens(t)), PARTNER: await partnerToken(t, await createApiClient(t)) };
  });
  afterAll(() => t.close());

  const get = (path: string, token = tokens.ADVISER) => call(t, token, 'get', `${BASE}${path}`);

  /** Every item of a list, following `nextCursor` (at most 100 pages). */
  async function walk(path: string): Promise<{ pages: Occupation[][]; items: Occupation[] }> {
    const pages: Occupation[][] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const response = await get(cursor === null ? path : `${path}${separator}cursor=${cursor}`);
      expect(response.status).toBe(200);
      pages.push(response.body.items as Occupation[]);
      cursor = response.body.nextCursor as string | null;
    } while (cursor !== null && pages.length < 100);
    return { pages, items: pages.flat() };
  }

  const codesOf = (items: Occupation[]) => items.map((item) => item.kldb);

  describe('access', () => {
    it.each(['/enums', '/countries', '/occupations', '/occupations/81302'])(
      'answers 401 on %s without a token',
      async (path) => {
        const response = await t.http.get(`${BASE}${path}`);
        expectProblem(response, 401, 'unauthenticated');
      },
    );

    it('lets every role and partner systems read every route', async () => {
      for (const [role, token] of Object.entries(tokens)) {
        for (const path of ['/enums', '/countries', '/occupations?q=pflege', '/occupations/81302']) {
          const response = await get(path, token);
          expect({ role, path, status: response.status }).toEqual({ role, path, status: 200 });
        }
      }
    });
  });

  describe('GET /reference-data/enums', () => {
    it('has every code list with every code, in order, each with a German and an English label', async () => {
      const response = await get('/enums');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      const lists = response.body.lists as Record<string, LabelledCode[]>;
      expect(Object.keys(lists)).toEqual(Object.keys(CODE_LISTS));
      for (const name of Object.keys(CODE_LISTS) as CodeListName[]) {
        expect({ name, codes: lists[name].map((entry) => entry.code) }).toEqual({
          name,
          codes: [...CODE_LISTS[name]],
        });
        for (const entry of lists[name]) {
          expect(Object.keys(entry).sort()).toEqual(['code', 'de', 'en']);
          expect({ name, code: entry.code, de: entry.de.trim() !== '', en: entry.en.trim() !== '' }).toEqual({
            name,
            code: entry.code,
            de: true,
            en: true,
          });
        }
      }
      expect(lists.residenceStatus).toContainEqual({
        code: 'AE_16D',
        de: 'Aufenthaltserlaubnis zur Anerkennung (§ 16d AufenthG)',
        en: 'Residence permit for recognition (§ 16d Residence Act)',
      });
      expect(lists.bundesland).toContainEqual({ code: 'DE-BY', de: 'Bayern', en: 'Bavaria' });
      // A consent's derived status is a code the API answers like any other (issue 17).
      expect(lists.consentStatus).toEqual([
        { code: 'ACTIVE', de: 'wirksam', en: 'active' },
        { code: 'WITHDRAWN', de: 'widerrufen', en: 'withdrawn' },
        { code: 'EXPIRED', de: 'abgelaufen', en: 'expired' },
      ]);
      expect(lists.compensationOption.map((entry) => entry.code)).toContain('ANPASSUNGSQUALIFIZIERUNG');
      expect(lists.gender).toEqual([
        { code: 'W', de: 'weiblich', en: 'female' },
        { code: 'M', de: 'männlich', en: 'male' },
        { code: 'D', de: 'divers', en: 'diverse' },
        { code: 'X', de: 'keine Angabe', en: 'not stated' },
      ]);
    });

    it('may be cached privately for an hour', async () => {
      const response = await get('/enums');
      expect(response.headers['cache-control']).toBe('private, max-age=3600');
    });
  });

  describe('GET /reference-data/countries', () => {
    it('lists the countries by code with short names and the EU/EEA/CH flag, then XX and XS', async () => {
      const response = await get('/countries');
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('private, max-age=3600');
      const items = response.body.items as Country[];
      const byCode = new Map(items.map((item) => [item.code, item]));
      expect(byCode.get('DE')).toEqual({
        code: 'DE',
        de: 'Deutschland',
        en: 'Germany',
        euEeaCh: true,
        pseudo: false,
      });
      expect(byCode.get('SY')).toEqual({
        code: 'SY',
        de: 'Syrien',
        en: 'Syria',
        euEeaCh: false,
        pseudo: false,
      });
      expect(byCode.get('CH')).toMatchObject({
        de: 'Schweiz',
        en: 'Switzerland',
        euEeaCh: true,
        pseudo: false,
      });
      expect(byCode.get('NO')).toMatchObject({ euEeaCh: true });
      expect(byCode.get('UA')).toMatchObject({ de: 'Ukraine', euEeaCh: false });
      expect(byCode.get('TR')).toMatchObject({ de: 'Türkei', euEeaCh: false });
      expect(items.slice(-2)).toEqual([
        { code: 'XX', de: 'unbekannt', en: 'unknown', euEeaCh: false, pseudo: true },
        { code: 'XS', de: 'staatenlos', en: 'stateless', euEeaCh: false, pseudo: true },
      ]);
      const countries = items.slice(0, -2);
      expect(countries.length).toBeGreaterThanOrEqual(249);
      expect(countries.map((item) => item.code)).toEqual(countries.map((item) => item.code).sort());
      expect(countries.every((item) => /^[A-Z]{2}$/.test(item.code) && !item.pseudo)).toBe(true);
      expect(countries.filter((item) => item.euEeaCh)).toHaveLength(31);
    });
  });

  describe('GET /reference-data/occupations', () => {
    it('lists the curated occupations by code without q, page after page without duplicates', async () => {
      const { rows } = await t.db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM reference_occupations',
      );
      expect(rows[0].count).toBe(CURATED_OCCUPATIONS.length);
      const { items, pages } = await walk('/occupations?limit=50');
      expect(pages.length).toBe(Math.ceil(CURATED_OCCUPATIONS.length / 50));
      expect(codesOf(items)).toEqual(CURATED_OCCUPATIONS.map((occupation) => occupation.kldb).sort());
      expect(items.find((item) => item.kldb === '81404')).toEqual({
        kldb: '81404',
        titleDe: 'Arzt/Ärztin',
        titleEn: 'Medical doctor',
        regulated: true,
      });
    });

    it('follows nextCursor with limit=2 without duplicates or gaps', async () => {
      const first = await get('/occupations?limit=2');
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const { pages, items } = await walk('/occupations?q=ingenieur&limit=2');
      expect(pages.length).toBeGreaterThan(2);
      expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
      expect(new Set(codesOf(items)).size).toBe(items.length);
      const onePage = await get('/occupations?q=ingenieur&limit=200');
      expect(codesOf(items)).toEqual(codesOf(onePage.body.items as Occupation[]));
      expect(onePage.body.nextCursor).toBeNull();
    });

    it('finds codes by their start when q is digits', async () => {
      const { items } = await walk('/occupations?q=813&limit=3');
      const expected = CURATED_OCCUPATIONS.map((occupation) => occupation.kldb)
        .filter((kldb) => kldb.startsWith('813'))
        .sort();
      expect(expected.length).toBeGreaterThan(3);
      expect(codesOf(items)).toEqual(expected);
      expect(codesOf((await get('/occupations?q=81302')).body.items as Occupation[])).toEqual(['81302']);
      expect((await get('/occupations?q=00')).body).toEqual({ items: [], nextCursor: null });
    });

    it('finds the nursing occupation by part of its title, by a typo and regardless of case', async () => {
      for (const q of [
        'krankenpfl',
        'Krankenpfleger',
        'krankenpflger',
        'KRANKENPFLEGER',
        'Gesundheits- und Krankenpfleger',
      ]) {
        const response = await get(`/occupations?q=${encodeURIComponent(q)}`);
        expect(response.status).toBe(200);
        const codes = codesOf(response.body.items as Occupation[]);
        expect({ q, found: codes.slice(0, 3).includes('81302') }).toEqual({ q, found: true });
      }
      const exact = await get('/occupations?q=Krankenpfleger');
      expect((exact.body.items as Occupation[])[0]).toMatchObject({ kldb: '81302', regulated: true });
    });

    it('ignores accents, umlauts and ß', async () => {
      const first = async (q: string) =>
        ((await get(`/occupations?q=${encodeURIComponent(q)}`)).body.items as Occupation[])[0]?.kldb;
      expect(await first('Zahnarztin')).toBe('81474');
      expect(await first('Zahnärztin')).toBe('81474');
      expect(await first('Strassenbauer')).toBe('32222');
      expect(await first('Logopädin')).toBe('81733');
      expect(await first('Logopadin')).toBe('81733');
      expect(await first('Tierärzte')).toBe('81504');
      expect(await first('Apothéker')).toBe('81804');
    });

    it('ranks the best match first and finds nothing for unrelated text', async () => {
      const response = await get('/occupations?q=Physiotherapeut');
      expect((response.body.items as Occupation[])[0]).toEqual({
        kldb: '81712',
        titleDe: 'Physiotherapeut/in',
        titleEn: 'Physiotherapist',
        regulated: true,
      });
      expect((await get('/occupations?q=xqzvw')).body).toEqual({ items: [], nextCursor: null });
    });

    it('filters by regulated', async () => {
      const regulated = await walk('/occupations?regulated=true&limit=200');
      const other = await walk('/occupations?regulated=false&limit=200');
      expect(regulated.items.length).toBe(
        CURATED_OCCUPATIONS.filter((occupation) => occupation.regulated).length,
      );
      expect(regulated.items.every((item) => item.regulated)).toBe(true);
      expect(other.items.every((item) => !item.regulated)).toBe(true);
      expect(regulated.items.length + other.items.length).toBe(CURATED_OCCUPATIONS.length);

      const nursing = await walk('/occupations?q=pflege&regulated=true');
      expect(nursing.items.length).toBeGreaterThan(0);
      expect(nursing.items.every((item) => item.regulated)).toBe(true);
      expect(codesOf(nursing.items)).toContain('81302');
      const crafts = await walk('/occupations?q=813&regulated=false');
      expect(crafts.items.every((item) => item.kldb.startsWith('813') && !item.regulated)).toBe(true);
    });

    it('answers 400 with a pointer for a malformed query', async () => {
      expect(pointersOf(await get('/occupations?q='))).toEqual(['#/q']);
      expect(pointersOf(await get('/occupations?q=%20%20'))).toEqual(['#/q']);
      expect(pointersOf(await get(`/occupations?q=${'a'.repeat(101)}`))).toEqual(['#/q']);
      expect(pointersOf(await get('/occupations?q=813021'))).toEqual(['#/q']);
      expect(pointersOf(await get('/occupations?q=a&q=b'))).toEqual(['#/q']);
      expect(pointersOf(await get('/occupations?regulated=yes'))).toEqual(['#/regulated']);
      expect(pointersOf(await get('/occupations?limit=0'))).toEqual(['#/limit']);
      expect(pointersOf(await get('/occupations?limit=201'))).toEqual(['#/limit']);
      expect(pointersOf(await get('/occupations?cursor=not*a*cursor'))).toEqual(['#/cursor']);
      expect(pointersOf(await get('/occupations?sort=title'))).toEqual(['#/sort']);
    });

    it('refuses the cursor of another list', async () => {
      const byCode = await get('/occupations?limit=1');
      const byTitle = await get('/occupations?q=pflege&limit=1');
      expect(
        pointersOf(await get(`/occupations?q=pflege&cursor=${byCode.body.nextCursor as string}`)),
      ).toEqual(['#/cursor']);
      expect(pointersOf(await get(`/occupations?cursor=${byTitle.body.nextCursor as string}`))).toEqual([
        '#/cursor',
      ]);
    });

    it('searches titles through the trigram index on lower(title_de)', async () => {
      // The repository's candidate condition; with sequential scans off the plan shows whether the index serves it.
      const client = await t.db.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT kldb FROM reference_occupations
            WHERE lower(title_de) %> lower($1::text) OR lower(title_de) %> unaccent(lower($1::text))`,
          ['krankenpfleger'],
        );
        expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toContain(
          'reference_occupations_title_trgm_idx',
        );
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });

    it('keeps no-store: the list comes from the database and changes with an import', async () => {
      const response = await get('/occupations?limit=1');
      expect(response.headers['cache-control']).toBe('no-store');
    });
  });

  describe('GET /reference-data/occupations/{kldb}', () => {
    it('answers 81301 as the state-recognised helper training only, regulated (Land law)', async () => {
      const response = await get('/occupations/81301');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        kldb: '81301',
        titleDe:
          'Gesundheits- und Krankenpflegehelfer/in, Pflegefachhelfer/in (staatlich anerkannte Helferausbildung)',
        titleEn: 'Nursing assistant (state-recognised training)',
        regulated: true,
      });
    });

    it('answers one occupation', async () => {
      const response = await get('/occupations/81302', tokens.PARTNER);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(CURATED_OCCUPATIONS.find((occupation) => occupation.kldb === '81302'));
    });

    it('answers 404 for an unknown code and 400 for one that is not five digits', async () => {
      const unknown = await get('/occupations/99999');
      expectProblem(unknown, 404, 'not-found');
      expect(unknown.body.detail).toBe('No reference occupation with the KldB code 99999.');
      expect(pointersOf(await get('/occupations/8130'))).toEqual(['#/kldb']);
      expect(pointersOf(await get('/occupations/813020'))).toEqual(['#/kldb']);
      expect(pointersOf(await get('/occupations/8130x'))).toEqual(['#/kldb']);
    });

    it('is what ReferenceDataService.findOccupation gives other modules', async () => {
      const service = t.app.get(ReferenceDataService);
      await expect(service.findOccupation('81804')).resolves.toEqual({
        kldb: '81804',
        titleDe: 'Apotheker/in',
        titleEn: 'Pharmacist',
        regulated: true,
      });
      await expect(service.findOccupation('99999')).resolves.toBeUndefined();
      await expect(service.findOccupation('abc')).resolves.toBeUndefined();
    });
  });
});

describe('occupations import (npm run occupations:import)', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    dataSource = t.app.get(DataSource);
    // The import runs here on the API's data source, whose role may only read the table; the command
    // itself (below) connects as the owner. Give the API's role what the owner has on it.
    const [{ role }] = await dataSource.query<{ role: string }[]>('SELECT current_user AS role');
    await t.db.query(`GRANT INSERT, UPDATE ON reference_occupations TO "${role}"`);
    token = (await roleTokens(t)).ADVISER;
  });
  afterAll(() => t.close());

  const fixture = (name: string) => parseOccupationFile(readFileSync(join(FIXTURES, name)));

  async function rowsFrom(source: string): Promise<Record<string, unknown>[]> {
    const { rows } = await t.db.query<Record<string, unknown>>(
      `SELECT kldb, title_de AS "titleDe", title_en AS "titleEn", regulated
         FROM reference_occupations WHERE source = $1 ORDER BY kldb`,
      [source],
    );
    return rows;
  }

  async function importEvents(): Promise<number> {
    const { rows } = await t.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM audit_events WHERE action = 'reference-occupation.import'`,
    );
    return rows[0].count;
  }

  it('changes nothing in a dry run, and says what it would do', async () => {
    const summary = await importOccupations(dataSource, fixture('kldb-ba-sample.csv'), { dryRun: true });
    expect(summary).toEqual({
      dryRun: true,
      rowsRead: 13,
      berufsgattungen: 7,
      inserted: 5,
      updated: 0,
      unchanged: 0,
      curatedKept: 2,
      skipped: { header: 1, shorterCode: 4, notACode: 1, noTitle: 0, duplicateCode: 0 },
    });
    expect(await rowsFrom('BA_IMPORT')).toEqual([]);
    expect(await importEvents()).toBe(0);
    expect(formatSummary(summary)).toContain('Dry run: nothing was changed.');
  });

  it('imports new codes (Windows-1252, semicolons), keeps curated rows and records the import', async () => {
    const progress: number[] = [];
    const summary = await importOccupations(dataSource, fixture('kldb-ba-sample.csv'), {
      dryRun: false,
      onProgress: (done, total) => {
        expect(total).toBe(7);
        progress.push(done);
      },
    });
    expect(summary).toMatchObject({ dryRun: false, inserted: 5, updated: 0, unchanged: 0, curatedKept: 2 });
    expect(progress[0]).toBe(0);
    expect(progress[progress.length - 1]).toBe(7);
    expect(await rowsFrom('BA_IMPORT')).toEqual([
      {
        kldb: '81382',
        titleDe:
          'Berufe in der Gesundheits- und Krankenpflege (mit spezieller Tätigkeitsangabe) – fachlich ausgerichtete Tätigkeiten',
        titleEn: null,
        regulated: false,
      },
      expect.objectContaining({ kldb: '81383', regulated: false }),
      expect.objectContaining({
        kldb: '81393',
        titleDe: 'Aufsichtskräfte – Gesundheits-, Krankenpflege, Rettungsdienst und Geburtshilfe',
      }),
      expect.objectContaining({ kldb: '81394' }),
      expect.objectContaining({
        kldb: '93104',
        titleDe: 'Berufe im Produkt- und Industriedesign – hoch komplexe Tätigkeiten "Experten"',
      }),
    ]);
    // Curated rows keep their titles and regulated flags.
    const curated = await rowsFrom('CURATED');
    expect(curated).toEqual(
      CURATED_OCCUPATIONS.map((occupation) => ({ ...occupation })).sort((a, b) =>
        a.kldb.localeCompare(b.kldb),
      ),
    );
    expect(await importEvents()).toBe(1);

    // The API serves imported rows like curated ones.
    const read = await call(t, token, 'get', `${BASE}/occupations/81394`);
    expect(read.body).toEqual({
      kldb: '81394',
      titleDe: 'Führungskräfte – Gesundheits-, Krankenpflege, Rettungsdienst und Geburtshilfe',
      titleEn: null,
      regulated: false,
    });
    const search = await call(t, token, 'get', `${BASE}/occupations?q=Industriedesign`);
    expect((search.body.items as Occupation[])[0].kldb).toBe('93104');
  });

  it('updates titles of earlier imports only, and adds new codes (UTF-8 with BOM, tabs)', async () => {
    const summary = await importOccupations(dataSource, fixture('kldb-ba-update.tsv'), { dryRun: false });
    expect(summary).toEqual({
      dryRun: false,
      rowsRead: 4,
      berufsgattungen: 4,
      inserted: 1,
      updated: 1,
      unchanged: 1,
      curatedKept: 1,
      skipped: { header: 0, shorterCode: 0, notACode: 0, noTitle: 0, duplicateCode: 0 },
    });
    const imported = await rowsFrom('BA_IMPORT');
    expect(imported.map((row) => row.kldb)).toEqual(['81353', '81382', '81383', '81393', '81394', '93104']);
    expect(imported.find((row) => row.kldb === '81382')?.titleDe).toBe(
      'Berufe in der Gesundheits- und Krankenpflege (mit Spezialisierung) – fachlich ausgerichtete Tätigkeiten',
    );
    const nurse = await call(t, token, 'get', `${BASE}/occupations/81302`);
    expect(nurse.body.titleDe).toBe(CURATED_OCCUPATIONS.find((o) => o.kldb === '81302')?.titleDe);
    expect(await importEvents()).toBe(2);

    // Importing the same file again changes nothing.
    const again = await importOccupations(dataSource, fixture('kldb-ba-update.tsv'), { dryRun: false });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, curatedKept: 1 });
  });

  it('writes all or nothing: an interrupted import leaves no rows behind', async () => {
    const lines = Array.from({ length: 600 }, (_, index) => `${70000 + index};Testberuf ${index}`).join('\n');
    const file = parseOccupationFile(Buffer.from(lines, 'utf8'));
    const eventsBefore = await importEvents();
    await expect(
      importOccupations(dataSource, file, {
        dryRun: false,
        onProgress: (done) => {
          if (done >= 250) {
            throw new Error('interrupted after the first batch');
          }
        },
      }),
    ).rejects.toThrow('interrupted after the first batch');
    const { rows } = await t.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM reference_occupations WHERE kldb LIKE '70%'`,
    );
    expect(rows[0].count).toBe(0);
    expect(await importEvents()).toBe(eventsBefore);
  });

  it('refuses a file without codes before touching the database', () => {
    expect(() => fixture('not-a-kldb-list.csv')).toThrow(ImportFileError);
  });

  describe('the command', () => {
    const script = join(__dirname, '..', 'src', 'scripts', 'import-occupations.ts');

    function run(...args: string[]) {
      const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script, ...args], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, DATABASE_URL: t.config.database.url, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    }

    it('prints a summary of a dry run and exits 0', () => {
      const result = run(join(FIXTURES, 'kldb-ba-sample.csv'), '--dry-run');
      expect(result).toMatchObject({ status: 0 });
      expect(result.stdout).toContain('Read as windows-1252, fields separated by semicolon');
      expect(result.stdout).toContain('Dry run: nothing was changed.');
      expect(result.stdout).toMatch(/\s7\s+occupations \(5-digit codes\)/);
      expect(result.stdout).toMatch(/\s4\s+shorter code/);
    });

    it('imports for real and exits 0', async () => {
      const eventsBefore = await importEvents();
      const result = run(join(FIXTURES, 'kldb-ba-update.tsv'));
      expect(result).toMatchObject({ status: 0 });
      expect(result.stdout).toContain('Import finished.');
      expect(result.stdout).toMatch(/\s3\s+unchanged/);
      expect(result.stdout).toMatch(/\s1\s+curated, kept as they are/);
      expect(await importEvents()).toBe(eventsBefore + 1);
    });

    it('exits 1 with a clear message for a file it cannot import, and 2 without a file', async () => {
      const rowsBefore = await t.db.query(
        'SELECT kldb, title_de, source FROM reference_occupations ORDER BY kldb',
      );
      const notAList = run(join(FIXTURES, 'not-a-kldb-list.csv'));
      expect(notAList.status).toBe(1);
      expect(notAList.stderr).toMatch(/No column holds 5-digit KldB codes.*Nothing was imported\./s);
      const missing = run(join(FIXTURES, 'no-such-file.csv'));
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('no such file');
      const usage = run();
      expect(usage.status).toBe(2);
      expect(usage.stderr).toContain('Usage: npm run occupations:import');
      const rowsAfter = await t.db.query(
        'SELECT kldb, title_de, source FROM reference_occupations ORDER BY kldb',
      );
      expect(rowsAfter.rows).toEqual(rowsBefore.rows);
    });
  });
});
