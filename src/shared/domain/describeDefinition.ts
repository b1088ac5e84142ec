/** A definition in words: the builder's summary, the XLSX Summary sheet and the PDF cover. */
import type { ReportDefinition } from './reportDefinition';

export function describeDefinition(d: ReportDefinition, window: { start: string; end: string; timeZone: string } | null): string[] {
  return [
    `Dataset: ${d.dataset}`,
    d.rows.length ? `Rows: ${d.rows.map((r) => r.field + (r.bucket ? ` by ${r.bucket}` : '')).join(', ')}` : '',
    d.columns.length ? `Columns: ${d.columns.map((c) => c.field).join(', ')}` : '',
    d.values.length ? `Values: ${d.values.map((v) => v.label ?? (v.field ? `${v.agg} of ${v.field}` : v.agg)).join(', ')}` : '',
    ...d.filters.map((f) => `Filter: ${f.field} ${f.op} ${JSON.stringify(f.values ?? f.value ?? '')}`),
    window ? `Window: ${window.start} to ${window.end} (${window.timeZone})` : 'Window: all dates',
    d.layout.notes ? `Notes: ${d.layout.notes}` : '',
  ].filter(Boolean);
}
