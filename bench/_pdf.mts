import { openAppServices } from '../src/main/services/appServices';
import { exportReport } from '../src/main/services/reportExports';
const s = openAppServices({ dbPath: '/tmp/m1.db', now: () => new Date('2026-11-22T12:00:00Z') });
const fmt = (process.argv[2] ?? 'pdf') as any;
for (let i = 0; i < 2; i++) {
  const t0 = performance.now();
  const r = await exportReport(s, { source: { kind: 'builtin', reportId: (process.argv[3] ?? 'progress-summary') as any, params: {} }, format: fmt, folder: '/tmp', fileName: 'bench-out', overwrite: true });
  console.log(fmt, r.rows, ((performance.now() - t0) / 1000).toFixed(2), 's');
}
