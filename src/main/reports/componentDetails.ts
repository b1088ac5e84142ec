/**
 * component-details (SPEC §4): a keyset-paginated component list with drawing, milestones,
 * last activity and optionally the last 5 audit entries. Sort and filter columns come from a
 * whitelist; every value is a bound parameter. Each sort column has an index
 * (project_id, column), whose implicit rowid suffix makes (column, id) a seekable key.
 */
import { AppError } from '../../shared/errors';
import type { Db } from '../db/connection';
import { meanPercent } from './rocMath';
import { decodeCursor, encodeCursor, keysetPhases, type Cursor } from './keysetCursor';
import { reportMeta, type ReportContext, type ReportMeta } from './reportContext';

export const COMPONENT_SORT_COLUMNS = {
  tag: 'c.tag',
  type: 'c.type',
  area: 'c.area',
  system: 'c.system',
  testPackage: 'c.test_package',
  status: 'c.status',
  completionPercent: 'c.completion_percent',
  rocWeightedPercent: 'c.roc_micro',
  updatedAt: 'c.updated_at',
  id: 'c.id',
} as const;
export type ComponentSortField = keyof typeof COMPONENT_SORT_COLUMNS;

/** Sort columns that may hold NULL (their keyset continues into the NULLs separately). */
const NULLABLE_SORTS: ReadonlySet<ComponentSortField> = new Set(['area', 'system', 'testPackage']);

export const COMPONENT_FILTER_COLUMNS = {
  area: 'c.area',
  system: 'c.system',
  testPackage: 'c.test_package',
  type: 'c.type',
  status: 'c.status',
} as const;
export type ComponentFilterField = keyof typeof COMPONENT_FILTER_COLUMNS;

export interface ComponentDetailsParams {
  filters?: Partial<Record<ComponentFilterField, string[]>>;
  search?: string;
  sort?: ComponentSortField;
  descending?: boolean;
  limit?: number;
  cursor?: string;
  includeAudit?: boolean;
  includeTotal?: boolean;
  /** Exports only (the report itself returns every column). */
  columns?: readonly string[];
}

export interface MilestoneDetail {
  name: string;
  order: number;
  isCompleted: boolean;
  completedAt: string | null;
  completedBy: string | null;
  percentageValue: number | null;
  quantityValue: number | null;
}

export interface AuditDetail {
  at: string;
  user: string;
  action: string;
  changes: unknown;
}

export interface ComponentDetail {
  id: number;
  tag: string;
  displayId: string | null;
  type: string;
  spec: string | null;
  size: string | null;
  material: string | null;
  area: string | null;
  system: string | null;
  testPackage: string | null;
  status: string;
  completionPercent: number;
  rocWeightedPercent: number;
  workflowType: string;
  testRequired: boolean;
  testPressure: number | null;
  installationDate: string | null;
  drawingNumber: string | null;
  drawingTitle: string | null;
  createdAt: string;
  updatedAt: string;
  lastActivity: string;
  milestones: MilestoneDetail[];
  auditTrail?: AuditDetail[];
}

export interface ComponentDetailsResult extends ReportMeta {
  sort: { field: ComponentSortField; descending: boolean };
  components: ComponentDetail[];
  pagination: { limit: number; nextCursor: string | null; hasMore: boolean; total?: number };
}

export const MAX_PAGE = 5000;

interface Compiled {
  where: string;
  params: Record<string, unknown>;
}

