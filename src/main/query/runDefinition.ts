/**
 * Runs a compiled definition: prepares the statement (which must be read-only), executes it,
 * finalizes the exact measures and lists the pivot's column headers. Results are long-form
 * rows (one per row x column combination); grids and exports pivot them for display.
 */
import { AppError } from '../../shared/errors';
import type { Db } from '../db/connection';
import type { ReportDefinition } from '../../shared/domain/reportDefinition';
import { meanPercent, roundTo } from '../reports/rocMath';
import { compileDefinition, type CompileContext, type OutputColumn } from './compileDefinition';
import { bindings, emitSqlite, type CompiledSql } from './sqliteEmitter';
import type { ResolvedWindow } from './lookbackWindow';

export type Cell = string | number | null;

export interface DefinitionRows {
  columns: OutputColumn[];
  pivot: { key: string; label: string; values: Cell[] } | null;
  rows: Array<Record<string, Cell>>;
  window: ResolvedWindow | null;
  queryMs: number;
}

export const MAX_PIVOT_COLUMNS = 500;

export function compileToSql(def: ReportDefinition, ctx: CompileContext): { compiled: ReturnType<typeof compileDefinition>; sql: CompiledSql } {
  const compiled = compileDefinition(def, ctx);
  return { compiled, sql: emitSqlite(compiled.tree) };
}

export function executeDefinition(db: Db, def: ReportDefinition, ctx: CompileContext): DefinitionRows {
  const { compiled, sql } = compileToSql(def, ctx);
  const stmt = db.prepare(sql.sql);
  // Defence in depth: a compiled report may only ever read.
  if (!stmt.readonly) throw new AppError('INTERNAL', 'compiled report statement is not read-only');
  const started = performance.now();
  const raw = stmt.all(bindings(sql)) as Array<Record<string, Cell>>;
  const queryMs = performance.now() - started;

  const keyOfAlias = new Map<string, string>();
  const rowColumns = compiled.columns.filter((c) => c.role === 'row');
  compiled.rowKeys.forEach((alias, i) => keyOfAlias.set(alias, (rowColumns[i] as OutputColumn).key));
  const pivotColumn = compiled.columns.find((c) => c.role === 'column');
  if (compiled.pivotKey && pivotColumn) keyOfAlias.set(compiled.pivotKey, pivotColumn.key);

  let rows = raw.map((r) => {
    const out: Record<string, Cell> = {};
    for (const [alias, key] of keyOfAlias) out[key] = r[alias] ?? null;
    for (const v of compiled.values) {
      if (v.kind === 'meanMicro') out[v.key] = meanPercent(Number(r[v.sumAlias as string] ?? 0), Number(r[v.countAlias as string] ?? 0));
      else if (v.kind === 'sumIfAny') out[v.key] = Number(r[v.countAlias as string] ?? 0) === 0 ? null : Number(r[v.sumAlias as string]);
      else if (v.kind === 'ratio') {
        const den = Number(r[v.countAlias as string] ?? 0);
        out[v.key] = den === 0 ? null : roundTo(Number(r[v.sumAlias as string] ?? 0) / den / (v.scale ?? 1), v.decimals ?? 6);
      } else {
        const value = r[v.key] ?? null;
        out[v.key] = typeof value === 'number' && v.decimals !== null ? roundTo(value, v.decimals) : value;
      }
    }
    return out;
  });

  let pivot: DefinitionRows['pivot'] = null;
  if (pivotColumn) {
    const seen = new Set<Cell>();
    for (const r of rows) seen.add(r[pivotColumn.key] ?? null);
    if (seen.size > MAX_PIVOT_COLUMNS) {
      throw new AppError('INVALID_INPUT', `columns[0]: "${pivotColumn.label}" has ${seen.size} values; a pivot can show at most ${MAX_PIVOT_COLUMNS} — filter it or move it to rows`);
    }
    const values = [...seen].sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1));
    pivot = { key: pivotColumn.key, label: pivotColumn.label, values };
    if (compiled.groupLimit !== null) {
      const keep = new Set<string>();
      rows = rows.filter((r) => {
        const k = JSON.stringify(rowColumns.map((c) => r[c.key]));
        if (keep.has(k)) return true;
        if (keep.size >= (compiled.groupLimit as number)) return false;
        keep.add(k);
        return true;
      });
    }
  }
  return { columns: compiled.columns, pivot, rows, window: ctx.window, queryMs };
}
