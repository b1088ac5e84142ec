import type { Db } from '../db/connection';
import { BatchInserter } from './batchInserter';

interface Sums {
  total: number;
  completed: number;
  completion: number;
  roc: number;
}

/** progress_rollups built in memory while rows are generated, instead of three GROUP BY scans. */
export class RollupAccumulator {
  private readonly groups = new Map<string, Sums>();

  add(area: string | null, system: string | null, testPackage: string | null, completed: boolean, completionMicro: number, rocMicro: number): void {
    const keys = [`area\u0000${area ?? 'Unassigned'}`, `system\u0000${system ?? 'Unassigned'}`, `test_package\u0000${testPackage ?? 'Unassigned'}`];
    for (const k of keys) {
      let g = this.groups.get(k);
      if (!g) {
        g = { total: 0, completed: 0, completion: 0, roc: 0 };
        this.groups.set(k, g);
      }
      g.total += 1;
      g.completed += completed ? 1 : 0;
      g.completion += completionMicro;
      g.roc += rocMicro;
    }
  }

  write(db: Db, projectId: number): void {
    const insert = db.prepare(
      `INSERT INTO progress_rollups (project_id, dimension, key, total, completed, completion_micro_sum, roc_micro_sum)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const [k, g] of this.groups) {
      const [dimension, key] = k.split('\u0000') as [string, string];
      insert.run(projectId, dimension, key, g.total, g.completed, g.completion, g.roc);
    }
  }
}

const DAY_OFFSET = 60;
const DAY_SPAN = 260;

interface DayArrays {
  completions: Int32Array;
  earned: Float64Array;
  share: Float64Array;
  componentsCompleted: Int32Array;
}

function dayArrays(): DayArrays {
  return {
    completions: new Int32Array(DAY_SPAN),
    earned: new Float64Array(DAY_SPAN),
    share: new Float64Array(DAY_SPAN),
    componentsCompleted: new Int32Array(DAY_SPAN),
  };
}

/** The three groups one component's events go to. */
export type EventTargets = readonly [DayArrays, DayArrays, DayArrays];

/**
 * progress_daily built in memory while rows are generated: one array per day for every area,
 * system and test package, filled as events are generated and written once at the end.
 */
export class DailyAccumulator {
  private readonly groups: Record<'area' | 'system' | 'test_package', Map<string, DayArrays>> = {
    area: new Map(),
    system: new Map(),
    test_package: new Map(),
  };

  constructor(private readonly dayString: (dayIndex: number) => string) {}

  private group(dimension: 'area' | 'system' | 'test_package', key: string | null): DayArrays {
    const k = key ?? 'Unassigned';
    let g = this.groups[dimension].get(k);
    if (!g) {
      g = dayArrays();
      this.groups[dimension].set(k, g);
    }
    return g;
  }

  targets(area: string | null, system: string | null, testPackage: string | null): EventTargets {
    return [this.group('area', area), this.group('system', system), this.group('test_package', testPackage)];
  }

  private index(day: number): number {
    const i = day + DAY_OFFSET;
    if (i < 0 || i >= DAY_SPAN) throw new RangeError(`demo day ${day} outside the generated history`);
    return i;
  }

  event(targets: EventTargets, day: number, isCompletion: boolean, earnedMicro: number, shareMicro: number): void {
    const i = this.index(day);
    for (const g of targets) {
      if (isCompletion) g.completions[i] = (g.completions[i] as number) + 1;
      g.earned[i] = (g.earned[i] as number) + earnedMicro;
      g.share[i] = (g.share[i] as number) + shareMicro;
    }
  }

  componentCompleted(targets: EventTargets, day: number): void {
    const i = this.index(day);
    for (const g of targets) g.componentsCompleted[i] = (g.componentsCompleted[i] as number) + 1;
  }

  write(db: Db, projectId: number): void {
    const insert = new BatchInserter(db, 'progress_daily', [
      'project_id', 'dimension', 'key', 'day', 'milestone_completions', 'earned_micro', 'share_micro', 'components_completed',
    ], 250);
    for (const dimension of ['area', 'system', 'test_package'] as const) {
      for (const [key, g] of this.groups[dimension]) {
        for (let i = 0; i < DAY_SPAN; i++) {
          const n = g.completions[i] as number;
          const e = g.earned[i] as number;
          const sh = g.share[i] as number;
          const cc = g.componentsCompleted[i] as number;
          if (n === 0 && e === 0 && sh === 0 && cc === 0) continue;
          insert.add([projectId, dimension, key, this.dayString(i - DAY_OFFSET), n, e, sh, cc]);
        }
      }
    }
    insert.flush();
  }
}

/** component_cube built in memory while rows are generated. */
export class CubeAccumulator {
  private readonly cells = new Map<string, { key: string[]; v: number[] }>();

  add(area: string | null, system: string | null, type: string, status: string, workflow: string, completionMicro: number, rocMicro: number, testRequired: number, testPressure: number | null): void {
    const key = [area ?? 'Unassigned', system ?? 'Unassigned', type, status, workflow];
    const id = key.join('\u0000');
    let cell = this.cells.get(id);
    if (!cell) {
      cell = { key, v: [0, 0, 0, 0, 0, 0, 0] };
      this.cells.set(id, cell);
    }
    const v = cell.v as [number, number, number, number, number, number, number];
    v[0] += 1;
    v[1] += status === 'COMPLETED' ? 1 : 0;
    v[2] += completionMicro;
    v[3] += rocMicro;
    v[4] += testRequired;
    v[5] += testPressure ?? 0;
    v[6] += testPressure === null ? 0 : 1;
  }

  write(db: Db, projectId: number): void {
    const insert = db.prepare('INSERT INTO component_cube VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const { key, v } of this.cells.values()) insert.run(projectId, ...key, ...v);
  }
}
