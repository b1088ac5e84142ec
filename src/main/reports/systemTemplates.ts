/**
 * The five built-in reports as system templates. Each keeps its purpose-made engine (the
 * built-in) and carries the closest report definition the designer model can express, which
 * is what "duplicate" copies into an editable user definition.
 */
import type { BuiltinReportId } from '../../shared/domain/builtinReports';
import { BUILTIN_REPORTS } from '../../shared/domain/builtinReports';
import type { ReportDefinitionInput } from '../../shared/domain/reportDefinition';

export interface SystemTemplate {
  builtinId: BuiltinReportId;
  name: string;
  description: string;
  tags: string[];
  definition: ReportDefinitionInput;
}

const info = (id: BuiltinReportId) => BUILTIN_REPORTS.find((r) => r.id === id) as { title: string; description: string };

export const SYSTEM_TEMPLATES: readonly SystemTemplate[] = [
  {
    builtinId: 'progress-summary',
    ...nameOf('progress-summary'),
    tags: ['progress', 'roc', 'weekly'],
    definition: {
      version: 1,
      name: 'Progress by area',
      dataset: 'components',
      rows: [{ field: 'area' }],
      values: [{ agg: 'count' }, { agg: 'completedCount' }, { agg: 'completionPercent' }, { agg: 'rocWeightedPercent' }],
      chart: { type: 'bar', series: [3] },
      layout: { title: 'Progress by area', kpis: [0, 1, 2, 3], showChart: true, showTable: true },
    },
  },
  {
    builtinId: 'component-details',
    ...nameOf('component-details'),
    tags: ['components', 'detail'],
    definition: {
      version: 1,
      name: 'Component list',
      dataset: 'components',
      rows: [{ field: 'tag' }, { field: 'type' }, { field: 'area' }, { field: 'testPackage' }, { field: 'status' }],
      values: [{ agg: 'max', field: 'completionPercent', label: 'Completion %' }, { agg: 'max', field: 'rocPercent', label: 'ROC %' }],
      layout: { title: 'Component list', showTable: true },
    },
  },
  {
    builtinId: 'test-package-readiness',
    ...nameOf('test-package-readiness'),
    tags: ['testing', 'readiness', 'completions'],
    definition: {
      version: 1,
      name: 'Test package progress',
      dataset: 'components',
      rows: [{ field: 'testPackage' }],
      values: [{ agg: 'count' }, { agg: 'completedCount' }, { agg: 'completionPercent' }, { agg: 'rocWeightedPercent' }],
      filters: [{ field: 'testPackage', op: 'ne', value: 'Unassigned' }],
      sort: [{ value: 2, direction: 'desc' }],
      layout: { title: 'Test package progress', showTable: true },
    },
  },
  {
    builtinId: 'trend-analysis',
    ...nameOf('trend-analysis'),
    tags: ['trend', 'velocity', 'forecast'],
    definition: {
      version: 1,
      name: 'Milestone completions by week',
      dataset: 'milestones',
      rows: [{ field: 'completedAt', bucket: 'week' }],
      values: [{ agg: 'completedCount' }, { agg: 'sum', field: 'earnedPoints', label: 'ROC points earned' }],
      filters: [{ field: 'isCompleted', op: 'eq', value: true }],
      lookback: { kind: 'relative', unit: 'weeks', count: 26 },
      chart: { type: 'line', series: [0] },
      layout: { title: 'Milestone completions by week', showChart: true, showTable: true },
    },
  },
  {
    builtinId: 'audit-trail',
    ...nameOf('audit-trail'),
    tags: ['audit', 'qa'],
    definition: {
      version: 1,
      name: 'Audit activity by user',
      dataset: 'audit',
      rows: [{ field: 'at', bucket: 'day' }, { field: 'user' }, { field: 'action' }],
      values: [{ agg: 'count' }],
      lookback: { kind: 'preset', preset: 'last30Days' },
      sort: [{ field: 'at', direction: 'desc' }],
      layout: { title: 'Audit activity', showTable: true },
    },
  },
];

function nameOf(id: BuiltinReportId): { name: string; description: string } {
  const i = info(id);
  return { name: i.title, description: i.description };
}
