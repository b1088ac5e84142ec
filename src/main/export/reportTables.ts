/** Report results as exportable tables: columns with types, rows as an iterator, metadata. */
import type { BuiltinReportId } from '../../shared/domain/builtinReports';
import { toPlainTable } from '../../shared/domain/pivotTable';
import type { DefinitionResultJson } from '../../shared/contract';
import { flattenBuiltin, type BuiltinResult } from '../reports/builtinRegistry';
import type { ProgressSummaryResult } from '../reports/progressSummary';
import type { ReadinessResult } from '../reports/testPackageReadiness';
import type { TrendResult } from '../reports/trendAnalysis';
import type { ExportCell, ExportColumn, ExportMeta, ExportTable } from './exporter';
import type { ChartSpec } from '../../shared/charts/chartSpec';
import { definitionCharts } from '../../shared/charts/definitionCharts';
import { describeDefinition } from '../../shared/domain/describeDefinition';
import type { PdfSection } from './pdfFormat';

const PERCENT_COLUMN = /percent/i;

function metaOf(title: string, r: { project: { code: string; name: string }; generatedAt: string; dataAsOf: string | null }, extra: Partial<ExportMeta>): ExportMeta {
  return {
    title,
    projectName: r.project.name,
    projectCode: r.project.code,
    generatedAt: r.generatedAt,
    dataAsOf: r.dataAsOf,
    dateRange: null,
    description: [],
    kpis: [],
    context: {},
    ...extra,
  };
}

/** Headers in sentence case, as the app writes them ("Test package", "ROC %"). */
const LABELS: Record<string, string> = { rocWeightedPercent: 'ROC %', completionPercent: 'Completion %', displayId: 'Display ID' };

export function columnLabel(key: string): string {
  return LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, (_m, a: string, b: string) => `${a} ${b.toLowerCase()}`).replace(/^./, (c) => c.toUpperCase());
}

export function builtinTable(id: BuiltinReportId, title: string, first: BuiltinResult, more: () => Iterable<BuiltinResult>, allRows?: () => Iterable<ExportCell[]>): ExportTable {
  const flat = flattenBuiltin(id, first);
  const sampleRow = flat.rows[0] ?? [];
  const columns: ExportColumn[] = flat.columns.map((key, i) => {
    const v = sampleRow[i];
    const type: ExportColumn['type'] = PERCENT_COLUMN.test(key) ? 'percent' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v === 'boolean' ? 'boolean' : 'text';
    return { key, label: columnLabel(key), type };
  });
  const kpis: ExportMeta['kpis'] = [];
  let dateRange: string | null = null;
  if (id === 'progress-summary') {
    const s = (first as ProgressSummaryResult).summary;
    kpis.push(
      { label: 'Components', value: s.totalComponents, type: 'number' },
      { label: 'Completed', value: s.completedComponents, type: 'number' },
      { label: 'Completion %', value: s.completionPercent, type: 'percent' },
      { label: 'ROC progress %', value: s.rocWeightedPercent, type: 'percent' },
    );
    dateRange = `as of ${(first as ProgressSummaryResult).asOf}`;
  } else if (id === 'test-package-readiness') {
    const r = (first as ReadinessResult).summary;
    kpis.push(
      { label: 'Test packages', value: r.totalPackages, type: 'number' },
      { label: 'Ready for test', value: r.readyPackages, type: 'number' },
      { label: 'Nearly ready', value: r.nearlyReadyPackages, type: 'number' },
      { label: 'Blocked', value: r.blockedPackages, type: 'number' },
    );
  } else if (id === 'trend-analysis') {
    const t = first as TrendResult;
    kpis.push(
      { label: 'ROC progress %', value: t.forecast.currentRocPercent, type: 'percent' },
      { label: 'Points per day', value: t.velocity.earnedPointsPerDay, type: 'number' },
      { label: 'Forecast completion', value: t.forecast.completionDate ?? 'no recent work' },
      { label: 'Confidence', value: t.forecast.confidence },
    );
    dateRange = `${t.dateRange.from} – ${t.dateRange.to}`;
  }
  function* rows(): Iterable<ExportCell[]> {
    if (allRows) {
      yield* allRows();
      return;
    }
    yield* flat.rows;
    for (const page of more()) yield* flattenBuiltin(id, page).rows;
  }
  return {
    meta: metaOf(title, first, { kpis, dateRange, context: { report: id } }),
    columns,
    rows: rows(),
    totalRows: null,
  };
}

