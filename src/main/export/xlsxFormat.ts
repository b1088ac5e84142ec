/**
 * XLSX written directly as SpreadsheetML through a streaming ZIP writer (exceljs spent most of
 * its time resolving styles cell by cell; here a column's style is an index fixed up front).
 * A Summary sheet (title, KPIs, the report's filters and window in words, generated-at, data as
 * of, the charts as pictures) and data sheets with a styled, frozen header, an autofilter with
 * the _xlnm._FilterDatabase name LibreOffice and Excel look for, widths from the data, number
 * formats and a colour scale on percent columns. Excel's limits hold: a sheet continues on the
 * next after 1,048,575 data rows; text over 32,767 characters is truncated with a note.
 * Strings are always inline string cells, so nothing is ever evaluated as a formula.
 */
import { checkCancelled, PROGRESS_EVERY, type ExportCell, type ExportColumn, type ExportOptions, type ExportTable, type FormatWriter } from './exporter';
import type { ChartSpec } from '../../shared/charts/chartSpec';
import { renderChartPng } from './chartRender';
import { ZipWriter, MAX_ENTRY_BYTES } from './zipWriter';
import {
  APP_PROPS,
  columnLetter,
  contentTypes,
  coreProps,
  drawingRels,
  drawingXml,
  excelSerial,
  filterDefinedName,
  ROOT_RELS,
  sheetDrawingRels,
  STYLE,
  STYLES_XML,
  inlineStringCell,
  sharedStringsXml,
  stringCell,
  workbookRels,
  workbookXml,
  worksheetHead,
  worksheetTail,
  type PlacedPicture,
  type WorkbookSheet,
} from './xlsxParts';

export const MAX_DATA_ROWS_PER_SHEET = 1_048_575;
export const MAX_CELL_CHARS = 32_767;
const TRUNCATED_NOTE = ' … [truncated: Excel cells hold at most 32,767 characters]';
const WIDTH_SAMPLE = 1000;
const CHUNK_CHARS = 1 << 17;
/** Start a new sheet well before the ZIP entry limit. */
const SHEET_BYTES_LIMIT = MAX_ENTRY_BYTES - (1 << 26);
const CHART_PX = { width: 720, height: 340 };

