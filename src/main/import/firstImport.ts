/**
 * An import whose list shares no tag with the project's components (a first import, or one's
 * own list over the demo): the project's components are removed, every row is new, and each
 * component's figures (ROC, completion date, counts) and each milestone's credit and share are
 * computed in memory as the rows are written, instead of written once and then recomputed over
 * the whole project. The milestones are checked first, to learn each component's figures, and
 * written after the components with their own, because a milestone's share depends on how many
 * milestones its component has; the checked rows are kept in typed arrays between the two (the
 * file is read again only when they are too varied to keep). Must run inside the import's
 * transaction with the triggers lifted; the result equals the general path's (the tests
 * compare the two).
 */
import type { Db } from '../db/connection';
import { bumpDataVersion, resolvedWeights } from '../db/bulkWrites';
import { ContributionDelta } from '../db/contributionDelta';
import { BatchedInsert, ROWS_PER_STATEMENT } from '../db/batchedInsert';
import { liftIndexes } from '../db/liftedIndexes';
import { checkMilestoneRows } from './milestoneImport';
import { CheckedMilestoneColumns, type KeptMilestone } from './checkedMilestoneColumns';
import type { RowSource } from './csvRead';

/** A component row of the list, checked (componentImport's Incoming). */
export interface NewComponent {
  tag: string;
  type: string;
  status: string;
  completion: number;
  drawing: string | null;
  text: { displayId: string | null; area: string | null; system: string | null; testPackage: string | null; spec: string | null; size: string | null; material: string | null };
}

/** The general path must run instead: the milestones hold a problem it reports in full. */
export class NeedsGeneralPath extends Error {}

/** Whether the rows can be read a second time (without starting to read them). */
export function canReread(source: RowSource): boolean {
  return Array.isArray(source.rows) || source.reread !== undefined;
}

/** A file's rows from the start again, when they can be read more than once. */
export function rowsAgain(source: RowSource): Iterable<{ line: number; cells: string[] }> | null {
  if (Array.isArray(source.rows)) return source.rows as Array<{ line: number; cells: string[] }>;
  return source.reread ? source.reread() : null;
}

export interface FirstImportCounts {
  components: number;
  milestones: number;
  /** The project's components before, removed. */
  removed: number;
}

/**
 * Replaces the components of project `projectId` (none of whose tags `incoming` holds) with
 * `incoming` and the milestones. Throws
 * NeedsGeneralPath (having written nothing) when a milestone row has a problem or a duplicate,
 * so the caller can roll back to its savepoint and let the general path list every problem.
 */
