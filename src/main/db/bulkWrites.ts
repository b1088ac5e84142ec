/**
 * Bulk loads (demo generation, import, sync batches) lift the per-row triggers, write, then
 * bring the maintained figures up to date with set-based statements — all inside the one
 * transaction the caller runs, so a crash leaves either the old state or the new one.
 */
import type { Db } from './connection';
import { ContributionDelta, type BatchBefore, type TouchedComponent, type WrittenMilestone } from './contributionDelta';
import { figuresByDifference, type ComponentFigures } from './figuresByDifference';
import { addSummaries } from './projectSummaries';

interface SavedTrigger {
  name: string;
  sql: string;
}

/**
 * A batch that writes only milestones, by source id, and no component; `written` gives the rows
 * its upserts returned (WRITTEN_MILESTONE) from the write's result.
 */
export interface MilestoneBatch<T> {
  /** The batch's milestones as read before the write (readBatch). */
  before: BatchBefore;
  written: (result: T) => readonly WrittenMilestone[];
}

export type Touched = { kind: 'components'; ids: Iterable<number>; projectIds: Iterable<number> } | { kind: 'all' };

/** Must be called inside a transaction. */
export function withTriggersLifted<T>(db: Db, work: () => T): T {
  if (!db.inTransaction) throw new Error('withTriggersLifted needs an open transaction');
  const triggers = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trg\\_%' ESCAPE '\\'")
    .all() as SavedTrigger[];
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name.replaceAll('"', '""')}"`);
  const result = work();
  for (const t of triggers) db.exec(t.sql);
  return result;
}

/** Recomputes config resolution, ROC, completion dates, earned points and rollups. */
export function refreshMaintainedFigures(db: Db, touched: Touched): void {
  if (touched.kind === 'all') {
    resolveConfigs(db, 'all');
    recomputeFigures(db, { kind: 'project', projectId: null });
    rebuildSummaries(db, null);
    bumpDataVersion(db, null);
    return;
  }
  fillTouched(db, touched.ids);
  recomputeTouched(db);
  db.exec('DELETE FROM temp.touched_components');
  for (const projectId of new Set(touched.projectIds)) {
    rebuildSummaries(db, projectId);
    bumpDataVersion(db, projectId);
  }
}

/**
 * component_roc_resolution's rule (migration 0006) applied once per (project, type) rather than
 * once per component: the answer depends on nothing else, and a million components hold a few
 * dozen pairs. Rows already right are left alone (an unchanged row is not rewritten).
 */
function resolveConfigs(db: Db, scope: 'all' | 'touched'): number[] {
  const pairs =
    scope === 'all'
      ? 'SELECT DISTINCT project_id, type FROM components'
      : 'SELECT DISTINCT c.project_id, c.type FROM temp.touched_components t CROSS JOIN components c ON c.id = t.id';
  const resolved = `WITH k AS MATERIALIZED (${configsOfPairs(pairs)})`;
  if (scope === 'all') {
    db.exec(`${resolved}
      UPDATE components SET roc_config_id = k.config_id FROM k
      WHERE components.project_id = k.project_id AND components.type = k.type AND components.roc_config_id IS NOT k.config_id`);
    return [];
  }
  // By id: as a join from k the planner walked every component of each pair.
  const changed = db.prepare(`${resolved}
    UPDATE components SET roc_config_id = (SELECT k.config_id FROM k WHERE k.project_id = components.project_id AND k.type = components.type)
    WHERE id IN (SELECT id FROM temp.touched_components)
      AND roc_config_id IS NOT (SELECT k.config_id FROM k WHERE k.project_id = components.project_id AND k.type = components.type)
    RETURNING id`).raw().all() as Array<[number]>;
  return changed.map((r) => r[0]);
}

