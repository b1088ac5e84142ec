/**
 * progress_daily's events for a whole project (or all), summed in memory: each milestone's, and
 * each component's own (quantity progress on its updated day, completion). The SQL form grouped
 * every milestone by (project, area, system, test package, day): a sort of five million rows
 * with text keys, 22 s of a first sync's 70 s recomputation at 1M. Here each component is read
 * once, giving its area, system and test package and its own events, and milestones are read in
 * storage order and summed per (dimension value, day) in a hash: a few thousand keys, where
 * (area, system, test package, day) groups ran to millions on imported lists. The components'
 * events were two more grouped statements over every component and the three dimensions
 * (~3.5 s at 1M). The per-row figures (day, credit, share) are SQLite's own values, so the sums
 * are exact integers as before.
 *
 * The same read of the components gives progress_rollups and component_cube (addSummaries):
 * each component is summed into its (area, system, test package) group's cell of its type,
 * status and workflow, instead of a grouped statement sorting a million components by seven
 * keys (~4 s at 1M).
 */
import type { Db } from './connection';
import { ContributionDelta, milestoneEventDay } from './contributionDelta';

type GroupRow = [
  id: number, key: string, quantityDay: string | null, rocMicro: number, completionMicro: number, completedDay: string | null, testRequired: number, testPressure: number | null,
];
type GroupParts = [projectId: number, area: string, system: string, testPackage: string, type: string, status: string, workflow: string];
type MilestoneRow = [componentId: number, day: string, completed: number, earned: number, share: number];

/** Distinct (project, key) values of one dimension, and the milestone sums per (value, day). */
class DimensionSums {
  readonly values: Array<[number, string]> = [];
  private readonly valueIndex = new Map<string, number>();
  private readonly slotOf = new Map<number, number>();
  readonly slots: Array<[value: number, day: number, completions: number, earned: number, share: number, componentsCompleted: number]> = [];

  constructor(readonly dimension: 'area' | 'system' | 'test_package') {}

  valueOf(project: number, key: string): number {
    const k = `${project}|${key}`;
    let v = this.valueIndex.get(k);
    if (v === undefined) {
      v = this.values.length;
      this.values.push([project, key]);
      this.valueIndex.set(k, v);
    }
    return v;
  }

  add(value: number, day: number, completions: number, earned: number, share: number, componentsCompleted: number): void {
    // At most (milestones × components) distinct keys: well inside exact integers.
    const key = day * this.values.length + value;
    const slot = this.slotOf.get(key);
    if (slot === undefined) {
      this.slotOf.set(key, this.slots.length);
      this.slots.push([value, day, completions, earned, share, componentsCompleted]);
      return;
    }
    const s = this.slots[slot]!;
    s[2] += completions;
    s[3] += earned;
    s[4] += share;
    s[5] += componentsCompleted;
  }
}

/** One cell of a group: its components of one type, status and workflow. */
interface Cell {
  type: string;
  status: string;
  workflow: string;
  total: number;
  completed: number;
  completionMicro: number;
  rocMicro: number;
  testRequired: number;
  testPressureSum: number;
  testPressureCount: number;
}

/**
 * Adds the events of the project's components (all projects: null) and their milestones to
 * progress_daily, and their rollups and cube cells to progress_rollups and component_cube (which
 * must hold none of the project's rows).
 */
