import { openAppServices } from '../src/main/services/appServices';
import { exportTable } from '../src/main/export/exporter';
import { makePdfFormat } from '../src/main/export/pdfFormat';
import { builtinTable } from '../src/main/export/reportTables';
import { iterateComponentRows } from '../src/main/reports/componentDetails';
import { findProject } from '../src/main/db/projectRepository';
const s = openAppServices({ dbPath: '/tmp/m1.db', now: () => new Date('2026-11-22T12:00:00Z') });
const first = s.queryReport({ reportId: 'component-details', params: { limit: 10 } }) as any;
const pid = findProject(s.db).id;
for (let k = 0; k < 2; k++) {
const t = builtinTable('component-details', 'Component details', first, () => [], () => iterateComponentRows(s.db, pid, {}, { after: null, limit: 20000 }));
const tbl = { ...t, columns: t.columns.slice(0, 12), rows: (function* () { for (const r of t.rows) yield r.slice(0, 12); })(), totalRows: 20000 };
const t0 = performance.now();
const r = await exportTable(makePdfFormat(), tbl, '/tmp/p20.pdf');
console.log(r.rows, ((performance.now() - t0) / 1000).toFixed(2), 's', r.bytes, 'maxRSS', Math.round(process.resourceUsage().maxRSS / 1024));
}
