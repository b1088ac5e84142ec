/**
 * Figures as of a past date D, from credit events (migration 0001): a value recorded after D is
 * not visible on D. As of D, per component:
 * - a milestone counts as completed only if completed_at <= D; an open percentage milestone's
 *   value counts only if recorded (updated_at) by D; a quantity-workflow component's completion
 *   counts only if recorded (component updated_at) by D;
 * - ROC: the SPEC §4 sum of those credits with the weights in force on D, clamped;
 * - completed: status COMPLETED and completed (completed_at, else updated_at) by D;
 * - completion percent: the equal-share credit of its milestones visible on D (quantity: its
 *   recorded completion).
 * Fast path: progress_daily holds every event per day and per area / system / test package, so
 * the figures on D are sums over days <= D. That is exact while the weights in force on D are
 * today's and no component clamps (weights non-negative, summing to at most 100, names unique per
 * component). Otherwise every component is reconstructed from its milestones.
 */
import type { Db } from '../db/connection';
import { loadRocConfigs } from '../db/projectRepository';
import { endOfDayBound } from '../../shared/dates';
import {
  clamp,
  componentRocMicro,
  resolveRocConfig,
  SYSTEM_DEFAULT_WEIGHTS,
  toMicro,
  type MilestoneState,
  type RocConfigRow,
  type WorkflowType,
} from './rocMath';

export type Dimension = 'area' | 'system' | 'test_package';
export const DIMENSIONS: readonly Dimension[] = ['area', 'system', 'test_package'];

export interface GroupFigures {
  total: number;
  completed: number;
  completionMicroSum: number;
  rocMicroSum: number;
}

export type RollupTable = Record<Dimension, Map<string, GroupFigures>>;

export function readRollups(db: Db, projectId: number): RollupTable {
  const table: RollupTable = { area: new Map(), system: new Map(), test_package: new Map() };
  const rows = db
    .prepare(
      `SELECT dimension, key, total, completed, completion_micro_sum, roc_micro_sum
       FROM progress_rollups WHERE project_id = ? ORDER BY dimension, key`,
    )
    .raw()
    .all(projectId) as Array<[Dimension, string, number, number, number, number]>;
  for (const [dimension, key, total, completed, completionMicroSum, rocMicroSum] of rows) {
    table[dimension].set(key, { total, completed, completionMicroSum, rocMicroSum });
  }
  return table;
}

/**
 * Weights in force on every date from `from` to today are today's, and no component can clamp —
 * the conditions under which summing credit events is exact.
 */
export function eventsAreExact(db: Db, projectId: number, configs: RocConfigRow[], from: string, today: string): boolean {
  if (configs.some((c) => c.effectiveDate > from && c.effectiveDate <= today && (c.projectId === null || c.projectId === projectId))) return false;
  const used = db
    .prepare('SELECT DISTINCT type, roc_config_id AS configId FROM components WHERE project_id = ?')
    .all(projectId) as Array<{ type: string; configId: number | null }>;
  for (const { type, configId } of used) {
    if ((resolveRocConfig(configs, projectId, type, from)?.id ?? null) !== configId) return false;
  }
  const weights = db
    .prepare(
      `SELECT sum(max(weight, 0)) AS positive, min(weight) AS lowest FROM roc_weights
       WHERE config_id IN (SELECT DISTINCT coalesce(roc_config_id, 0) FROM components WHERE project_id = ?)
       GROUP BY config_id`,
    )
    .all(projectId) as Array<{ positive: number; lowest: number }>;
  return weights.every((w) => w.positive <= 100 && w.lowest >= 0);
}

export function rollupsAsOf(db: Db, projectId: number, asOf: string, today: string): RollupTable {
  const configs = loadRocConfigs(db, projectId);
  if (eventsAreExact(db, projectId, configs, asOf, today)) {
    const fromEvents = rollupsFromEvents(db, projectId, asOf);
    if (fromEvents) return fromEvents;
  }
  return reconstructEveryComponent(db, projectId, asOf, configs);
}

