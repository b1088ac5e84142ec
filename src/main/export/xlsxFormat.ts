/**
 * XLSX with exceljs's streaming writer: a Summary sheet (title, KPIs, the report's filters and
 * window in words, generated-at, data as of) and data sheets with a styled, frozen header, an
 * autofilter (with the _xlnm._FilterDatabase name LibreOffice and Excel look for), widths from
 * the data, number formats and a colour scale on percent columns. Excel's limits hold: a sheet
 * continues on the next after 1,048,575 data rows; text over 32,767 characters is truncated with
 * a note. Strings are always string cells, so nothing is ever evaluated as a formula.
 */
import ExcelJS from 'exceljs';
import { checkCancelled, PROGRESS_EVERY, type ExportCell, type ExportColumn, type ExportOptions, type ExportTable, type FormatWriter } from './exporter';

export const MAX_DATA_ROWS_PER_SHEET = 1_048_575;
export const MAX_CELL_CHARS = 32_767;
const TRUNCATED_NOTE = ' … [truncated: Excel cells hold at most 32,767 characters]';
const WIDTH_SAMPLE = 1000;
const HEADER_FILL = 'FF0B5CAD';

/** Sheet names: at most 31 characters, none of []:*?/\ , unique in the workbook. */
export function sheetName(wanted: string, taken: Set<string>): string {
  let base = wanted.replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').trim() || 'Sheet';
  base = base.slice(0, 31);
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - ` (${n})`.length)} (${n})`;
  taken.add(name.toLowerCase());
  return name;
}

function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function numFmt(c: ExportColumn): string | undefined {
  switch (c.type) {
    case 'percent':
      return '0.00';
    case 'integer':
      return '#,##0';
    case 'number':
      return '#,##0.####';
    case 'date':
      return 'yyyy-mm-dd';
    case 'datetime':
      return 'yyyy-mm-dd hh:mm';
    default:
      return undefined;
  }
}

interface CellState {
  truncated: number;
}

function cellValue(c: ExportColumn, v: ExportCell, state: CellState): ExcelJS.CellValue {
  if (v === null) return null;
  if ((c.type === 'date' || c.type === 'datetime') && typeof v === 'string') {
    const ms = Date.parse(c.type === 'date' ? `${v}T00:00:00Z` : v);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  if (typeof v === 'string' && v.length > MAX_CELL_CHARS) {
    state.truncated += 1;
    return v.slice(0, MAX_CELL_CHARS - TRUNCATED_NOTE.length) + TRUNCATED_NOTE;
  }
  return v;
}

function displayLength(v: ExportCell): number {
  if (v === null) return 0;
  return Math.min(60, typeof v === 'number' ? String(Math.round(v * 100) / 100).length + 2 : String(v).length);
}

export const xlsxFormat: FormatWriter = {
  extension: '.xlsx',
  async write(table: ExportTable, tempFile: string, options: ExportOptions): Promise<number> {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tempFile, useStyles: true, useSharedStrings: false });
    wb.creator = 'SiteReport';
    wb.created = new Date(table.meta.generatedAt);
    const taken = new Set<string>();
    const filterNames: Array<{ name: string; ranges: string[]; localSheetId: number }> = [];
    const state: CellState = { truncated: 0 };

    // Summary first; its truncation note is known only at the end, so data goes to sheets after it.
    const summaryName = sheetName('Summary', taken);
    const summary = wb.addWorksheet(summaryName);
    summary.columns = [{ width: 34 }, { width: 60 }];

    const it = table.rows[Symbol.iterator]();
    const sample: ExportCell[][] = [];
    for (let r = it.next(); !r.done; r = sample.length < WIDTH_SAMPLE ? it.next() : { done: true, value: undefined }) {
      sample.push(r.value);
      if (sample.length >= WIDTH_SAMPLE) break;
    }
    const widths = table.columns.map((c, i) => Math.max(8, Math.min(60, Math.max(c.label.length + 2, ...sample.map((row) => displayLength(row[i] ?? null) + 1)))));

    let sheetIndex = 0;
    let sheet: ExcelJS.Worksheet | null = null;
    let rowsInSheet = 0;
    const sheets: Array<{ ws: ExcelJS.Worksheet; name: string; rows: number; index: number }> = [];
    const openSheet = () => {
      sheetIndex += 1;
      const name = sheetName(sheetIndex === 1 ? table.meta.title || 'Data' : `${table.meta.title || 'Data'} (${sheetIndex})`, taken);
      const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = table.columns.map((c, i) => ({ header: c.label, key: c.key, width: widths[i], style: numFmt(c) ? { numFmt: numFmt(c) } : {} }));
      const header = ws.getRow(1);
      header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
      header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
      header.alignment = { vertical: 'middle' };
      header.commit();
      sheets.push({ ws, name, rows: 0, index: sheets.length + 1 });
      rowsInSheet = 0;
      return ws;
    };
    const closeSheet = () => {
      if (!sheet) return;
      const last = sheets[sheets.length - 1] as { ws: ExcelJS.Worksheet; name: string; rows: number; index: number };
      last.rows = rowsInSheet;
      const lastCol = columnLetter(table.columns.length - 1);
      sheet.autoFilter = { from: 'A1', to: `${lastCol}1` };
      filterNames.push({ name: '_xlnm._FilterDatabase', ranges: [`'${last.name.replaceAll("'", "''")}'!$A$1:$${lastCol}$${rowsInSheet + 1}`], localSheetId: last.index });
      table.columns.forEach((c, i) => {
        if (c.type === 'percent' && rowsInSheet > 0) {
          const col = columnLetter(i);
          sheet?.addConditionalFormatting({
            ref: `${col}2:${col}${rowsInSheet + 1}`,
            rules: [{ type: 'colorScale', priority: 1, cfvo: [{ type: 'num', value: 0 }, { type: 'num', value: 50 }, { type: 'num', value: 100 }], color: [{ argb: 'FFF8696B' }, { argb: 'FFFFEB84' }, { argb: 'FF63BE7B' }] }],
          });
        }
      });
      sheet.commit();
    };

    let n = 0;
    const writeRow = async (row: ExportCell[]) => {
      if (!sheet || rowsInSheet >= MAX_DATA_ROWS_PER_SHEET) {
        closeSheet();
        sheet = openSheet();
      }
      sheet.addRow(table.columns.map((c, i) => cellValue(c, row[i] ?? null, state))).commit();
      rowsInSheet += 1;
      n += 1;
      if (n % PROGRESS_EVERY === 0) {
        checkCancelled(options.signal);
        options.onProgress?.({ rowsWritten: n, totalRows: table.totalRows });
        // Let the zip stream drain so memory stays flat on large tables.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    for (const row of sample) await writeRow(row);
    for (let r = it.next(); !r.done; r = it.next()) await writeRow(r.value);
    if (!sheet) sheet = openSheet();
    closeSheet();

    const lines: Array<[string, ExcelJS.CellValue]> = [
      [table.meta.title, null],
      ['Project', `${table.meta.projectName} (${table.meta.projectCode})`],
      ...(table.meta.dateRange ? [['Date range', table.meta.dateRange] as [string, ExcelJS.CellValue]] : []),
      ['Generated', new Date(table.meta.generatedAt)],
      ['Data as of', table.meta.dataAsOf ? new Date(table.meta.dataAsOf) : 'unknown'],
      ['Rows', n],
      ...(sheets.length > 1 ? [['Sheets', `${sheets.length} (Excel holds at most 1,048,576 rows a sheet)`] as [string, ExcelJS.CellValue]] : []),
      ...(state.truncated > 0 ? [['Note', `${state.truncated} cell(s) were longer than 32,767 characters and were truncated`] as [string, ExcelJS.CellValue]] : []),
      [null as unknown as string, null],
      ...table.meta.kpis.map((k) => [k.label, k.value] as [string, ExcelJS.CellValue]),
      [null as unknown as string, null],
      ...table.meta.description.map((d, i) => [i === 0 ? 'Definition' : '', d] as [string, ExcelJS.CellValue]),
    ];
    lines.forEach(([label, value], i) => {
      const row = summary.addRow([label, value]);
      if (i === 0) row.font = { bold: true, size: 16, color: { argb: HEADER_FILL } };
      else row.getCell(1).font = { bold: true };
      if (value instanceof Date) row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
      row.commit();
    });
    summary.commit();

    // exceljs writes defined names without localSheetId; supply the model it renders.
    (wb as unknown as { _definedNames: { model: unknown } })._definedNames = { model: filterNames };
    await wb.commit();
    options.onProgress?.({ rowsWritten: n, totalRows: table.totalRows });
    return n;
  },
};
