import { RequestValidationError } from '../common/errors/problem.error';
import { encodeCursor } from '../common/http/pagination';
import { CODE_LABELS, labelledCodeLists } from './code-labels';
import { CODE_LISTS, type CodeListName } from './codes';
import { COUNTRY_CODES, EU_EEA_CH } from './countries';
import type { OccupationListQuery } from './reference-data.dto';
import type {
  OccupationRow,
  RankedOccupationRow,
  ReferenceDataRepository,
} from './reference-data.repository';
import { ReferenceDataService } from './reference-data.service';

const NURSE: OccupationRow = {
  kldb: '81302',
  titleDe: 'Gesundheits- und Krankenpfleger/in',
  titleEn: 'Nurse',
  regulated: true,
};

function fakeRepository() {
  const calls: { method: string; args: unknown[] }[] = [];
  const repository = {
    findByKldb: (kldb: string) => {
      calls.push({ method: 'findByKldb', args: [kldb] });
      return Promise.resolve(kldb === NURSE.kldb ? NURSE : undefined);
    },
    listByCode: (...args: unknown[]) => {
      calls.push({ method: 'listByCode', args });
      return Promise.resolve([NURSE, { ...NURSE, kldb: '81303' }]);
    },
    searchByTitle: (...args: unknown[]) => {
      calls.push({ method: 'searchByTitle', args });
      const rows: RankedOccupationRow[] = [
        { ...NURSE, score: '1' },
        { ...NURSE, kldb: '81301', score: '0.85714287' },
      ];
      return Promise.resolve(rows);
    },
  };
  return { calls, service: new ReferenceDataService(repository as unknown as ReferenceDataRepository) };
}

const query = (members: Partial<OccupationListQuery>): OccupationListQuery =>
  Object.assign(Object.create(null) as OccupationListQuery, { limit: 1, ...members });

describe('ReferenceDataService', () => {
  describe('code lists', () => {
    it('labels every code of every list in German and English, in the order of codes.ts', () => {
      const lists = labelledCodeLists();
      expect(Object.keys(lists)).toEqual(Object.keys(CODE_LISTS));
      for (const name of Object.keys(CODE_LISTS) as CodeListName[]) {
        expect(lists[name].map((entry) => entry.code)).toEqual([...CODE_LISTS[name]]);
        for (const entry of lists[name]) {
          expect({
            list: name,
            code: entry.code,
            de: entry.de.trim().length > 0,
            en: entry.en.trim().length > 0,
          }).toEqual({ list: name, code: entry.code, de: true, en: true });
        }
      }
    });

    it('has no labels for codes that do not exist', () => {
      for (const name of Object.keys(CODE_LISTS) as CodeListName[]) {
        expect(Object.keys(CODE_LABELS[name]).sort()).toEqual([...CODE_LISTS[name]].sort());
      }
    });

    it('uses the labels of the domain model', () => {
      const lists = labelledCodeLists();
      expect(lists.gender.find((entry) => entry.code === 'X')).toEqual({
        code: 'X',
        de: 'keine Angabe',
        en: 'not stated',
      });
      expect(lists.bundesland.find((entry) => entry.code === 'DE-BY')).toEqual({
        code: 'DE-BY',
        de: 'Bayern',
        en: 'Bavaria',
      });
    });
  });

  describe('countries', () => {
    const { service } = fakeRepository();
    const items = service.countries().items;

    it('lists every ISO 3166-1 country by code with short names, then XX and XS', () => {
      expect(items.map((item) => item.code)).toEqual([...COUNTRY_CODES, 'XX', 'XS']);
      expect(items.filter((item) => item.pseudo).map((item) => item.code)).toEqual(['XX', 'XS']);
      for (const item of items) {
        expect(item.de).not.toBe(item.code);
        expect(item.en).not.toBe(item.code);
      }
      expect(items.find((item) => item.code === 'SY')).toEqual({
        code: 'SY',
        de: 'Syrien',
        en: 'Syria',
        euEeaCh: false,
        pseudo: false,
      });
    });

    it('flags the 27 EU states, IS, LI, NO and CH', () => {
      const flagged = items.filter((item) => item.euEeaCh).map((item) => item.code);
      expect(flagged).toHaveLength(31);
      expect(new Set(flagged)).toEqual(EU_EEA_CH);
    });
  });

  describe('occupations', () => {
    it('lists by code without q and with digits, by title score with words', async () => {
      const { calls, service } = fakeRepository();
      const byCode = await service.listOccupations(query({ q: '813', regulated: true }));
      expect(byCode.items).toEqual([NURSE]);
      expect(calls[0]).toEqual({
        method: 'listByCode',
        args: [{ prefix: '813', regulated: true }, undefined, 1],
      });

      const next = await service.listOccupations(query({ cursor: byCode.nextCursor ?? undefined }));
      expect(next.items).toHaveLength(1);
      expect(calls[1].args).toEqual([{ prefix: undefined, regulated: undefined }, '81302', 1]);

      const byTitle = await service.listOccupations(query({ q: 'pflege' }));
      expect(calls[2].method).toBe('searchByTitle');
      await service.listOccupations(query({ q: 'pflege', cursor: byTitle.nextCursor ?? undefined }));
      expect(calls[3].args).toEqual([
        { text: 'pflege', regulated: undefined },
        { score: '1', kldb: '81302' },
        1,
      ]);
    });

    it('refuses a cursor of another kind of list or a forged one', async () => {
      const { service } = fakeRepository();
      const titleCursor = encodeCursor({ sortKey: '0.85714287', id: '81301' });
      const codeCursor = encodeCursor({ sortKey: '81301', id: '81301' });
      for (const [q, cursor] of [
        [undefined, titleCursor],
        ['pflege', codeCursor],
        ['pflege', encodeCursor({ sortKey: '2', id: '81301' })],
        ['pflege', encodeCursor({ sortKey: '0.5; DROP', id: '81301' })],
        [undefined, encodeCursor({ sortKey: '81301', id: '81302' })],
      ]) {
        await expect(service.listOccupations(query({ q, cursor }))).rejects.toBeInstanceOf(
          RequestValidationError,
        );
      }
    });

    it('finds one occupation by code, and nothing for an unknown or malformed code', async () => {
      const { calls, service } = fakeRepository();
      await expect(service.findOccupation('81302')).resolves.toEqual(NURSE);
      await expect(service.findOccupation('99999')).resolves.toBeUndefined();
      await expect(service.findOccupation('8130')).resolves.toBeUndefined();
      expect(calls.map((call) => call.args[0])).toEqual(['81302', '99999']);
      await expect(service.getOccupation('99999')).rejects.toMatchObject({ problem: { status: 404 } });
    });
  });
});
