/**
 * Foundation benchmarks (issue 2): demo generation, progress-summary (live and as-of),
 * a deep component-details page, and a 180-day daily trend — medians against a baseline
 * query measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openDatabase } from '../src/main/db/connection';
import { findProject } from '../src/main/db/projectRepository';
import { progressSummary } from '../src/main/reports/progressSummary';
import { componentDetails } from '../src/main/reports/componentDetails';
import { trendAnalysis } from '../src/main/reports/trendAnalysis';
import { encodeCursor } from '../src/main/reports/keysetCursor';
import { median, timeIt } from './machine';

export interface Row {
  name: string;
  size: string;
  runs: number;
  medianMs: number;
  peakRssMb?: number;
  target: string;
  ratio?: string;
}

export function runFoundationBench(dataDir: string, components: number, log: (s: string) => void): Row[] {
  const file = path.join(dataDir, `bench-${components}.db`);
  const rows: Row[] = [];
  const gens: Array<{ ms: number; maxRssMb: number }> = [];
  const generations = Number(process.env.BENCH_GENERATIONS ?? 1);
  for (let i = 0; i < generations; i++) {
    log(`generating ${components} components (${i + 1}/${generations})…`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'generateWorker.ts'), file, String(components)], { encoding: 'utf8' });
    gens.push(JSON.parse(out) as { ms: number; maxRssMb: number });
  }
  rows.push({
    name: 'demo generation + load',
    size: `${components.toLocaleString('en-US')} components`,
    runs: gens.length,
    medianMs: median(gens.map((g) => g.ms)),
    peakRssMb: Math.max(...gens.map((g) => g.maxRssMb)),
    target: '≤ 20 s, ≤ 1.5 GB',
  });

  const db = openDatabase(file);
  const project = findProject(db);
  const ctx = { db, project, now: new Date('2026-11-22T12:00:00Z') };
  const baselineStmt = db.prepare("SELECT count(*) FROM components WHERE status <> 'X'");
  const baseline = median(timeIt(7, () => baselineStmt.get()));
  const size = `${components.toLocaleString('en-US')} components`;
  rows.push({ name: "baseline: SELECT count(*) … WHERE status <> 'X'", size, runs: 7, medianMs: baseline, target: '—', ratio: '1.0×' });

  log('progress-summary…');
  const summary = median(timeIt(7, () => progressSummary(ctx)));
  rows.push({ name: 'progress-summary', size, runs: 7, medianMs: summary, target: '≤ 150 ms, ≤ 3× baseline', ratio: `${(summary / baseline).toFixed(2)}×` });

  log('progress-summary --as-of…');
  const asOfRuns = Number(process.env.BENCH_ASOF_RUNS ?? 5);
  const asOf = median(timeIt(asOfRuns, () => progressSummary(ctx, { asOf: '2026-09-01' })));
  rows.push({ name: 'progress-summary --as-of 2026-09-01', size, runs: asOfRuns, medianMs: asOf, target: '≤ 2.5 s', ratio: `${(asOf / baseline).toFixed(1)}×` });

  log('component-details deep page…');
  const cursor = encodeCursor({ sort: 'area', value: 'A50 Fractionation', id: Math.floor(components * 0.6) });
  const page = median(
    timeIt(21, () => componentDetails(ctx, { sort: 'area', filters: { status: ['IN_PROGRESS'] }, limit: 100, cursor })),
  );
  const pageDesc = median(
    timeIt(21, () => componentDetails(ctx, { sort: 'completionPercent', descending: true, filters: { type: ['Spool', 'Valve'] }, limit: 100, cursor: encodeCursor({ sort: 'completionPercent', value: 40, id: Math.floor(components / 2) }) })),
  );
  const adversarial = median(
    timeIt(11, () => componentDetails(ctx, { sort: 'testPackage', descending: true, filters: { area: ['A10 Furnaces'] }, limit: 100, cursor: encodeCursor({ sort: 'testPackage', value: 'TP-A50-100', id: Math.floor(components / 2) }) })),
  );
  rows.push({ name: 'component-details: 100 rows, area sort, status filter, 60 % deep', size, runs: 21, medianMs: page, target: '≤ 20 ms', ratio: `${(page / baseline).toFixed(2)}×` });
  rows.push({ name: 'component-details: 100 rows, test package desc, area filter against the sort (worst case)', size, runs: 11, medianMs: adversarial, target: '≤ 20 ms', ratio: `${(adversarial / baseline).toFixed(2)}×` });
  rows.push({ name: 'component-details: 100 rows, completion desc, type filter, 50 % deep', size, runs: 21, medianMs: pageDesc, target: '≤ 20 ms', ratio: `${(pageDesc / baseline).toFixed(2)}×` });

  log('trend-analysis…');
  const trend = median(timeIt(5, () => trendAnalysis(ctx, { from: '2026-05-26', to: '2026-11-21', groupBy: 'day' })));
  rows.push({ name: 'trend-analysis daily, 180 days', size, runs: 5, medianMs: trend, target: '≤ 1 s', ratio: `${(trend / baseline).toFixed(2)}×` });
  db.close();
  return rows;
}
