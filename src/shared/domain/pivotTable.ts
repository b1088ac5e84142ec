/**
 * Long-form definition results as the table a person reads: one line per row-field
 * combination, and with a pivot one column per (pivot value × value).
 */
import type { Cell, DefinitionResultJson } from '../contract';

export interface PlainTable {
  header: string[];
  rows: Cell[][];
}

export function toPlainTable(result: Pick<DefinitionResultJson, 'columns' | 'pivot' | 'rows'>): PlainTable {
  const rowCols = result.columns.filter((c) => c.role === 'row');
  const valueCols = result.columns.filter((c) => c.role === 'value');
  if (!result.pivot) {
    const cols = [...rowCols, ...valueCols];
    return { header: cols.map((c) => c.label), rows: result.rows.map((r) => cols.map((c) => r[c.key] ?? null)) };
  }
  const pivot = result.pivot;
  const header = [
    ...rowCols.map((c) => c.label),
    ...pivot.values.flatMap((pv) => valueCols.map((v) => (valueCols.length === 1 ? String(pv ?? '(none)') : `${String(pv ?? '(none)')} · ${v.label}`))),
  ];
  const lines = new Map<string, Cell[]>();
  const position = new Map(pivot.values.map((v, i) => [v, i]));
  for (const r of result.rows) {
    const keys = rowCols.map((c) => r[c.key] ?? null);
    const id = JSON.stringify(keys);
    let line = lines.get(id);
    if (!line) {
      line = [...keys, ...new Array<Cell>(pivot.values.length * valueCols.length).fill(null)];
      lines.set(id, line);
    }
    const p = position.get(r[pivot.key] ?? null) ?? 0;
    valueCols.forEach((v, j) => {
      (line as Cell[])[rowCols.length + p * valueCols.length + j] = r[v.key] ?? null;
    });
  }
  return { header, rows: [...lines.values()] };
}
