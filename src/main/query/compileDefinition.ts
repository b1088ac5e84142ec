/**
 * Report definition -> query tree. Every identifier comes from catalogSql; every user value
 * becomes a literal node (a bound parameter). Measures whose exact rounding matters (ROC and
 * completion means) are selected as integer sums and counts and finalized in JS.
 */
import { AppError } from '../../shared/errors';
import { findField, MEASURE_LABELS, type Aggregation, type Dataset, type FieldInfo } from '../../shared/domain/fieldCatalog';
import { DEFAULT_DATE_FIELD } from '../../shared/domain/fieldCatalog';
import type { Filter, FieldRef, ReportDefinition } from '../../shared/domain/reportDefinition';
import { offsetSpans } from '../../shared/timeZones';
import { DATASET_SQL, MEASURE_SQL, type FieldSql } from './catalogSql';
import { lit, type Expr, type Join, type QueryTree, type SelectItem } from './queryTree';
import type { ResolvedWindow } from './lookbackWindow';

export interface CompileContext {
  projectId: number;
  timeZone: string;
  now: Date;
  window: ResolvedWindow | null;
}

export type ValueFinalizer = { key: string; kind: 'plain' | 'meanMicro'; sumAlias?: string; countAlias?: string; decimals: number | null };

export interface OutputColumn {
  key: string;
  label: string;
  role: 'row' | 'column' | 'value';
  type: FieldInfo['type'] | 'number';
  aggregation?: Aggregation;
}

export interface CompiledDefinition {
  tree: QueryTree;
  rowKeys: string[];
  pivotKey: string | null;
  values: ValueFinalizer[];
  columns: OutputColumn[];
  /** With a pivot the limit counts row groups, so it is applied after the query. */
  groupLimit: number | null;
}

const YEAR_MS = 365.25 * 86_400_000;

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function compileDefinition(def: ReportDefinition, ctx: CompileContext): CompiledDefinition {
  const ds: Dataset = def.dataset;
  const sql = DATASET_SQL[ds];
  const joinsNeeded = new Set<string>();
  const fieldSql = (name: string): { info: FieldInfo; sql: FieldSql } => {
    const info = findField(ds, name);
    const s = sql.fields[name];
    if (!info || !s) throw new AppError('INVALID_INPUT', `"${name}" is not a field of the ${ds} dataset`);
    s.joins.forEach((j) => joinsNeeded.add(j));
    return { info, sql: s };
  };

  const spanFrom = ctx.window ? Date.parse(ctx.window.startUtc) - 86_400_000 : ctx.now.getTime() - 6 * YEAR_MS;
  const spanTo = ctx.window ? Date.parse(ctx.window.endUtcExclusive) + 86_400_000 : ctx.now.getTime() + 86_400_000;
  let spans: Array<{ fromIso: string | null; offsetMinutes: number }> | null = null;
  const localDateOf = (e: Expr): Expr => {
    spans ??= offsetSpans(spanFrom, spanTo, ctx.timeZone).map((s) => ({
      fromIso: Number.isFinite(s.fromMs) ? isoSeconds(s.fromMs) : null,
      offsetMinutes: s.offsetMinutes,
    }));
    return { kind: 'localDate', expr: e, spans };
  };

  const keyOf = (r: FieldRef) => (r.bucket ? `${r.field}:${r.bucket}` : r.field);
  const groupExpr = (r: FieldRef): Expr => {
    const { info, sql: s } = fieldSql(r.field);
    if (info.type === 'datetime') return { kind: 'dateBucket', expr: localDateOf(s.expr), bucket: r.bucket ?? 'day' };
    if (info.type === 'date') return { kind: 'dateBucket', expr: s.expr, bucket: r.bucket ?? 'day' };
    return s.expr;
  };

  const select: SelectItem[] = [];
  const columns: OutputColumn[] = [];
  const rowKeys: string[] = [];
  def.rows.forEach((r, i) => {
    const alias = `r${i}`;
    select.push({ alias, expr: groupExpr(r) });
    rowKeys.push(alias);
    const info = findField(ds, r.field) as FieldInfo;
    columns.push({ key: keyOf(r), label: r.bucket ? `${info.label} (${r.bucket})` : info.label, role: 'row', type: r.bucket ? 'text' : info.type });
  });
  let pivotKey: string | null = null;
  const pivot = def.columns[0];
  if (pivot) {
    pivotKey = 'p0';
    select.push({ alias: 'p0', expr: groupExpr(pivot) });
    const info = findField(ds, pivot.field) as FieldInfo;
    columns.push({ key: keyOf(pivot), label: info.label, role: 'column', type: pivot.bucket ? 'text' : info.type });
  }

  const values: ValueFinalizer[] = [];
  def.values.forEach((v, i) => {
    const key = `v${i}`;
    const agg = v.agg as Aggregation;
    const label = v.label ?? (v.field ? `${MEASURE_LABELS[agg]} of ${(findField(ds, v.field) as FieldInfo).label}` : MEASURE_LABELS[agg]);
    columns.push({ key, label, role: 'value', type: agg === 'rocWeightedPercent' || agg === 'completionPercent' ? 'percent' : 'number', aggregation: agg });
    if (v.field === undefined) {
      if (agg === 'count') {
        select.push({ alias: key, expr: { kind: 'call', fn: 'countAll', args: [] } });
        values.push({ key, kind: 'plain', decimals: null });
        return;
      }
      const measure = MEASURE_SQL[ds]?.[agg];
      if (!measure) throw new AppError('INVALID_INPUT', `values[${i}].agg: "${agg}" is not available for the ${ds} dataset`);
      if (measure.kind === 'count') {
        select.push({ alias: key, expr: measure.sum });
        values.push({ key, kind: 'plain', decimals: null });
      } else {
        select.push({ alias: `${key}_s`, expr: measure.sum }, { alias: `${key}_n`, expr: { kind: 'call', fn: 'countAll', args: [] } });
        values.push({ key, kind: 'meanMicro', sumAlias: `${key}_s`, countAlias: `${key}_n`, decimals: 2 });
      }
      return;
    }
    const { info, sql: s } = fieldSql(v.field);
    const fn = agg === 'distinctCount' ? 'countDistinct' : (agg as 'count' | 'sum' | 'avg' | 'min' | 'max');
    const arg = info.type === 'datetime' && (agg === 'distinctCount') ? localDateOf(s.expr) : s.expr;
    select.push({ alias: key, expr: { kind: 'call', fn, args: [arg] } });
    values.push({ key, kind: 'plain', decimals: agg === 'avg' ? 6 : info.type === 'percent' && agg === 'sum' ? 6 : null });
  });

  const where: Expr[] = [{ kind: 'binary', op: '=', left: sql.projectColumn, right: lit(ctx.projectId) }];
  for (const f of def.filters) where.push(filterExpr(f, fieldSql(f.field), localDateOf));
  if (ctx.window && def.lookback) {
    const name = def.lookback.field ?? DEFAULT_DATE_FIELD[ds];
    const { info, sql: s } = fieldSql(name);
    if (info.type === 'datetime') {
      where.push({ kind: 'binary', op: '>=', left: s.expr, right: lit(ctx.window.startUtc) });
      where.push({ kind: 'binary', op: '<', left: s.expr, right: lit(ctx.window.endUtcExclusive) });
    } else {
      where.push({ kind: 'binary', op: '>=', left: s.expr, right: lit(ctx.window.start) });
      where.push({ kind: 'binary', op: '<=', left: s.expr, right: lit(ctx.window.end) });
    }
  }

  const groupKeys = [...rowKeys, ...(pivotKey ? [pivotKey] : [])];
  const orderBy: QueryTree['orderBy'] = [];
  for (const s of def.sort) {
    const desc = s.direction === 'desc';
    if (s.field !== undefined) {
      const idx = def.rows.findIndex((r) => r.field === s.field);
      orderBy.push({ expr: { kind: 'ref', alias: idx >= 0 ? `r${idx}` : 'p0' }, descending: desc });
    } else if (s.value !== undefined) {
      const v = values[s.value] as ValueFinalizer;
      const expr: Expr =
        v.kind === 'meanMicro'
          ? { kind: 'binary', op: '/', left: { kind: 'binary', op: '*', left: { kind: 'ref', alias: v.sumAlias as string }, right: lit(1.0) }, right: { kind: 'ref', alias: v.countAlias as string } }
          : { kind: 'ref', alias: v.key };
      orderBy.push({ expr, descending: desc });
    }
  }
  for (const k of groupKeys) if (!orderBy.some((o) => o.expr.kind === 'ref' && o.expr.alias === k)) orderBy.push({ expr: { kind: 'ref', alias: k }, descending: false });

  const joins: Join[] = [...joinsNeeded].map((j) => sql.joins[j] as Join);
  const tree: QueryTree = {
    from: { table: sql.table, alias: sql.alias },
    joins,
    select,
    where,
    groupBy: groupKeys.map((alias) => ({ kind: 'ref', alias })),
    orderBy,
    limit: pivotKey ? null : (def.limit ?? null),
  };
  return { tree, rowKeys, pivotKey, values, columns, groupLimit: pivotKey ? (def.limit ?? null) : null };
}

