/**
 * Bulk loads (demo generation, import, sync batches) lift the per-row triggers, write, then
 * bring the maintained figures up to date with set-based statements — all inside the one
 * transaction the caller runs, so a crash leaves either the old state or the new one.
 */
import type { Db } from './connection';

interface SavedTrigger {
  name: string;
  sql: string;
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
    db.exec(`
      UPDATE components SET roc_config_id = (
        SELECT config_id FROM component_roc_resolution WHERE component_id = components.id);
      UPDATE components SET
        roc_micro = (SELECT roc_micro FROM component_roc_calc WHERE component_id = components.id),
        completed_at = (SELECT completed_at FROM component_roc_calc WHERE component_id = components.id),
        last_activity_at = (SELECT last_activity_at FROM component_roc_calc WHERE component_id = components.id),
        milestones_total = (SELECT milestones_total FROM component_roc_calc WHERE component_id = components.id),
        milestones_completed = (SELECT milestones_completed FROM component_roc_calc WHERE component_id = components.id);
      UPDATE component_milestones SET
        project_id = (SELECT project_id FROM milestone_earned_calc WHERE milestone_id = component_milestones.id),
        earned_micro = (SELECT earned_micro FROM milestone_earned_calc WHERE milestone_id = component_milestones.id),
        share_micro = (SELECT share_micro FROM milestone_earned_calc WHERE milestone_id = component_milestones.id);
    `);
    rebuildRollups(db, null);
    rebuildDaily(db, null);
    rebuildCube(db, null);
    bumpDataVersion(db, null);
    return;
  }
  fillTouched(db, touched.ids);
  recomputeTouched(db);
  db.exec('DELETE FROM temp.touched_components');
  for (const projectId of new Set(touched.projectIds)) {
    rebuildRollups(db, projectId);
    rebuildDaily(db, projectId);
    rebuildCube(db, projectId);
    bumpDataVersion(db, projectId);
  }
}

