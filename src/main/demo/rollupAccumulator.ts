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

/** progress_daily built in memory while rows are generated. */
export class DailyAccumulator {
  private readonly days = new Map<string, { completions: number; earned: number; components: number }>();

  private at(instant: string) {
    const day = instant.slice(0, 10);
    let d = this.days.get(day);
    if (!d) {
      d = { completions: 0, earned: 0, components: 0 };
      this.days.set(day, d);
    }
    return d;
  }

  /** A credit event: a completion (counted) or a recorded partial value / quantity. */
  milestone(at: string, earnedMicro: number, isCompletion: boolean): void {
    const d = this.at(at);
    if (isCompletion) d.completions += 1;
    d.earned += earnedMicro;
  }

  component(completedAt: string): void {
    this.at(completedAt).components += 1;
  }

  write(db: Db, projectId: number): void {
    const insert = db.prepare(
      `INSERT INTO progress_daily (project_id, day, milestone_completions, earned_micro, components_completed)
       VALUES (?, ?, ?, ?, ?)`,
    );
    for (const [day, d] of this.days) insert.run(projectId, day, d.completions, d.earned, d.components);
  }
}
