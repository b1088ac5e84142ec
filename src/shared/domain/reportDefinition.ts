/**
 * A report definition: what the user built by dragging fields. Versioned JSON, validated with
 * the same code in main and renderer: first its shape (zod), then its meaning against the field
 * catalog, with messages that name the path and the reason in plain words.
 */
import { z } from 'zod';
import { isIsoDate, daysBetween } from '../dates';
import {
  AGGREGATIONS,
  DATASET_MEASURES,
  DATASETS,
  FIELD_CATALOG,
  type Aggregation,
  type Dataset,
  type FieldInfo,
} from './fieldCatalog';

export const DEFINITION_VERSION = 1;
export const MAX_LOOKBACK_DAYS = 425;
export const MAX_LIMIT = 1_048_576;

const Name = z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters');
const FieldName = z.string().min(1).max(64);
const Bucket = z.enum(['day', 'week', 'month', 'quarter']);
// SQLite text functions stop at NUL, so a NUL inside a value would silently change its meaning.
const NoNul = z.string().refine((v) => !v.includes('\u0000'), 'must not contain a NUL character');
const Scalar = z.union([NoNul.pipe(z.string().max(500)), z.number().finite(), z.boolean()]);

export const FieldRefSchema = z.strictObject({ field: FieldName, bucket: Bucket.optional() });
export const ValueSpecSchema = z.strictObject({
  agg: z.string().max(40),
  field: FieldName.optional(),
  label: z.string().max(120).optional(),
});
export const FILTER_OPS = ['in', 'notIn', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'between', 'contains', 'isEmpty', 'isNotEmpty'] as const;
export const FilterSchema = z.strictObject({
  field: FieldName,
  op: z.enum(FILTER_OPS),
  value: z.union([Scalar, z.tuple([Scalar, Scalar])]).optional(),
  values: z.array(Scalar).max(1000).optional(),
});
export const SortSchema = z.strictObject({
  field: FieldName.optional(),
  value: z.number().int().min(0).optional(),
  direction: z.enum(['asc', 'desc']).default('asc'),
});
export const LookbackSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('relative'), unit: z.enum(['days', 'weeks', 'months']), count: z.number().int().min(1), field: FieldName.optional() }),
  z.strictObject({
    kind: z.literal('preset'),
    preset: z.enum(['last7Days', 'last14Days', 'last30Days', 'thisWeek', 'thisMonth', 'lastQuarter']),
    field: FieldName.optional(),
  }),
  z.strictObject({ kind: z.literal('custom'), start: z.string(), end: z.string(), field: FieldName.optional() }),
]);
export const ChartSchema = z.strictObject({
  type: z.enum(['bar', 'stackedBar', 'line', 'area', 'pie', 'gauge']),
  title: z.string().max(120).optional(),
  /** Indexes into values; default: the first value. */
  series: z.array(z.number().int().min(0)).max(12).optional(),
});
export const LayoutSchema = z.strictObject({
  title: z.string().max(200).optional(),
  kpis: z.array(z.number().int().min(0)).max(8).optional(),
  showChart: z.boolean().optional(),
  showTable: z.boolean().optional(),
  notes: z.string().max(4000).optional(),
});

export const ReportDefinitionSchema = z.strictObject({
  version: z.literal(DEFINITION_VERSION),
  name: Name,
  description: z.string().max(2000).default(''),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  dataset: z.enum(DATASETS),
  rows: z.array(FieldRefSchema).max(6).default([]),
  columns: z.array(FieldRefSchema).max(1, 'only one pivot field is supported').default([]),
  values: z.array(ValueSpecSchema).max(12).default([]),
  filters: z.array(FilterSchema).max(30).default([]),
  sort: z.array(SortSchema).max(6).default([]),
  limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
  lookback: LookbackSchema.nullable().default(null),
  chart: ChartSchema.nullable().default(null),
  layout: LayoutSchema.default({}),
});

export type ReportDefinition = z.infer<typeof ReportDefinitionSchema>;
export type ReportDefinitionInput = z.input<typeof ReportDefinitionSchema>;
export type FieldRef = z.infer<typeof FieldRefSchema>;
export type ValueSpec = z.infer<typeof ValueSpecSchema>;
export type Filter = z.infer<typeof FilterSchema>;
export type Lookback = z.infer<typeof LookbackSchema>;

