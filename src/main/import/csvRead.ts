/**
 * Reading a component list exported from a spreadsheet: RFC 4180 with any of the usual
 * delimiters (guessed from the header line), UTF-8 with or without a BOM, quoted fields that
 * hold delimiters, quotes and newlines. Hostile files are refused with a clear message, not
 * read into memory without bound.
 */
import { AppError } from '../../shared/errors';

export interface CsvLimits {
  maxBytes: number;
  maxRows: number;
  maxCellChars: number;
  /** Optional so older callers keep working; a component list has a few dozen columns at most. */
  maxColumns?: number;
}

export const DEFAULT_LIMITS: CsvLimits = { maxBytes: 200 * 1024 * 1024, maxRows: 2_000_000, maxCellChars: 10_000, maxColumns: 256 };

export function tooManyColumns(where: string, limit: number): AppError {
  return new AppError('INVALID_INPUT', `${where}: more than ${limit} columns; a component list has far fewer (is this the right file?)`);
}

export interface CsvTable {
  delimiter: string;
  header: string[];
  /** Data rows with the 1-based line each starts on. */
  rows: Array<{ line: number; cells: string[] }>;
}

const DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter that splits the header line into the most fields (quotes respected). */
export function guessDelimiter(firstLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let n = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) n += 1;
    }
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

function decodeCsv(bytes: Buffer, limits: CsvLimits): { text: string; delimiter: string } {
  if (bytes.length > limits.maxBytes) throw new AppError('INVALID_INPUT', `the file is ${(bytes.length / 1048576).toFixed(0)} MB; imports are limited to ${(limits.maxBytes / 1048576).toFixed(0)} MB`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('INVALID_INPUT', 'the file is not UTF-8 text; save it from the spreadsheet as "CSV UTF-8"');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) throw new AppError('INVALID_INPUT', 'the file holds binary data (NUL bytes); it is not a CSV file');
  const firstBreak = text.search(/\r?\n/);
  const delimiter = guessDelimiter(firstBreak === -1 ? text : text.slice(0, firstBreak));
  return { text, delimiter };
}

/** The records of the text one by one (header first), so a large file need not be held as rows. */
function* csvRecords(text: string, delimiter: string, limits: CsvLimits): Generator<{ line: number; cells: string[] }> {
  const maxColumns = limits.maxColumns ?? Infinity;
  let line = 1;
  let recordLine = 1;
  let cells: string[] = [];
  const tooLong = () => new AppError('INVALID_INPUT', `line ${recordLine}: a value is longer than ${limits.maxCellChars.toLocaleString('en-US')} characters, the limit`);
  const pushCell = (cell: string) => {
    if (cell.length > limits.maxCellChars) throw tooLong();
    if (cells.length >= maxColumns) throw tooManyColumns(`line ${recordLine}`, maxColumns);
    cells.push(cell);
  };
  let count = 0;
  /** The finished record, or null for a blank line. */
  const endRecord = (): { line: number; cells: string[] } | null => {
    const done = cells;
    cells = [];
    if (done.length === 1 && done[0] === '') return null;
    if (++count > limits.maxRows + 1) throw new AppError('INVALID_INPUT', `the file has more than ${limits.maxRows.toLocaleString('en-US')} rows, the import limit`);
    return { line: recordLine, cells: done };
  };
  // Whole runs of plain text are sliced out at once; only quoted values are assembled piece by piece.
  const DELIM = delimiter.charCodeAt(0);
  const plainEnd = new RegExp(`[${delimiter === '\t' ? '\\t' : delimiter === '|' ? '\\|' : delimiter}\r\n]`, 'g');
  const n = text.length;
  let i = 0;
  for (;;) {
    // At the start of a cell.
    if (i < n && text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) throw new AppError('INVALID_INPUT', `line ${recordLine}: a quoted value is never closed`);
        value += text.slice(from, q);
        if (value.length > limits.maxCellChars) throw tooLong();
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          from = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      for (let k = value.indexOf('\n'); k !== -1; k = value.indexOf('\n', k + 1)) line += 1;
      // Text after the closing quote, up to the delimiter, belongs to the value (lenient, as before).
      plainEnd.lastIndex = i;
      const m = plainEnd.exec(text);
      const end = m ? m.index : n;
      if (end > i) value += text.slice(i, end);
      pushCell(value);
      i = end;
    } else {
      plainEnd.lastIndex = i;
      const m = plainEnd.exec(text);
      const end = m ? m.index : n;
      if (end - i > limits.maxCellChars) throw tooLong();
      pushCell(text.slice(i, end));
      i = end;
    }
    if (i >= n) {
      const last = endRecord();
      if (last) yield last;
      break;
    }
    const c = text.charCodeAt(i);
    if (c === DELIM) {
      i += 1;
      continue;
    }
    // A line break ends the record.
    i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    const record = endRecord();
    if (record) yield record;
    line += 1;
    recordLine = line;
    if (i >= n) break;
  }
}

/** A file's header and its rows; `rows` may be read once, as it is parsed. */
export interface RowSource {
  header: string[];
  rows: Iterable<{ line: number; cells: string[] }>;
  /** The rows from the start again (parsed again), when the source can give them twice. */
  reread?: () => Iterable<{ line: number; cells: string[] }>;
}

/** The header now, the rows as they are parsed: for files too large to hold as rows. */
export function streamCsv(bytes: Buffer, limits: CsvLimits = DEFAULT_LIMITS): RowSource & { delimiter: string } {
  const { text, delimiter } = decodeCsv(bytes, limits);
  const records = csvRecords(text, delimiter, limits);
  const head = records.next();
  if (head.done) throw new AppError('INVALID_INPUT', 'the file is empty');
  const reread = () => {
    const again = csvRecords(text, delimiter, limits);
    again.next();
    return { [Symbol.iterator]: () => again };
  };
  return { delimiter, header: head.value.cells.map((h) => h.trim()), rows: { [Symbol.iterator]: () => records }, reread };
}

export function readCsv(bytes: Buffer, limits: CsvLimits = DEFAULT_LIMITS): CsvTable {
  const { delimiter, header, rows } = streamCsv(bytes, limits);
  return { delimiter, header, rows: [...rows] };
}
