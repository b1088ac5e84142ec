/**
 * PDF with jsPDF: an executive-summary first page (title, project, date range, KPI cards,
 * charts drawn as vector primitives, what the report covers), then the table on as many pages
 * as it needs with its header repeated, landscape when the columns need the width, and on every
 * page a header (project, report, date range) and a footer (generated-at, "Page X of Y").
 * DejaVu Sans is embedded so accented and Cyrillic names print; the file is compressed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { jsPDF } from 'jspdf';
import { checkCancelled, PROGRESS_EVERY, type ExportCell, type ExportColumn, type ExportOptions, type ExportTable, type FormatWriter } from './exporter';
import type { ChartSpec } from '../../shared/charts/chartSpec';
import { drawSvg } from './svgToPdf';
import { tuneJsPdf } from './jspdfTuning';
import { fastTextWriter } from './pdfFastText';

const require = createRequire(import.meta.url);
let fontCache: { regular: string; bold: string; mono: string } | null = null;

function fonts(): { regular: string; bold: string; mono: string } {
  if (!fontCache) {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontCache = {
      regular: fs.readFileSync(path.join(dir, 'DejaVuSansCondensed.ttf')).toString('base64'),
      bold: fs.readFileSync(path.join(dir, 'DejaVuSansCondensed-Bold.ttf')).toString('base64'),
      mono: fs.readFileSync(path.join(dir, 'DejaVuSansMono.ttf')).toString('base64'),
    };
  }
  return fontCache;
}

/** Tables longer than this print as a listing: one line of fixed-width text per row, which
    jsPDF draws ~10x faster than a positioned text per cell. */
export const LISTING_ROWS = 3000;
const MONO_ADVANCE = 0.602;

const MARGIN = 36;
const HEADER_H = 26;
const FOOTER_H = 22;
const ROW_H = 14;
const FONT_SIZE = 7.5;
const BRAND: [number, number, number] = [11, 92, 173];
const INK: [number, number, number] = [27, 36, 48];
const MUTED: [number, number, number] = [91, 104, 120];
const LINE: [number, number, number] = [221, 227, 234];

