/**
 * progress-summary (SPEC §4): totals and the same four figures per area, system and test
 * package, read from the trigger-maintained rollups so that 1M components answer in
 * milliseconds. `asOf` reconstructs the figures on a past date.
 */
import { meanPercent } from './rocMath';
import { readRollups, rollupsAsOf, type GroupFigures, type RollupTable } from './asOfReconstruction';
import { reportMeta, type ReportContext, type ReportMeta } from './reportContext';
import { utcDateOf } from '../../shared/dates';
import type { ProgressFigures, ProgressSummaryJson } from '../../shared/domain/reportResults';

export type ProgressSummaryResult = ProgressSummaryJson & ReportMeta;

export interface ProgressSummaryParams {
  asOf?: string;
}

function figures(g: GroupFigures): ProgressFigures {
  return {
    totalComponents: g.total,
    completedComponents: g.completed,
    completionPercent: meanPercent(g.completionMicroSum, g.total),
    rocWeightedPercent: meanPercent(g.rocMicroSum, g.total),
  };
}

/** Keys in code-point order (the rollups arrive sorted by SQLite's BINARY collation). */
function byKey(map: Map<string, GroupFigures>): Array<[string, GroupFigures]> {
  const entries = [...map.entries()];
  for (let i = 1; i < entries.length; i++) {
    if ((entries[i - 1] as [string, GroupFigures])[0] > (entries[i] as [string, GroupFigures])[0]) {
      return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    }
  }
  return entries;
}

export function progressSummary(ctx: ReportContext, params: ProgressSummaryParams = {}): ProgressSummaryResult {
  const today = utcDateOf(ctx.now);
  const asOf = params.asOf ?? today;
  const table: RollupTable = asOf >= today ? readRollups(ctx.db, ctx.project.id) : rollupsAsOf(ctx.db, ctx.project.id, asOf, today);
  const total: GroupFigures = { total: 0, completed: 0, completionMicroSum: 0, rocMicroSum: 0 };
  for (const g of table.area.values()) {
    total.total += g.total;
    total.completed += g.completed;
    total.completionMicroSum += g.completionMicroSum;
    total.rocMicroSum += g.rocMicroSum;
  }
  return {
    ...reportMeta(ctx, 'progress-summary'),
    asOf,
    summary: figures(total),
    areaBreakdown: byKey(table.area).map(([area, g]) => ({ area, ...figures(g) })),
    systemBreakdown: byKey(table.system).map(([system, g]) => ({ system, ...figures(g) })),
    testPackageBreakdown: byKey(table.test_package).map(([testPackage, g]) => ({ testPackage, ...figures(g) })),
  };
}
