/**
 * Export benchmarks (issue 4): each export runs in its own process (so peak RSS is its own),
 * next to the library default measured in the same run: exceljs's streaming writer for XLSX,
 * jspdf-autotable for PDF.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Row } from './foundation';

interface Measured {
  ms: number;
  firstMs: number;
  runs: number;
  rows: number;
  maxRssMb: number;
  /** CSV only: the peak of the export process the services process started. */
  exportProcessRssMb: number | null;
}

export async function runExportBench(file: string, components: number, dir: string, log: (s: string) => void): Promise<Row[]> {
  const size = `${components.toLocaleString('en-US')} components`;
  const outDir = fs.mkdtempSync(path.join(dir, 'exports-'));
  const run = (job: string, repeat = 1): Measured => {
    log(`exports: ${job}…`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'exportWorker.ts'), file, job, outDir, String(repeat)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    // The figures are the last line; a library's warning may come before them.
    return JSON.parse(out.trim().split('\n').at(-1) ?? '') as Measured;
  };
  const ratio = (ours: Measured, base: Measured) => `${(ours.ms / base.ms).toFixed(2)}× (ours ÷ baseline)`;
  const rows: Row[] = [];

  const csv = run('csv', 3);
  const floor = run('csv-floor', 3);
  rows.push({ name: `CSV component details (${csv.rows.toLocaleString('en-US')} rows × 15 columns): ${Math.round(csv.rows / (csv.ms / 1000)).toLocaleString('en-US')} rows/s, written by its own export process (peak shown); the services process that asked peaked at ${Math.round(csv.maxRssMb)} MB, its page cache and tsx included, and does not grow with the export`, size, runs: csv.runs, medianMs: csv.ms, peakRssMb: csv.exportProcessRssMb ?? csv.maxRssMb, target: '≥ 300,000 rows/s, ≤ 150 MB', ratio: ratio(csv, floor) });
  rows.push({ name: `floor: SQLite alone stepping the same rows and columns in two threads, no text, no file (${Math.round(floor.rows / (floor.ms / 1000)).toLocaleString('en-US')} rows/s)`, size, runs: floor.runs, medianMs: floor.ms, peakRssMb: floor.maxRssMb, target: '—' });

  const xlsx = run('xlsx', 3);
  const xlsxBase = run('xlsx-baseline', 3);
  rows.push({ name: `XLSX component details (${xlsx.rows.toLocaleString('en-US')} rows × 12 columns)`, size, runs: xlsx.runs, medianMs: xlsx.ms, peakRssMb: xlsx.maxRssMb, target: '≤ 15 s, ≤ 400 MB', ratio: ratio(xlsx, xlsxBase) });
  rows.push({ name: 'baseline: exceljs streaming writer with its defaults, same rows', size, runs: xlsxBase.runs, medianMs: xlsxBase.ms, peakRssMb: xlsxBase.maxRssMb, target: '—' });

  const pdf = run('pdf', 3);
  // Peak RSS of one export in a fresh process, like the baseline's; three exports in one
  // process peak higher only because V8 keeps the first ones' garbage until it needs room.
  const pdfOnce = run('pdf', 1);
  const pdfBase = run('pdf-baseline');
  rows.push({ name: `PDF component details (20,000 rows × 12 columns); first run with library loading ${(pdf.firstMs / 1000).toFixed(2)} s; peak of one export in a fresh process (three in one process: ${Math.round(pdf.maxRssMb)} MB)`, size, runs: pdf.runs, medianMs: pdf.ms, peakRssMb: pdfOnce.maxRssMb, target: '≤ 3 s, ≤ 300 MB', ratio: ratio(pdf, pdfBase) });
  rows.push({ name: 'baseline: jspdf-autotable with its defaults, same rows', size, runs: 1, medianMs: pdfBase.ms, peakRssMb: pdfBase.maxRssMb, target: '—' });

  const sx = run('summary-xlsx', 5);
  const sp = run('summary-pdf', 5);
  rows.push({ name: `progress summary XLSX with its charts as pictures; first run with library loading ${(sx.firstMs / 1000).toFixed(2)} s`, size, runs: sx.runs, medianMs: sx.ms, peakRssMb: sx.maxRssMb, target: '≤ 1.5 s' });
  rows.push({ name: `progress summary PDF with bar chart and S-curve; first run with library loading ${(sp.firstMs / 1000).toFixed(2)} s`, size, runs: sp.runs, medianMs: sp.ms, peakRssMb: sp.maxRssMb, target: '≤ 1.5 s' });
  fs.rmSync(outDir, { recursive: true, force: true });
  return rows;
}