export function writeFirstImport(db: Db, projectId: number, incoming: readonly NewComponent[], milestones: RowSource | undefined, at: string, kept = new CheckedMilestoneColumns()): FirstImportCounts {
  const n = incoming.length;
  const position = new TagPositions(incoming);
  const configs = resolvedWeights(db, projectId, incoming.map((r) => r.type));
  const weightsOf = incoming.map((r) => configs.get(r.type)?.weights ?? new Map<string, number>());

  // Pass 1: check every milestone and sum what its component needs.
  const total = new Int32Array(n);
  const done = new Int32Array(n);
  const earned = new Float64Array(n);
  const lastCompleted: Array<string | null> = new Array<string | null>(n).fill(null);
  let rows = 0;
  if (milestones) {
    const check = checkMilestoneRows(milestones, milestones.rows, (tag) => position.of(tag) >= 0);
    for (const m of check.rows) {
      if (m.bad) throw new NeedsGeneralPath();
      const i = position.of(m.tag);
      kept.add(i, m);
      rows += 1;
      total[i] = (total[i] as number) + 1;
      if (!m.completed) continue;
      const on = m.at ?? at;
      done[i] = (done[i] as number) + 1;
      earned[i] = (earned[i] as number) + (weightsOf[i]?.get(m.name) ?? 0);
      const last = lastCompleted[i];
      if (last === null || last === undefined || on > last) lastCompleted[i] = on;
    }
    if (check.problems.length > 0) throw new NeedsGeneralPath();
  }

  // Their milestones go with them (ON DELETE CASCADE); the project's summed figures are written anew below.
  const removed = db.prepare('DELETE FROM components WHERE project_id = ?').run(projectId).changes;
  for (const table of ['progress_rollups', 'progress_daily', 'component_cube']) db.prepare(`DELETE FROM ${table} WHERE project_id = ?`).run(projectId);
  const sums = new ProjectSums(projectId);

  // The components, with their figures final (the maintained columns of recomputeFigures).
  const drawings = new Map((db.prepare('SELECT id, number FROM drawings WHERE project_id = ?').all(projectId) as Array<{ id: number; number: string }>).map((d) => [d.number, d.id]));
  const addDrawing = db.prepare('INSERT INTO drawings (project_id, number) VALUES (?, ?)');
  const insert = new BatchedInsert(db, 'components', ['id', 'tag', 'type', 'status', 'completion_percent', 'drawing_id', 'display_id', 'area', 'system', 'test_package', 'spec', 'size', 'material',
    'roc_config_id', 'roc_micro', 'completed_at', 'last_activity_at', 'milestones_total', 'milestones_completed'], 32, { project_id: projectId, created_at: at, updated_at: at });
  // The ids SQLite would give one by one (the largest so far plus one), given here so that rows
  // can go several to a statement.
  const firstId = (db.prepare('SELECT coalesce(max(id), 0) + 1 FROM components').pluck().get() as number);
  // A large list goes in faster without the secondary indexes, which are then built once from
  // the table (a sort, not a million random inserts into each; 21 → 17 s at a million). Inside
  // the transaction, so a crash leaves them as they were. Not when other projects hold most rows.
  // Kept: the ones new rows extend at their end (all share one updated_at; drawings are numbered
  // as the list first names them; no imported row has a source id), cheaper kept than rebuilt.
  const others = db.prepare('SELECT count(*) FROM components').pluck().get() as number;
  const restoreIndexes = n >= 100_000 && n >= 2 * others ? liftIndexes(db, 'components', ['idx_components_updated', 'idx_components_drawing', 'idx_components_source']) : () => undefined;

  for (let i = 0; i < n; i++) {
    const r = incoming[i] as NewComponent;
    let drawing: number | null = null;
    if (r.drawing !== null) {
      drawing = drawings.get(r.drawing) ?? null;
      if (drawing === null) {
        drawing = Number(addDrawing.run(projectId, r.drawing).lastInsertRowid);
        drawings.set(r.drawing, drawing);
      }
    }
    const last = lastCompleted[i] ?? null;
    const t = r.text;
    // Imported components follow the discrete workflow (the column's default): ROC is the
    // credit of the completed milestones, clamped to 0–100 %.
    const roc = Math.max(0, Math.min(100_000_000, earned[i] as number));
    const completedAt = (total[i] as number) > 0 && done[i] === total[i] ? last : null;
    insert.add(firstId + i, r.tag, r.type, r.status, r.completion, drawing, t.displayId, t.area, t.system, t.testPackage, t.spec, t.size, t.material,
      configs.get(r.type)?.configId ?? null, roc, completedAt, last !== null && last > at ? last : at, total[i] as number, done[i] as number);
    sums.component(i, r, roc, r.status === 'COMPLETED' ? (completedAt ?? at) : null);
  }
  insert.flush();
  restoreIndexes();

  // Pass 2: the milestones, each with its credit and its share of its component.
  if (milestones && rows > 0) {
    const add = new BatchedInsert(db, 'component_milestones', ['component_id', 'name', 'milestone_order', 'is_completed', 'completed_at', 'completed_by', 'percentage_value', 'earned_micro', 'share_micro'], ROWS_PER_STATEMENT, { updated_at: at, project_id: projectId });
    let written = 0;
    duplicateMeansGeneralPath(() => {
      for (const m of kept.kept() ? kept.read() : checkedAgain(milestones, position)) {
        const i = m.component;
        // SQLite's round(x) for x ≥ 0 is trunc(x + 0.5): the same doubles give the same integer.
        const share = m.completed ? Math.trunc(100_000_000 / (total[i] as number) + 0.5) : 0;
        const earnedMicro = m.completed ? (weightsOf[i]?.get(m.name) ?? 0) : 0;
        add.add(firstId + i, m.name, m.order, m.completed ? 1 : 0, m.completed ? (m.at ?? at) : null, m.completedBy, m.percent, earnedMicro, share);
        written += 1;
        if (m.completed) sums.milestone(i, m.at ?? at, earnedMicro, share);
      }
      add.flush();
    });
    if (written !== rows) throw new Error(`the milestones file read ${rows} rows, then ${written}`);
  }

  sums.write(db);
  bumpDataVersion(db, projectId);
  return { components: n, milestones: rows, removed };
}

