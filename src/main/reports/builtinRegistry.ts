/** Built-in report id -> validated parameters -> result, plus a flat table for CSV. */
import { AppError } from '../../shared/errors';
import {
  BUILTIN_PARAM_SCHEMAS,
  describeZodError,
  type BuiltinReportId,
} from '../../shared/domain/builtinReports';
import type { ReportContext } from './reportContext';
import { progressSummary, type ProgressSummaryResult } from './progressSummary';
import { componentDetails, type ComponentDetailsResult } from './componentDetails';
import { testPackageReadiness, type ReadinessResult } from './testPackageReadiness';
import { trendAnalysis, type TrendResult } from './trendAnalysis';
import { auditTrail, type AuditTrailResult } from './auditTrail';

export type BuiltinResult = ProgressSummaryResult | ComponentDetailsResult | ReadinessResult | TrendResult | AuditTrailResult;

export function parseBuiltinParams(id: BuiltinReportId, params: unknown): Record<string, unknown> {
  const parsed = BUILTIN_PARAM_SCHEMAS[id].safeParse(params ?? {});
  if (!parsed.success) throw new AppError('INVALID_INPUT', `${id}: ${describeZodError(parsed.error)}`);
  return parsed.data as Record<string, unknown>;
}

export function runBuiltin(ctx: ReportContext, id: BuiltinReportId, rawParams: unknown): BuiltinResult {
  const p = parseBuiltinParams(id, rawParams);
  switch (id) {
    case 'progress-summary':
      return progressSummary(ctx, p);
    case 'component-details':
      return componentDetails(ctx, p);
    case 'test-package-readiness':
      return testPackageReadiness(ctx, p);
    case 'trend-analysis':
      return trendAnalysis(ctx, p);
    case 'audit-trail':
      return auditTrail(ctx, p);
  }
}

export interface FlatTable {
  columns: string[];
  rows: Array<Array<string | number | boolean | null>>;
}

/** The rows a spreadsheet user expects from each report, one line per record. */
export function flattenBuiltin(id: BuiltinReportId, result: BuiltinResult): FlatTable {
  switch (id) {
    case 'progress-summary': {
      const r = result as ProgressSummaryResult;
      const cols = ['totalComponents', 'completedComponents', 'completionPercent', 'rocWeightedPercent'] as const;
      const rows: FlatTable['rows'] = [['Total', 'All', ...cols.map((c) => r.summary[c])]];
      for (const a of r.areaBreakdown) rows.push(['Area', a.area, ...cols.map((c) => a[c])]);
      for (const s of r.systemBreakdown) rows.push(['System', s.system, ...cols.map((c) => s[c])]);
      for (const t of r.testPackageBreakdown) rows.push(['Test package', t.testPackage, ...cols.map((c) => t[c])]);
      return { columns: ['dimension', 'key', ...cols], rows };
    }
    case 'component-details': {
      const r = result as ComponentDetailsResult;
      return {
        columns: ['tag', 'displayId', 'type', 'area', 'system', 'testPackage', 'status', 'completionPercent', 'rocWeightedPercent', 'workflowType', 'drawingNumber', 'drawingTitle', 'milestonesCompleted', 'milestonesTotal', 'lastActivity'],
        rows: r.components.map((c) => [
          c.tag, c.displayId, c.type, c.area, c.system, c.testPackage, c.status, c.completionPercent, c.rocWeightedPercent,
          c.workflowType, c.drawingNumber, c.drawingTitle, c.milestones.filter((m) => m.isCompleted).length, c.milestones.length, c.lastActivity,
        ]),
      };
    }
    case 'test-package-readiness': {
      const r = result as ReadinessResult;
      return {
        columns: ['packageName', 'status', 'totalComponents', 'completedComponents', 'fullyCompleteComponents', 'completionPercent', 'isReadyForTest', 'blockingCount', 'testRequiredCount', 'testPressures', 'recentCompletions7d', 'estimatedReadyDate'],
        rows: r.testPackages.map((p) => [
          p.packageName, p.status, p.totalComponents, p.completedComponents, p.fullyCompleteComponents, p.completionPercent,
          p.isReadyForTest, p.blockingCount, p.testRequiredCount, p.testPressures.join(' '), p.recentCompletions7d, p.estimatedReadyDate,
        ]),
      };
    }
    case 'trend-analysis': {
      const r = result as TrendResult;
      return {
        columns: ['period', 'label', 'start', 'end', 'milestoneCompletions', 'componentsCompleted', 'cumulativeMilestoneCompletions', 'cumulativeComponentsCompleted', 'rocWeightedPercent'],
        rows: r.periods.map((p) => [p.period, p.label, p.start, p.end, p.milestoneCompletions, p.componentsCompleted, p.cumulativeMilestoneCompletions, p.cumulativeComponentsCompleted, p.rocWeightedPercent]),
      };
    }
    case 'audit-trail': {
      const r = result as AuditTrailResult;
      return {
        columns: ['at', 'user', 'action', 'componentTag', 'changes'],
        rows: r.entries.map((e) => [e.at, e.user, e.action, e.componentTag, JSON.stringify(e.changes)]),
      };
    }
  }
}
