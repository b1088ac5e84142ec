/**
 * One export measured in its own process, so its peak RSS is its own: prints
 * {"ms":…, "rows":…, "maxRssMb":…}. Jobs: csv, xlsx, xlsx-baseline, pdf, pdf-baseline,
 * summary-xlsx, summary-pdf.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openAppServices } from '../src/main/services/appServices';
import { exportReport } from '../src/main/services/reportExports';
import { exportTable, type ExportTable } from '../src/main/export/exporter';
import { builtinTable } from '../src/main/export/reportTables';
import type { BuiltinResult } from '../src/main/reports/builtinRegistry';
import { iterateComponentRows } from '../src/main/reports/componentDetails';
import { findProject } from '../src/main/db/projectRepository';
import { lastCsvProcessPeakRssMb } from '../src/main/export/parallelComponentCsv';

const [dbPath, job, outDir] = process.argv.slice(2) as [string, string, string];
const services = openAppServices({ dbPath, now: () => new Date('2026-11-22T12:00:00Z') });
const projectId = findProject(services.db).id;

// Each job imports only the libraries it uses, so its peak RSS is what that export costs.
/** The first 12 columns of the component list (the "1,000,000 rows × 12 columns"). */
function componentTable(limit: number | null): ExportTable {
  const first = services.queryReport({ reportId: 'component-details', params: { limit: 10 } }) as BuiltinResult;
  const t = builtinTable('component-details', 'Component details', first, () => [], () => iterateComponentRows(services.db, projectId, {}, { after: null, limit }));
  return { ...t, columns: t.columns.slice(0, 12), rows: (function* () { for (const r of t.rows) yield r.slice(0, 12); })(), totalRows: limit };
}

const repeat = Number(process.argv[5] ?? 1);
const out = (name: string) => path.join(outDir, name);

async function once(): Promise<number> {
let rows = 0;
switch (job) {
  case 'csv':
    rows = (await exportReport(services, { source: { kind: 'builtin', reportId: 'component-details' }, format: 'csv', folder: outDir, fileName: 'bench-components', overwrite: true })).rows;
    break;
  case 'xlsx':
    rows = (await exportTable((await import('../src/main/export/xlsxFormat')).xlsxFormat, componentTable(null), out('c.xlsx'))).rows;
    break;
  case 'xlsx-baseline': {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out('baseline.xlsx') });
    const ws = wb.addWorksheet('Data');
    const t = componentTable(null);
    ws.addRow(t.columns.map((c) => c.label)).commit();
    for (const r of t.rows) {
      ws.addRow(r).commit();
      rows += 1;
    }
    ws.commit();
    await wb.commit();
    break;
  }
  case 'pdf':
    rows = (await exportTable((await import('../src/main/export/pdfFormat')).makePdfFormat(), componentTable(20_000), out('c.pdf'))).rows;
    break;
  case 'pdf-baseline': {
    const { jsPDF } = await import('jspdf');
    const { autoTable } = await import('jspdf-autotable');
    const t = componentTable(20_000);
    const body = [...t.rows].map((r) => r.map((v) => (v === null ? '' : String(v))));
    rows = body.length;
    const doc = new jsPDF({ orientation: 'landscape', unit: 'pt', format: 'a4', compress: true });
    autoTable(doc, { head: [t.columns.map((c) => c.label)], body, styles: { fontSize: 7 } });
    fs.writeFileSync(out('baseline.pdf'), Buffer.from(doc.output('arraybuffer')));
    break;
  }
  case 'summary-xlsx':
  case 'summary-pdf':
    rows = (await exportReport(services, { source: { kind: 'builtin', reportId: 'progress-summary' }, format: job === 'summary-xlsx' ? 'xlsx' : 'pdf', folder: outDir, fileName: 'bench-summary', overwrite: true })).rows;
    break;
  default:
    throw new Error(`unknown job ${job}`);
}
return rows;
}

// The first run also loads the format's libraries; later runs show the steady state.
const times: number[] = [];
let rows = 0;
for (let i = 0; i < repeat; i++) {
  const started = performance.now();
  rows = await once();
  times.push(performance.now() - started);
}
services.close();
const sorted = [...times].sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ ms: sorted[Math.floor(sorted.length / 2)], firstMs: times[0], runs: repeat, rows, maxRssMb: process.resourceUsage().maxRSS / 1024, exportProcessRssMb: lastCsvProcessPeakRssMb() }));