/** (project_id, type, config_id) for each (project_id, type) pair the query `pairs` gives. */
export const configsOfPairs = (pairs: string) => `SELECT pairs.project_id, pairs.type, (
        SELECT r.id FROM roc_configurations r
        WHERE r.effective_date <= date('now')
          AND (r.project_id = pairs.project_id OR (r.project_id IS NULL AND (r.source_id IS NULL) = (p.source_id IS NULL)))
          AND (r.component_type = pairs.type OR r.component_type IS NULL)
        ORDER BY r.project_id IS NULL, r.component_type IS NULL, r.effective_date DESC, r.id DESC
        LIMIT 1) AS config_id
      FROM (${pairs}) pairs JOIN projects p ON p.id = pairs.project_id`;

/** The configuration each component type of a project resolves to today (null: none), and its
    weights in micro-points as SQLite rounds them (the EARNED formula's own values). */
export function resolvedWeights(db: Db, projectId: number, types: Iterable<string>): Map<string, { configId: number | null; weights: Map<string, number> }> {
  const config = db.prepare(configsOfPairs('SELECT @project AS project_id, @type AS type')).raw();
  const weights = db.prepare(`SELECT milestone_name, ${micro('weight')} FROM roc_weights WHERE config_id = ?`).raw();
  const out = new Map<string, { configId: number | null; weights: Map<string, number> }>();
  for (const type of types) {
    if (out.has(type)) continue;
    const configId = ((config.get({ project: projectId, type }) as [number, string, number | null] | undefined)?.[2]) ?? null;
    // No configuration: the system default weights (config 0), as coalesce(c.roc_config_id, 0).
    out.set(type, { configId, weights: new Map(weights.all(configId ?? 0) as Array<[string, number]>) });
  }
  return out;
}

/** Config resolution, ROC, completion dates and earned points of temp.touched_components. */
function recomputeTouched(db: Db): void {
  resolveConfigs(db, 'touched');
  recomputeFigures(db, { kind: 'touched' });
}

/**
 * After a milestones-only batch (writeWithDeltas with `milestones`): the touched components'
 * figures, and the credit and share of every milestone of a component whose configuration or
 * set of milestones (`regraded`, from ContributionDelta.takeBatchAfter) changed (a credit is its
 * configuration's weight, a share one count-th of its component). The batch's other milestones
 * took theirs in their own write (milestoneFiguresOnUpdate); the rest keep theirs. Recomputing
 * every milestone of the touched components instead (1 % of 5M milestones changed: 240,000
 * rows, 50,000 of them written a second time) took 0.48 s.
 *
 * A component whose milestones only changed in place takes its figures by difference
 * (figuresByDifference) where that is exact; the others are recomputed from their milestones
 * and listed in temp.regraded, which the caller reads and clears. temp.milestone_figures keeps
 * the milestones whose credit or share changed, with their values before, for the caller to read
 * and clear. Returns the figures given by difference.
 */
function refigureAfterMilestoneBatch(
  db: Db,
  touched: ReadonlyMap<number, TouchedComponent>,
  batch: BatchBefore,
  written: readonly WrittenMilestone[],
  regraded: readonly number[],
): Map<number, ComponentFigures> {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS regraded (id INTEGER PRIMARY KEY)');
  const recompute = new Set([...regraded, ...resolveConfigs(db, 'touched')]);
  const rocFloorExact = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM roc_weights WHERE weight < 0)').pluck().get() === 1;
  const figures = new Map([...touched].map(([id, t]) => [id, t.figures]));
  const byDifference = figuresByDifference(figures, batch, written, recompute, rocFloorExact);
  const update = db.prepare('UPDATE components SET roc_micro = ?, completed_at = ?, last_activity_at = ?, milestones_completed = ? WHERE id = ?');
  // In id order, so neighbouring rows share their pages (41,000 components at 1M: 0.33 → 0.23 s).
  for (const [id, f] of [...byDifference].sort((a, b) => a[0] - b[0])) {
    const was = figures.get(id)!;
    if (f.rocMicro !== was.rocMicro || f.completedAt !== was.completedAt || f.lastActivityAt !== was.lastActivityAt || f.completed !== was.completed) {
      update.run(f.rocMicro, f.completedAt, f.lastActivityAt, f.completed, id);
    }
  }
  for (const id of touched.keys()) if (!byDifference.has(id)) recompute.add(id);
  if (recompute.size > 0) db.prepare('INSERT OR IGNORE INTO temp.regraded (id) SELECT value FROM json_each(?)').run(JSON.stringify([...recompute]));
  // The milestones of a component recomputed only for its own figures find nothing to change.
  recomputeComponentFigures(db, { kind: 'regraded' });
  recomputeMilestoneFigures(db, { kind: 'regraded' }, true);
  return byDifference;
}

