/**
 * The first sheet (or a named one) of an XLSX workbook as rows of text, for the import. Only
 * what a component list needs: shared strings, inline strings, numbers and booleans; cells
 * are placed by their reference, so empty cells keep the columns aligned.
 */
import { AppError } from '../../shared/errors';
import type { CsvLimits, CsvTable } from './csvRead';
import { DEFAULT_LIMITS, tooManyColumns } from './csvRead';
import { DEFAULT_ZIP_LIMITS, ZipReader, type ZipLimits } from './zipRead';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (ENTITIES[e] as string),
  );
}

/** All <t> texts of an element (a shared string may be split into formatted runs). */
function texts(xml: string): string {
  let out = '';
  for (const m of xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) out += unescapeXml(m[1] as string);
  return out;
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

export function readXlsx(bytes: Buffer, sheetName?: string, limits: CsvLimits = DEFAULT_LIMITS, zipLimits: ZipLimits = DEFAULT_ZIP_LIMITS): CsvTable {
  if (bytes.length > limits.maxBytes) throw new AppError('INVALID_INPUT', `the file is ${(bytes.length / 1048576).toFixed(0)} MB; imports are limited to ${(limits.maxBytes / 1048576).toFixed(0)} MB`);
  const zip = new ZipReader(bytes, zipLimits);
  const workbook = zip.text('xl/workbook.xml');
  const sheets = [...workbook.matchAll(/<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"/g)].map((m) => ({ name: unescapeXml(m[1] as string), rid: m[2] as string }));
  const sheet = sheetName === undefined ? sheets[0] : sheets.find((s) => s.name === sheetName);
  if (!sheet) throw new AppError('INVALID_INPUT', sheetName === undefined ? 'the workbook has no sheets' : `the workbook has no sheet "${sheetName}" (it has ${sheets.map((s) => `"${s.name}"`).join(', ')})`);
  const rels = zip.text('xl/_rels/workbook.xml.rels');
  const target = new RegExp(`<Relationship\\b[^>]*?Id="${sheet.rid}"[^>]*?Target="([^"]*)"`).exec(rels)?.[1] ?? new RegExp(`<Relationship\\b[^>]*?Target="([^"]*)"[^>]*?Id="${sheet.rid}"`).exec(rels)?.[1];
  if (!target) throw new AppError('INVALID_INPUT', `the workbook does not say where sheet "${sheet.name}" is`);
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const shared = zip.has('xl/sharedStrings.xml') ? [...zip.text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1] as string)) : [];
  const xml = zip.text(sheetPath);
  const records: Array<{ line: number; cells: string[] }> = [];
  for (const row of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const line = Number(/\br="(\d+)"/.exec(row[1] as string)?.[1] ?? records.length + 1);
    const cells: string[] = [];
    let next = 0;
    for (const c of (row[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1] as string;
      const ref = /\br="([A-Z]+)\d+"/.exec(attrs)?.[1];
      const at = ref ? columnIndex(ref) : next;
      next = at + 1;
      if (at >= (limits.maxColumns ?? Infinity)) throw tooManyColumns(`row ${line}`, limits.maxColumns ?? 0);
      const type = /\bt="([^"]*)"/.exec(attrs)?.[1] ?? 'n';
      const body = c[2] ?? '';
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value = '';
      if (type === 's' && v !== undefined) value = shared[Number(v)] ?? '';
      else if (type === 'inlineStr') value = texts(body);
      else if (type === 'b') value = v === '1' ? 'TRUE' : 'FALSE';
      else if (v !== undefined) value = unescapeXml(v);
      if (value.length > limits.maxCellChars) throw new AppError('INVALID_INPUT', `row ${line}: a value is ${value.length.toLocaleString('en-US')} characters long; the limit is ${limits.maxCellChars.toLocaleString('en-US')}`);
      while (cells.length < at) cells.push('');
      cells[at] = value;
    }
    if (cells.every((x) => x === '')) continue;
    records.push({ line, cells });
    if (records.length > limits.maxRows + 1) throw new AppError('INVALID_INPUT', `the sheet has more than ${limits.maxRows.toLocaleString('en-US')} rows, the import limit`);
  }
  const [head, ...rows] = records;
  if (!head) throw new AppError('INVALID_INPUT', `sheet "${sheet.name}" is empty`);
  return { delimiter: '', header: head.cells.map((h) => h.trim()), rows };
}
