/**
 * Everything the dashboard shows, in one round trip: progress figures and breakdown by area,
 * the weekly S-curve of the last 26 weeks, test-package readiness counts and the in-progress
 * components with no milestone completed for 7, 14 and 21 days.
 */
import type { DashboardJson } from '../../shared/contract';
import { addDays, utcDateOf } from '../../shared/dates';
import type { ProgressSummaryResult } from '../reports/progressSummary';
import { readinessStatus } from '../reports/testPackageReadiness';
import type { TrendResult } from '../reports/trendAnalysis';
import { findProject } from '../db/projectRepository';
import type { AppServices } from './appServices';

export function dashboard(services: AppServices, projectCode?: string): DashboardJson {
  const project = findProject(services.db, projectCode);
  const now = services.now();
  const today = utcDateOf(now);
  // Stalled counts and the S-curve depend on the day as well as on the data.
  const figures = services.cached(project.id, ['dashboard', today], () => computeDashboard(services, project, today));
  return { ...figures, generatedAt: now.toISOString() };
}

function computeDashboard(services: AppServices, project: { id: number; code: string; name: string }, today: string): DashboardJson {
  const now = services.now();
  const summary = services.queryReport({ reportId: 'progress-summary', projectCode: project.code }) as ProgressSummaryResult;
  const trend = services.queryReport({ reportId: 'trend-analysis', projectCode: project.code, params: { from: addDays(today, -181), to: today, groupBy: 'week' } }) as TrendResult;
  // Only the per-package counts the readiness report classifies by (the full report also lists
  // blocking components, which costs seconds at a million components).
  const readiness = { ready: 0, nearly: 0, blocked: 0, notStarted: 0 };
  const packages = services.db
    .prepare(
      `SELECT count(*) AS total, sum(completion_percent >= 100) AS fullyComplete, sum(CAST(round(completion_percent * 1000000.0) AS INTEGER)) AS completionMicro
       FROM components WHERE project_id = ? AND test_package IS NOT NULL GROUP BY test_package`,
    )
    .all(project.id) as Array<{ total: number; fullyComplete: number; completionMicro: number }>;
  for (const p of packages) {
    const status = readinessStatus(p.total, p.fullyComplete, p.completionMicro);
    if (status === 'ready') readiness.ready += 1;
    else if (status === 'nearly') readiness.nearly += 1;
    else if (status === 'blocked') readiness.blocked += 1;
    else readiness.notStarted += 1;
  }
  // Stalled (SPEC §4): in progress with no milestone completed in the last 7, 14, 21 days.
  const stalled = services.db
    .prepare(
      `SELECT sum(last < @d7) AS d7, sum(last < @d14) AS d14, sum(last < @d21) AS d21
       FROM (SELECT ifnull((SELECT max(m.completed_at) FROM component_milestones m WHERE m.component_id = c.id AND m.is_completed = 1), '') AS last
             FROM components c WHERE c.project_id = @projectId AND c.status = 'IN_PROGRESS')`,
    )
    .get({ projectId: project.id, d7: addDays(today, -7), d14: addDays(today, -14), d21: addDays(today, -21) }) as { d7: number | null; d14: number | null; d21: number | null };
  return {
    project: { code: project.code, name: project.name },
    generatedAt: now.toISOString(),
    dataAsOf: summary.dataAsOf,
    summary: summary.summary,
    areas: summary.areaBreakdown,
    scurve: trend.periods.map((p) => ({ label: p.label, end: p.end, rocWeightedPercent: p.rocWeightedPercent })),
    forecast: { completionDate: trend.forecast.completionDate, confidence: trend.forecast.confidence },
    readiness,
    stalled: { days7: stalled.d7 ?? 0, days14: stalled.d14 ?? 0, days21: stalled.d21 ?? 0 },
  };
}