const micro = (expr: string) => `CAST(round(${expr} * 1000000.0) AS INTEGER)`;
/** A milestone's ROC credit under its component's weights: the component_roc_calc and
    milestone_earned_calc views' formula (migration 0001), which stay the reference. */
const earnedOf = (m: string) => `CASE WHEN ${m}.is_completed = 1 THEN ${micro('coalesce(w.weight, 0)')}
  WHEN c.workflow_type = 'MILESTONE_PERCENTAGE' THEN ${micro(`coalesce(w.weight, 0) * max(0.0, min(100.0, coalesce(${m}.percentage_value, 0))) / 100.0`)}
  ELSE 0 END`;
export const EARNED = earnedOf('m');
/** A milestone's earned_micro (its fields from `m`, its component `c`, its weight `w`): none for a quantity component. */
export const milestoneEarned = (m: string) => `CASE WHEN c.workflow_type = 'MILESTONE_QUANTITY' THEN 0 ELSE ${earnedOf(m)} END`;
/** A milestone's share_micro, its component holding `count` milestones. */
export const milestoneShare = (m: string, count: string) => `CASE WHEN c.workflow_type = 'MILESTONE_QUANTITY' THEN 0
  WHEN ${m}.is_completed = 1 THEN CAST(round(100000000.0 / ${count}) AS INTEGER)
  WHEN c.workflow_type = 'MILESTONE_PERCENTAGE' THEN CAST(round(max(0.0, min(100.0, coalesce(${m}.percentage_value, 0))) * 1000000.0 / ${count}) AS INTEGER)
  ELSE 0 END`;

/**
 * The SET of a milestone upsert's update: its credit and share from its new fields (`m`; an
 * upsert's `excluded`, or `values`, a table of parameters joined first) and its component as
 * stored, as recomputeMilestoneFigures gives them while that component's configuration and count
 * stay (writeWithDeltas with `milestones` relies on it, and recomputes the components where they
 * do not).
 */
const milestoneFigures = (m: string, values = '') => `(earned_micro, share_micro) = (
    SELECT ${milestoneEarned(m)}, ${milestoneShare(m, 'max(c.milestones_total, 1)')} FROM ${values}components c
    LEFT JOIN roc_weights w ON w.config_id = coalesce(c.roc_config_id, 0) AND w.milestone_name = ${m}.name
    WHERE c.id = ${m}.component_id)`;
export const milestoneFiguresOnUpdate = milestoneFigures('excluded');
/** The same for an UPDATE whose new values are its parameters of the columns' names. */
export const milestoneFiguresFromParams = milestoneFigures(
  'x',
  '(SELECT @component_id AS component_id, @name AS name, @is_completed AS is_completed, @percentage_value AS percentage_value) x CROSS JOIN ',
);

/**
 * The views' figures for the scope's components, set-based: one grouped pass over their
 * milestones gives each component's ROC, completion date, activity and counts, then a second
 * gives each milestone's credit and share (its component's count now being known). The views
 * evaluate one correlated subquery per figure and row, five passes over every component's
 * milestones; this was 4–6× slower on a first sync. Only rows whose figures differ are written.
 */
function recomputeFigures(db: Db, scope: Scope): void {
  recomputeComponentFigures(db, scope);
  recomputeMilestoneFigures(db, scope);
}