export function definitionTable(result: DefinitionResultJson): ExportTable {
  const plain = toPlainTable(result);
  const rowCols = result.columns.filter((c) => c.role === 'row');
  const valueCols = result.columns.filter((c) => c.role === 'value');
  const typeOf = (t: string): ExportColumn['type'] => (t === 'percent' ? 'percent' : t === 'number' ? 'number' : t === 'date' ? 'date' : 'text');
  const columns: ExportColumn[] = plain.header.map((label, i) => {
    if (i < rowCols.length) return { key: `c${i}`, label, type: typeOf((rowCols[i] as { type: string }).type) };
    const v = valueCols[(i - rowCols.length) % Math.max(1, valueCols.length)];
    return { key: `c${i}`, label, type: typeOf(v?.type ?? 'number') };
  });
  const d = result.definition;
  const description = describeDefinition(d, result.window);
  return {
    meta: metaOf(d.layout.title ?? d.name, result, {
      dateRange: result.window ? `${result.window.start} – ${result.window.end}` : null,
      description,
      context: { definition: d, window: result.window, dataVersion: result.dataVersion },
    }),
    columns,
    rows: plain.rows,
    totalRows: plain.rows.length,
  };
}

export { definitionCharts };

/** Purpose-made charts for the built-ins' PDF summary pages. */
export function builtinCharts(id: BuiltinReportId, first: BuiltinResult, weeklyTrend: (asOf: string) => TrendResult | null): ChartSpec[] {
  if (id === 'progress-summary') {
    const s = first as ProgressSummaryResult;
    const trend = weeklyTrend(s.asOf);
    const charts: ChartSpec[] = [
      { type: 'bar', title: 'ROC progress by area', labels: s.areaBreakdown.map((a) => a.area), percent: true, series: [{ name: 'ROC %', values: s.areaBreakdown.map((a) => a.rocWeightedPercent) }] },
    ];
    if (trend) {
      charts.push({
        type: 'line',
        title: 'S-curve: ROC progress by week',
        labels: trend.periods.map((p) => p.label),
        percent: true,
        series: [{ name: 'ROC %', values: trend.periods.map((p) => p.rocWeightedPercent) }],
      });
    }
    return charts;
  }
  if (id === 'test-package-readiness') {
    const r = first as ReadinessResult;
    return [
      {
        type: 'bar',
        title: 'Test packages by readiness',
        labels: ['Ready', 'Nearly (≥ 95 %)', 'Blocked', 'Not started'],
        series: [{ name: 'Packages', values: [r.summary.readyPackages, r.summary.nearlyReadyPackages, r.summary.blockedPackages, r.summary.notStartedPackages] }],
      },
    ];
  }
  if (id === 'trend-analysis') {
    const t = first as TrendResult;
    return [
      { type: 'line', title: 'ROC progress', labels: t.periods.map((p) => p.label), percent: true, series: [{ name: 'ROC %', values: t.periods.map((p) => p.rocWeightedPercent) }] },
      { type: 'bar', title: 'Milestone completions', labels: t.periods.map((p) => p.label), series: [{ name: 'Completions', values: t.periods.map((p) => p.milestoneCompletions) }] },
    ];
  }
  return [];
}

const col = (key: string, label: string, type: ExportColumn['type']): ExportColumn => ({ key, label, type });
const FIGURE_COLUMNS = [
  col('components', 'Components', 'integer'),
  col('completed', 'Completed', 'integer'),
  col('completion', 'Completion %', 'percent'),
  col('roc', 'ROC %', 'percent'),
];
export const LAGGING_PACKAGES = 100;
const MAX_BLOCKING_LISTED = 500;

