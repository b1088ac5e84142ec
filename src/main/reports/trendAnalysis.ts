/**
 * trend-analysis (SPEC §4). Daily figures come from progress_daily (trigger-maintained), so
 * 180 days on 1M components read ~200 rows. ROC at a period end D is the sum of credit events
 * up to D (see migration 0001) — exact while the weights in force on D are today's and no
 * component is clamped (weights non-negative summing to at most 100; milestone names are unique
 * per component). Otherwise each period end is reconstructed in full (asOfReconstruction).
 */
import { loadRocConfigs } from '../db/projectRepository';
import {
  addDays,
  daysBetween,
  isoWeekLabel,
  isoWeekStart,
  monthEnd,
  monthStart,
  utcDateOf,
} from '../../shared/dates';
import { meanPercent, roundTo, MICRO } from './rocMath';
import { eventsAreExact, rollupsAsOf } from './asOfReconstruction';
import { reportMeta, type ReportContext, type ReportMeta } from './reportContext';
import { AppError } from '../../shared/errors';

export type GroupBy = 'day' | 'week' | 'month';

export interface TrendParams {
  from?: string;
  to?: string;
  groupBy?: GroupBy;
}

export interface TrendPeriod {
  period: string;
  label: string;
  start: string;
  end: string;
  milestoneCompletions: number;
  componentsCompleted: number;
  cumulativeMilestoneCompletions: number;
  cumulativeComponentsCompleted: number;
  rocWeightedPercent: number;
}

export interface TrendResult extends ReportMeta {
  dateRange: { from: string; to: string; groupBy: GroupBy };
  periods: TrendPeriod[];
  velocity: {
    windowDays: number;
    earnedPointsPerDay: number;
    dailyEarnedPoints: number[];
    completionSlopePerDay: number;
  };
  forecast: {
    currentRocPercent: number;
    remainingPoints: number;
    completionDate: string | null;
    coefficientOfVariation: number | null;
    confidence: 'high' | 'medium' | 'low';
  };
  method: 'incremental' | 'reconstructed';
}

const VELOCITY_WINDOW = 14;
const MAX_RANGE_DAYS = 3660;

interface DailyRow {
  day: string;
  completions: number;
  earned: number;
  components: number;
}

function periodsOf(from: string, to: string, groupBy: GroupBy): Array<{ period: string; label: string; start: string; end: string }> {
  const out: Array<{ period: string; label: string; start: string; end: string }> = [];
  let cursor = from;
  while (cursor <= to) {
    let period: string;
    let label: string;
    let end: string;
    if (groupBy === 'day') {
      period = cursor;
      label = cursor;
      end = cursor;
    } else if (groupBy === 'week') {
      period = isoWeekStart(cursor);
      label = isoWeekLabel(cursor);
      end = addDays(period, 6);
    } else {
      period = monthStart(cursor);
      label = cursor.slice(0, 7);
      end = monthEnd(cursor);
    }
    if (end > to) end = to;
    out.push({ period, label, start: cursor, end });
    cursor = addDays(end, 1);
  }
  return out;
}

