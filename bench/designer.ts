/**
 * Designer engine benchmarks (issue 3) on the same generated database as the foundation
 * benchmarks: group-by, pivot, filter-value lookup and a cached rerun.
 */
import { openAppServices } from '../src/main/services/appServices';
import { median, timeIt } from './machine';
import type { Row } from './foundation';

export function runDesignerBench(file: string, components: number, log: (s: string) => void): Row[] {
  const services = openAppServices({ dbPath: file, now: () => new Date('2026-11-22T12:00:00Z') });
  const size = `${components.toLocaleString('en-US')} components`;
  const baselineStmt = services.db.prepare("SELECT count(*) FROM components WHERE status <> 'X'");
  const baseline = median(timeIt(7, () => baselineStmt.get()));
  const fresh = (definition: object) => () => services.runDefinition({ definition: { ...definition, description: String(Math.random()) } });
  log('designer: group-by…');
  const groupBy = { version: 1, name: 'g', dataset: 'components', rows: [{ field: 'area' }, { field: 'type' }], values: [{ agg: 'count' }, { agg: 'rocWeightedPercent' }, { agg: 'avg', field: 'completionPercent' }] };
  const g = median(timeIt(5, fresh(groupBy)));
  log('designer: pivot…');
  const pivot = { version: 1, name: 'p', dataset: 'components', rows: [{ field: 'area' }], columns: [{ field: 'type' }], values: [{ agg: 'rocWeightedPercent' }] };
  const p = median(timeIt(5, fresh(pivot)));
  log('designer: group-by the cube cannot answer…');
  const uncubed = { version: 1, name: 'u', dataset: 'components', rows: [{ field: 'testPackage' }, { field: 'lastActivityAt', bucket: 'month' }], values: [{ agg: 'count' }, { agg: 'rocWeightedPercent' }, { agg: 'max', field: 'completionPercent' }] };
  const u = median(timeIt(3, fresh(uncubed)));
  log('designer: filter values…');
  const d = median(timeIt(11, () => services.distinctValues('components', 'testPackage')));
  const count = services.distinctValues('components', 'testPackage').values.length;
  const a = median(timeIt(11, () => services.distinctValues('components', 'area')));
  services.runDefinition({ definition: groupBy });
  const c = median(timeIt(21, () => services.runDefinition({ definition: groupBy })));
  services.close();
  const ratio = (ms: number) => `${(ms / baseline).toFixed(2)}×`;
  return [
    { name: "baseline: SELECT count(*) … WHERE status <> 'X'", size, runs: 7, medianMs: baseline, target: '—', ratio: '1.0×' },
    { name: 'group-by area × type, 3 measures (count, ROC %, avg completion)', size, runs: 5, medianMs: g, target: '≤ 300 ms', ratio: ratio(g) },
    { name: 'pivot area × type, ROC %', size, runs: 5, medianMs: p, target: '≤ 400 ms', ratio: ratio(p) },
    { name: 'group-by test package × month of last activity, 3 measures (component rows, no cube)', size, runs: 3, medianMs: u, target: '— (for comparison)', ratio: ratio(u) },
    { name: `filter values: test package (${count.toLocaleString('en-US')} values, first 1,000 listed)`, size, runs: 11, medianMs: d, target: '≤ 50 ms', ratio: ratio(d) },
    { name: 'filter values: area', size, runs: 11, medianMs: a, target: '≤ 50 ms', ratio: ratio(a) },
    { name: 'cached rerun of the group-by', size, runs: 21, medianMs: c, target: '≤ 5 ms', ratio: ratio(c) },
  ];
}
