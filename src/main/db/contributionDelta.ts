/**
 * The touched components' share of progress_rollups, progress_daily and component_cube, taken
 * before a batch is written (sign -1) and after it (sign +1), netted in memory, and written as one
 * upsert per key whose figures really moved. A milestone completed today moves two days of one
 * test package; taking every touched component's whole share out of the tables and putting it
 * back (the set-based statements this replaces) regrouped and rewrote all of it twice per batch.
 *
 * Every per-row figure is computed by SQLite with the same expressions as the rebuild statements
 * (bulkWrites.ts), so only sums happen here: of integers, exact in any order, but for the cube's
 * test pressures (see addCube).
 */
import type { Db } from './connection';
import type { ComponentFigures } from './figuresByDifference';

const DIMENSIONS = ['area', 'system', 'test_package'] as const;

/** The day a milestone's credit event falls on (the daily triggers' rule); `prefix` is 'm.' or ''. */
export const milestoneEventDay = (prefix: string) =>
  `substr(CASE WHEN ${prefix}is_completed = 1 THEN coalesce(${prefix}completed_at, ${prefix}updated_at) ELSE ${prefix}updated_at END, 1, 10)`;

/** [project, dimension, key, total, completed, completion micro, ROC micro] */
type RollupEntry = [number, string, string, number, number, number, number];
/** [project, dimension, key, day, milestone completions, earned micro, share micro, components completed] */
type DailyEntry = [number, string, string, string, number, number, number, number];

/** A cube cell's keys: project, area, system, type, status, workflow. */
type CubeKeys = [number, string, string, string, string, string];
/** [project, area, system, type, status, workflow, total, completed, completion micro, ROC micro, tests required, test pressure sum, test pressures] */
type CubeEntry = [number, string, string, string, string, string, number, number, number, number, number, number, number];

/** A component's keys under the three dimensions, and the figures it contributes (to the cube too). */
export type ComponentRow = [
  projectId: number,
  area: string,
  system: string,
  testPackage: string,
  completed: number,
  completionMicro: number,
  rocMicro: number,
  quantityDay: string | null,
  completedDay: string | null,
  type: string,
  status: string,
  workflow: string,
  testRequired: number,
  testPressure: number | null,
];
/** A component's milestone events of one day. */
export type MilestoneRow = [projectId: number, area: string, system: string, testPackage: string, day: string, completions: number, earned: number, share: number];
/** A touched component as read: its row (keys and contribution), the figures it holds, its updated-at. */
export interface TouchedComponent {
  row: ComponentRow;
  figures: ComponentFigures;
  updatedAt: string;
}

/** A component's keys: its project, area, system and test package (its milestones' events' too). */
const COMPONENT_KEYS = `c.project_id, coalesce(c.area, 'Unassigned'), coalesce(c.system, 'Unassigned'), coalesce(c.test_package, 'Unassigned')`;

/** The touched components (`list`: all of them, or those recomputed after a milestone batch), with the figures figuresByDifference starts from. */
const componentsSql = (list: 'touched_components' | 'regraded') => `
  SELECT c.id, ${COMPONENT_KEYS},
         c.status = 'COMPLETED', CAST(round(c.completion_percent * 1000000.0) AS INTEGER), c.roc_micro,
         CASE WHEN c.workflow_type = 'MILESTONE_QUANTITY' THEN substr(c.updated_at, 1, 10) END,
         CASE WHEN c.status = 'COMPLETED' THEN substr(coalesce(c.completed_at, c.updated_at), 1, 10) END,
         c.type, c.status, c.workflow_type, c.test_required, c.test_pressure,
         c.completed_at, c.last_activity_at, c.milestones_total, c.milestones_completed, c.updated_at
  FROM temp.${list} t CROSS JOIN components c ON c.id = t.id`;

// Grouped per component and day first: a component's milestones mostly share a few days.
const MILESTONES_SQL = `
  SELECT ${COMPONENT_KEYS}, x.day, x.n, x.e, x.s
  FROM (SELECT m.component_id AS id,
               ${milestoneEventDay('m.')} AS day,
               sum(m.is_completed) AS n, sum(m.earned_micro) AS e, sum(m.share_micro) AS s
        FROM temp.touched_components t CROSS JOIN component_milestones m ON m.component_id = t.id
        WHERE m.is_completed = 1 OR m.earned_micro <> 0 OR m.share_micro <> 0
        GROUP BY m.component_id, day) x
  CROSS JOIN components c ON c.id = x.id`;

