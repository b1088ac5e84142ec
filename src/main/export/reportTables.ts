/** Report results as exportable tables: columns with types, rows as an iterator, metadata. */
import type { BuiltinReportId } from '../../shared/domain/builtinReports';
import { toPlainTable } from '../../shared/domain/pivotTable';
import type { DefinitionResultJson } from '../../shared/contract';
import { flattenBuiltin, type BuiltinResult } from '../reports/builtinRegistry';
import type { ProgressSummaryResult } from '../reports/progressSummary';
import type { ExportCell, ExportColumn, ExportMeta, ExportTable } from './exporter';

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

export function builtinTable(id: BuiltinReportId, title: string, first: BuiltinResult, more: () => Iterable<BuiltinResult>): ExportTable {
  const flat = flattenBuiltin(id, first);
  const sampleRow = flat.rows[0] ?? [];
  const columns: ExportColumn[] = flat.columns.map((key, i) => {
    const v = sampleRow[i];
    const type: ExportColumn['type'] = PERCENT_COLUMN.test(key) ? 'percent' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v === 'boolean' ? 'boolean' : 'text';
    return { key, label: key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()), type };
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
  }
  function* rows(): Iterable<ExportCell[]> {
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
  const description = [
    `Dataset: ${d.dataset}`,
    d.rows.length ? `Rows: ${d.rows.map((r) => r.field + (r.bucket ? ` by ${r.bucket}` : '')).join(', ')}` : '',
    d.columns.length ? `Columns: ${d.columns.map((c) => c.field).join(', ')}` : '',
    ...d.filters.map((f) => `Filter: ${f.field} ${f.op} ${JSON.stringify(f.values ?? f.value ?? '')}`),
    result.window ? `Window: ${result.window.start} to ${result.window.end} (${result.window.timeZone})` : 'Window: all dates',
  ].filter(Boolean);
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