/**
 * Each component's ROC, completion date, activity and counts from its milestones (see
 * recomputeFigures). `credit`: 'stored' sums each milestone's earned_micro as written, for
 * milestones whose credit was just computed under their component's configuration (a first
 * sync's move): no weight to look up for each (five million milestones: ~1 s less).
 */
export function recomputeComponentFigures(db: Db, scope: Scope, credit: 'weights' | 'stored' = 'weights'): void {
  const withAll = componentsIn(scope, 'left join');
  db.prepare(
    `UPDATE components SET roc_micro = x.roc_micro, completed_at = x.completed_at, last_activity_at = x.last_activity_at,
       milestones_total = x.total, milestones_completed = x.done
     FROM (
       SELECT c.id AS id,
         CASE WHEN c.workflow_type = 'MILESTONE_QUANTITY' THEN ${micro('max(0.0, min(100.0, c.completion_percent))')}
           ELSE max(0, min(100000000, coalesce(sum(${credit === 'stored' ? 'm.earned_micro' : EARNED}), 0))) END AS roc_micro,
         CASE WHEN count(m.id) > 0 AND min(m.is_completed) = 1 THEN max(m.completed_at) END AS completed_at,
         max(c.updated_at, coalesce(max(max(m.updated_at, coalesce(m.completed_at, ''))), '')) AS last_activity_at,
         count(m.id) AS total, count(CASE WHEN m.is_completed = 1 THEN 1 END) AS done
       FROM ${withAll.from}
       ${credit === 'stored' ? '' : 'LEFT JOIN roc_weights w ON w.config_id = coalesce(c.roc_config_id, 0) AND w.milestone_name = m.name'}
       WHERE ${withAll.where}
       GROUP BY c.id) x
     WHERE components.id = x.id
       AND (components.roc_micro, components.completed_at, components.last_activity_at, components.milestones_total, components.milestones_completed)
           IS NOT (x.roc_micro, x.completed_at, x.last_activity_at, x.total, x.done)`,
  ).run(withAll.params);
}

/** Each milestone's credit and share, its component's count being known (see recomputeFigures). */
export function recomputeMilestoneFigures(db: Db, scope: Scope, keepChanged = false): void {
  const some = componentsIn(scope, 'join');
  const x = `SELECT m.id AS id, c.project_id AS project_id, ${milestoneEarned('m')} AS earned, ${milestoneShare('m', 'c.milestones_total')} AS share,
         m.project_id AS was_project, m.earned_micro AS was_earned, m.share_micro AS was_share
       FROM ${some.from}
       LEFT JOIN roc_weights w ON w.config_id = coalesce(c.roc_config_id, 0) AND w.milestone_name = m.name
       WHERE ${some.where}`;
  const differs = (t: string) => `(${t}was_project, ${t}was_earned, ${t}was_share) IS NOT (${t}project_id, ${t}earned, ${t}share)`;
  if (scope.kind !== 'project') {
    // A batch's changed rows are gathered first and written by id: as a join, the planner
    // scanned every milestone to find a batch's few.
    db.exec('CREATE TEMP TABLE IF NOT EXISTS milestone_figures (id INTEGER PRIMARY KEY, project_id INTEGER, earned INTEGER, share INTEGER, was_earned INTEGER, was_share INTEGER)');
    db.prepare(`INSERT INTO temp.milestone_figures SELECT id, project_id, earned, share, was_earned, was_share FROM (${x}) WHERE ${differs('')}`).run(some.params);
    db.exec(`UPDATE component_milestones SET (project_id, earned_micro, share_micro) = (
               SELECT project_id, earned, share FROM temp.milestone_figures f WHERE f.id = component_milestones.id)
             WHERE id IN (SELECT id FROM temp.milestone_figures)`);
    if (!keepChanged) db.exec('DELETE FROM temp.milestone_figures');
    return;
  }
  db.prepare(
    `UPDATE component_milestones SET project_id = x.project_id, earned_micro = x.earned, share_micro = x.share
     FROM (${x}) x WHERE component_milestones.id = x.id AND ${differs('x.')}`,
  ).run(some.params);
}