// One row per milestone with these source ids (writeWithDeltas with a batch of milestones): its
// local id and component, and its events (the component's keys come from takeComponents); its
// own and its component's source ids tell the sync which rows it can write by local id.
const BATCH_SQL = `
  SELECT m.id, m.component_id, ${milestoneEventDay('m.')}, m.is_completed, m.earned_micro, m.share_micro, m.completed_at, m.updated_at,
         m.source_id, c.source_id
  FROM component_milestones m LEFT JOIN components c ON c.id = m.component_id WHERE m.source_id IN (SELECT value FROM json_each(?))`;

/** A batch's milestone as read before its write. */
export type BatchRow = [componentId: number, day: string, completions: number, earned: number, share: number, completedAt: string | null, updatedAt: string];
/** A batch's milestones as read before its write, by local id. */
export type BatchBefore = Map<number, BatchRow>;
/** A batch's milestone that exists locally: its local id, its component's local and source ids. */
export type KnownMilestone = readonly [id: number, componentId: number, componentSource: string | null];

export interface BatchRead {
  rows: BatchBefore;
  /** The same rows by their own source id. */
  bySource: Map<string, KnownMilestone>;
}

/** Reads a batch's milestones by source id (those that exist yet). */
export function readBatch(db: Db, sources: readonly string[]): BatchRead {
  const rows: BatchBefore = new Map();
  const bySource = new Map<string, KnownMilestone>();
  type Read = [number, number, string, number, number, number, string | null, string, string, string | null];
  for (const [id, componentId, day, completions, earned, share, completedAt, updatedAt, source, componentSource] of db.prepare(BATCH_SQL).raw().iterate(JSON.stringify(sources)) as IterableIterator<Read>) {
    rows.set(id, [componentId, day, completions, earned, share, completedAt, updatedAt]);
    bySource.set(source, [id, componentId, componentSource]);
  }
  return { rows, bySource };
}

/** What a milestone upsert returns of each row it writes, for takeBatchAfter. */
export const WRITTEN_MILESTONE = `RETURNING id, component_id, ${milestoneEventDay('')}, is_completed, earned_micro, share_micro, completed_at, updated_at`;
export type WrittenMilestone = [id: number, componentId: number, day: string, completions: number, earned: number, share: number, completedAt: string | null, updatedAt: string];

// The milestones whose credit or share the recomputation changed (temp.milestone_figures), after
// they were read: same day, same completion, the difference in credit and share.
const RECOMPUTED_SQL = `
  SELECT ${COMPONENT_KEYS},
         ${milestoneEventDay('m.')}, 0, f.earned - f.was_earned, f.share - f.was_share
  FROM temp.milestone_figures f CROSS JOIN component_milestones m ON m.id = f.id CROSS JOIN components c ON c.id = m.component_id
  WHERE f.earned <> f.was_earned OR f.share <> f.was_share`;

/** SQLite's substr(text, 1, n): n characters (code points), not UTF-16 units. */
const firstCharacters = (text: string, n: number) => (/^[\x00-\x7f]*$/.test(text) ? text.slice(0, n) : [...text].slice(0, n).join(''));

// Lengths keep the keys unambiguous whatever characters the names hold.
const rollupKey = (project: number, dimension: string, key: string) => `${project}|${dimension}|${key.length}|${key}`;
const dailyKey = (project: number, dimension: string, key: string, day: string) => `${project}|${dimension}|${key.length}|${key}|${day}`;

/** Sums per (project, dimension, key, day) of progress_daily's four figures, written as upserts. */
export class DailySums {
  private readonly sums = new Map<string, DailyEntry>();

