/**
 * The SQL behind each catalog field: a column expression over fixed table aliases and the
 * joins it needs. This is the whitelist: a field name that is not here cannot reach SQL.
 */
import type { Dataset, FieldType } from '../../shared/domain/fieldCatalog';
import { col, lit, type Expr, type Join } from './queryTree';

export interface FieldSql {
  expr: Expr;
  joins: readonly string[];
  /** Stored as an ISO instant (bucketed in the project's time zone). */
  isInstant?: boolean;
  type?: FieldType;
}

const unassigned = (e: Expr): Expr => ({ kind: 'call', fn: 'coalesce', args: [e, lit('Unassigned')] });
const micro = (e: Expr): Expr => ({ kind: 'binary', op: '/', left: e, right: lit(1000000.0) });

function componentFields(alias: string, joinName: string | null): Record<string, FieldSql> {
  const j = joinName ? [joinName] : [];
  return {
    tag: { expr: col(alias, 'tag'), joins: j },
    displayId: { expr: col(alias, 'display_id'), joins: j },
    type: { expr: col(alias, 'type'), joins: j },
    spec: { expr: col(alias, 'spec'), joins: j },
    size: { expr: col(alias, 'size'), joins: j },
    material: { expr: col(alias, 'material'), joins: j },
    area: { expr: unassigned(col(alias, 'area')), joins: j },
    system: { expr: unassigned(col(alias, 'system')), joins: j },
    testPackage: { expr: unassigned(col(alias, 'test_package')), joins: j },
    status: { expr: col(alias, 'status'), joins: j },
  };
}

export const DATASET_SQL: Record<Dataset, { table: string; alias: string; projectColumn: Expr; joins: Record<string, Join>; fields: Record<string, FieldSql> }> = {
  components: {
    table: 'components',
    alias: 'c',
    projectColumn: col('c', 'project_id'),
    joins: { drawing: { table: 'drawings', alias: 'd', on: { kind: 'binary', op: '=', left: col('d', 'id'), right: col('c', 'drawing_id') } } },
    fields: {
      ...componentFields('c', null),
      drawingNumber: { expr: col('d', 'number'), joins: ['drawing'] },
      workflowType: { expr: col('c', 'workflow_type'), joins: [] },
      completionPercent: { expr: col('c', 'completion_percent'), joins: [] },
      rocPercent: { expr: micro(col('c', 'roc_micro')), joins: [] },
      testRequired: { expr: col('c', 'test_required'), joins: [] },
      testPressure: { expr: col('c', 'test_pressure'), joins: [] },
      installationDate: { expr: col('c', 'installation_date'), joins: [] },
      createdAt: { expr: col('c', 'created_at'), joins: [], isInstant: true },
      updatedAt: { expr: col('c', 'updated_at'), joins: [], isInstant: true },
      completedAt: { expr: col('c', 'completed_at'), joins: [], isInstant: true },
      lastActivityAt: { expr: col('c', 'last_activity_at'), joins: [], isInstant: true },
    },
  },
  milestones: {
    table: 'component_milestones',
    alias: 'm',
    projectColumn: col('m', 'project_id'),
    joins: { component: { table: 'components', alias: 'c', on: { kind: 'binary', op: '=', left: col('c', 'id'), right: col('m', 'component_id') } } },
    fields: {
      milestone: { expr: col('m', 'name'), joins: [] },
      order: { expr: col('m', 'milestone_order'), joins: [] },
      isCompleted: { expr: col('m', 'is_completed'), joins: [] },
      completedAt: { expr: col('m', 'completed_at'), joins: [], isInstant: true },
      completedBy: { expr: col('m', 'completed_by'), joins: [] },
      percentageValue: { expr: col('m', 'percentage_value'), joins: [] },
      quantityValue: { expr: col('m', 'quantity_value'), joins: [] },
      earnedPoints: { expr: micro(col('m', 'earned_micro')), joins: [] },
      updatedAt: { expr: col('m', 'updated_at'), joins: [], isInstant: true },
      ...componentFields('c', 'component'),
    },
  },
  audit: {
    table: 'audit_log',
    alias: 'a',
    projectColumn: col('a', 'project_id'),
    joins: { component: { table: 'components', alias: 'c', on: { kind: 'binary', op: '=', left: col('c', 'id'), right: col('a', 'component_id') } } },
    fields: {
      at: { expr: col('a', 'at'), joins: [], isInstant: true },
      user: { expr: col('a', 'user_name'), joins: [] },
      action: { expr: col('a', 'action'), joins: [] },
      ...Object.fromEntries(Object.entries(componentFields('c', 'component')).filter(([k]) => k !== 'status' && ['tag', 'type', 'area', 'system', 'testPackage'].includes(k))),
    },
  },
  snapshots: {
    table: 'progress_snapshots',
    alias: 's',
    projectColumn: col('s', 'project_id'),
    joins: {},
    fields: {
      snapshotDate: { expr: col('s', 'snapshot_date'), joins: [] },
      dimension: { expr: col('s', 'dimension'), joins: [] },
      key: { expr: col('s', 'key'), joins: [] },
      totalComponents: { expr: col('s', 'total_components'), joins: [] },
      completedComponents: { expr: col('s', 'completed_components'), joins: [] },
      completionPercent: { expr: col('s', 'completion_percent'), joins: [] },
      rocPercent: { expr: col('s', 'roc_percent'), joins: [] },
    },
  },
};

/** Dataset-level measures, as (numerator, denominator) pieces finalized exactly in JS. */
export const MEASURE_SQL: Partial<Record<Dataset, Record<string, { sum: Expr; kind: 'meanMicro' | 'count' }>>> = {
  components: {
    rocWeightedPercent: { sum: { kind: 'call', fn: 'sum', args: [col('c', 'roc_micro')] }, kind: 'meanMicro' },
    completionPercent: { sum: { kind: 'call', fn: 'sum', args: [{ kind: 'roundMicro', expr: col('c', 'completion_percent') }] }, kind: 'meanMicro' },
    completedCount: { sum: { kind: 'call', fn: 'sum', args: [{ kind: 'binary', op: '=', left: col('c', 'status'), right: lit('COMPLETED') }] }, kind: 'count' },
  },
  milestones: {
    completedCount: { sum: { kind: 'call', fn: 'sum', args: [col('m', 'is_completed')] }, kind: 'count' },
  },
};
