/** The chart of a definition's result, as a chart spec (the app's preview and the exports). */
import type { DefinitionResultJson } from '../contract';
import type { ChartSpec } from './chartSpec';

/** Charts for a definition result, from its chart spec (bar-like and line-like). */
export function definitionCharts(result: DefinitionResultJson): ChartSpec[] {
  const spec = result.definition.chart;
  if (!spec || result.rows.length === 0) return [];
  const rowCol = result.columns.find((c) => c.role === 'row');
  const valueCols = result.columns.filter((c) => c.role === 'value');
  const series = (spec.series ?? [0]).map((i) => valueCols[i]).filter((c): c is NonNullable<typeof c> => c !== undefined);
  if (!rowCol || series.length === 0) return [];
  const type: ChartSpec['type'] = spec.type === 'line' || spec.type === 'area' ? 'line' : 'bar';
  const labels = [...new Set(result.rows.map((r) => String(r[rowCol.key] ?? '')))];
  const percent = series.every((s) => s.type === 'percent');
  if (result.pivot) {
    const first = series[0] as { key: string; label: string };
    return [
      {
        type,
        title: spec.title ?? `${first.label} by ${rowCol.label}`,
        labels,
        percent,
        series: result.pivot.values.map((pv) => ({
          name: String(pv ?? '(none)'),
          values: labels.map((l) => {
            const hit = result.rows.find((r) => String(r[rowCol.key] ?? '') === l && r[(result.pivot as { key: string }).key] === pv);
            return typeof hit?.[first.key] === 'number' ? (hit[first.key] as number) : null;
          }),
        })),
      },
    ];
  }
  return [
    {
      type,
      title: spec.title ?? `${series.map((s) => s.label).join(', ')} by ${rowCol.label}`,
      labels,
      percent,
      series: series.map((s) => ({ name: s.label, values: result.rows.map((r) => (typeof r[s.key] === 'number' ? (r[s.key] as number) : null)) })),
    },
  ];
}