/** Bulk writes run with triggers lifted, so they bump the data version themselves. */
export function bumpDataVersion(db: Db, projectId: number | null): void {
  if (projectId === null) {
    db.exec(`INSERT INTO data_versions (project_id, version) SELECT id, 1 FROM projects WHERE true
             ON CONFLICT (project_id) DO UPDATE SET version = version + 1`);
    return;
  }
  db.prepare('INSERT INTO data_versions (project_id, version) VALUES (?, 1) ON CONFLICT (project_id) DO UPDATE SET version = version + 1').run(projectId);
}

/**
 * Which components a contribution statement covers: a whole project (or all), or the
 * components in temp.touched_components (a sync batch) or temp.regraded (those of a milestones
 * batch whose milestones' credit or share can have changed).
 */
export type Scope = { kind: 'project'; projectId: number | null } | { kind: 'touched' } | { kind: 'regraded' };

/**
 * The scope's components as `c` (with their milestones as `m` when asked). A batch's few
 * touched components drive the joins (CROSS JOIN keeps that order): left to itself the planner
 * scanned every component or milestone along an index matching the GROUP BY, a whole-table pass
 * per statement and batch.
 */
function componentsIn(scope: Scope, milestones: 'join' | 'left join' | null = null): { from: string; where: string; params: Record<string, number> } {
  const listed = scope.kind !== 'project';
  const m = milestones === null ? '' : ` ${milestones === 'left join' ? 'LEFT JOIN' : listed ? 'CROSS JOIN' : 'JOIN'} component_milestones m ON m.component_id = c.id`;
  if (scope.kind !== 'project') {
    const list = scope.kind === 'touched' ? 'temp.touched_components' : 'temp.regraded';
    return { from: `${list} t CROSS JOIN components c ON c.id = t.id${m}`, where: '1', params: {} };
  }
  if (scope.projectId === null) return { from: `components c${m}`, where: '1', params: {} };
  return { from: `components c${m}`, where: 'c.project_id = @projectId', params: { projectId: scope.projectId } };
}

/**
 * Rebuilds the project's (all: null) progress_rollups, component_cube and progress_daily from
 * one read of its components and one of its milestones (projectSummaries.ts).
 */
export function rebuildSummaries(db: Db, projectId: number | null): void {
  const inProject = projectId === null ? '' : 'WHERE project_id = ?';
  const params = projectId === null ? [] : [projectId];
  for (const table of ['progress_rollups', 'component_cube', 'progress_daily']) db.prepare(`DELETE FROM ${table} ${inProject}`).run(...params);
  addSummaries(db, projectId);
}

/**
 * A batch's changes with the triggers lifted, kept exact without rebuilding whole projects:
 * the touched components' share of the rollups, daily events and cube is taken away, the batch
 * is written, their own figures are recomputed, and their share is added back (netted in memory
 * first, see ContributionDelta). `before` and
 * `after` give the touched component ids on each side of the write (new rows appear only after,
 * deleted ones only before). Must run inside a transaction, with the triggers lifted.
 *
 * `milestones`: the batch writes only these milestones (by source id) and no component, a
 * milestone it updates takes its new credit and share in the same write
 * (milestoneFiguresOnUpdate; see refigureAfterMilestoneBatch), and each upsert returns what it
 * wrote. The other milestones of the touched components then keep their days and completion,
 * and move only where the recomputation changes their credit or share; so the daily events are
 * taken row by row for the batch's milestones and by difference for those others, instead of
 * from every milestone of every touched component twice (1 % of 5M milestones changed: two passes over
 * 240,000 rows, ~0.9 s each). A touched component whose figures follow by difference
 * (figuresByDifference) changes its own share by that difference (ContributionDelta.addRefigured)
 * instead of being taken away and read back.
 */
