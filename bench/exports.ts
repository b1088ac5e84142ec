/**
 * Export benchmarks (issue 4): CSV, XLSX and PDF of component details, and the progress
 * summary as XLSX and PDF with charts, each next to the library default measured in the same
 * run (exceljs's streaming writer with its defaults).
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { openAppServices } from '../src/main/services/appServices';
import { exportTable, type ExportTable } from '../src/main/export/exporter';
import { csvFormat } from '../src/main/export/csvFormat';
import { xlsxFormat } from '../src/main/export/xlsxFormat';
import { makePdfFormat } from '../src/main/export/pdfFormat';
import { builtinCharts, builtinTable } from '../src/main/export/reportTables';
import type { BuiltinResult } from '../src/main/reports/builtinRegistry';
import { iterateComponentRows } from '../src/main/reports/componentDetails';
import { findProject } from '../src/main/db/projectRepository';
import type { TrendResult } from '../src/main/reports/trendAnalysis';
import { addDays } from '../src/shared/dates';
import type { Row } from './foundation';

function componentTable(services: ReturnType<typeof openAppServices>, limit: number): ExportTable {
  const first = services.runReport({ reportId: 'component-details', params: { limit: 10 } }) as BuiltinResult;
  const projectId = findProject(services.db).id;
  const t = builtinTable('component-details', 'Component details', first, () => [], () => iterateComponentRows(services.db, projectId));
  return {
    ...t,
    columns: t.columns.slice(0, 12),
    rows: (function* () {
      let n = 0;
      for (const r of t.rows) {
        if (n++ >= limit) return;
        yield r.slice(0, 12);
      }
    })(),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; rssMb: number; value: T }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t = performance.now();
  const value = await fn();
  const ms = performance.now() - t;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, rssMb: peak / 1048576, value };
}

export async function runExportBench(file: string, components: number, dir: string, log: (s: string) => void): Promise<Row[]> {
  const services = openAppServices({ dbPath: file, now: () => new Date('2026-11-22T12:00:00Z') });
  const size = `${components.toLocaleString('en-US')} components`;
  const rows: Row[] = [];
  const out = (name: string) => path.join(dir, name);

  log('exports: CSV…');
  const csv = await timed(() => exportTable(csvFormat, componentTable(services, components), out('c.csv')));
  rows.push({ name: `CSV component details (${csv.value.rows.toLocaleString('en-US')} rows × 12 columns): ${Math.round(csv.value.rows / (csv.ms / 1000)).toLocaleString('en-US')} rows/s`, size, runs: 1, medianMs: csv.ms, peakRssMb: csv.rssMb, target: '≥ 300,000 rows/s, ≤ 150 MB' });

  log('exports: XLSX…');
  const xlsx = await timed(() => exportTable(xlsxFormat, componentTable(services, components), out('c.xlsx')));
  rows.push({ name: `XLSX component details (${xlsx.value.rows.toLocaleString('en-US')} rows × 12 columns)`, size, runs: 1, medianMs: xlsx.ms, peakRssMb: xlsx.rssMb, target: '≤ 15 s, ≤ 400 MB' });

  log('exports: exceljs default baseline…');
  const base = await timed(async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out('baseline.xlsx') });
    const ws = wb.addWorksheet('Data');
    const t = componentTable(services, components);
    ws.addRow(t.columns.map((c) => c.label)).commit();
    for (const r of t.rows) ws.addRow(r).commit();
    ws.commit();
    await wb.commit();
  });
  rows.push({ name: 'baseline: exceljs streaming writer with its defaults, same rows', size, runs: 1, medianMs: base.ms, peakRssMb: base.rssMb, target: '—', ratio: `${(xlsx.ms / base.ms).toFixed(2)}× (ours ÷ baseline)` });

  log('exports: PDF 20k…');
  const pdf = await timed(() => exportTable(makePdfFormat(), componentTable(services, 20_000), out('c.pdf')));
  rows.push({ name: 'PDF component details (20,000 rows)', size, runs: 1, medianMs: pdf.ms, peakRssMb: pdf.rssMb, target: '≤ 3 s, ≤ 300 MB' });

  log('exports: progress summary…');
  const summaryTable = () => {
    const first = services.runReport({ reportId: 'progress-summary' }) as BuiltinResult;
    const trend = (asOf: string) => services.runReport({ reportId: 'trend-analysis', params: { from: addDays(asOf, -181), to: asOf, groupBy: 'week' } }) as TrendResult;
    return { table: builtinTable('progress-summary', 'Progress summary', first, () => []), charts: builtinCharts('progress-summary', first, trend) };
  };
  const sx = await timed(() => exportTable(xlsxFormat, summaryTable().table, out('s.xlsx')));
  const sp = await timed(async () => {
    const s = summaryTable();
    return exportTable(makePdfFormat({ charts: s.charts }), s.table, out('s.pdf'));
  });
  rows.push({ name: 'progress summary XLSX', size, runs: 1, medianMs: sx.ms, peakRssMb: sx.rssMb, target: '≤ 1.5 s' });
  rows.push({ name: 'progress summary PDF with bar chart and S-curve', size, runs: 1, medianMs: sp.ms, peakRssMb: sp.rssMb, target: '≤ 1.5 s' });
  services.close();
  for (const f of fs.readdirSync(dir)) if (/\.(csv|xlsx|pdf)$/.test(f)) fs.rmSync(path.join(dir, f), { force: true });
  return rows;
}