export function compileFilters(projectId: number, p: ComponentDetailsParams): Compiled {
  const params: Record<string, unknown> = { projectId };
  const clauses = ['c.project_id = @projectId'];
  for (const [field, values] of Object.entries(p.filters ?? {}) as Array<[ComponentFilterField, string[] | undefined]>) {
    const col = COMPONENT_FILTER_COLUMNS[field];
    if (!col) throw new AppError('INVALID_INPUT', `cannot filter on "${String(field)}"`);
    if (!values || values.length === 0) continue;
    const names = values.map((v, i) => {
      params[`${field}${i}`] = v;
      return `@${field}${i}`;
    });
    // Unary + keeps the planner off the filter column's index: the sort column's index must
    // drive a keyset page, or a deep page turns into a sort of every matching row.
    clauses.push(`+${col} IN (${names.join(', ')})`);
  }
  if (p.search) {
    params.search = `%${p.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    clauses.push("(c.tag LIKE @search ESCAPE '\\' OR c.display_id LIKE @search ESCAPE '\\')");
  }
  return { where: clauses.join(' AND '), params };
}

interface RawComponent extends Omit<ComponentDetail, 'milestones' | 'auditTrail' | 'lastActivity' | 'testRequired' | 'rocWeightedPercent'> {
  rocMicro: number;
  testRequired: number;
}

export function componentDetails(ctx: ReportContext, params: ComponentDetailsParams = {}): ComponentDetailsResult {
  const { db, project } = ctx;
  const sort = params.sort ?? 'tag';
  const col = COMPONENT_SORT_COLUMNS[sort];
  if (!col) throw new AppError('INVALID_INPUT', `cannot sort by "${String(sort)}"`);
  const descending = params.descending ?? false;
  const limit = params.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new AppError('INVALID_INPUT', `limit must be a whole number from 1 to ${MAX_PAGE}`);
  }
  const { where, params: bind } = compileFilters(project.id, params);
  const phases = keysetPhases(col, descending, NULLABLE_SORTS.has(sort), params.cursor ? decodeCursor(params.cursor, sort) : null, bind);
  const dir = descending ? 'DESC' : 'ASC';
  const order = sort === 'id' ? `c.id ${dir}` : `${col} ${dir}, c.id ${dir}`;
  const rows: RawComponent[] = [];
  for (const phase of phases) {
    if (rows.length > limit) break;
    const page = db
      .prepare(
        `SELECT c.id, c.tag, c.display_id AS displayId, c.type, c.spec, c.size, c.material, c.area, c.system,
                c.test_package AS testPackage, c.status, c.completion_percent AS completionPercent,
                c.roc_micro AS rocMicro, c.workflow_type AS workflowType, c.test_required AS testRequired,
                c.test_pressure AS testPressure, c.installation_date AS installationDate,
                d.number AS drawingNumber, d.title AS drawingTitle, c.created_at AS createdAt, c.updated_at AS updatedAt
         FROM components c LEFT JOIN drawings d ON d.id = c.drawing_id
         WHERE ${where} AND ${phase}
         ORDER BY ${order}
         LIMIT @wanted`,
      )
      .all({ ...bind, wanted: limit + 1 - rows.length }) as RawComponent[];
    rows.push(...page);
  }
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;

  const milestones = loadMilestones(db, page.map((r) => r.id));
  const auditStmt = params.includeAudit
    ? db.prepare('SELECT at, user_name AS user, action, changes_json AS changes FROM audit_log WHERE component_id = ? ORDER BY at DESC, id DESC LIMIT 5')
    : null;

  const components: ComponentDetail[] = page.map(({ rocMicro, testRequired, ...r }) => {
    const ms = milestones.get(r.id) ?? [];
    let lastActivity = r.updatedAt;
    for (const m of ms) if (m.updatedAt > lastActivity) lastActivity = m.updatedAt;
    const detail: ComponentDetail = {
      ...r,
      rocWeightedPercent: meanPercent(rocMicro, 1),
      testRequired: testRequired === 1,
      lastActivity,
      milestones: ms.map(({ updatedAt: _u, ...m }) => m),
    };
    if (auditStmt) {
      detail.auditTrail = (auditStmt.all(r.id) as Array<AuditDetail & { changes: string }>).map((a) => ({
        ...a,
        changes: JSON.parse(a.changes) as unknown,
      }));
    }
    return detail;
  });

  const last = page[page.length - 1];
  const sortValue = (r: RawComponent): string | number | null => {
    switch (sort) {
      case 'rocWeightedPercent':
        return r.rocMicro;
      case 'id':
        return r.id;
      default:
        return (r as unknown as Record<string, string | number | null>)[sort] ?? null;
    }
  };
  const result: ComponentDetailsResult = {
    ...reportMeta(ctx, 'component-details'),
    sort: { field: sort, descending },
    components,
    pagination: {
      limit,
      hasMore,
      nextCursor: hasMore && last ? encodeCursor({ sort, value: sortValue(last), id: last.id }) : null,
    },
  };
  if (params.includeTotal) {
    result.pagination.total = (db.prepare(`SELECT count(*) AS n FROM components c WHERE ${where}`).get(bind) as { n: number }).n;
  }
  return result;
}

function loadMilestones(db: Db, ids: number[]): Map<number, Array<MilestoneDetail & { updatedAt: string }>> {
  const out = new Map<number, Array<MilestoneDetail & { updatedAt: string }>>();
  if (ids.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT component_id AS componentId, name, milestone_order AS "order", is_completed AS isCompleted,
              completed_at AS completedAt, completed_by AS completedBy, percentage_value AS percentageValue,
              quantity_value AS quantityValue, updated_at AS updatedAt
       FROM component_milestones WHERE component_id IN (SELECT value FROM json_each(?))
       ORDER BY component_id, milestone_order, id`,
    )
    .all(JSON.stringify(ids)) as Array<Omit<MilestoneDetail, 'isCompleted'> & { componentId: number; isCompleted: number; updatedAt: string }>;
  for (const { componentId, ...m } of rows) {
    const list = out.get(componentId) ?? [];
    list.push({ ...m, isCompleted: m.isCompleted === 1 });
    out.set(componentId, list);
  }
  return out;
}