export function writeWithDeltas<T>(db: Db, before: () => Iterable<number>, write: () => T, after: () => Iterable<number>, milestones?: MilestoneBatch<T>): T {
  fillTouched(db, before());
  const delta = new ContributionDelta(db);
  let batch: BatchBefore | null = null;
  let touched: Map<number, TouchedComponent> | null = null;
  if (milestones) {
    batch = milestones.before;
    // The components the batch's milestones are in now are touched too (they may leave them).
    fillTouched(db, [...batch.values()].map(([componentId]) => componentId), false);
    // Taken away below, once it is known which take their figures by difference.
    touched = delta.readComponents();
    delta.takeBatchBefore(batch, touched);
  } else delta.take(-1);
  const result = write();
  fillTouched(db, after(), false);
  if (milestones && batch && touched) {
    // The components the written milestones are in are the parents the batch names, touched from the start.
    const written = milestones.written(result);
    const byDifference = refigureAfterMilestoneBatch(db, touched, batch, written, delta.takeBatchAfter(batch, written, touched));
    for (const [id, t] of touched) {
      const figures = byDifference.get(id);
      if (figures) delta.addRefigured(t, figures);
      else delta.addComponent(t.row, -1);
    }
    delta.takeComponents(1, 'regraded');
    db.exec('DELETE FROM temp.regraded');
    // Rows the recomputation rewrote after the write (new and moved milestones among them): the difference.
    delta.takeRecomputedMilestones();
    db.exec('DELETE FROM temp.milestone_figures');
  } else {
    recomputeTouched(db);
    delta.take(1);
  }
  delta.write();
  db.exec(`DELETE FROM progress_rollups WHERE total = 0;
           DELETE FROM component_cube WHERE total = 0;
           DELETE FROM progress_daily WHERE milestone_completions = 0 AND earned_micro = 0 AND share_micro = 0 AND components_completed = 0;
           DELETE FROM temp.touched_components;`);
  for (const p of delta.projects) bumpDataVersion(db, p);
  return result;
}

function fillTouched(db: Db, ids: Iterable<number>, clear = true): void {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS touched_components (id INTEGER PRIMARY KEY)');
  if (clear) db.exec('DELETE FROM temp.touched_components');
  // In chunks through json_each: one statement per 50,000 ids instead of one per id (a first
  // import of a million components named two million ids here, ~2 s one by one).
  const add = db.prepare('INSERT OR IGNORE INTO temp.touched_components (id) SELECT value FROM json_each(?)');
  let chunk: number[] = [];
  for (const id of ids) {
    chunk.push(id);
    if (chunk.length === 50_000) {
      add.run(JSON.stringify(chunk));
      chunk = [];
    }
  }
  if (chunk.length > 0) add.run(JSON.stringify(chunk));
}

/**
 * A configuration whose effective date has arrived since the figures were last resolved
 * changes which weights apply today; re-resolve once per day at most.
 */
export function refreshRocResolutionIfStale(db: Db, today: string): boolean {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'roc_resolved_on'").get() as { value: string } | undefined;
  const resolvedOn = row?.value ?? '0000-00-00';
  if (resolvedOn >= today) return false;
  const pending = db
    .prepare('SELECT 1 FROM roc_configurations WHERE effective_date > ? AND effective_date <= ? LIMIT 1')
    .get(resolvedOn, today);
  db.transaction(() => {
    if (pending) {
      db.exec(`
        UPDATE components SET roc_config_id = (
          SELECT config_id FROM component_roc_resolution WHERE component_id = components.id)
        WHERE roc_config_id IS NOT (SELECT config_id FROM component_roc_resolution WHERE component_id = components.id);
      `);
    }
    db.prepare("INSERT INTO meta (key, value) VALUES ('roc_resolved_on', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(today);
  })();
  return Boolean(pending);
}
