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

export function readCsv(bytes: Buffer, limits: CsvLimits = DEFAULT_LIMITS): CsvTable {
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
  const records: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const maxColumns = limits.maxColumns ?? Infinity;
  const tooLong = () => new AppError('INVALID_INPUT', `line ${recordLine}: a value is longer than ${limits.maxCellChars.toLocaleString('en-US')} characters, the limit`);
  const endCell = () => {
    if (cell.length > limits.maxCellChars) throw tooLong();
    if (cells.length >= maxColumns) throw tooManyColumns(`line ${recordLine}`, maxColumns);
    cells.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    if (records.length > limits.maxRows + 1) throw new AppError('INVALID_INPUT', `the file has more than ${limits.maxRows.toLocaleString('en-US')} rows, the import limit`);
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (ch === '\n') line += 1;
        cell += ch;
        if (cell.length > limits.maxCellChars) throw tooLong();
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) endCell();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      cell += ch;
      if (cell.length > limits.maxCellChars) throw tooLong();
    }
  }
  if (quoted) throw new AppError('INVALID_INPUT', `line ${recordLine}: a quoted value is never closed`);
  if (cell !== '' || cells.length > 0) endRecord();
  const [head, ...rows] = records;
  if (!head) throw new AppError('INVALID_INPUT', 'the file is empty');
  return { delimiter, header: head.cells.map((h) => h.trim()), rows };
}