export const COMPONENT_EXPORT_COLUMNS = [
  'tag', 'displayId', 'type', 'area', 'system', 'testPackage', 'status', 'completionPercent', 'rocWeightedPercent',
  'workflowType', 'drawingNumber', 'drawingTitle', 'milestonesCompleted', 'milestonesTotal', 'lastActivity',
] as const;

/** A slice of the ordered component list: the rows after `after` (null: from the start), at most `limit`. */
export interface RowRange {
  after: Cursor | null;
  limit: number | null;
}

export function componentOrderBy(sort: ComponentSortField, descending: boolean | undefined): string {
  const dir = descending ? 'DESC' : 'ASC';
  return sort === 'id' ? `c.id ${dir}` : `${COMPONENT_SORT_COLUMNS[sort]} ${dir}, c.id ${dir}`;
}

export function componentSortColumn(params: ComponentDetailsParams): { sort: ComponentSortField; col: string } {
  const sort = params.sort ?? 'tag';
  const col = COMPONENT_SORT_COLUMNS[sort];
  if (!col) throw new AppError('INVALID_INPUT', `cannot sort by "${String(sort)}"`);
  return { sort, col };
}

/**
 * Every matching component as flat rows, streamed from one statement per keyset phase (exports
 * of any size): the same columns as the component-details CSV, in the report's sort order.
 * A range lets several readers split one export between them.
 */
export function* iterateComponentRows(db: Db, projectId: number, params: ComponentDetailsParams = {}, range: RowRange = { after: null, limit: null }): Generator<Array<string | number | null>> {
  const { sort } = componentSortColumn(params);
  const { where, params: bind } = compileFilters(projectId, params);
  const phases = componentKeysetPhases(params, range.after, bind);
  let left = range.limit ?? Number.POSITIVE_INFINITY;
  for (const phase of phases) {
    if (left <= 0) return;
    const stmt = db.prepare(
      `SELECT c.tag, c.display_id, c.type, c.area, c.system, c.test_package, c.status, c.completion_percent,
              c.roc_micro, c.workflow_type, d.number, d.title,
              c.milestones_completed, c.milestones_total, c.last_activity_at
       FROM components c LEFT JOIN drawings d ON d.id = c.drawing_id
       WHERE ${where} AND ${phase}
       ORDER BY ${componentOrderBy(sort, params.descending)}${Number.isFinite(left) ? ` LIMIT ${left}` : ''}`,
    );
    for (const row of stmt.raw().iterate(bind) as Iterable<Array<string | number | null>>) {
      row[8] = meanPercent(row[8] as number, 1); // exact, as in the JSON report
      left -= 1;
      yield row;
    }
  }
}

/** The keyset WHERE fragments that continue after `after` in this sort (see keysetPhases). */
export function componentKeysetPhases(params: ComponentDetailsParams, after: Cursor | null, bind: Record<string, unknown>): string[] {
  const { sort, col } = componentSortColumn(params);
  return keysetPhases(col, params.descending ?? false, NULLABLE_SORTS.has(sort), after, bind);
}

/** How many components match, and the keyset position of every `step`-th row (split points). */
export function componentSplitPoints(db: Db, projectId: number, params: ComponentDetailsParams, parts: number): { total: number; starts: Array<Cursor | null> } {
  const { sort, col } = componentSortColumn(params);
  const { where, params: bind } = compileFilters(projectId, params);
  const total = (db.prepare(`SELECT count(*) AS n FROM components c WHERE ${where}`).get(bind) as { n: number }).n;
  const step = Math.ceil(total / parts);
  const at = db.prepare(`SELECT ${col} AS value, c.id AS id FROM components c WHERE ${where} ORDER BY ${componentOrderBy(sort, params.descending)} LIMIT 1 OFFSET @offset`);
  const starts: Array<Cursor | null> = [null];
  for (let i = 1; i < parts && i * step < total; i++) {
    const row = at.get({ ...bind, offset: i * step - 1 }) as { value: string | number | null; id: number };
    starts.push({ sort, value: row.value, id: row.id });
  }
  return { total, starts };
}
