/**
 * Reading the Federal Employment Agency's KldB 2010 list (Systematisches Verzeichnis, saved as CSV or
 * tab-separated text) for `npm run occupations:import`. Pure: bytes in, occupations out, so every rule
 * is unit-tested; writing them is `occupation-importer.ts`.
 *
 * What is accepted: UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode text") and, when the
 * text is not valid UTF-8, Windows-1252/Latin-1 (Excel "CSV" on a German Windows). Tab, `;` or `,`
 * between fields (detected), fields in double quotes (`""` for a quote, line breaks allowed), an
 * optional header row, any number of columns: the code column is the one holding 5-digit codes, the
 * title column the one with the most text beside it.
 */

export type Delimiter = '\t' | ';' | ',';
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Why a row of the file was not imported. */
export type SkipReason = 'header' | 'shorterCode' | 'notACode' | 'noTitle' | 'duplicateCode';

export const SKIP_REASONS: Readonly<Record<SkipReason, string>> = {
  header: 'header row',
  shorterCode: 'shorter code (Berufsbereich, -hauptgruppe, -gruppe or -untergruppe)',
  notACode: 'no KldB code in the code column',
  noTitle: '5-digit code without a title',
  duplicateCode: 'code repeated (its first title is used)',
};

/** A file that cannot be imported at all; the message tells the operator what to do. */
export class ImportFileError extends Error {}

export interface ImportedTitle {
  /** KldB 2010 Berufsgattung, `^\d{5}$`. */
  kldb: string;
  titleDe: string;
}

export interface ParsedOccupationFile {
  encoding: TextEncoding;
  delimiter: Delimiter;
  /** Zero-based. */
  codeColumn: number;
  titleColumn: number;
  /** Rows with at least one non-empty field. */
  rowsRead: number;
  /** In file order, each code once. */
  occupations: ImportedTitle[];
  skipped: Record<SkipReason, number>;
}

/** A row of fields and the line of the file it starts on. */
export interface DelimitedRow {
  line: number;
  fields: string[];
}

/** Larger files are surely not the KldB list (about 1,300 codes, well under 1 MB). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

const DELIMITERS: readonly Delimiter[] = ['\t', ';', ','];
const DELIMITER_SAMPLE_ROWS = 50;
const CODE = /^\d{5}$/;
const DIGITS = /^\d+$/;
const LETTER = /\p{L}/u;

/** Decodes the file's bytes; see the file comment for the encodings. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new ImportFileError(
      'This is an Excel workbook (.xlsx) or another ZIP file. Open it in a spreadsheet program and save the ' +
        'sheet with the codes as "CSV UTF-8" or as tab-separated text, then import that file.',
    );
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  if (bytes.includes(0)) {
    throw new ImportFileError(
      'This is not a text file (it holds NUL bytes). Save the list as CSV or tab-separated text.',
    );
  }
  const withoutBom =
    bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
      ? bytes.subarray(3)
      : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(withoutBom), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: an 8-bit file, which from German Excel or Windows is Windows-1252 (a superset of Latin-1).
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

/** Windows-1252 characters at 0x80–0x9F (Latin-1 has control characters there); unassigned bytes stay. */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node's `TextDecoder('windows-1252')` decodes as Latin-1 (0x80–0x9F become control characters), so the
 * few differing bytes are mapped here: 0x80 is €, 0x84 „, 0x93 “, 0x96 – as Excel wrote them.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    let chunk = '';
    for (const byte of bytes.subarray(start, start + CHUNK)) {
      chunk += byte >= 0x80 && byte < 0xa0 ? WINDOWS_1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
    }
    chunks.push(chunk);
  }
  return chunks.join('');
}

/**
 * Splits text into rows of fields (RFC 4180: double quotes around a field allow the delimiter, line
 * breaks and `""` for a quote in it). Line ends may be CRLF, LF or CR. Blank lines give no row.
 */
export function parseDelimited(text: string, delimiter: Delimiter): DelimitedRow[] {
  const rows: DelimitedRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;

  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    if (fields.some((value) => value.trim() !== '')) {
      rows.push({ line: rowLine, fields });
    }
    fields = [];
  };

  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 1;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) {
          line += 1;
        }
        field += char;
      }
    } else if (char === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      quoteLine = line;
    } else if (char === delimiter) {
      endField();
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[index + 1] === '\n') {
        index += 1;
      }
      endRow();
      line += 1;
      rowLine = line;
    } else {
      field += char;
      // Spaces before an opening quote are tolerated; anything else makes the field unquoted.
      if (char !== ' ') {
        fieldStarted = true;
      }
    }
  }
  if (quoted) {
    throw new ImportFileError(`Line ${quoteLine}: a field opened with " is never closed.`);
  }
  endRow();
  return rows;
}

/**
 * The delimiter under which the first rows split most consistently into two or more fields; on a tie,
 * tab before `;` before `,` (titles contain commas more often than tabs or semicolons).
 */