function scalar(info: FieldInfo, v: string | number | boolean): Expr {
  if (typeof v === 'boolean') return lit(v ? 1 : 0);
  if (info.type === 'datetime' && typeof v === 'string') return lit(v.slice(0, 10));
  return lit(v);
}

function rawColumn(e: Expr): Expr {
  return e.kind === 'call' && e.fn === 'coalesce' ? (e.args[0] as Expr) : e;
}

function filterExpr(f: Filter, field: { info: FieldInfo; sql: FieldSql }, localDateOf: (e: Expr) => Expr): Expr {
  const { info } = field;
  // Dates on instant fields compare as local calendar dates.
  const target = info.type === 'datetime' ? localDateOf(field.sql.expr) : field.sql.expr;
  const one = (v: unknown) => scalar(info, v as string | number | boolean);
  switch (f.op) {
    case 'in':
    case 'notIn':
      return { kind: 'in', expr: target, values: (f.values ?? []).map(one), negated: f.op === 'notIn' };
    case 'eq':
      return { kind: 'binary', op: '=', left: target, right: one(f.value) };
    case 'ne':
      return { kind: 'binary', op: '<>', left: target, right: one(f.value) };
    case 'lt':
      return { kind: 'binary', op: '<', left: target, right: one(f.value) };
    case 'le':
      return { kind: 'binary', op: '<=', left: target, right: one(f.value) };
    case 'gt':
      return { kind: 'binary', op: '>', left: target, right: one(f.value) };
    case 'ge':
      return { kind: 'binary', op: '>=', left: target, right: one(f.value) };
    case 'between': {
      const [a, b] = f.value as [string | number | boolean, string | number | boolean];
      return { kind: 'and', terms: [{ kind: 'binary', op: '>=', left: target, right: one(a) }, { kind: 'binary', op: '<=', left: target, right: one(b) }] };
    }
    case 'contains':
      return { kind: 'contains', expr: field.sql.expr, needle: String(f.value) };
    case 'isEmpty':
      return { kind: 'isNull', expr: rawColumn(field.sql.expr), negated: false };
    case 'isNotEmpty':
      return { kind: 'isNull', expr: rawColumn(field.sql.expr), negated: true };
  }
}