  add(project: number, dimension: string, key: string, day: string, completions: number, earned: number, share: number, componentsCompleted: number): void {
    const k = dailyKey(project, dimension, key, day);
    const e = this.sums.get(k);
    if (e === undefined) {
      this.sums.set(k, [project, dimension, key, day, completions, earned, share, componentsCompleted]);
      return;
    }
    e[4] += completions;
    e[5] += earned;
    e[6] += share;
    e[7] += componentsCompleted;
  }

  /** Adds every key whose sums are not all zero to progress_daily; returns how many. */
  write(db: Db): number {
    const upsert = db.prepare(
      `INSERT INTO progress_daily (project_id, dimension, key, day, milestone_completions, earned_micro, share_micro, components_completed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, dimension, key, day) DO UPDATE SET
         milestone_completions = milestone_completions + excluded.milestone_completions, earned_micro = earned_micro + excluded.earned_micro,
         share_micro = share_micro + excluded.share_micro, components_completed = components_completed + excluded.components_completed`,
    );
    let written = 0;
    for (const e of this.sums.values()) {
      if (e[4] === 0 && e[5] === 0 && e[6] === 0 && e[7] === 0) continue;
      // x + 0 turns a -0 (a zero times the sign -1) into 0, which binds as an integer.
      upsert.run(e[0], e[1], e[2], e[3], e[4] + 0, e[5] + 0, e[6] + 0, e[7] + 0);
      written++;
    }
    this.sums.clear();
    return written;
  }
}

export class ContributionDelta {
  private readonly rollups = new Map<string, RollupEntry>();
  private readonly daily = new DailySums();
  private readonly cube = new Map<string, CubeEntry>();
  /** The projects of every component taken, on either side. */
  readonly projects = new Set<number>();

  constructor(private readonly db: Db) {}

  /** Adds the current share of temp.touched_components, times `sign`. */
  take(sign: 1 | -1): void {
    this.takeComponents(sign);
    for (const row of this.db.prepare(MILESTONES_SQL).raw().iterate() as IterableIterator<MilestoneRow>) this.addMilestones(row, sign);
  }

  /**
   * The touched components' own figures (`list`: see componentsSql), without their milestones'
   * events.
   */
  takeComponents(sign: 1 | -1, list: 'touched_components' | 'regraded' = 'touched_components'): void {
    for (const t of this.readComponents(list).values()) this.addComponent(t.row, sign);
  }

  /** The touched components as takeComponents reads them, not yet taken. */
  readComponents(list: 'touched_components' | 'regraded' = 'touched_components'): Map<number, TouchedComponent> {
    const touched = new Map<number, TouchedComponent>();
    type Read = [number, ...ComponentRow, string | null, string | null, number, number, string];
    for (const read of this.db.prepare(componentsSql(list)).raw().iterate() as IterableIterator<Read>) {
      const row = read.slice(1, 15) as ComponentRow;
      const [completedAt, lastActivityAt, total, completed, updatedAt] = read.slice(15) as [string | null, string | null, number, number, string];
      touched.set(read[0], { row, updatedAt, figures: { rocMicro: row[6], completedAt, lastActivityAt, total, completed, workflow: row[11] } });
    }
    return touched;
  }

  /**
   * The change in a touched component's contribution (read by readComponents, not taken) once it
   * holds the figures figuresByDifference gave it: what taking it away before and back after
   * would net, without reading it again.
   */
  addRefigured(component: TouchedComponent, figures: ComponentFigures): void {
    const [project, area, system, testPackage, , , rocMicro, quantityDay, completedDay, type, status, workflow] = component.row;
    this.projects.add(project);
    const roc = figures.rocMicro - rocMicro;
    const day = status === 'COMPLETED' ? firstCharacters(figures.completedAt ?? component.updatedAt, 10) : null;
    if (roc === 0 && day === completedDay) return;
    if (roc !== 0) this.addCube([project, area, system, type, status, workflow], 1, 0, 0, roc, 0, null, 0);
    const keys = [area, system, testPackage];
    for (let d = 0; d < 3; d++) {
      const dimension = DIMENSIONS[d]!;
      const key = keys[d]!;
      if (roc !== 0) this.rollup(project, dimension, key, 0, 0, 0, roc);
      if (roc !== 0 && quantityDay !== null) this.daily.add(project, dimension, key, quantityDay, 0, roc, 0, 0);
      if (day !== completedDay) {
        if (completedDay !== null) this.daily.add(project, dimension, key, completedDay, 0, 0, 0, -1);
        if (day !== null) this.daily.add(project, dimension, key, day, 0, 0, 0, 1);
      }
    }
  }