/** Config resolution, ROC, completion dates and earned points of temp.touched_components. */
function recomputeTouched(db: Db): void {
  db.exec(`
    UPDATE components SET roc_config_id = (
      SELECT config_id FROM component_roc_resolution WHERE component_id = components.id)
    WHERE id IN (SELECT id FROM temp.touched_components);
    UPDATE components SET
      roc_micro = (SELECT roc_micro FROM component_roc_calc WHERE component_id = components.id),
      completed_at = (SELECT completed_at FROM component_roc_calc WHERE component_id = components.id),
      last_activity_at = (SELECT last_activity_at FROM component_roc_calc WHERE component_id = components.id),
      milestones_total = (SELECT milestones_total FROM component_roc_calc WHERE component_id = components.id),
      milestones_completed = (SELECT milestones_completed FROM component_roc_calc WHERE component_id = components.id)
    WHERE id IN (SELECT id FROM temp.touched_components);
    UPDATE component_milestones SET
      project_id = (SELECT project_id FROM milestone_earned_calc WHERE milestone_id = component_milestones.id),
      earned_micro = (SELECT earned_micro FROM milestone_earned_calc WHERE milestone_id = component_milestones.id),
      share_micro = (SELECT share_micro FROM milestone_earned_calc WHERE milestone_id = component_milestones.id)
    WHERE component_id IN (SELECT id FROM temp.touched_components);
  `);
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

const DAILY_UPSERT = `ON CONFLICT (project_id, dimension, key, day) DO UPDATE SET
  milestone_completions = milestone_completions + excluded.milestone_completions,
  earned_micro = earned_micro + excluded.earned_micro,
  share_micro = share_micro + excluded.share_micro,
  components_completed = components_completed + excluded.components_completed`;
const DIMENSION_KEY = "CASE d.dimension WHEN 'area' THEN coalesce(c.area, 'Unassigned') WHEN 'system' THEN coalesce(c.system, 'Unassigned') ELSE coalesce(c.test_package, 'Unassigned') END";

/**
 * Which components a contribution statement covers: a whole project (or all), or the
 * components in temp.touched_components (a sync batch).
 */
type Scope = { kind: 'project'; projectId: number | null } | { kind: 'touched' };

function scopeSql(scope: Scope, column: string): { sql: string; params: Record<string, number> } {
  if (scope.kind === 'touched') return { sql: `${column} IN (SELECT id FROM temp.touched_components)`, params: {} };
  return scope.projectId === null ? { sql: '1', params: {} } : { sql: `${column === 'c.id' ? 'c.project_id' : 'project_id'} = @projectId`, params: { projectId: scope.projectId } };
}

/** Adds the scope's credit events to progress_daily, times `sign` (-1 takes them away). */
function addDaily(db: Db, scope: Scope, sign: 1 | -1): void {
  const { sql, params } = scopeSql(scope, 'c.id');
  db.prepare(
    `INSERT INTO progress_daily (project_id, dimension, key, day, milestone_completions, earned_micro, share_micro, components_completed)
     SELECT c.project_id, d.dimension, ${DIMENSION_KEY} AS k,
            substr(CASE WHEN m.is_completed = 1 THEN coalesce(m.completed_at, m.updated_at) ELSE m.updated_at END, 1, 10) AS day,
            ${sign} * sum(m.is_completed), ${sign} * sum(m.earned_micro), ${sign} * sum(m.share_micro), 0
     FROM component_milestones m JOIN components c ON c.id = m.component_id JOIN dimensions d
     WHERE (m.is_completed = 1 OR m.earned_micro <> 0 OR m.share_micro <> 0) AND ${sql}
     GROUP BY c.project_id, d.dimension, k, day
     ${DAILY_UPSERT}`,
  ).run(params);
  db.prepare(
    `INSERT INTO progress_daily (project_id, dimension, key, day, milestone_completions, earned_micro, share_micro, components_completed)
     SELECT c.project_id, d.dimension, ${DIMENSION_KEY} AS k, substr(c.updated_at, 1, 10) AS day,
            0, ${sign} * sum(c.roc_micro), ${sign} * sum(CAST(round(c.completion_percent * 1000000.0) AS INTEGER)), 0
     FROM components c JOIN dimensions d
     WHERE c.workflow_type = 'MILESTONE_QUANTITY' AND ${sql}
     GROUP BY c.project_id, d.dimension, k, day
     ${DAILY_UPSERT}`,
  ).run(params);
  db.prepare(
    `INSERT INTO progress_daily (project_id, dimension, key, day, milestone_completions, earned_micro, share_micro, components_completed)
     SELECT c.project_id, d.dimension, ${DIMENSION_KEY} AS k, substr(coalesce(c.completed_at, c.updated_at), 1, 10) AS day,
            0, 0, 0, ${sign} * count(*)
     FROM components c JOIN dimensions d
     WHERE c.status = 'COMPLETED' AND ${sql}
     GROUP BY c.project_id, d.dimension, k, day
     ${DAILY_UPSERT}`,
  ).run(params);
}

function addCube(db: Db, scope: Scope, sign: 1 | -1): void {
  const { sql, params } = scopeSql(scope, 'id');
  db.prepare(
    `INSERT INTO component_cube
     SELECT project_id, coalesce(area, 'Unassigned'), coalesce(system, 'Unassigned'), type, status, workflow_type,
            ${sign} * count(*), ${sign} * sum(status = 'COMPLETED'), ${sign} * sum(CAST(round(completion_percent * 1000000.0) AS INTEGER)), ${sign} * sum(roc_micro),
            ${sign} * sum(test_required), ${sign} * coalesce(sum(test_pressure), 0), ${sign} * count(test_pressure)
     FROM components WHERE ${sql} GROUP BY 1, 2, 3, 4, 5, 6
     ON CONFLICT (project_id, area, system, type, status, workflow_type) DO UPDATE SET
       total = total + excluded.total, completed = completed + excluded.completed,
       completion_micro_sum = completion_micro_sum + excluded.completion_micro_sum, roc_micro_sum = roc_micro_sum + excluded.roc_micro_sum,
       test_required_sum = test_required_sum + excluded.test_required_sum, test_pressure_sum = test_pressure_sum + excluded.test_pressure_sum,
       test_pressure_count = test_pressure_count + excluded.test_pressure_count`,
  ).run(params);
}

function addRollups(db: Db, scope: Scope, sign: 1 | -1): void {
  const { sql, params } = scopeSql(scope, 'id');
  for (const dimension of ['area', 'system', 'test_package'] as const) {
    db.prepare(
      `INSERT INTO progress_rollups (project_id, dimension, key, total, completed, completion_micro_sum, roc_micro_sum)
       SELECT project_id, '${dimension}', coalesce(${dimension}, 'Unassigned'), ${sign} * count(*),
              ${sign} * sum(status = 'COMPLETED'), ${sign} * sum(CAST(round(completion_percent * 1000000.0) AS INTEGER)), ${sign} * sum(roc_micro)
       FROM components WHERE ${sql}
       GROUP BY project_id, coalesce(${dimension}, 'Unassigned')
       ON CONFLICT (project_id, dimension, key) DO UPDATE SET total = total + excluded.total, completed = completed + excluded.completed,
         completion_micro_sum = completion_micro_sum + excluded.completion_micro_sum, roc_micro_sum = roc_micro_sum + excluded.roc_micro_sum`,
    ).run(params);
  }
}

/** Rebuilds progress_daily from milestones and components (the triggers' events, set-based). */
export function rebuildDaily(db: Db, projectId: number | null): void {
  db.prepare(`DELETE FROM progress_daily WHERE ${projectId === null ? '1' : 'project_id = @projectId'}`).run(projectId === null ? {} : { projectId });
  addDaily(db, { kind: 'project', projectId }, 1);
}

export function rebuildCube(db: Db, projectId: number | null): void {
  db.prepare(`DELETE FROM component_cube ${projectId === null ? '' : 'WHERE project_id = @projectId'}`).run(projectId === null ? {} : { projectId });
  addCube(db, { kind: 'project', projectId }, 1);
}

export function rebuildRollups(db: Db, projectId: number | null): void {
  db.prepare(`DELETE FROM progress_rollups ${projectId === null ? '' : 'WHERE project_id = @projectId'}`).run(projectId === null ? {} : { projectId });
  addRollups(db, { kind: 'project', projectId }, 1);
}

/**
 * A batch's changes with the triggers lifted, kept exact without rebuilding whole projects:
 * the touched components' share of the rollups, daily events and cube is taken away, the batch
 * is written, their own figures are recomputed, and their share is added back. `before` and
 * `after` give the touched component ids on each side of the write (new rows appear only after,
 * deleted ones only before). Must run inside a transaction, with the triggers lifted.
 */
export function writeWithDeltas<T>(db: Db, before: () => Iterable<number>, write: () => T, after: () => Iterable<number>): T {
  fillTouched(db, before());
  addRollups(db, { kind: 'touched' }, -1);
  addDaily(db, { kind: 'touched' }, -1);
  addCube(db, { kind: 'touched' }, -1);
  const projects = new Set((db.prepare('SELECT DISTINCT project_id AS p FROM components WHERE id IN (SELECT id FROM temp.touched_components)').all() as Array<{ p: number }>).map((r) => r.p));
  const result = write();
  fillTouched(db, after(), false);
  recomputeTouched(db);
  addRollups(db, { kind: 'touched' }, 1);
  addDaily(db, { kind: 'touched' }, 1);
  addCube(db, { kind: 'touched' }, 1);
  for (const r of db.prepare('SELECT DISTINCT project_id AS p FROM components WHERE id IN (SELECT id FROM temp.touched_components)').all() as Array<{ p: number }>) projects.add(r.p);
  db.exec(`DELETE FROM progress_rollups WHERE total = 0;
           DELETE FROM component_cube WHERE total = 0;
           DELETE FROM progress_daily WHERE milestone_completions = 0 AND earned_micro = 0 AND share_micro = 0 AND components_completed = 0;
           DELETE FROM temp.touched_components;`);
  for (const p of projects) bumpDataVersion(db, p);
  return result;
}

function fillTouched(db: Db, ids: Iterable<number>, clear = true): void {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS touched_components (id INTEGER PRIMARY KEY)');
  if (clear) db.exec('DELETE FROM temp.touched_components');
  const add = db.prepare('INSERT OR IGNORE INTO temp.touched_components (id) VALUES (?)');
  for (const id of ids) add.run(id);
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