export function detectDelimiter(text: string): Delimiter {
  let best: { delimiter: Delimiter; score: number } | undefined;
  let firstError: unknown;
  for (const delimiter of DELIMITERS) {
    let rows: DelimitedRow[];
    try {
      rows = parseDelimited(text, delimiter).slice(0, DELIMITER_SAMPLE_ROWS);
    } catch (error) {
      firstError ??= error;
      continue;
    }
    const counts = new Map<number, number>();
    for (const row of rows) {
      if (row.fields.length >= 2) {
        counts.set(row.fields.length, (counts.get(row.fields.length) ?? 0) + 1);
      }
    }
    const score = Math.max(0, ...counts.values());
    if (score > 0 && (best === undefined || score > best.score)) {
      best = { delimiter, score };
    }
  }
  if (!best) {
    throw firstError instanceof ImportFileError
      ? firstError
      : new ImportFileError(
          'No columns found: code and title must be separated by a tab, ";" or "," on each line.',
        );
  }
  return best.delimiter;
}

/** Decodes, splits and reads the file: the whole import logic short of the database. */
export function parseOccupationFile(bytes: Uint8Array): ParsedOccupationFile {
  if (bytes.length > MAX_FILE_BYTES) {
    throw new ImportFileError(`The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB: not a KldB list.`);
  }
  const { text, encoding } = decodeText(bytes);
  if (text.trim() === '') {
    throw new ImportFileError('The file is empty.');
  }
  const delimiter = detectDelimiter(text);
  return { encoding, delimiter, ...readOccupations(parseDelimited(text, delimiter)) };
}

/** Finds the code and title columns and reads one title per 5-digit code. */
export function readOccupations(rows: DelimitedRow[]): Omit<ParsedOccupationFile, 'encoding' | 'delimiter'> {
  const codeColumn = findCodeColumn(rows);
  const titleColumn = findTitleColumn(rows, codeColumn);
  const skipped: Record<SkipReason, number> = {
    header: 0,
    shorterCode: 0,
    notACode: 0,
    noTitle: 0,
    duplicateCode: 0,
  };
  const occupations: ImportedTitle[] = [];
  const seen = new Set<string>();
  // Rows before the first code are the header (and any title lines above it).
  let inHeader = true;
  for (const row of rows) {
    const code = cell(row, codeColumn);
    const title = cell(row, titleColumn).replace(/\s+/g, ' ');
    inHeader &&= !DIGITS.test(code);
    if (inHeader) {
      skipped.header += 1;
    } else if (!DIGITS.test(code)) {
      skipped.notACode += 1;
    } else if (code.length < 5) {
      skipped.shorterCode += 1;
    } else if (code.length > 5) {
      skipped.notACode += 1;
    } else if (title === '') {
      skipped.noTitle += 1;
    } else if (seen.has(code)) {
      skipped.duplicateCode += 1;
    } else {
      seen.add(code);
      occupations.push({ kldb: code, titleDe: title });
    }
  }
  return { codeColumn, titleColumn, rowsRead: rows.length, occupations, skipped };
}

function cell(row: DelimitedRow, column: number): string {
  return (row.fields[column] ?? '').trim();
}

function columnCount(rows: DelimitedRow[]): number {
  return Math.max(0, ...rows.map((row) => row.fields.length));
}

/** The column with the most 5-digit codes. */
function findCodeColumn(rows: DelimitedRow[]): number {
  let best = { column: -1, codes: 0 };
  for (let column = 0; column < columnCount(rows); column += 1) {
    const codes = rows.filter((row) => CODE.test(cell(row, column))).length;
    if (codes > best.codes) {
      best = { column, codes };
    }
  }
  if (best.column < 0) {
    throw new ImportFileError(
      'No column holds 5-digit KldB codes (Berufsgattungen). Is this the KldB 2010 list of the Federal ' +
        'Employment Agency?',
    );
  }
  return best.column;
}

/**
 * Beside the code column: the column with the most different texts in the rows that have a code (a title
 * differs from row to row, a level or category column repeats itself); on a tie the longer texts.
 */
function findTitleColumn(rows: DelimitedRow[], codeColumn: number): number {
  const coded = rows.filter((row) => CODE.test(cell(row, codeColumn)));
  let best = { column: -1, texts: 0, length: 0 };
  for (let column = 0; column < columnCount(rows); column += 1) {
    if (column === codeColumn) {
      continue;
    }
    const texts = new Set(coded.map((row) => cell(row, column)).filter((value) => LETTER.test(value)));
    const length = [...texts].reduce((sum, value) => sum + value.length, 0);
    if (texts.size > best.texts || (texts.size === best.texts && length > best.length)) {
      best = { column, texts: texts.size, length };
    }
  }
  if (best.texts === 0) {
    throw new ImportFileError('No column beside the codes holds titles.');
  }
  return best.column;
}