export interface DefinitionIssue {
  path: string;
  message: string;
}

function pathOf(parts: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || 'definition';
}

function describeShape(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union') {
    // Report why the closest alternative failed rather than "invalid input".
    const inner = issue.errors.flat().find((i) => i.code !== 'invalid_type');
    return inner ? describeShape(inner) : 'has the wrong type';
  }
  if (issue.code === 'too_big') return `is too long or too large (at most ${String(issue.maximum)})`;
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type') return `must be ${issue.expected}`;
  return issue.message;
}

function isDateField(f: FieldInfo): boolean {
  return f.type === 'date' || f.type === 'datetime';
}

function checkScalar(f: FieldInfo, v: unknown, path: string, issues: DefinitionIssue[]): void {
  const bad = (what: string) => issues.push({ path, message: `${JSON.stringify(v)} is not ${what} (field "${f.name}")` });
  switch (f.type) {
    case 'number':
    case 'percent':
      if (typeof v !== 'number') bad('a number');
      break;
    case 'boolean':
      if (typeof v !== 'boolean') bad('true or false');
      break;
    case 'date':
    case 'datetime':
      if (typeof v !== 'string' || !isIsoDate(v.slice(0, 10)) || (f.type === 'date' && v.length !== 10)) bad('a date written YYYY-MM-DD');
      break;
    case 'enum':
      if (typeof v !== 'string' || !(f.values ?? []).includes(v)) bad(`one of ${(f.values ?? []).join(', ')}`);
      break;
    case 'text':
      if (typeof v !== 'string') bad('text');
      break;
  }
}