export function trendAnalysis(ctx: ReportContext, params: TrendParams = {}): TrendResult {
  const { db, project } = ctx;
  const today = utcDateOf(ctx.now);
  const to = params.to ?? today;
  const groupBy = params.groupBy ?? 'day';
  const from = params.from ?? addDays(to, -29);
  if (from > to) throw new AppError('INVALID_INPUT', `--from ${from} is after --to ${to}`);
  if (daysBetween(from, to) > MAX_RANGE_DAYS) throw new AppError('INVALID_INPUT', `date range is longer than ${MAX_RANGE_DAYS} days`);

  const windowStart = addDays(to, -(VELOCITY_WINDOW - 1));
  const firstDay = windowStart < from ? windowStart : from;
  const rows = db
    .prepare(
      `SELECT day, sum(milestone_completions) AS completions, sum(earned_micro) AS earned,
              sum(components_completed) AS components
       FROM progress_daily WHERE project_id = ? AND dimension = 'area' GROUP BY day ORDER BY day`,
    )
    .all(project.id) as DailyRow[];
  const byDay = new Map(rows.map((r) => [r.day, r]));

  const totals = db
    .prepare('SELECT sum(total) AS n, sum(roc_micro_sum) AS roc FROM progress_rollups WHERE project_id = ? AND dimension = ?')
    .get(project.id, 'area') as { n: number | null; roc: number | null };
  const n = totals.n ?? 0;
  const rocNowMicro = totals.roc ?? 0;

  const earnedUpTo = (day: string) => {
    let sum = 0;
    for (const r of rows) if (r.day <= day) sum += r.earned;
    return sum;
  };
  const configs = loadRocConfigs(db, project.id);
  const incremental =
    earnedUpTo('9999-12-31') === rocNowMicro && eventsAreExact(db, project.id, configs, firstDay, today);
  const rocMicroSumAt = (day: string): number => {
    if (day >= today) return rocNowMicro;
    if (incremental) return earnedUpTo(day);
    let sum = 0;
    for (const g of rollupsAsOf(db, project.id, day, today).area.values()) sum += g.rocMicroSum;
    return sum;
  };

  let cumMilestones = 0;
  let cumComponents = 0;
  for (const r of rows) {
    if (r.day < from) {
      cumMilestones += r.completions;
      cumComponents += r.components;
    }
  }
  const periods: TrendPeriod[] = periodsOf(from, to, groupBy).map((p) => {
    let completions = 0;
    let components = 0;
    for (let d = p.start; d <= p.end; d = addDays(d, 1)) {
      const r = byDay.get(d);
      if (r) {
        completions += r.completions;
        components += r.components;
      }
    }
    cumMilestones += completions;
    cumComponents += components;
    return {
      ...p,
      milestoneCompletions: completions,
      componentsCompleted: components,
      cumulativeMilestoneCompletions: cumMilestones,
      cumulativeComponentsCompleted: cumComponents,
      rocWeightedPercent: meanPercent(rocMicroSumAt(p.end), n),
    };
  });

  // Velocity: project ROC points earned per day over the 14 days ending at `to`.
  const dailyEarned: number[] = [];
  if (incremental || n === 0) {
    for (let d = windowStart; d <= to; d = addDays(d, 1)) dailyEarned.push(n === 0 ? 0 : (byDay.get(d)?.earned ?? 0) / n / MICRO);
  } else {
    let previous = rocMicroSumAt(addDays(windowStart, -1));
    for (let d = windowStart; d <= to; d = addDays(d, 1)) {
      const current = rocMicroSumAt(d);
      dailyEarned.push((current - previous) / n / MICRO);
      previous = current;
    }
  }
  const mean = dailyEarned.reduce((a, b) => a + b, 0) / dailyEarned.length;
  const variance = dailyEarned.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, dailyEarned.length - 1);
  const cv = mean > 0 ? Math.sqrt(variance) / mean : null;
  const confidence = cv === null ? 'low' : cv < 0.3 ? 'high' : cv < 0.6 ? 'medium' : 'low';

  // Least-squares slope of daily milestone completions across [from, to].
  const ys: number[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) ys.push(byDay.get(d)?.completions ?? 0);
  const slope = leastSquaresSlope(ys);

  const rocAtTo = n === 0 ? 0 : rocMicroSumAt(to) / n / MICRO;
  const remaining = Math.max(0, 100 - rocAtTo);
  let completionDate: string | null = null;
  if (remaining === 0) completionDate = to;
  else if (mean > 0) completionDate = addDays(to, Math.ceil(remaining / mean));

  return {
    ...reportMeta(ctx, 'trend-analysis'),
    dateRange: { from, to, groupBy },
    periods,
    velocity: {
      windowDays: VELOCITY_WINDOW,
      earnedPointsPerDay: roundTo(mean, 4),
      dailyEarnedPoints: dailyEarned.map((v) => roundTo(v, 4)),
      completionSlopePerDay: roundTo(slope, 4),
    },
    forecast: {
      currentRocPercent: meanPercent(n === 0 ? 0 : rocMicroSumAt(to), n),
      remainingPoints: roundTo(remaining, 2),
      completionDate,
      coefficientOfVariation: cv === null ? null : roundTo(cv, 4),
      confidence,
    },
    method: incremental ? 'incremental' : 'reconstructed',
  };
}

export function leastSquaresSlope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sx += x;
    sy += y;
    sxy += x * y;
    sxx += x * x;
  });
  const den = n * sxx - sx * sx;
  return den === 0 ? 0 : (n * sxy - sx * sy) / den;
}
