/**
 * audit-trail (SPEC §4): entries filtered by component, user and date range, newest first,
 * keyset-paginated on (at, id).
 */
import { AppError } from '../../shared/errors';
import { endOfDayBound } from '../../shared/dates';
import { decodeCursor, encodeCursor } from './keysetCursor';
import { reportMeta, type ReportContext, type ReportMeta } from './reportContext';

export interface AuditTrailParams {
  componentTag?: string;
  user?: string;
  action?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  user: string;
  action: string;
  componentId: number | null;
  componentTag: string | null;
  changes: unknown;
}

export interface AuditTrailResult extends ReportMeta {
  filters: { componentTag: string | null; user: string | null; action: string | null; from: string | null; to: string | null };
  entries: AuditEntry[];
  pagination: { limit: number; nextCursor: string | null; hasMore: boolean };
}

export function auditTrail(ctx: ReportContext, params: AuditTrailParams = {}): AuditTrailResult {
  const { db, project } = ctx;
  const limit = params.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw new AppError('INVALID_INPUT', 'limit must be a whole number from 1 to 5000');
  if (params.from && params.to && params.from > params.to) throw new AppError('INVALID_INPUT', `--from ${params.from} is after --to ${params.to}`);
  const clauses = ['a.project_id = @projectId'];
  const bind: Record<string, unknown> = { projectId: project.id, limitPlusOne: limit + 1 };
  if (params.componentTag !== undefined) {
    const component = db.prepare('SELECT id FROM components WHERE project_id = ? AND tag = ?').get(project.id, params.componentTag) as { id: number } | undefined;
    if (!component) throw new AppError('NOT_FOUND', `no component with tag "${params.componentTag}"`);
    clauses.push('a.component_id = @componentId');
    bind.componentId = component.id;
  }
  if (params.user !== undefined) {
    clauses.push('a.user_name = @user');
    bind.user = params.user;
  }
  if (params.action !== undefined) {
    clauses.push('a.action = @action');
    bind.action = params.action;
  }
  if (params.from !== undefined) {
    clauses.push('a.at >= @from');
    bind.from = `${params.from}T00:00:00Z`;
  }
  if (params.to !== undefined) {
    clauses.push('a.at < @toBound');
    bind.toBound = endOfDayBound(params.to);
  }
  if (params.cursor) {
    const c = decodeCursor(params.cursor, 'at');
    clauses.push('(a.at < @cursorAt OR (a.at = @cursorAt AND a.id < @cursorId))');
    bind.cursorAt = c.value;
    bind.cursorId = c.id;
  }
  const rows = db
    .prepare(
      `SELECT a.id, a.at, a.user_name AS user, a.action, a.component_id AS componentId, c.tag AS componentTag,
              a.changes_json AS changes
       FROM audit_log a LEFT JOIN components c ON c.id = a.component_id
       WHERE ${clauses.join(' AND ')}
       ORDER BY a.at DESC, a.id DESC LIMIT @limitPlusOne`,
    )
    .all(bind) as Array<AuditEntry & { changes: string }>;
  const hasMore = rows.length > limit;
  const page = (hasMore ? rows.slice(0, limit) : rows).map((r) => ({ ...r, changes: JSON.parse(r.changes) as unknown }));
  const last = page[page.length - 1];
  return {
    ...reportMeta(ctx, 'audit-trail'),
    filters: {
      componentTag: params.componentTag ?? null,
      user: params.user ?? null,
      action: params.action ?? null,
      from: params.from ?? null,
      to: params.to ?? null,
    },
    entries: page,
    pagination: { limit, hasMore, nextCursor: hasMore && last ? encodeCursor({ sort: 'at', value: last.at, id: last.id }) : null },
  };
}
