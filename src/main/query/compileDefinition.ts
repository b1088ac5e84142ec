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
  /** Read the component rows even where the cube could answer (tests compare both paths). */
  bypassCube?: boolean;
}

export type ValueFinalizer = {
  key: string;
  /** plain: the column as is; meanMicro: exact mean of micro units; ratio: num / den / scale;
      sumIfAny: num, or null when den (the count of values) is 0 — SQL's sum of nothing. */
  kind: 'plain' | 'meanMicro' | 'ratio' | 'sumIfAny';
  sumAlias?: string;
  countAlias?: string;
  scale?: number;
  decimals: number | null;
};

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
  if (!ctx.bypassCube && cubeCanAnswer(def)) return compileAgainstCube(def, ctx);
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
    columns.push(valueColumn(ds, key, v));
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
    values.push({ key, kind: 'plain', decimals: agg === 'avg' ? 4 : info.type === 'percent' && agg === 'sum' ? 6 : null });
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
  const orderBy = orderFor(def, values, groupKeys);

  const joins: Join[] = [...joinsNeeded].map((j) => sql.joins[j] as Join);
  return assemble(def, { table: sql.table, alias: sql.alias }, joins, { select, where, orderBy, rowKeys, pivotKey, values, columns });
}

interface Parts {
  select: SelectItem[];
  where: Expr[];
  orderBy: QueryTree['orderBy'];
  rowKeys: string[];
  pivotKey: string | null;
  values: ValueFinalizer[];
  columns: OutputColumn[];
}

/** The grouped query over its source; with a pivot the limit counts row groups (applied later). */
function assemble(def: ReportDefinition, from: QueryTree['from'], joins: Join[], p: Parts): CompiledDefinition {
  const groupKeys = [...p.rowKeys, ...(p.pivotKey ? [p.pivotKey] : [])];
  const tree: QueryTree = {
    from,
    joins,
    select: p.select,
    where: p.where,
    groupBy: groupKeys.map((alias) => ({ kind: 'ref', alias })),
    orderBy: p.orderBy,
    limit: p.pivotKey ? null : (def.limit ?? null),
  };
  return { tree, rowKeys: p.rowKeys, pivotKey: p.pivotKey, values: p.values, columns: p.columns, groupLimit: p.pivotKey ? (def.limit ?? null) : null };
}

