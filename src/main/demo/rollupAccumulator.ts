import type { Db } from '../db/connection';

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

const DAY_OFFSET = 400;
const DAY_SPAN = 800;

interface ComboDays {
  area: string;
  system: string;
  testPackage: string;
  completions: Int32Array;
  earned: Float64Array;
  share: Float64Array;
  componentsCompleted: Int32Array;
}

/**
 * progress_daily built in memory while rows are generated: events are summed per
 * (area, system, test package) combination and day index, then fanned out to the three
 * dimensions once at the end.
 */
export class DailyAccumulator {
  private readonly combos = new Map<string, ComboDays>();

  constructor(private readonly dayString: (dayIndex: number) => string) {}

  combo(area: string | null, system: string | null, testPackage: string | null): ComboDays {
    const a = area ?? 'Unassigned';
    const s = system ?? 'Unassigned';
    const t = testPackage ?? 'Unassigned';
    const key = `${a}\u0000${s}\u0000${t}`;
    let c = this.combos.get(key);
    if (!c) {
      c = {
        area: a,
        system: s,
        testPackage: t,
        completions: new Int32Array(DAY_SPAN),
        earned: new Float64Array(DAY_SPAN),
        share: new Float64Array(DAY_SPAN),
        componentsCompleted: new Int32Array(DAY_SPAN),
      };
      this.combos.set(key, c);
    }
    return c;
  }

  event(c: ComboDays, day: number, isCompletion: boolean, earnedMicro: number, shareMicro: number): void {
    const i = day + DAY_OFFSET;
    if (isCompletion) c.completions[i] = (c.completions[i] as number) + 1;
    c.earned[i] = (c.earned[i] as number) + earnedMicro;
    c.share[i] = (c.share[i] as number) + shareMicro;
  }

  componentCompleted(c: ComboDays, day: number): void {
    const i = day + DAY_OFFSET;
    c.componentsCompleted[i] = (c.componentsCompleted[i] as number) + 1;
  }

  write(db: Db, projectId: number): void {
    const rows = new Map<string, [string, string, number, number, number, number, number]>();
    for (const c of this.combos.values()) {
      for (let i = 0; i < DAY_SPAN; i++) {
        const n = c.completions[i] as number;
        const e = c.earned[i] as number;
        const sh = c.share[i] as number;
        const cc = c.componentsCompleted[i] as number;
        if (n === 0 && e === 0 && sh === 0 && cc === 0) continue;
        for (const [dimension, key] of [['area', c.area], ['system', c.system], ['test_package', c.testPackage]] as const) {
          const k = `${dimension}\u0000${key}\u0000${i}`;
          const r = rows.get(k);
          if (r) {
            r[3] += n;
            r[4] += e;
            r[5] += sh;
            r[6] += cc;
          } else rows.set(k, [dimension, key, i - DAY_OFFSET, n, e, sh, cc]);
        }
      }
    }
    const insert = db.prepare(
      `INSERT INTO progress_daily (project_id, dimension, key, day, milestone_completions, earned_micro, share_micro, components_completed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const [dimension, key, day, n, e, sh, cc] of rows.values()) insert.run(projectId, dimension, key, this.dayString(day), n, e, sh, cc);
  }
}
