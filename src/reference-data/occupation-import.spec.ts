import {
  ImportFileError,
  MAX_FILE_BYTES,
  decodeText,
  detectDelimiter,
  parseDelimited,
  parseOccupationFile,
} from './occupation-import';

const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (bytes: Uint8Array) => new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
/** Windows-1252 bytes of a text of Latin-1 letters and a few of the characters at 0x80–0x9F. */
const CP1252_HIGH: Record<string, number> = { '€': 0x80, '„': 0x84, '“': 0x93, '–': 0x96 };
const cp1252 = (text: string) =>
  new Uint8Array([...text].map((char) => CP1252_HIGH[char] ?? char.codePointAt(0) ?? 0));
const utf16le = (text: string) => new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);

function fields(text: string, delimiter: '\t' | ';' | ',' = ';'): string[][] {
  return parseDelimited(text, delimiter).map((row) => row.fields);
}

function importError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return (error as Error).message;
  }
  throw new Error('expected an ImportFileError');
}

describe('reading the KldB list for the occupations import', () => {
  describe('decodeText', () => {
    it('reads UTF-8 with and without byte order mark', () => {
      expect(decodeText(utf8('81302;Gesundheits- und Krankenpflege'))).toEqual({
        text: '81302;Gesundheits- und Krankenpflege',
        encoding: 'utf-8',
      });
      expect(decodeText(withBom(utf8('29222;Bäcker')))).toEqual({ text: '29222;Bäcker', encoding: 'utf-8' });
    });

    it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
      expect(decodeText(cp1252('29222;„Bäckerei“ – Süßwaren, 5 €'))).toEqual({
        text: '29222;„Bäckerei“ – Süßwaren, 5 €',
        encoding: 'windows-1252',
      });
    });

    it('reads UTF-16 with byte order mark (Excel "Unicode text")', () => {
      expect(decodeText(utf16le('81302\tPflegefachkraft für Ältere'))).toEqual({
        text: '81302\tPflegefachkraft für Ältere',
        encoding: 'utf-16le',
      });
    });

    it('refuses workbooks and other binary files with a hint', () => {
      expect(importError(() => decodeText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])))).toMatch(
        /Excel workbook.*CSV UTF-8/,
      );
      expect(importError(() => decodeText(new Uint8Array([0x25, 0x50, 0x00, 0x44])))).toMatch(
        /not a text file/,
      );
    });
  });

  describe('parseDelimited', () => {
    it('splits rows and fields with CRLF, LF or CR line ends and skips blank lines', () => {
      expect(fields('a;b\r\nc;d\n\n  \re;f\n')).toEqual([
        ['a', 'b'],
        ['c', 'd'],
        ['e', 'f'],
      ]);
    });

    it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
      const rows = parseDelimited('"813";"Krankenpflege; ""allgemein""\nund Fach"\n81302;x', ';');
      expect(rows).toEqual([
        { line: 1, fields: ['813', 'Krankenpflege; "allgemein"\nund Fach'] },
        { line: 3, fields: ['81302', 'x'] },
      ]);
    });

    it('keeps empty fields and quotes inside an unquoted field', () => {
      expect(fields('81302;;Titel "A"', ';')).toEqual([['81302', '', 'Titel "A"']]);
    });

    it('refuses a quote that is never closed, naming its line', () => {
      expect(importError(() => parseDelimited('a;b\n81302;"Pflege\n', ';'))).toBe(
        'Line 2: a field opened with " is never closed.',
      );
    });
  });

  describe('detectDelimiter', () => {
    it('finds tab, semicolon and comma', () => {
      expect(detectDelimiter('Code\tTitel\n81302\tPflege, allgemein\n')).toBe('\t');
      expect(detectDelimiter('81302;Berufe in der Land-, Tier- und Forstwirtschaft\n81303;Pflege\n')).toBe(
        ';',
      );
      expect(detectDelimiter('81302,"Pflege, allgemein"\n81303,Pflege\n')).toBe(',');
    });

    it('refuses text without columns', () => {
      expect(importError(() => detectDelimiter('81302\n81303\n'))).toMatch(/tab, ";" or ","/);
    });
  });

  describe('parseOccupationFile', () => {
    const systematic = [
      'Schlüssel KldB 2010;Bezeichnung;Ebene',
      '8;Gesundheit, Soziales, Lehre und Erziehung;Berufsbereich',
      '81;Medizinische Gesundheitsberufe;Berufshauptgruppe',
      '813;Gesundheits-, Krankenpflege, Rettungsdienst und Geburtshilfe;Berufsgruppe',
      '8130;Berufe in der Gesundheits- und Krankenpflege (ohne Spezialisierung);Berufsuntergruppe',
      '81301;Berufe in der Gesundheits- und Krankenpflege (ohne Spezialisierung) - Helfer-/Anlerntätigkeiten;Berufsgattung',
      '81302;"Berufe in der Gesundheits- und  Krankenpflege (ohne Spezialisierung) - fachlich ausgerichtete Tätigkeiten";Berufsgattung',
    ].join('\r\n');

    it('imports the 5-digit codes with their titles and counts what it skipped', () => {
      const file = parseOccupationFile(withBom(utf8(systematic)));
      expect(file).toEqual({
        encoding: 'utf-8',
        delimiter: ';',
        codeColumn: 0,
        titleColumn: 1,
        rowsRead: 7,
        occupations: [
          {
            kldb: '81301',
            titleDe:
              'Berufe in der Gesundheits- und Krankenpflege (ohne Spezialisierung) - Helfer-/Anlerntätigkeiten',
          },
          {
            kldb: '81302',
            titleDe:
              'Berufe in der Gesundheits- und Krankenpflege (ohne Spezialisierung) - fachlich ausgerichtete Tätigkeiten',
          },
        ],
        skipped: { header: 1, shorterCode: 4, notACode: 0, noTitle: 0, duplicateCode: 0 },
      });
    });

    it('reads the same list from Windows-1252', () => {
      const file = parseOccupationFile(cp1252(systematic));
      expect(file.encoding).toBe('windows-1252');
      expect(file.occupations.map((occupation) => occupation.titleDe)).toEqual(
        parseOccupationFile(utf8(systematic)).occupations.map((occupation) => occupation.titleDe),
      );
    });

    it('finds the code column wherever it is, without a header', () => {
      const file = parseOccupationFile(
        utf8(
          'Bäcker/in\t29222\tBerufsgattung\nKoch/Köchin\t29302\tBerufsgattung\nKöche\t293\tBerufsgruppe\n',
        ),
      );
      expect(file).toMatchObject({
        delimiter: '\t',
        codeColumn: 1,
        titleColumn: 0,
        occupations: [
          { kldb: '29222', titleDe: 'Bäcker/in' },
          { kldb: '29302', titleDe: 'Koch/Köchin' },
        ],
        skipped: { header: 0, shorterCode: 1 },
      });
    });

    it('keeps the first title of a repeated code and skips rows without code or title', () => {
      const file = parseOccupationFile(
        utf8(
          [
            'Code,Titel',
            '81302,Pflegefachfrau',
            '81302,Pflegefachmann',
            '81404,',
            'Fußnote,siehe oben',
            '813021,zu lang',
            '81404,"Ärztin, Arzt"',
          ].join('\n'),
        ),
      );
      expect(file.occupations).toEqual([
        { kldb: '81302', titleDe: 'Pflegefachfrau' },
        { kldb: '81404', titleDe: 'Ärztin, Arzt' },
      ]);
      expect(file.skipped).toEqual({ header: 1, shorterCode: 0, notACode: 2, noTitle: 1, duplicateCode: 1 });
      expect(file.rowsRead).toBe(7);
    });

    it('refuses files without 5-digit codes, without titles, or empty', () => {
      expect(importError(() => parseOccupationFile(utf8('Beruf;Bereich\nPflege;Gesundheit\n')))).toMatch(
        /No column holds 5-digit KldB codes/,
      );
      expect(importError(() => parseOccupationFile(utf8('81302;1\n81303;2\n')))).toBe(
        'No column beside the codes holds titles.',
      );
      expect(importError(() => parseOccupationFile(utf8(' \n\r\n')))).toBe('The file is empty.');
      expect(importError(() => parseOccupationFile(new Uint8Array(MAX_FILE_BYTES + 1)))).toMatch(
        /larger than/,
      );
    });
  });
});