/** The output column of a value: its label (given or derived) and whether it is a percent. */
function valueColumn(ds: Dataset, key: string, v: { agg: string; field?: string; label?: string }): OutputColumn {
  const agg = v.agg as Aggregation;
  const label = v.label ?? (v.field ? `${MEASURE_LABELS[agg]} of ${(findField(ds, v.field) as FieldInfo).label}` : MEASURE_LABELS[agg]);
  return { key, label, role: 'value', type: agg === 'rocWeightedPercent' || agg === 'completionPercent' ? 'percent' : 'number', aggregation: agg };
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

/* --- The component cube: group-bys over categorical fields read pre-aggregated cells. --- */

const CUBE_DIMENSIONS: Record<string, string> = { area: 'area', system: 'system', type: 'type', status: 'status', workflowType: 'workflow_type' };
const CUBE_FILTER_OPS = new Set(['in', 'notIn', 'eq', 'ne', 'contains']);
type CubeValue = { select: Array<{ alias: string; expr: Expr }>; finalizer: Omit<ValueFinalizer, 'key'> };

const k = (column: string): Expr => ({ kind: 'column', table: 'k', column });
const sumOf = (column: string): Expr => ({ kind: 'call', fn: 'sum', args: [k(column)] });

function cubeValue(key: string, agg: string, field: string | undefined): CubeValue | null {
  const plain = (expr: Expr): CubeValue => ({ select: [{ alias: key, expr }], finalizer: { kind: 'plain', decimals: null } });
  const ratio = (num: string, den: string, scale: number, decimals: number, exactMean = false): CubeValue => ({
    select: [
      { alias: `${key}_s`, expr: sumOf(num) },
      { alias: `${key}_n`, expr: sumOf(den) },
    ],
    finalizer: { kind: exactMean ? 'meanMicro' : 'ratio', sumAlias: `${key}_s`, countAlias: `${key}_n`, scale, decimals },
  });
  if (field === undefined) {
    if (agg === 'count') return plain(sumOf('total'));
    if (agg === 'completedCount') return plain(sumOf('completed'));
    if (agg === 'rocWeightedPercent') return ratio('roc_micro_sum', 'total', 1e6, 2, true);
    if (agg === 'completionPercent') return ratio('completion_micro_sum', 'total', 1e6, 2, true);
    return null;
  }
  const dim = CUBE_DIMENSIONS[field];
  if (dim) {
    if (agg === 'count') return plain(sumOf('total'));
    if (agg === 'distinctCount') return plain({ kind: 'call', fn: 'countDistinct', args: [k(dim)] });
    return null;
  }
  const measures: Record<string, { sum: string; count: string; scale: number }> = {
    completionPercent: { sum: 'completion_micro_sum', count: 'total', scale: 1e6 },
    rocPercent: { sum: 'roc_micro_sum', count: 'total', scale: 1e6 },
    testPressure: { sum: 'test_pressure_sum', count: 'test_pressure_count', scale: 1 },
    testRequired: { sum: 'test_required_sum', count: 'total', scale: 1 },
  };
  const m = measures[field];
  if (!m) return null;
  if (agg === 'count') return plain(sumOf(m.count));
  if (agg === 'avg') return ratio(m.sum, m.count, m.scale, 4);
  if (agg === 'sum') {
    if (m.count !== 'total') {
      return {
        select: [{ alias: `${key}_s`, expr: sumOf(m.sum) }, { alias: `${key}_n`, expr: sumOf(m.count) }],
        finalizer: { kind: 'sumIfAny', sumAlias: `${key}_s`, countAlias: `${key}_n`, decimals: null },
      };
    }
    return m.scale === 1
      ? plain(sumOf(m.sum))
      : { select: [{ alias: key, expr: { kind: 'binary', op: '/', left: sumOf(m.sum), right: lit(m.scale) } }], finalizer: { kind: 'plain', decimals: 6 } };
  }
  return null;
}

export function cubeCanAnswer(def: ReportDefinition): boolean {
  if (def.dataset !== 'components' || def.lookback) return false;
  if ([...def.rows, ...def.columns].some((r) => r.bucket !== undefined || !(r.field in CUBE_DIMENSIONS))) return false;
  if (def.filters.some((f) => !(f.field in CUBE_DIMENSIONS) || !CUBE_FILTER_OPS.has(f.op))) return false;
  if (def.values.length === 0) return false;
  return def.values.every((v, i) => cubeValue(`v${i}`, v.agg, v.field) !== null);
}

function compileAgainstCube(def: ReportDefinition, ctx: CompileContext): CompiledDefinition {
  const select: SelectItem[] = [];
  const columns: OutputColumn[] = [];
  const rowKeys: string[] = [];
  def.rows.forEach((r, i) => {
    const alias = `r${i}`;
    select.push({ alias, expr: k(CUBE_DIMENSIONS[r.field] as string) });
    rowKeys.push(alias);
    const info = findField('components', r.field) as FieldInfo;
    columns.push({ key: r.field, label: info.label, role: 'row', type: info.type });
  });
  let pivotKey: string | null = null;
  const pivot = def.columns[0];
  if (pivot) {
    pivotKey = 'p0';
    select.push({ alias: 'p0', expr: k(CUBE_DIMENSIONS[pivot.field] as string) });
    const info = findField('components', pivot.field) as FieldInfo;
    columns.push({ key: pivot.field, label: info.label, role: 'column', type: info.type });
  }
  const values: ValueFinalizer[] = [];
  def.values.forEach((v, i) => {
    const key = `v${i}`;
    const agg = v.agg as Aggregation;
    const cv = cubeValue(key, agg, v.field) as CubeValue;
    select.push(...cv.select);
    values.push({ key, ...cv.finalizer });
    columns.push(valueColumn('components', key, v));
  });
  const where: Expr[] = [{ kind: 'binary', op: '=', left: k('project_id'), right: lit(ctx.projectId) }];
  for (const f of def.filters) {
    const target = k(CUBE_DIMENSIONS[f.field] as string);
    const one = (x: unknown) => lit(x as string);
    if (f.op === 'in' || f.op === 'notIn') where.push({ kind: 'in', expr: target, values: (f.values ?? []).map(one), negated: f.op === 'notIn' });
    else if (f.op === 'eq') where.push({ kind: 'binary', op: '=', left: target, right: one(f.value) });
    else if (f.op === 'ne') where.push({ kind: 'binary', op: '<>', left: target, right: one(f.value) });
    else where.push({ kind: 'contains', expr: target, needle: String(f.value) });
  }
  const orderBy = orderFor(def, values, [...rowKeys, ...(pivotKey ? [pivotKey] : [])]);
  return assemble(def, { table: 'component_cube', alias: 'k' }, [], { select, where, orderBy, rowKeys, pivotKey, values, columns });
}

function orderFor(def: ReportDefinition, values: ValueFinalizer[], groupKeys: string[]): QueryTree['orderBy'] {
  const orderBy: QueryTree['orderBy'] = [];
  for (const s of def.sort) {
    const desc = s.direction === 'desc';
    if (s.field !== undefined) {
      const idx = def.rows.findIndex((r) => r.field === s.field);
      orderBy.push({ expr: { kind: 'ref', alias: idx >= 0 ? `r${idx}` : 'p0' }, descending: desc });
    } else if (s.value !== undefined) {
      const v = values[s.value] as ValueFinalizer;
      const expr: Expr =
        v.kind === 'plain'
          ? { kind: 'ref', alias: v.key }
          : v.kind === 'sumIfAny'
            ? { kind: 'ref', alias: v.sumAlias as string }
            : { kind: 'binary', op: '/', left: { kind: 'binary', op: '*', left: { kind: 'ref', alias: v.sumAlias as string }, right: lit(1.0) }, right: { kind: 'ref', alias: v.countAlias as string } };
      orderBy.push({ expr, descending: desc });
    }
  }
  for (const key of groupKeys) if (!orderBy.some((o) => o.expr.kind === 'ref' && o.expr.alias === key)) orderBy.push({ expr: { kind: 'ref', alias: key }, descending: false });
  return orderBy;
}
