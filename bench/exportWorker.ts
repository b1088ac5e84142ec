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
  case 'csv-floor': {
    // SQLite alone: two threads step through the same ordered rows and columns the CSV export
    // reads, turning nothing into text and writing nothing. No export can be faster than this.
    const { componentSplitPoints } = await import('../src/main/reports/componentDetails');
    const { Worker } = await import('node:worker_threads');
    const { total, starts } = componentSplitPoints(services.db, projectId, {}, 2);
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      const Database = require(workerData.module);
      const db = new Database(workerData.dbPath, { readonly: true });
      const cols = "c.tag || ',' || ifnull(c.display_id,'') || ',' || c.type || ',' || ifnull(c.area,'') || ',' || ifnull(c.system,'') || ',' || ifnull(c.test_package,'') || ',' || c.status, c.completion_percent, c.roc_micro, c.workflow_type || ',' || ifnull(d.number,'') || ',' || ifnull(d.title,'') || ',' || c.milestones_completed || ',' || c.milestones_total || ',' || ifnull(c.last_activity_at,''), c.id";
      const from = 'FROM components c LEFT JOIN drawings d ON d.id = c.drawing_id WHERE c.project_id = ' + workerData.projectId;
      const sql = workerData.after ? 'SELECT ' + cols + ' ' + from + ' AND (c.tag > ? OR (c.tag = ? AND c.id > ?)) ORDER BY c.tag, c.id' : 'SELECT ' + cols + ' ' + from + ' ORDER BY c.tag, c.id LIMIT ' + workerData.limit;
      let n = 0;
      const args = workerData.after ? [workerData.after.value, workerData.after.value, workerData.after.id] : [];
      for (const r of db.prepare(sql).raw().iterate(...args)) n++;
      parentPort.postMessage(n);`;
    const module = (await import('node:module')).createRequire(import.meta.url).resolve('better-sqlite3');
    const counts = await Promise.all(
      starts.map((after, i) => new Promise<number>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { dbPath, projectId, after, limit: Math.ceil(total / 2), module } });
        w.once('message', resolve);
        w.once('error', reject);
        void i;
      })),
    );
    rows = counts.reduce((a, b) => a + b, 0);
    break;
  }
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