function rollupsFromEvents(db: Db, projectId: number, asOf: string): RollupTable | null {
  const table = readRollups(db, projectId);
  const rows = db
    .prepare(
      `SELECT dimension, key,
              sum(CASE WHEN day <= @asOf THEN components_completed ELSE 0 END) AS completed,
              sum(CASE WHEN day <= @asOf THEN share_micro ELSE 0 END) AS share,
              sum(CASE WHEN day <= @asOf THEN earned_micro ELSE 0 END) AS earned,
              sum(earned_micro) AS earnedAll,
              sum(components_completed) AS completedAll
       FROM progress_daily WHERE project_id = @projectId
       GROUP BY dimension, key`,
    )
    .all({ projectId, asOf }) as Array<{ dimension: Dimension; key: string; completed: number; share: number; earned: number; earnedAll: number; completedAll: number }>;
  const seen: RollupTable = { area: new Map(), system: new Map(), test_package: new Map() };
  for (const r of rows) {
    const g = table[r.dimension].get(r.key);
    if (!g) {
      if (r.earnedAll !== 0 || r.completedAll !== 0) return null;
      continue;
    }
    // Events must add up to today's figures; if not, something clamps: reconstruct instead.
    if (r.earnedAll !== g.rocMicroSum || r.completedAll !== g.completed) return null;
    seen[r.dimension].set(r.key, { total: g.total, completed: r.completed, completionMicroSum: r.share, rocMicroSum: r.earned });
  }
  for (const d of DIMENSIONS) {
    for (const [key, g] of table[d]) {
      if (!seen[d].has(key)) {
        if (g.rocMicroSum !== 0 || g.completed !== 0) return null;
        seen[d].set(key, { total: g.total, completed: 0, completionMicroSum: 0, rocMicroSum: 0 });
      }
    }
  }
  return seen;
}

interface RawRow {
  id: number;
  area: string | null;
  system: string | null;
  testPackage: string | null;
  type: string;
  status: string;
  completionPercent: number;
  workflowType: WorkflowType;
  updatedAt: string;
  completedAt: string | null;
  name: string | null;
  isCompleted: number | null;
  milestoneCompletedAt: string | null;
  percentageValue: number | null;
  milestoneUpdatedAt: string | null;
  shareMicro: number | null;
}

export function reconstructEveryComponent(db: Db, projectId: number, asOf: string, configs: RocConfigRow[]): RollupTable {
  const table = readRollups(db, projectId);
  for (const d of DIMENSIONS) for (const g of table[d].values()) Object.assign(g, { completed: 0, completionMicroSum: 0, rocMicroSum: 0 });
  const bound = endOfDayBound(asOf);
  const weightCache = new Map<string, Readonly<Record<string, number>>>();
  const weightsOnDate = (type: string) => {
    let w = weightCache.get(type);
    if (!w) {
      w = resolveRocConfig(configs, projectId, type, asOf)?.weights ?? SYSTEM_DEFAULT_WEIGHTS;
      weightCache.set(type, w);
    }
    return w;
  };
  const stmt = db.prepare(
    `SELECT c.id, c.area, c.system, c.test_package AS testPackage, c.type, c.status,
            c.completion_percent AS completionPercent, c.workflow_type AS workflowType,
            c.updated_at AS updatedAt, c.completed_at AS completedAt,
            m.name, m.is_completed AS isCompleted, m.completed_at AS milestoneCompletedAt,
            m.percentage_value AS percentageValue, m.updated_at AS milestoneUpdatedAt, m.share_micro AS shareMicro
     FROM components c LEFT JOIN component_milestones m ON m.component_id = c.id
     WHERE c.project_id = ?
     ORDER BY c.id`,
  );
  let current: RawRow | null = null;
  let milestones: MilestoneState[] = [];
  let share = 0;
  const settle = () => {
    if (!current) return;
    const c = current;
    const recordedByD = c.updatedAt < bound;
    let roc = 0;
    let completion = share;
    if (c.workflowType === 'MILESTONE_QUANTITY') {
      roc = recordedByD ? toMicro(clamp(c.completionPercent, 0, 100)) : 0;
      completion = recordedByD ? toMicro(c.completionPercent) : 0;
    } else {
      roc = componentRocMicro(c.workflowType, c.completionPercent, milestones, weightsOnDate(c.type));
    }
    const completed = c.status === 'COMPLETED' && (c.completedAt ?? c.updatedAt) < bound ? 1 : 0;
    const keys: Record<Dimension, string> = { area: c.area ?? 'Unassigned', system: c.system ?? 'Unassigned', test_package: c.testPackage ?? 'Unassigned' };
    for (const d of DIMENSIONS) {
      const g = table[d].get(keys[d]);
      if (!g) continue;
      g.rocMicroSum += roc;
      g.completed += completed;
      g.completionMicroSum += completion;
    }
  };
  for (const row of stmt.iterate(projectId) as IterableIterator<RawRow>) {
    if (!current || current.id !== row.id) {
      settle();
      current = row;
      milestones = [];
      share = 0;
    }
    if (row.name === null) continue;
    const completedByD = row.isCompleted === 1 && row.milestoneCompletedAt !== null && row.milestoneCompletedAt < bound;
    const valueVisible = row.isCompleted === 0 && (row.milestoneUpdatedAt ?? '') < bound;
    milestones.push({ name: row.name, isCompleted: completedByD, percentageValue: valueVisible ? row.percentageValue : 0 });
    if (completedByD || valueVisible) share += row.shareMicro ?? 0;
  }
  settle();
  return table;
}