/** Meaning against the catalog; assumes the shape already parsed. */
export function semanticIssues(def: ReportDefinition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const ds: Dataset = def.dataset;
  const lookup = (name: string, path: string): FieldInfo | undefined => {
    const f = FIELD_CATALOG[ds].find((x) => x.name === name);
    if (!f) issues.push({ path, message: `"${name}" is not a field of the ${ds} dataset` });
    return f;
  };
  const checkRef = (ref: FieldRef, path: string) => {
    const f = lookup(ref.field, `${path}.field`);
    if (f && ref.bucket && !isDateField(f)) issues.push({ path: `${path}.bucket`, message: `"${ref.field}" is not a date, so it cannot be bucketed by ${ref.bucket}` });
  };
  def.rows.forEach((r, i) => checkRef(r, `rows[${i}]`));
  def.columns.forEach((c, i) => checkRef(c, `columns[${i}]`));
  const used = new Set<string>();
  for (const [i, r] of [...def.rows, ...def.columns].entries()) {
    const key = `${r.field}:${r.bucket ?? ''}`;
    if (used.has(key)) issues.push({ path: i < def.rows.length ? `rows[${i}]` : 'columns[0]', message: `"${r.field}" is used twice` });
    used.add(key);
  }
  if (def.values.length === 0 && def.rows.length === 0) issues.push({ path: 'values', message: 'add at least one value or one row field' });
  def.values.forEach((v, i) => {
    const path = `values[${i}]`;
    if (!(AGGREGATIONS as readonly string[]).includes(v.agg) && v.field === undefined) {
      issues.push({ path: `${path}.agg`, message: `"${v.agg}" is not an aggregation (use ${AGGREGATIONS.join(', ')})` });
      return;
    }
    if (v.field === undefined) {
      if (!DATASET_MEASURES[ds].includes(v.agg as Aggregation)) {
        issues.push({ path: `${path}.agg`, message: `"${v.agg}" needs a field, or is not available for the ${ds} dataset` });
      }
      return;
    }
    const f = lookup(v.field, `${path}.field`);
    if (f && !f.aggregations.includes(v.agg as Aggregation)) {
      issues.push({ path: `${path}.agg`, message: `"${v.agg}" is not allowed for field "${f.name}" (allowed: ${f.aggregations.join(', ')})` });
    }
  });
  def.filters.forEach((flt, i) => {
    const path = `filters[${i}]`;
    const f = lookup(flt.field, `${path}.field`);
    if (!f) return;
    if (!f.filterable) issues.push({ path: `${path}.field`, message: `"${f.name}" cannot be filtered` });
    switch (flt.op) {
      case 'in':
      case 'notIn':
        if (!flt.values || flt.values.length === 0) issues.push({ path: `${path}.values`, message: `"${flt.op}" needs a list of values` });
        else flt.values.forEach((v, j) => checkScalar(f, v, `${path}.values[${j}]`, issues));
        break;
      case 'between':
        if (!Array.isArray(flt.value)) issues.push({ path: `${path}.value`, message: '"between" needs two values [from, to]' });
        else flt.value.forEach((v, j) => checkScalar(f, v, `${path}.value[${j}]`, issues));
        break;
      case 'contains':
        if (typeof flt.value !== 'string') issues.push({ path: `${path}.value`, message: '"contains" needs text to look for' });
        else if (f.type !== 'text' && f.type !== 'enum') issues.push({ path: `${path}.op`, message: `"contains" works on text, and "${f.name}" is ${f.type}` });
        break;
      case 'isEmpty':
      case 'isNotEmpty':
        break;
      default:
        if (flt.value === undefined || Array.isArray(flt.value)) issues.push({ path: `${path}.value`, message: `"${flt.op}" needs one value` });
        else checkScalar(f, flt.value, `${path}.value`, issues);
    }
  });
  def.sort.forEach((s, i) => {
    const path = `sort[${i}]`;
    if ((s.field === undefined) === (s.value === undefined)) issues.push({ path, message: 'sort by either a row field ("field") or a value ("value"), not both or neither' });
    else if (s.field !== undefined && !def.rows.some((r) => r.field === s.field) && !def.columns.some((c) => c.field === s.field)) {
      issues.push({ path: `${path}.field`, message: `"${s.field}" is not one of the row fields` });
    } else if (s.value !== undefined && s.value >= def.values.length) issues.push({ path: `${path}.value`, message: `there is no values[${s.value}]` });
  });
  if (def.lookback) {
    const lb = def.lookback;
    if (lb.field !== undefined) {
      const f = lookup(lb.field, 'lookback.field');
      if (f && !isDateField(f)) issues.push({ path: 'lookback.field', message: `"${f.name}" is not a date` });
    }
    const span = lookbackSpanDays(lb);
    if (lb.kind === 'custom') {
      if (!isIsoDate(lb.start)) issues.push({ path: 'lookback.start', message: 'must be a date written YYYY-MM-DD' });
      if (!isIsoDate(lb.end)) issues.push({ path: 'lookback.end', message: 'must be a date written YYYY-MM-DD' });
      if (isIsoDate(lb.start) && isIsoDate(lb.end) && lb.start > lb.end) issues.push({ path: 'lookback', message: `starts ${lb.start}, after it ends ${lb.end}` });
    }
    if (span !== null && span > MAX_LOOKBACK_DAYS) {
      issues.push({ path: 'lookback', message: `covers ${span} days; the longest window is ${MAX_LOOKBACK_DAYS} days` });
    }
  }
  def.chart?.series?.forEach((s, i) => {
    if (s >= def.values.length) issues.push({ path: `chart.series[${i}]`, message: `there is no values[${s}]` });
  });
  def.layout.kpis?.forEach((k, i) => {
    if (k >= def.values.length) issues.push({ path: `layout.kpis[${i}]`, message: `there is no values[${k}]` });
  });
  return issues;
}

/** Days a window covers (longest case for months), or null when not yet known. */
export function lookbackSpanDays(lb: Lookback): number | null {
  switch (lb.kind) {
    case 'relative':
      return lb.unit === 'days' ? lb.count : lb.unit === 'weeks' ? lb.count * 7 : Math.ceil(lb.count * 31);
    case 'preset':
      return { last7Days: 7, last14Days: 14, last30Days: 30, thisWeek: 7, thisMonth: 31, lastQuarter: 92 }[lb.preset];
    case 'custom':
      return isIsoDate(lb.start) && isIsoDate(lb.end) ? daysBetween(lb.start, lb.end) + 1 : null;
  }
}

export type DefinitionCheck = { ok: true; definition: ReportDefinition } | { ok: false; issues: DefinitionIssue[] };

export function checkDefinition(input: unknown): DefinitionCheck {
  const parsed = ReportDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: describeShape(i) })) };
  }
  const issues = semanticIssues(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition: parsed.data };
}

export function describeIssues(issues: readonly DefinitionIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