/** The milestones read and checked again, when they were too varied to keep. */
function* checkedAgain(milestones: RowSource, position: TagPositions): Generator<KeptMilestone> {
  const again = rowsAgain(milestones);
  if (!again) throw new Error('writeFirstImport needs milestones it can read twice');
  const row: KeptMilestone = { component: 0, name: '', order: 0, completed: false, at: null, completedBy: null, percent: null };
  for (const m of checkMilestoneRows(milestones, again, (tag) => position.of(tag) >= 0).rows) {
    row.component = position.of(m.tag);
    row.name = m.name;
    row.order = m.order;
    row.completed = m.completed;
    row.at = m.at;
    row.completedBy = m.completedBy;
    row.percent = m.percent;
    yield row;
  }
}

/** Each tag's position in the list. A milestones file lists a component's milestones one after
    another, so the last answer is kept: one map lookup per component rather than per row. */
class TagPositions {
  private readonly positions = new Map<string, number>();
  private lastTag: string | null = null;
  private last = -1;

  constructor(incoming: readonly NewComponent[]) {
    incoming.forEach((r, i) => this.positions.set(r.tag, i));
  }

  /** -1 when the list does not hold the tag. */
  of(tag: string): number {
    if (tag === this.lastTag) return this.last;
    const i = this.positions.get(tag);
    if (i === undefined) return -1;
    this.lastTag = tag;
    this.last = i;
    return i;
  }
}

/** A milestone named twice for a component: the general path lists where. */
function duplicateMeansGeneralPath(write: () => void): void {
  try {
    write();
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new NeedsGeneralPath();
    throw err;
  }
}

interface CubeCell {
  total: number;
  completed: number;
  completionMicro: number;
  roc: number;
}

/**
 * The project's rollups, daily events and cube, summed as the rows are written: the figures of
 * rebuildSummaries (bulkWrites.ts) for a project whose components
 * all follow the discrete workflow, without reading five million milestones back. Components
 * are summed per (area, system, test package) group first, milestones per (group, date).
 */
class ProjectSums {
  /** area -> system -> test package -> group number. */
  private readonly groupIndex = new Map<string, Map<string, Map<string, number>>>();
  private readonly groups: Array<{ keys: [string, string, string]; total: number; completed: number; completionMicro: number; roc: number; cube: Map<string, Map<string, CubeCell>> }> = [];
  /** The last component's group: a list sorted by tag names the same group row after row. */
  private last: { area: string; system: string; testPackage: string; g: number } | null = null;
  private groupOf = new Int32Array(1024);
  private readonly completions = new Map<string, number>();
  private readonly dayIndex = new Map<string, number>();
  private readonly days: string[] = [];
  private readonly events = new Map<number, [number, number, number]>();

  constructor(private readonly projectId: number) {}

  component(i: number, r: NewComponent, roc: number, completedOn: string | null): void {
    const g = this.groupOfComponent(r.text.area ?? 'Unassigned', r.text.system ?? 'Unassigned', r.text.testPackage ?? 'Unassigned');
    if (i >= this.groupOf.length) {
      const grown = new Int32Array(Math.max(i + 1, this.groupOf.length * 2));
      grown.set(this.groupOf);
      this.groupOf = grown;
    }
    this.groupOf[i] = g;
    const completed = r.status === 'COMPLETED' ? 1 : 0;
    // SQLite's CAST(round(x) AS INTEGER) for x ≥ 0 is trunc(x + 0.5) on the same double.
    const completionMicro = Math.trunc(r.completion * 1_000_000 + 0.5);
    const group = this.groups[g] as ProjectSums['groups'][number];
    group.total += 1;
    group.completed += completed;
    group.completionMicro += completionMicro;
    group.roc += roc;
    if (completedOn !== null) {
      const ck = `${g}|${completedOn.slice(0, 10)}`;
      this.completions.set(ck, (this.completions.get(ck) ?? 0) + 1);
    }
    let byStatus = group.cube.get(r.type);
    if (byStatus === undefined) group.cube.set(r.type, (byStatus = new Map()));
    const c = byStatus.get(r.status);
    if (c === undefined) byStatus.set(r.status, { total: 1, completed, completionMicro, roc });
    else {
      c.total += 1;
      c.completed += completed;
      c.completionMicro += completionMicro;
      c.roc += roc;
    }
  }

