/**
 * progress_daily's milestone events for a whole project (or all), summed in memory. The SQL
 * form grouped every milestone by (project, area, system, test package, day): a sort of five
 * million rows with text keys, 22 s of a first sync's 70 s recomputation at 1M. Here each
 * component is mapped once to its (project, area, system, test package) group, milestones are
 * read in storage order and summed per (group, day) in a hash, and only those sums are spread
 * over the three dimensions. The per-row figures (day, credit, share) are SQLite's own values,
 * so the sums are exact integers as before.
 */
import type { Db } from './connection';
import { DailySums } from './contributionDelta';

type GroupRow = [id: number, projectId: number, area: string, system: string, testPackage: string];
type MilestoneRow = [componentId: number, day: string, completed: number, earned: number, share: number];

/** Adds the milestone events of the project's components (all projects: null) to progress_daily. */
export function addMilestoneDaily(db: Db, projectId: number | null): void {
  const groups: Array<[number, string, string, string]> = [];
  const groupIndex = new Map<string, number>();
  const groupOf = new Map<number, number>();
  const components = db.prepare(
    `SELECT id, project_id, coalesce(area, 'Unassigned'), coalesce(system, 'Unassigned'), coalesce(test_package, 'Unassigned')
     FROM components ${projectId === null ? '' : 'WHERE project_id = ?'}`,
  );
  for (const [id, project, area, system, testPackage] of components.raw().iterate(...(projectId === null ? [] : [projectId])) as IterableIterator<GroupRow>) {
    const k = `${project}|${area.length}|${area}|${system.length}|${system}|${testPackage}`;
    let g = groupIndex.get(k);
    if (g === undefined) {
      g = groups.length;
      groups.push([project, area, system, testPackage]);
      groupIndex.set(k, g);
    }
    groupOf.set(id, g);
  }
  const groupCount = Math.max(1, groups.length);

  const days: string[] = [];
  const dayIndex = new Map<string, number>();
  const slotOf = new Map<number, number>();
  const slots: Array<[group: number, day: number, completions: number, earned: number, share: number]> = [];
  const milestones = db.prepare(
    `SELECT component_id, substr(CASE WHEN is_completed = 1 THEN coalesce(completed_at, updated_at) ELSE updated_at END, 1, 10),
            is_completed, earned_micro, share_micro
     FROM component_milestones WHERE is_completed = 1 OR earned_micro <> 0 OR share_micro <> 0`,
  );
  for (const [componentId, day, completed, earned, share] of milestones.raw().iterate() as IterableIterator<MilestoneRow>) {
    const g = groupOf.get(componentId);
    if (g === undefined) continue; // another project's
    let d = dayIndex.get(day);
    if (d === undefined) {
      d = days.length;
      days.push(day);
      dayIndex.set(day, d);
    }
    // At most (milestones × components) distinct keys: well inside exact integers.
    const key = d * groupCount + g;
    const slot = slotOf.get(key);
    if (slot === undefined) {
      slotOf.set(key, slots.length);
      slots.push([g, d, completed, earned, share]);
    } else {
      const s = slots[slot]!;
      s[2] += completed;
      s[3] += earned;
      s[4] += share;
    }
  }

  const sums = new DailySums();
  for (const [g, d, completions, earned, share] of slots) {
    const [project, area, system, testPackage] = groups[g]!;
    const day = days[d]!;
    sums.add(project, 'area', area, day, completions, earned, share, 0);
    sums.add(project, 'system', system, day, completions, earned, share, 0);
    sums.add(project, 'test_package', testPackage, day, completions, earned, share, 0);
  }
  sums.write(db);
}
