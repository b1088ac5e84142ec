import { exportTable } from '../src/main/export/exporter';
import { xlsxFormat } from '../src/main/export/xlsxFormat';
const N = Number(process.argv[2] ?? 300000);
const cols = [['tag','text'],['display','text'],['type','enum'],['area','enum'],['system','enum'],['tp','enum'],['status','enum'],['cp','percent'],['roc','percent'],['wf','enum'],['dn','text'],['dt','text']].map(([key,type]) => ({ key, label: key, type })) as any;
function* rows() { for (let i = 0; i < N; i++) yield [`P-${100000+i}-A`, `Line ${i} 6" CS`, 'Spool', 'A10 Furnaces', 'SYS-0042', 'TP-0133', 'in_progress', (i % 1000) / 10, (i % 777) / 7.77, 'milestone', `DWG-${i % 5000}`, 'Isometric drawing for line']; }
const t0 = performance.now();
const r = await exportTable(xlsxFormat, { meta: { title: 'x', projectName: 'p', projectCode: 'P', generatedAt: '2026-11-22T12:00:00Z', dataAsOf: null, dateRange: null, description: [], kpis: [], context: {} }, columns: cols, rows: rows(), totalRows: N }, '/tmp/xs.xlsx');
console.log(N, ((performance.now() - t0) / 1000).toFixed(2), 's', r.bytes);