  /**
   * Takes away the events of a batch's milestones before its write (readBatch), their components
   * being among those of `keys` (takeComponents).
   */
  takeBatchBefore(batch: BatchBefore, keys: ReadonlyMap<number, TouchedComponent>): void {
    for (const [componentId, day, completions, earned, share] of batch.values()) this.addBatchRow(keys, componentId, day, completions, earned, share, -1);
  }

  /**
   * Adds back the batch's events after its write: the rows its upserts returned as written
   * (WRITTEN_MILESTONE), and the rows read before that it left as they were. Reading the batch
   * again instead took ~0.45 s for 50,000 milestones. Returns the components whose set of
   * milestones changed: the one a new milestone joined, and both of a moved one.
   */
  takeBatchAfter(batch: BatchBefore, written: readonly WrittenMilestone[], keys: ReadonlyMap<number, TouchedComponent>): number[] {
    const regraded: number[] = [];
    const seen = new Set<number>();
    for (const [id, componentId, day, completions, earned, share] of written) {
      seen.add(id);
      const was = batch.get(id)?.[0];
      if (was !== componentId) regraded.push(componentId, ...(was === undefined ? [] : [was]));
      this.addBatchRow(keys, componentId, day, completions, earned, share, 1);
    }
    for (const [id, [componentId, day, completions, earned, share]] of batch) if (!seen.has(id)) this.addBatchRow(keys, componentId, day, completions, earned, share, 1);
    return regraded;
  }

  private addBatchRow(keys: ReadonlyMap<number, TouchedComponent>, componentId: number, day: string, completions: number, earned: number, share: number, sign: 1 | -1): void {
    const k = keys.get(componentId)?.row;
    // The batch's components are all touched (writeWithDeltas): a miss is a bug, not bad data.
    if (k === undefined) throw new Error(`component ${componentId} of a batch milestone was not among the touched components`);
    this.addMilestones([k[0], k[1], k[2], k[3], day, completions, earned, share], sign);
  }

  /** The change in the events of the milestones the recomputation rewrote. */
  takeRecomputedMilestones(): void {
    for (const row of this.db.prepare(RECOMPUTED_SQL).raw().iterate() as IterableIterator<MilestoneRow>) this.addMilestones(row, 1);
  }

  /** Adds one component's own figures (rollups, cube, quantity and completion events), times `sign`. */
  addComponent(row: Readonly<ComponentRow>, sign: 1 | -1): void {
    const [project, area, system, testPackage, completed, completionMicro, rocMicro, quantityDay, completedDay, type, status, workflow, testRequired, testPressure] = row;
    this.projects.add(project);
    this.addCube([project, area, system, type, status, workflow], sign, completed, completionMicro, rocMicro, testRequired, testPressure);
    const keys = [area, system, testPackage];
    for (let d = 0; d < 3; d++) {
      const dimension = DIMENSIONS[d]!;
      const key = keys[d]!;
      this.rollup(project, dimension, key, sign, sign * completed, sign * completionMicro, sign * rocMicro);
      if (quantityDay !== null) this.daily.add(project, dimension, key, quantityDay, 0, sign * rocMicro, sign * completionMicro, 0);
      if (completedDay !== null) this.daily.add(project, dimension, key, completedDay, 0, 0, 0, sign);
    }
  }

  /** Adds one component's milestone events of one day, times `sign`. */
  addMilestones(row: Readonly<MilestoneRow>, sign: 1 | -1): void {
    const [project, area, system, testPackage, day, n, e, s] = row;
    if (n === 0 && e === 0 && s === 0) return;
    this.daily.add(project, 'area', area, day, sign * n, sign * e, sign * s, 0);
    this.daily.add(project, 'system', system, day, sign * n, sign * e, sign * s, 0);
    this.daily.add(project, 'test_package', testPackage, day, sign * n, sign * e, sign * s, 0);
  }