  private groupOfComponent(area: string, system: string, testPackage: string): number {
    const last = this.last;
    if (last !== null && last.area === area && last.system === system && last.testPackage === testPackage) return last.g;
    let systems = this.groupIndex.get(area);
    if (systems === undefined) this.groupIndex.set(area, (systems = new Map()));
    let packages = systems.get(system);
    if (packages === undefined) systems.set(system, (packages = new Map()));
    let g = packages.get(testPackage);
    if (g === undefined) {
      g = this.groups.length;
      this.groups.push({ keys: [area, system, testPackage], total: 0, completed: 0, completionMicro: 0, roc: 0, cube: new Map() });
      packages.set(testPackage, g);
    }
    this.last = { area, system, testPackage, g };
    return g;
  }

  /** A completed milestone of component `i` on `at` (an ISO date-time). */
  milestone(i: number, at: string, earned: number, share: number): void {
    let d = this.dayIndex.get(at);
    if (d === undefined) {
      d = this.days.length;
      this.days.push(at.slice(0, 10));
      this.dayIndex.set(at, d);
    }
    const key = d * this.groups.length + (this.groupOf[i] as number);
    const e = this.events.get(key);
    if (e === undefined) this.events.set(key, [1, earned, share]);
    else {
      e[0] += 1;
      e[1] += earned;
      e[2] += share;
    }
  }

  write(db: Db): void {
    const delta = new ContributionDelta(db);
    const dimensions = ['area', 'system', 'test_package'] as const;
    const p = this.projectId;
    for (const g of this.groups) dimensions.forEach((dimension, k) => delta.rollup(p, dimension, g.keys[k] as string, g.total, g.completed, g.completionMicro, g.roc));
    for (const [key, [n, e, s]] of this.events) {
      const g = this.groups[key % this.groups.length] as ProjectSums['groups'][number];
      const day = this.days[Math.floor(key / this.groups.length)] as string;
      dimensions.forEach((dimension, k) => delta.addDaily(p, dimension, g.keys[k] as string, day, n, e, s, 0));
    }
    for (const [key, count] of this.completions) {
      const bar = key.indexOf('|');
      const g = this.groups[Number(key.slice(0, bar))] as ProjectSums['groups'][number];
      dimensions.forEach((dimension, k) => delta.addDaily(p, dimension, g.keys[k] as string, key.slice(bar + 1), 0, 0, 0, count));
    }
    delta.write();
    // One cell per (area, system, type, status): groups that differ only by test package add up.
    const cube = db.prepare(`INSERT INTO component_cube (project_id, area, system, type, status, workflow_type, total, completed, completion_micro_sum, roc_micro_sum, test_required_sum, test_pressure_sum, test_pressure_count)
      VALUES (?, ?, ?, ?, ?, 'MILESTONE_DISCRETE', ?, ?, ?, ?, 0, 0, 0)
      ON CONFLICT (project_id, area, system, type, status, workflow_type) DO UPDATE SET
        total = total + excluded.total, completed = completed + excluded.completed,
        completion_micro_sum = completion_micro_sum + excluded.completion_micro_sum, roc_micro_sum = roc_micro_sum + excluded.roc_micro_sum`);
    for (const { keys, cube: byType } of this.groups) {
      for (const [type, byStatus] of byType) {
        for (const [status, c] of byStatus) cube.run(p, keys[0], keys[1], type, status, c.total, c.completed, c.completionMicro, c.roc);
      }
    }
  }
}
