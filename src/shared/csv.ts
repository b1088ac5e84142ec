/**
 * RFC 4180 CSV, for exports and for the import's problem list (in the app too): CRLF line
 * ends, fields quoted when they hold a comma, quote, CR or LF, quotes doubled. Text that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with a single
 * quote unless the caller asks for raw machine output. Numbers are never prefixed: a real
 * negative number stays a number.
 */
export type CsvCell = string | number | boolean | null | undefined;

export interface CsvOptions {
  bom?: boolean;
  /** Keep formula-looking text as is (for machine consumers). Default false. */
  raw?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvCell, raw = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value;
  if (!raw && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly CsvCell[], raw = false): string {
  return `${cells.map((c) => csvField(c, raw)).join(',')}\r\n`;
}

export const UTF8_BOM = '\uFEFF';