/** Sheet names: at most 31 characters, none of []:*?/\ , unique in the workbook. */
export function sheetName(wanted: string, taken: Set<string>): string {
  let base = wanted.replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').trim() || 'Sheet';
  base = base.slice(0, 31);
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - ` (${n})`.length)} (${n})`;
  taken.add(name.toLowerCase());
  return name;
}

function columnStyle(c: ExportColumn): number {
  switch (c.type) {
    case 'percent':
      return STYLE.percent;
    case 'integer':
      return STYLE.integer;
    case 'number':
      return STYLE.number;
    case 'date':
      return STYLE.date;
    case 'datetime':
      return STYLE.datetime;
    default:
      return STYLE.default;
  }
}

interface CellState {
  truncated: number;
}

type CellWriter = (v: string | number | boolean, ref: string) => string;

/** Repeated strings (areas, systems, statuses…) go once into xl/sharedStrings.xml; the table
    is capped so a column of unique tags cannot make it grow without bound. */
class SharedStrings {
  static readonly MAX_ENTRIES = 100_000;
  readonly index = new Map<string, number>();
  readonly list: string[] = [];
  lookup(s: string): number {
    let i = this.index.get(s);
    if (i === undefined && this.list.length < SharedStrings.MAX_ENTRIES) {
      i = this.list.length;
      this.index.set(s, i);
      this.list.push(s);
    }
    return i ?? -1;
  }
}

/** One serializer per column, chosen once, so the row loop does no type dispatch on columns.
    `ref` is empty unless an empty cell came before (cells without r follow the previous one). */
function cellWriter(c: ExportColumn, state: CellState, shared: SharedStrings | null): CellWriter {
  const style = columnStyle(c);
  const s = style ? ` s="${style}"` : '';
  const text = (v: string, ref: string) => {
    if (v.length > MAX_CELL_CHARS) {
      state.truncated += 1;
      v = v.slice(0, MAX_CELL_CHARS - TRUNCATED_NOTE.length) + TRUNCATED_NOTE;
    }
    const i = shared ? shared.lookup(v) : -1;
    return i >= 0 ? `<c${ref} t="s"><v>${i}</v></c>` : inlineStringCell(ref, v);
  };
  const date = c.type === 'date' || c.type === 'datetime';
  return (v, ref) => {
    if (typeof v === 'number') return `<c${ref}${s}><v>${v}</v></c>`;
    if (typeof v === 'boolean') return `<c${ref} t="b"><v>${v ? 1 : 0}</v></c>`;
    if (date) {
      const ms = Date.parse(c.type === 'date' && v.length === 10 ? `${v}T00:00:00Z` : v);
      if (!Number.isNaN(ms)) return `<c${ref}${s}><v>${excelSerial(ms)}</v></c>`;
    }
    return text(v, ref);
  };
}

function displayLength(v: ExportCell): number {
  if (v === null) return 0;
  return Math.min(60, typeof v === 'number' ? String(Math.round(v * 100) / 100).length + 2 : String(v).length);
}

type SummaryValue = string | number | Date | null;

function summaryCell(ref: string, v: SummaryValue, style = 0): string {
  if (v === null) return '';
  if (v instanceof Date) return `<c r="${ref}" s="${STYLE.datetime}"><v>${excelSerial(v.getTime())}</v></c>`;
  if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
  return stringCell(ref, v, style);
}

export interface XlsxExtras {
  charts?: ChartSpec[];
}

export function makeXlsxFormat(extras: XlsxExtras = {}): FormatWriter {
  return {
    extension: '.xlsx',
    async write(table: ExportTable, tempFile: string, options: ExportOptions): Promise<number> {
      const zip = new ZipWriter(tempFile, 1, new Date(table.meta.generatedAt));
      try {
        return await writeWorkbook(zip, table, extras, options);
      } catch (err) {
        zip.abandon();
        throw err;
      }
    },
  };
}

export const xlsxFormat: FormatWriter = makeXlsxFormat();

async function writeWorkbook(zip: ZipWriter, table: ExportTable, extras: XlsxExtras, options: ExportOptions): Promise<number> {
  const taken = new Set<string>(['summary']);
  const state: CellState = { truncated: 0 };
  const cols = table.columns;
  const lastCol = columnLetter(cols.length - 1);

  const it = table.rows[Symbol.iterator]();
  const sample: ExportCell[][] = [];
  for (let r = sample.length < WIDTH_SAMPLE ? it.next() : null; r && !r.done; r = sample.length < WIDTH_SAMPLE ? it.next() : null) sample.push(r.value);
  const widths = cols.map((c, i) => Math.max(8, Math.min(60, Math.max(c.label.length + 2, ...sample.map((row) => displayLength(row[i] ?? null) + 1)))));
  // Columns whose sample repeats itself share their strings.
  const sharedStrings = new SharedStrings();
  const writers = cols.map((c, i) => {
    const distinct = new Set(sample.map((row) => row[i])).size;
    const repeats = c.type === 'enum' || (sample.length >= 50 && distinct <= sample.length / 4);
    return cellWriter(c, state, repeats ? sharedStrings : null);
  });
  const letters = cols.map((_, i) => columnLetter(i));
  const header = `<row r="1">${cols.map((c, i) => stringCell(`${columnLetter(i)}1`, c.label, STYLE.header)).join('')}</row>`;
  const percentCols = cols.flatMap((c, i) => (c.type === 'percent' ? [columnLetter(i)] : []));

  // Data sheets are sheet2.xml onwards; the Summary (sheet1.xml) is written last, when the
  // row count and any truncation are known.
  const sheets: WorkbookSheet[] = [];
  let entry: ReturnType<ZipWriter['entry']> | null = null;
  let rowsInSheet = 0;
  let buffer = '';
  const openSheet = async () => {
    const n = sheets.length + 1;
    const title = table.meta.title || 'Data';
    sheets.push({ name: sheetName(n === 1 ? title : `${title} (${n})`, taken), file: n + 1 });
    entry = zip.entry(`xl/worksheets/sheet${n + 1}.xml`);
    buffer = worksheetHead({ frozenHeader: true, widths, columnStyles: cols.map(columnStyle) }) + header;
    rowsInSheet = 0;
  };
  const closeSheet = async () => {
    if (!entry) return;
    const sheet = sheets[sheets.length - 1] as WorkbookSheet;
    const lastRow = rowsInSheet + 1;
    sheet.filterRange = filterDefinedName(sheet.name, lastCol, lastRow);
    buffer += worksheetTail({
      autoFilter: `A1:${lastCol}${lastRow}`,
      colorScales: rowsInSheet > 0 ? percentCols.map((c) => `${c}2:${c}${lastRow}`) : [],
      landscape: cols.length > 8,
    });
    await entry.write(buffer);
    buffer = '';
    await entry.end();
    entry = null;
  };

  let n = 0;
  const writeRow = async (row: ExportCell[]) => {
    if (!entry || rowsInSheet >= MAX_DATA_ROWS_PER_SHEET || (entry as { size: number }).size > SHEET_BYTES_LIMIT) {
      await closeSheet();
      await openSheet();
    }
    rowsInSheet += 1;
    const r = rowsInSheet + 1;
    let xml = `<row r="${r}">`;
    let skipped = false;
    for (let i = 0; i < writers.length; i++) {
      const v = row[i] ?? null;
      if (v === null || (typeof v === 'number' && !Number.isFinite(v))) {
        skipped = true;
        continue;
      }
      xml += (writers[i] as CellWriter)(v, skipped ? ` r="${letters[i]}${r}"` : '');
      skipped = false;
    }
    buffer += `${xml}</row>`;
    if (buffer.length > CHUNK_CHARS) {
      await (entry as unknown as { write(s: string): Promise<void> }).write(buffer);
      buffer = '';
    }
    n += 1;
    if (n % PROGRESS_EVERY === 0) {
      checkCancelled(options.signal);
      options.onProgress?.({ rowsWritten: n, totalRows: table.totalRows });
    }
  };
  for (const row of sample) await writeRow(row);
  for (let r = it.next(); !r.done; r = it.next()) await writeRow(r.value);
  if (!entry) await openSheet();
  await closeSheet();
  checkCancelled(options.signal);

  // Summary sheet with the charts as pictures below its text.
  const meta = table.meta;
  const lines: Array<[string | null, SummaryValue]> = [
    [meta.title, null],
    ['Project', `${meta.projectName} (${meta.projectCode})`],
    ...(meta.dateRange ? [['Date range', meta.dateRange] as [string, SummaryValue]] : []),
    ['Generated', new Date(meta.generatedAt)],
    ['Data as of', meta.dataAsOf ? new Date(meta.dataAsOf) : 'unknown'],
    ['Rows', n],
    ...(sheets.length > 1 ? [['Sheets', `${sheets.length} (Excel holds at most 1,048,576 rows a sheet)`] as [string, SummaryValue]] : []),
    ...(state.truncated > 0 ? [['Note', `${state.truncated} cell(s) were longer than 32,767 characters and were truncated`] as [string, SummaryValue]] : []),
    [null, null],
    ...meta.kpis.map((k) => [k.label, k.value] as [string, SummaryValue]),
    [null, null],
    ...meta.description.map((d, i) => [i === 0 ? 'Definition' : '', d] as [string, SummaryValue]),
  ];
  let summary = worksheetHead({ frozenHeader: false, widths: [34, 60] });
  lines.forEach(([label, value], i) => {
    const r = i + 1;
    summary += `<row r="${r}">${label === null ? '' : summaryCell(`A${r}`, label, i === 0 ? STYLE.title : STYLE.label)}${summaryCell(`B${r}`, value)}</row>`;
  });
  const charts = extras.charts ?? [];
  const pictures: PlacedPicture[] = [];
  let anchorRow = lines.length + 1;
  for (const [i, chart] of charts.entries()) {
    const png = renderChartPng(chart, CHART_PX.width, CHART_PX.height);
    await zip.add(`xl/media/image${i + 1}.png`, png);
    pictures.push({ image: i + 1, row: anchorRow, col: 0, widthPx: CHART_PX.width, heightPx: CHART_PX.height, name: chart.title });
    anchorRow += Math.ceil(CHART_PX.height / 20) + 1;
  }
  summary += worksheetTail({ drawingRelId: pictures.length > 0 ? 'rId1' : undefined });
  await zip.add('xl/worksheets/sheet1.xml', summary);
  if (pictures.length > 0) {
    await zip.add('xl/worksheets/_rels/sheet1.xml.rels', sheetDrawingRels(1));
    await zip.add('xl/drawings/drawing1.xml', drawingXml(pictures));
    await zip.add('xl/drawings/_rels/drawing1.xml.rels', drawingRels(pictures));
  }

  const all: WorkbookSheet[] = [{ name: 'Summary', file: 1 }, ...sheets];
  await zip.add('xl/sharedStrings.xml', sharedStringsXml(sharedStrings.list));
  await zip.add('xl/workbook.xml', workbookXml(all));
  await zip.add('xl/_rels/workbook.xml.rels', workbookRels(all));
  await zip.add('xl/styles.xml', STYLES_XML);
  await zip.add('[Content_Types].xml', contentTypes(all.map((s) => s.file), pictures.length > 0 ? 1 : 0, pictures.length > 0));
  await zip.add('_rels/.rels', ROOT_RELS);
  await zip.add('docProps/core.xml', coreProps(meta.title, new Date(meta.generatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z')));
  await zip.add('docProps/app.xml', APP_PROPS);
  zip.finish();
  options.onProgress?.({ rowsWritten: n, totalRows: table.totalRows });
  return n;
}