  /** Writes the net change of every key that moved; returns how many keys were written. */
  write(): number {
    const upsertRollup = this.db.prepare(
      `INSERT INTO progress_rollups (project_id, dimension, key, total, completed, completion_micro_sum, roc_micro_sum) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, dimension, key) DO UPDATE SET total = total + excluded.total, completed = completed + excluded.completed,
         completion_micro_sum = completion_micro_sum + excluded.completion_micro_sum, roc_micro_sum = roc_micro_sum + excluded.roc_micro_sum`,
    );
    let written = 0;
    for (const e of this.rollups.values()) {
      if (e[3] === 0 && e[4] === 0 && e[5] === 0 && e[6] === 0) continue;
      // x + 0 turns a -0 (a zero times the sign -1) into 0, which binds as an integer.
      upsertRollup.run(e[0], e[1], e[2], e[3] + 0, e[4] + 0, e[5] + 0, e[6] + 0);
      written++;
    }
    written += this.daily.write(this.db);
    this.rollups.clear();
    const upsertCube = this.db.prepare(
      `INSERT INTO component_cube VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, area, system, type, status, workflow_type) DO UPDATE SET
         total = total + excluded.total, completed = completed + excluded.completed,
         completion_micro_sum = completion_micro_sum + excluded.completion_micro_sum, roc_micro_sum = roc_micro_sum + excluded.roc_micro_sum,
         test_required_sum = test_required_sum + excluded.test_required_sum, test_pressure_sum = test_pressure_sum + excluded.test_pressure_sum,
         test_pressure_count = test_pressure_count + excluded.test_pressure_count`,
    );
    for (const e of this.cube.values()) {
      const figures = e.slice(6) as number[];
      if (figures.every((v) => v === 0)) continue;
      upsertCube.run(...e.slice(0, 6), ...figures.map((v) => v + 0));
      written++;
    }
    this.cube.clear();
    return written;
  }

  /**
   * One component in its cube cell, times `sign` (`count` 0: only a change in its figures). The test pressure sum is a REAL: whole pressures
   * (the usual case) add up exactly in any order; others may differ from a rebuild in the last bit.
   */
  private addCube(keys: CubeKeys, sign: 1 | -1, completed: number, completionMicro: number, rocMicro: number, testRequired: number, testPressure: number | null, count: 0 | 1 = 1): void {
    const pressure = testPressure !== null;
    this.addCubeCell(keys, sign * count, sign * completed, sign * completionMicro, sign * rocMicro, sign * testRequired, pressure ? sign * testPressure : 0, pressure ? sign : 0);
  }

  /** Adds sums to one cell of component_cube. */
  addCubeCell(keys: CubeKeys, total: number, completed: number, completionMicro: number, rocMicro: number, testRequired: number, testPressureSum: number, testPressureCount: number): void {
    const k = keys.map((v) => `${String(v).length}|${v}`).join('|');
    let e = this.cube.get(k);
    if (e === undefined) {
      e = [...keys, 0, 0, 0, 0, 0, 0, 0];
      this.cube.set(k, e);
    }
    e[6] += total;
    e[7] += completed;
    e[8] += completionMicro;
    e[9] += rocMicro;
    e[10] += testRequired;
    e[11] += testPressureSum;
    e[12] += testPressureCount;
  }

  /** Adds one day's events of a key of progress_daily. */
  addDaily(project: number, dimension: string, key: string, day: string, completions: number, earned: number, share: number, componentsCompleted: number): void {
    this.daily.add(project, dimension, key, day, completions, earned, share, componentsCompleted);
  }

  /** Adds to one key of progress_rollups. */
  rollup(project: number, dimension: string, key: string, total: number, completed: number, completionMicro: number, rocMicro: number): void {
    const k = rollupKey(project, dimension, key);
    const e = this.rollups.get(k);
    if (e === undefined) {
      this.rollups.set(k, [project, dimension, key, total, completed, completionMicro, rocMicro]);
      return;
    }
    e[3] += total;
    e[4] += completed;
    e[5] += completionMicro;
    e[6] += rocMicro;
  }
}