function formatCell(c: ExportColumn, v: ExportCell): string {
  if (v === null) return '';
  if (typeof v === 'number') {
    if (c.type === 'percent') return v.toFixed(2);
    if (c.type === 'integer' || Number.isInteger(v)) return v.toLocaleString('en-US');
    return v.toLocaleString('en-US', { maximumFractionDigits: 4 });
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return v.replace(/\s+/g, ' ');
}

const isNumeric = (c: ExportColumn) => c.type === 'number' || c.type === 'percent' || c.type === 'integer';

export interface PdfSection {
  title: string | null;
  note: string | null;
  columns: ExportColumn[];
  /** Rows of this section; null: the report table's own rows. */
  rows: ExportCell[][] | null;
}

export interface PdfExtras {
  charts?: ChartSpec[];
  /** Purpose-made layouts: these tables instead of the report table. */
  sections?: PdfSection[];
}

function newDoc(landscape: boolean, listing: boolean): jsPDF {
  tuneJsPdf();
  const doc = new jsPDF({ orientation: landscape ? 'landscape' : 'portrait', unit: 'pt', format: 'a4', compress: true });
  const f = fonts();
  doc.addFileToVFS('DejaVuSansCondensed.ttf', f.regular);
  doc.addFont('DejaVuSansCondensed.ttf', 'DejaVu', 'normal');
  doc.addFileToVFS('DejaVuSansCondensed-Bold.ttf', f.bold);
  doc.addFont('DejaVuSansCondensed-Bold.ttf', 'DejaVu', 'bold');
  if (listing) {
    doc.addFileToVFS('DejaVuSansMono.ttf', f.mono);
    doc.addFont('DejaVuSansMono.ttf', 'DejaVuMono', 'normal');
  }
  doc.setFont('DejaVu', 'normal');
  doc.setProperties({ title: 'SiteReport', creator: 'SiteReport' });
  return doc;
}

/** Charts come from the same echarts option as the app's, drawn as vectors. The SVG is laid
    out a little larger than the box so its 10–14 px text prints at 8–11 pt. */
const CHART_SCALE = 0.8;

type ChartRenderer = (spec: ChartSpec, width: number, height: number) => string;

function drawChart(doc: jsPDF, render: ChartRenderer, chart: ChartSpec, x: number, y: number, w: number, h: number): void {
  const svg = render(chart, Math.round(w / CHART_SCALE), Math.round(h / CHART_SCALE));
  drawSvg(doc, svg, x, y, w, { regular: ['DejaVu', 'normal'], bold: ['DejaVu', 'bold'] });
}

export function makePdfFormat(extras: PdfExtras = {}): FormatWriter {
  return {
    extension: '.pdf',
    async write(table: ExportTable, tempFile: string, options: ExportOptions): Promise<number> {
      const cols = table.columns;
      // Width each column needs, from its header and a sample of its values (characters).
      const it = table.rows[Symbol.iterator]();
      const sample: ExportCell[][] = [];
      for (let r = it.next(); !r.done && sample.length < 500; r = it.next()) {
        sample.push(r.value);
        if (sample.length === 500) break;
      }
      // Numbers get room for seven digits even when the sample's are short: a number is never cut.
      const need = cols.map((c, i) => Math.min(48, Math.max(c.label.length * 1.1 + 1, isNumeric(c) ? 9 : 4, ...sample.map((row) => formatCell(c, row[i] ?? null).length))));
      const charW = FONT_SIZE * 0.5;
      const listing = sample.length >= 500 && (table.totalRows === null || table.totalRows > LISTING_ROWS);
      const landscape = need.reduce((a, b) => a + b, 0) * charW + cols.length * 8 > 595 - 2 * MARGIN;
      const doc = newDoc(landscape, listing);
      const W = doc.internal.pageSize.getWidth();
      const H = doc.internal.pageSize.getHeight();
      const meta = table.meta;

      // Executive summary.
      let y = MARGIN + HEADER_H;
      doc.setFont('DejaVu', 'bold');
      doc.setFontSize(20);
      doc.setTextColor(...BRAND);
      doc.text(meta.title, MARGIN, y + 14);
      doc.setFont('DejaVu', 'normal');
      doc.setFontSize(10);
      doc.setTextColor(...INK);
      y += 32;
      doc.text(`${meta.projectName} (${meta.projectCode})`, MARGIN, y);
      y += 14;
      doc.setTextColor(...MUTED);
      doc.text(
        [meta.dateRange ? `Date range: ${meta.dateRange}` : null, `Generated: ${meta.generatedAt.slice(0, 16).replace('T', ' ')} UTC`, meta.dataAsOf ? `Data as of: ${meta.dataAsOf.slice(0, 10)}` : null].filter(Boolean).join('   ·   '),
        MARGIN,
        y,
      );
      y += 20;
      if (meta.kpis.length > 0) {
        const gap = 10;
        const cw = (W - 2 * MARGIN - gap * (meta.kpis.length - 1)) / meta.kpis.length;
        meta.kpis.forEach((k, i) => {
          const x = MARGIN + i * (cw + gap);
          doc.setDrawColor(...LINE);
          doc.setFillColor(247, 249, 251);
          doc.roundedRect(x, y, cw, 54, 4, 4, 'FD');
          doc.setFillColor(...(i === meta.kpis.length - 1 ? ([11, 122, 83] as [number, number, number]) : LINE));
          doc.rect(x, y, cw, 3, 'F');
          doc.setFontSize(8);
          doc.setTextColor(...MUTED);
          doc.text(k.label.toUpperCase(), x + 10, y + 18);
          doc.setFont('DejaVu', 'bold');
          doc.setFontSize(18);
          doc.setTextColor(...INK);
          const value = typeof k.value === 'number' ? (k.type === 'percent' ? `${k.value.toFixed(2)} %` : k.value.toLocaleString('en-US')) : k.value;
          doc.text(value, x + 10, y + 42);
          doc.setFont('DejaVu', 'normal');
        });
        y += 70;
      }
      const charts = extras.charts ?? [];
      const chartH = Math.min(200, (H - y - MARGIN - FOOTER_H - 60) / Math.max(1, charts.length));
      // echarts and resvg cost 75 MB: a listing without charts does not load them.
      const render = charts.length > 0 ? (await import('./chartRender')).renderChartSvg : null;
      for (const chart of charts) {
        if (render) drawChart(doc, render, chart, MARGIN, y, W - 2 * MARGIN, chartH);
        y += chartH + 10;
      }
      if (meta.description.length > 0) {
        doc.setFontSize(9);
        doc.setTextColor(...MUTED);
        for (const line of meta.description) {
          if (y > H - MARGIN - FOOTER_H - 10) break;
          doc.text(line, MARGIN, y);
          y += 12;
        }
      }

      // Table pages: the purpose-made sections, or the report's table.
      const sectionList: PdfSection[] = extras.sections ?? [{ title: null, note: null, columns: cols, rows: null }];
      let n = 0;
      let endY: number | null = null;
      for (const section of sectionList) {
        const sectionCols = section.columns;
        const sectionSample = section.rows ?? sample;
        const rest: Iterator<ExportCell[]> | null = section.rows ? null : it;
        const sectionNeed = section.rows
          ? sectionCols.map((c, i) => Math.min(48, Math.max(c.label.length * 1.1 + 1, 4, ...sectionSample.map((row) => formatCell(c, row[i] ?? null).length))))
          : need;
        const sectionListing = section.rows ? false : listing;
        const drawn = await drawTable(doc, sectionCols, sectionNeed, sectionSample, rest, sectionListing, section, options, table.totalRows, n, endY);
        n += drawn.rows;
        endY = drawn.endY;
      }

      // Header and footer on every page, now that the page count is known.
      const pages = doc.getNumberOfPages();
      for (let p = 1; p <= pages; p++) {
        doc.setPage(p);
        doc.setFontSize(8);
        doc.setTextColor(...MUTED);
        doc.setDrawColor(...LINE);
        doc.text(`${meta.projectName}  ·  ${meta.title}${meta.dateRange ? `  ·  ${meta.dateRange}` : ''}`, MARGIN, MARGIN + 8);
        doc.line(MARGIN, MARGIN + 14, W - MARGIN, MARGIN + 14);
        doc.line(MARGIN, H - MARGIN - 12, W - MARGIN, H - MARGIN - 12);
        doc.text(`SiteReport  ·  generated ${meta.generatedAt.slice(0, 16).replace('T', ' ')} UTC`, MARGIN, H - MARGIN);
        doc.text(`Page ${p} of ${pages}`, W - MARGIN, H - MARGIN, { align: 'right' });
      }
      checkCancelled(options.signal);
      fs.writeFileSync(tempFile, Buffer.from(doc.output('arraybuffer')), { flag: 'wx' });
      options.onProgress?.({ rowsWritten: n, totalRows: table.totalRows });
      return n;
    },
  };
}

/** One table on fresh pages: optional section title and note, header repeated on each page. */
async function drawTable(
  doc: jsPDF,
  cols: ExportColumn[],
  need: number[],
  sample: ExportCell[][],
  rest: Iterator<ExportCell[]> | null,
  listing: boolean,
  section: PdfSection,
  options: ExportOptions,
  totalRows: number | null,
  rowsBefore: number,
  continueAt: number | null,
): Promise<{ rows: number; endY: number }> {
  const W = doc.internal.pageSize.getWidth();
  const H = doc.internal.pageSize.getHeight();
  const charW = FONT_SIZE * 0.5;
  const usable = W - 2 * MARGIN;
  // Natural widths; when they do not fit, the first (key) column keeps its width and only
  // columns wider than their fair share give up room.
  const natural = need.map((x) => x * charW + 8);
  let widths = natural;
  if (natural.reduce((a, b) => a + b, 0) > usable) {
    const key = Math.min(natural[0] as number, usable * 0.3);
    const others = natural.slice(1);
    let cap = (usable - key) / Math.max(1, others.length);
    for (let i = 0; i < 20; i++) {
      const small = others.filter((w) => w <= cap);
      if (small.length === others.length) break;
      cap = (usable - key - small.reduce((a, b) => a + b, 0)) / (others.length - small.length);
    }
    widths = [key, ...others.map((w) => Math.min(w, cap))];
  }
  const sum = widths.reduce((a, b) => a + b, 0);
  widths = widths.map((w) => (w * usable) / sum);
  const maxChars = widths.map((w) => Math.max(3, Math.floor((w - 6) / charW)));

  // Listing mode: fixed-width columns in characters, one text call per row.
  const monoSize = FONT_SIZE - 0.5;
  const lineChars = Math.floor((usable - 6) / (monoSize * MONO_ADVANCE));
  const monoChars = need.map((x) => Math.max(3, Math.ceil(x)));
  // Shrink the widest columns (never the first, the row's key) until the line fits.
  while (monoChars.reduce((a, b) => a + b, 0) + monoChars.length - 1 > lineChars) {
    let widest = 1;
    for (let i = 2; i < monoChars.length; i++) if ((monoChars[i] as number) > (monoChars[widest] as number)) widest = i;
    if ((monoChars[widest] as number) <= 3) break;
    monoChars[widest] = (monoChars[widest] as number) - 1;
  }
  const fit = (text: string, i: number, right: boolean) => {
    const k = monoChars[i] as number;
    const t = text.length > k ? `${text.slice(0, k - 1)}…` : text;
    return right ? t.padStart(k) : t.padEnd(k);
  };

  const drawHeader = (top: number) => {
    doc.setFillColor(...BRAND);
    doc.rect(MARGIN, top, usable, ROW_H + 2, 'F');
    doc.setTextColor(255, 255, 255);
    if (listing) {
      doc.setFont('DejaVuMono', 'normal');
      doc.setFontSize(monoSize);
      doc.text(cols.map((c, i) => fit(c.label, i, isNumeric(c))).join(' '), MARGIN + 3, top + 10.5);
      doc.setTextColor(...INK);
      return top + ROW_H + 2;
    }
    doc.setFont('DejaVu', 'bold');
    doc.setFontSize(FONT_SIZE);
    let x = MARGIN;
    cols.forEach((c, i) => {
      const w = widths[i] as number;
      const room = Math.floor((maxChars[i] as number) / 1.1);
      const label = c.label.length > room ? `${c.label.slice(0, room - 1)}…` : c.label;
      if (isNumeric(c)) doc.text(label, x + w - 3, top + 10.5, { align: 'right' });
      else doc.text(label, x + 3, top + 10.5);
      x += w;
    });
    doc.setFont('DejaVu', 'normal');
    doc.setTextColor(...INK);
    return top + ROW_H + 2;
  };

  const bottom = H - MARGIN - FOOTER_H;
  let rowY: number;
  // A section continues on the current page when a title, header and a few rows still fit.
  if (continueAt !== null && continueAt + 24 + ROW_H * 5 < bottom) rowY = continueAt + 16;
  else {
    doc.addPage();
    rowY = MARGIN + HEADER_H;
  }
  if (section.title) {
    doc.setFont('DejaVu', 'bold');
    doc.setFontSize(12);
    doc.setTextColor(...BRAND);
    doc.text(section.title, MARGIN, rowY + 10);
    rowY += 18;
    if (section.note) {
      doc.setFont('DejaVu', 'normal');
      doc.setFontSize(8);
      doc.setTextColor(...MUTED);
      doc.text(section.note, MARGIN, rowY + 4);
      rowY += 12;
    }
  }
  rowY = drawHeader(rowY);
  const bottomLimit = H - MARGIN - FOOTER_H;
  let n = 0;
  const stripe = () => {
    if (n % 2 === 1) {
      doc.setFillColor(244, 246, 248);
      doc.rect(MARGIN, rowY, usable, ROW_H, 'F');
    }
  };
  const newPageIfFull = () => {
    if (rowY + ROW_H > bottomLimit) {
      doc.addPage();
      rowY = drawHeader(MARGIN + HEADER_H);
      if (listing) {
        doc.setFont('DejaVuMono', 'normal');
        doc.setFontSize(monoSize);
      } else {
        doc.setFontSize(FONT_SIZE);
      }
    }
  };
  let listingText: ((text: string, x: number, y: number) => void) | null = null;
  const drawRow = (row: ExportCell[]) => {
    newPageIfFull();
    stripe();
    if (listing) {
      if (!listingText) {
        doc.setFont('DejaVuMono', 'normal');
        listingText = fastTextWriter(doc, monoSize, INK);
      }
      listingText(cols.map((c, i) => fit(formatCell(c, row[i] ?? null), i, isNumeric(c))).join(' ').trimEnd(), MARGIN + 3, rowY + 9.5);
    } else {
      let x = MARGIN;
      cols.forEach((c, i) => {
        const w = widths[i] as number;
        let text = formatCell(c, row[i] ?? null);
        if (text.length > (maxChars[i] as number)) text = `${text.slice(0, (maxChars[i] as number) - 1)}…`;
        if (text) {
          if (isNumeric(c)) doc.text(text, x + w - 3, rowY + 9.5, { align: 'right' });
          else doc.text(text, x + 3, rowY + 9.5);
        }
        x += w;
      });
    }
    rowY += ROW_H;
    n += 1;
  };
  if (listing) {
    doc.setFont('DejaVuMono', 'normal');
    doc.setFontSize(monoSize);
  } else doc.setFontSize(FONT_SIZE);
  for (const row of sample) drawRow(row);
  if (rest) {
    for (let r = rest.next(); !r.done; r = rest.next()) {
      drawRow(r.value);
      if (n % PROGRESS_EVERY === 0) {
        checkCancelled(options.signal);
        options.onProgress?.({ rowsWritten: rowsBefore + n, totalRows });
        await Promise.resolve();
      }
    }
  }
  if (n === 0) {
    doc.setFont('DejaVu', 'normal');
    doc.setTextColor(...MUTED);
    doc.text('No rows match this report.', MARGIN, rowY + 12);
  }
  doc.setFont('DejaVu', 'normal');
  return { rows: n, endY: rowY };
}