/** Purpose-made PDF pages for the built-ins that need more than one table. */
export function builtinSections(id: BuiltinReportId, first: BuiltinResult): PdfSection[] | undefined {
  if (id === 'progress-summary') {
    const s = first as ProgressSummaryResult;
    const figures = (g: { totalComponents: number; completedComponents: number; completionPercent: number; rocWeightedPercent: number }) => [
      g.totalComponents,
      g.completedComponents,
      g.completionPercent,
      g.rocWeightedPercent,
    ];
    const lagging = [...s.testPackageBreakdown].sort((a, b) => a.rocWeightedPercent - b.rocWeightedPercent || (a.testPackage < b.testPackage ? -1 : 1)).slice(0, LAGGING_PACKAGES);
    return [
      { title: 'Progress by area', note: null, columns: [col('area', 'Area', 'text'), ...FIGURE_COLUMNS], rows: s.areaBreakdown.map((a) => [a.area, ...figures(a)]) },
      { title: 'Progress by system', note: null, columns: [col('system', 'System', 'text'), ...FIGURE_COLUMNS], rows: s.systemBreakdown.map((a) => [a.system, ...figures(a)]) },
      {
        title: 'Test packages furthest behind',
        note: `${s.testPackageBreakdown.length.toLocaleString('en-US')} test packages in all; ${Math.min(LAGGING_PACKAGES, lagging.length)} with the lowest ROC % are listed. The XLSX and CSV exports hold every package.`,
        columns: [col('testPackage', 'Test package', 'text'), ...FIGURE_COLUMNS],
        rows: lagging.map((a) => [a.testPackage, ...figures(a)]),
      },
    ];
  }
  if (id === 'test-package-readiness') {
    const r = first as ReadinessResult;
    const of = (status: string) => r.testPackages.filter((p) => p.status === status);
    const pkgCols = [
      col('package', 'Test package', 'text'),
      col('components', 'Components', 'integer'),
      col('full', 'At 100 %', 'integer'),
      col('completion', 'Completion %', 'percent'),
      col('blocking', 'Blocking', 'integer'),
      col('recent', 'Done last 7 days', 'integer'),
      col('ready', 'Estimated ready', 'text'),
      col('pressures', 'Test pressures', 'text'),
    ];
    const pkgRows = (status: string) =>
      of(status).map((p) => [p.packageName, p.totalComponents, p.fullyCompleteComponents, p.completionPercent, p.blockingCount, p.recentCompletions7d, p.estimatedReadyDate ?? '—', p.testPressures.join(', ')]);
    const blocking = r.testPackages.flatMap((p) => p.blockingComponents.map((b) => [p.packageName, b.tag, b.type, b.completionPercent, b.blockingMilestones.join(', ')] as ExportCell[]));
    const totalBlocking = r.testPackages.reduce((a, p) => a + p.blockingCount, 0);
    return [
      { title: `Ready for test (${of('ready').length})`, note: 'Every component at 100 %.', columns: pkgCols, rows: pkgRows('ready') },
      { title: `Nearly ready (${of('nearly').length})`, note: 'At least 95 % of components at 100 %.', columns: pkgCols, rows: pkgRows('nearly') },
      { title: `Blocked (${of('blocked').length})`, note: 'Work under way with components still open.', columns: pkgCols, rows: pkgRows('blocked') },
      { title: `Not started (${of('not_started').length})`, note: 'Mean completion below 10 %.', columns: pkgCols, rows: pkgRows('not_started') },
      {
        title: 'Blocking components',
        note: `Below 100 % with Connect, Test, Pressure_Test or QC_Complete open: ${totalBlocking.toLocaleString('en-US')} in all${blocking.length > MAX_BLOCKING_LISTED ? `, the first ${MAX_BLOCKING_LISTED} listed` : ''}.`,
        columns: [col('package', 'Test package', 'text'), col('tag', 'Tag', 'text'), col('type', 'Type', 'text'), col('completion', 'Completion %', 'percent'), col('waiting', 'Waiting for', 'text')],
        rows: blocking.slice(0, MAX_BLOCKING_LISTED),
      },
    ];
  }
  return undefined;
}