export function addSummaries(db: Db, projectId: number | null): void {
  const dimensions = [new DimensionSums('area'), new DimensionSums('system'), new DimensionSums('test_package')] as const;
  // A component's group: its value index under each dimension, shared by all its milestones.
  const groups: Array<[number, number, number]> = [];
  const groupIndex = new Map<string, number>();
  // By component id (dense from 1): a million-entry Map cost a hash lookup per milestone.
  let groupOf = new Int32Array(1024).fill(-1);
  const days: string[] = [];
  const dayIndex = new Map<string, number>();
  const dayOf = (day: string): number => {
    let d = dayIndex.get(day);
    if (d === undefined) {
      d = days.length;
      days.push(day);
      dayIndex.set(day, d);
    }
    return d;
  };
  // The components' own events, summed per day and group (the number of groups is known only
  // once all are read): [earned, share, components completed].
  const componentEvents = new Map<number, Map<number, [number, number, number]>>();
  const addComponentEvent = (day: string, g: number, earned: number, share: number, completed: number) => {
    const d = dayOf(day);
    let byGroup = componentEvents.get(d);
    if (byGroup === undefined) componentEvents.set(d, (byGroup = new Map()));
    const e = byGroup.get(g);
    if (e === undefined) byGroup.set(g, [earned, share, completed]);
    else {
      e[0] += earned;
      e[1] += share;
      e[2] += completed;
    }
  };
  // Each group's cells, one per type, status and workflow found in it.
  const cells: Cell[][] = [];
  // A component's group and cell come from one string SQLite builds of its project, area,
  // system, test package, type, status and workflow, each free text preceded by its length (status
  // and workflow come from fixed lists without ':'), so that no two differ in parts and agree in
  // the whole; its parts are read by id the first time that
  // key is seen, which makes its cell. Seven values per row taken into JavaScript and four keys
  // built from them cost the components' pass 4.2 s at 1M; one key, 3.3 s.
  const byKey = new Map<string, { g: number; cell: Cell }>();
  const partsOf = db.prepare(
    `SELECT project_id, coalesce(area, 'Unassigned'), coalesce(system, 'Unassigned'), coalesce(test_package, 'Unassigned'), type, status, workflow_type
     FROM components WHERE id = ?`,
  );
  const lengthAnd = (text: string) => `length(${text}) || ':' || ${text}`;
  const components = db.prepare(
    `SELECT id, project_id || ':' || ${["coalesce(area, 'Unassigned')", "coalesce(system, 'Unassigned')", "coalesce(test_package, 'Unassigned')", 'type'].map(lengthAnd).join(" || ':' || ")}
              || ':' || status || ':' || workflow_type,
            CASE WHEN workflow_type = 'MILESTONE_QUANTITY' THEN substr(updated_at, 1, 10) END, roc_micro, CAST(round(completion_percent * 1000000.0) AS INTEGER),
            CASE WHEN status = 'COMPLETED' THEN substr(coalesce(completed_at, updated_at), 1, 10) END, test_required, test_pressure
     FROM components ${projectId === null ? '' : 'WHERE project_id = ?'}`,
  );
  for (const [id, key, quantityDay, rocMicro, completionMicro, completedDay, testRequired, testPressure] of components
    .raw()
    .iterate(...(projectId === null ? [] : [projectId])) as IterableIterator<GroupRow>) {
    let at = byKey.get(key);
    if (at === undefined) {
      const [project, area, system, testPackage, type, status, workflow] = partsOf.raw().get(id) as GroupParts;
      const triple: [number, number, number] = [dimensions[0].valueOf(project, area), dimensions[1].valueOf(project, system), dimensions[2].valueOf(project, testPackage)];
      const k = triple.join(',');
      let g = groupIndex.get(k);
      if (g === undefined) {
        g = groups.length;
        groups.push(triple);
        groupIndex.set(k, g);
      }
      const cell: Cell = { type, status, workflow, total: 0, completed: 0, completionMicro: 0, rocMicro: 0, testRequired: 0, testPressureSum: 0, testPressureCount: 0 };
      (cells[g] ??= []).push(cell);
      at = { g, cell };
      byKey.set(key, at);
    }
    const { g, cell } = at;
    if (id >= groupOf.length) {
      const grown = new Int32Array(Math.max(id + 1, groupOf.length * 2)).fill(-1);
      grown.set(groupOf);
      groupOf = grown;
    }
    groupOf[id] = g;
    cell.total += 1;
    if (cell.status === 'COMPLETED') cell.completed += 1;
    cell.completionMicro += completionMicro;
    cell.rocMicro += rocMicro;
    cell.testRequired += testRequired;
    if (testPressure !== null) {
      cell.testPressureSum += testPressure;
      cell.testPressureCount += 1;
    }
    if (quantityDay !== null) addComponentEvent(quantityDay, g, rocMicro, completionMicro, 0);
    if (completedDay !== null) addComponentEvent(completedDay, g, 0, 0, 1);
  }

  const milestones = db.prepare(
    `SELECT component_id, ${milestoneEventDay('')},
            is_completed, earned_micro, share_micro
     FROM component_milestones WHERE is_completed = 1 OR earned_micro <> 0 OR share_micro <> 0`,
  );
  // Summed per (group, day) first, then spread over the three dimensions: one hash lookup per
  // milestone instead of three.
  const groupCount = Math.max(1, groups.length);
  const perGroupDay = new Map<number, [number, number, number, number]>();
  for (const [componentId, day, completed, earned, share] of milestones.raw().iterate() as IterableIterator<MilestoneRow>) {
    const g = componentId < groupOf.length ? (groupOf[componentId] as number) : -1;
    if (g < 0) continue; // another project's
    addEvent(perGroupDay, dayOf(day) * groupCount + g, completed, earned, share, 0);
  }
  for (const [d, byGroup] of componentEvents) for (const [g, [earned, share, completed]] of byGroup) addEvent(perGroupDay, d * groupCount + g, 0, earned, share, completed);
  for (const [key, [completions, earned, share, completed]] of perGroupDay) {
    const group = groups[key % groupCount]!;
    const d = Math.floor(key / groupCount);
    dimensions[0].add(group[0], d, completions, earned, share, completed);
    dimensions[1].add(group[1], d, completions, earned, share, completed);
    dimensions[2].add(group[2], d, completions, earned, share, completed);
  }

  const sums = new ContributionDelta(db);
  for (const dimension of dimensions) {
    for (const [v, d, completions, earned, share, completed] of dimension.slots) {
      const [project, key] = dimension.values[v]!;
      sums.addDaily(project, dimension.dimension, key, days[d]!, completions, earned, share, completed);
    }
  }
  addRollupsAndCube(sums, dimensions, groups, cells);
  sums.write();
}

/** progress_rollups per dimension value and component_cube per (area, system, type, status, workflow), from the groups' cells. */
function addRollupsAndCube(sums: ContributionDelta, dimensions: readonly DimensionSums[], groups: ReadonlyArray<[number, number, number]>, cells: ReadonlyArray<readonly Cell[] | undefined>): void {
  groups.forEach((group, g) => {
    const [project, area] = dimensions[0]!.values[group[0]]!;
    const system = dimensions[1]!.values[group[1]]![1];
    for (const c of cells[g] ?? []) {
      group.forEach((value, k) => sums.rollup(project, dimensions[k]!.dimension, dimensions[k]!.values[value]![1], c.total, c.completed, c.completionMicro, c.rocMicro));
      // Groups that differ only by test package add up in one cell.
      sums.addCubeCell([project, area, system, c.type, c.status, c.workflow], c.total, c.completed, c.completionMicro, c.rocMicro, c.testRequired, c.testPressureSum, c.testPressureCount);
    }
  });
}

/** Adds one (group, day)'s events: milestone completions, credit, share, components completed. */
function addEvent(sums: Map<number, [number, number, number, number]>, key: number, completions: number, earned: number, share: number, completed: number): void {
  const e = sums.get(key);
  if (e === undefined) sums.set(key, [completions, earned, share, completed]);
  else {
    e[0] += completions;
    e[1] += earned;
    e[2] += share;
    e[3] += completed;
  }
}
