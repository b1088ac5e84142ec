/**
 * Figures as of a past date D, reconstructed from credit events (migration 0001): a value
 * recorded after D is not visible on D. Per component as of D:
 * - a milestone counts as completed only if completed_at <= D; an open percentage milestone's
 *   value counts only if it was recorded (updated_at) by D; a quantity-workflow component's
 *   completion counts only if recorded (component updated_at) by D;
 * - ROC is the SPEC §4 sum of those credits with the weights in force on D, clamped;
 * - completed: status COMPLETED and its completion (completed_at, else updated_at) by D;
 * - completion percent: today's value when nothing about the component changed after D,
 *   otherwise the equal-share credit of its milestones as of D (quantity: as for ROC).
 * Only components with activity after D can differ from today's stored figures, so only those
 * are recomputed and their differences applied to the rollups — unless the configuration in
 * force on D differs from today's, in which case every component is recomputed.
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
      `SELECT dimension, key, total, completed, completion_micro_sum AS completionMicroSum, roc_micro_sum AS rocMicroSum
       FROM progress_rollups WHERE project_id = ?`,
    )
    .all(projectId) as Array<GroupFigures & { dimension: Dimension; key: string }>;
  for (const { dimension, key, ...figures } of rows) table[dimension].set(key, figures);
  return table;
}

function weightsFor(config: RocConfigRow | null): Readonly<Record<string, number>> {
  return config ? config.weights : SYSTEM_DEFAULT_WEIGHTS;
}

/** Today's resolution (stored per component) equals the one on D for every type in the project. */
function resolutionUnchanged(db: Db, projectId: number, configs: RocConfigRow[], asOf: string): boolean {
  const pairs = db
    .prepare('SELECT DISTINCT type, roc_config_id AS configId FROM components WHERE project_id = ?')
    .all(projectId) as Array<{ type: string; configId: number | null }>;
  return pairs.every(({ type, configId }) => (resolveRocConfig(configs, projectId, type, asOf)?.id ?? null) === configId);
}

export function rollupsAsOf(db: Db, projectId: number, asOf: string): RollupTable {
  const table = readRollups(db, projectId);
  const configs = loadRocConfigs(db);
  const bound = endOfDayBound(asOf);
  const everyComponent = !resolutionUnchanged(db, projectId, configs, asOf);

  const scope = everyComponent ? '' : 'AND c.last_activity_at >= @bound';
  const stmt = db.prepare(
    `SELECT c.id, c.area, c.system, c.test_package AS testPackage, c.type, c.status,
            c.completion_percent AS completionPercent, c.workflow_type AS workflowType,
            c.roc_micro AS rocMicro, c.updated_at AS updatedAt, c.completed_at AS completedAt,
            m.name, m.is_completed AS isCompleted, m.completed_at AS milestoneCompletedAt,
            m.percentage_value AS percentageValue, m.updated_at AS milestoneUpdatedAt
     FROM components c LEFT JOIN component_milestones m ON m.component_id = c.id
     WHERE c.project_id = @projectId ${scope}
     ORDER BY c.id`,
  );

  const weightCache = new Map<string, Readonly<Record<string, number>>>();
  const weightsOnDate = (type: string) => {
    let w = weightCache.get(type);
    if (!w) {
      w = weightsFor(resolveRocConfig(configs, projectId, type, asOf));
      weightCache.set(type, w);
    }
    return w;
  };

  let current: Row | null = null;
  let milestones: MilestoneState[] = [];
  let equalCredit = 0;

  const settle = () => {
    if (!current) return;
    const c = current;
    const recordedByD = c.updatedAt < bound;
    let rocAsOf: number;
    let completionAsOf: number;
    if (c.workflowType === 'MILESTONE_QUANTITY' || milestones.length === 0) {
      const visible = recordedByD ? c.completionPercent : 0;
      rocAsOf = c.workflowType === 'MILESTONE_QUANTITY' ? toMicro(clamp(visible, 0, 100)) : 0;
      completionAsOf = toMicro(visible);
    } else {
      rocAsOf = componentRocMicro(c.workflowType, c.completionPercent, milestones, weightsOnDate(c.type));
      completionAsOf = toMicro(clamp((equalCredit * 100) / milestones.length, 0, 100));
    }
    const completionNow = toMicro(c.completionPercent);
    if (!c.lastActivityAfter) completionAsOf = completionNow;
    const completedNow = c.status === 'COMPLETED' ? 1 : 0;
    const completedAsOf = completedNow && (c.completedAt ?? c.updatedAt) < bound ? 1 : 0;
    const dRoc = rocAsOf - c.rocMicro;
    const dCompleted = completedAsOf - completedNow;
    const dCompletion = completionAsOf - completionNow;
    if (dRoc === 0 && dCompleted === 0 && dCompletion === 0) return;
    const keys: Record<Dimension, string> = {
      area: c.area ?? 'Unassigned',
      system: c.system ?? 'Unassigned',
      test_package: c.testPackage ?? 'Unassigned',
    };
    for (const d of DIMENSIONS) {
      const g = table[d].get(keys[d]);
      if (!g) continue;
      g.rocMicroSum += dRoc;
      g.completed += dCompleted;
      g.completionMicroSum += dCompletion;
    }
  };

  for (const row of stmt.iterate({ projectId, bound }) as IterableIterator<RawRow>) {
    if (!current || current.id !== row.id) {
      settle();
      current = { ...row, lastActivityAfter: false };
      milestones = [];
      equalCredit = 0;
    }
    if (row.updatedAt >= bound) current.lastActivityAfter = true;
    if (row.name === null) continue;
    const completedByD = row.isCompleted === 1 && row.milestoneCompletedAt !== null && row.milestoneCompletedAt < bound;
    const valueVisible = !completedByD && row.isCompleted === 0 && (row.milestoneUpdatedAt ?? '') < bound;
    const pv = valueVisible ? row.percentageValue : 0;
    if ((row.milestoneUpdatedAt ?? '') >= bound || (row.milestoneCompletedAt ?? '') >= bound) current.lastActivityAfter = true;
    milestones.push({ name: row.name, isCompleted: completedByD, percentageValue: pv });
    equalCredit += completedByD ? 1 : row.workflowType === 'MILESTONE_PERCENTAGE' ? clamp(pv ?? 0, 0, 100) / 100 : 0;
  }
  settle();
  return table;
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
  rocMicro: number;
  updatedAt: string;
  completedAt: string | null;
  name: string | null;
  isCompleted: number | null;
  milestoneCompletedAt: string | null;
  percentageValue: number | null;
  milestoneUpdatedAt: string | null;
}

type Row = RawRow & { lastActivityAfter: boolean };
