/**
 * A first sync's move out of staging (stagedFirstSync.ts), on hand-staged rows whose figures can
 * be worked out by hand: the first of two components with one tag stays, rows without their parent and second milestones of one name are skipped
 * with the upserts' reasons, and every maintained figure equals the views' recomputation.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { addComponent, addConfig, addMilestone, addProject, createTestDb, tempDir } from '../helpers/fixtureDb';
import { openDatabase } from '../../src/main/db/connection';
import { MIGRATIONS } from '../../src/main/db/migrations';
import { maintainedFigures } from '../helpers/maintainedFigures';
import { firstSyncUnderWay, moveStagedRows } from '../../src/main/sync/stagedFirstSync';
import type { Db } from '../../src/main/db/connection';

const AT = '2026-11-23T08:00:00.000Z';

function stageComponent(
  db: Db,
  c: { source: string; project: number; tag: string; type?: string; area?: string; workflow?: string; status?: string; drawing?: string | null; completion?: number },
): void {
  db.prepare(
    `INSERT INTO sync_stage_components (project_id, tag, type, area, system, test_package, drawing_source, status, completion_percent, workflow_type,
       test_required, created_at, updated_at, source_id)
     VALUES (?, ?, ?, ?, 'S1', 'TP1', ?, ?, ?, ?, 0, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', ?)`,
  ).run(c.project, c.tag, c.type ?? 'Valve', c.area ?? 'A1', c.drawing ?? null, c.status ?? 'IN_PROGRESS', c.completion ?? 0, c.workflow ?? 'MILESTONE_DISCRETE', c.source);
}

/** Staged as a first read stages it: with its component's staging row (null when none was staged). */
function stageMilestone(db: Db, m: { source: string; component: string; name: string; done?: boolean; at?: string | null; percent?: number; updated?: string }): void {
  db.prepare(
    `INSERT INTO sync_stage_milestones (component_source, component_seq, name, milestone_order, is_completed, completed_at, percentage_value, updated_at, source_id)
     VALUES (?, (SELECT seq FROM sync_stage_components WHERE source_id = ?), ?, 1, ?, ?, ?, ?, ?)`,
  ).run(m.component, m.component, m.name, m.done ? 1 : 0, m.done ? (m.at === undefined ? '2026-11-20T10:00:00.000Z' : m.at) : null, m.percent ?? null, m.updated ?? '2026-11-02T00:00:00.000Z', m.source);
}

/** Each staged milestone's count of its component's staged milestones, as the first read gives it. */
const countSiblings = (db: Db) =>
  db.exec('UPDATE sync_stage_milestones SET siblings = (SELECT count(*) FROM sync_stage_milestones x WHERE x.component_source = sync_stage_milestones.component_source)');

function setup(): { db: Db; project: number } {
  const db = createTestDb();
  const project = addProject(db, 'P1');
  db.prepare("UPDATE projects SET source = 'pipetrak', source_id = 'prj-1' WHERE id = ?").run(project);
  db.prepare("INSERT INTO drawings (project_id, number, source_id) VALUES (?, 'ISO-1', 'dwg-1')").run(project);
  addConfig(db, project, 'Valve', { Receive: 10, Erect: 40, Test: 50 });
  return { db, project };
}

/** Each synced milestone's credit and share, by source id. */
const milestoneFigures = (db: Db) => db.prepare('SELECT source_id AS id, earned_micro AS earned, share_micro AS share FROM component_milestones WHERE source_id IS NOT NULL ORDER BY source_id').all();
const indexes = (db: Db) => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all();
const merge = (db: Db) => {
  countSiblings(db);
  return moveStagedRows(db, AT);
};

describe('a first sync moves its staged rows into place', () => {
  it('gives each component and milestone its figures, skips what the upserts would refuse, and keeps the views exact', () => {
    const { db, project } = setup();
    const before = indexes(db);
    stageComponent(db, { source: 'cmp-a', project, tag: 'V-1', drawing: 'dwg-1' });
    stageComponent(db, { source: 'cmp-c', project, tag: 'V-3', area: 'A2' });
    stageComponent(db, { source: 'cmp-dup', project, tag: 'V-1' });
    stageComponent(db, { source: 'cmp-p', project, tag: 'P-1', type: 'Pipe', workflow: 'MILESTONE_PERCENTAGE' });
    stageComponent(db, { source: 'cmp-gone', project: project + 99, tag: 'X-1' });
    // cmp-a: Receive and Erect done of three → 10 + 40 = 50 % under the project's Valve weights.
    stageMilestone(db, { source: 'm-a1', component: 'cmp-a', name: 'Receive', done: true, at: '2026-11-20T10:00:00.000Z' });
    stageMilestone(db, { source: 'm-a2', component: 'cmp-a', name: 'Erect', done: true, at: '2026-11-21T10:00:00.000Z' });
    stageMilestone(db, { source: 'm-a3', component: 'cmp-a', name: 'Test' });
    // cmp-c: one Receive, done; a second Receive under another id is refused.
    stageMilestone(db, { source: 'm-c1', component: 'cmp-c', name: 'Receive', done: true });
    stageMilestone(db, { source: 'm-c2', component: 'cmp-c', name: 'Receive' });
    // cmp-p (percentage workflow, no Pipe configuration: the default weights, Connect 40): 50 % of Connect = 20 %.
    stageMilestone(db, { source: 'm-p1', component: 'cmp-p', name: 'Connect', percent: 50 });
    stageMilestone(db, { source: 'm-p2', component: 'cmp-p', name: 'Test' });
    // A milestone of the component whose tag was taken: its component is not moved, so neither is it.
    stageMilestone(db, { source: 'm-dup', component: 'cmp-dup', name: 'Receive', done: true });
    stageMilestone(db, { source: 'm-x', component: 'cmp-nowhere', name: 'Receive', done: true });
    expect(firstSyncUnderWay(db)).toBe(true);

    const outcome = merge(db);

    expect(outcome.Component.changed).toBe(3);
    expect(outcome.Component.skipped.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'cmp-dup', reason: 'another component of the project has the same tag' },
      { id: 'cmp-gone', reason: 'its project is not in SiteReport' },
    ]);
    expect(outcome.ComponentMilestone.changed).toBe(6);
    expect(outcome.ComponentMilestone.skipped.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'm-c2', reason: 'the component already has a milestone of this name' },
      { id: 'm-dup', reason: 'its component is not in SiteReport' },
      { id: 'm-x', reason: 'its component is not in SiteReport' },
    ]);
    const components = db
      .prepare(
        `SELECT c.source_id AS id, c.tag, c.area, d.number AS drawing, c.roc_micro AS roc, c.milestones_total AS total, c.milestones_completed AS done, c.completed_at
         FROM components c LEFT JOIN drawings d ON d.id = c.drawing_id WHERE c.project_id = ? ORDER BY c.source_id`,
      )
      .all(project);
    expect(components).toEqual([
      { id: 'cmp-a', tag: 'V-1', area: 'A1', drawing: 'ISO-1', roc: 50_000_000, total: 3, done: 2, completed_at: null },
      { id: 'cmp-c', tag: 'V-3', area: 'A2', drawing: null, roc: 10_000_000, total: 1, done: 1, completed_at: '2026-11-20T10:00:00.000Z' },
      { id: 'cmp-p', tag: 'P-1', area: 'A1', drawing: null, roc: 20_000_000, total: 2, done: 0, completed_at: null },
    ]);
    // Shares: a completed milestone of three is round(1e8 / 3); half of a percentage milestone of two, 50 × 1e6 / 2.
    expect(milestoneFigures(db)).toEqual([
      { id: 'm-a1', earned: 10_000_000, share: 33_333_333 },
      { id: 'm-a2', earned: 40_000_000, share: 33_333_333 },
      { id: 'm-a3', earned: 0, share: 0 },
      { id: 'm-c1', earned: 10_000_000, share: 100_000_000 },
      { id: 'm-p1', earned: 20_000_000, share: 25_000_000 },
      { id: 'm-p2', earned: 0, share: 0 },
    ]);
    const figures = maintainedFigures(db);
    expect(figures.kept).toEqual(figures.recomputed);
    expect(db.prepare("SELECT total, roc_micro_sum AS roc FROM progress_rollups WHERE project_id = ? AND dimension = 'area' ORDER BY key").all(project)).toEqual([
      { total: 2, roc: 70_000_000 },
      { total: 1, roc: 10_000_000 },
    ]);
    expect(db.prepare('SELECT table_name, source_id, reason, at FROM sync_skipped ORDER BY source_id').all().map((r) => (r as { source_id: string }).source_id)).toEqual(['cmp-dup', 'cmp-gone', 'm-c2', 'm-dup', 'm-x']);
    expect(firstSyncUnderWay(db)).toBe(false);
    expect(indexes(db)).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The move writes with foreign keys off (its joins keep every parent); they are on again after.
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('without a resume, moves every row as staged, and an empty stage changes nothing', () => {
    const { db, project } = setup();
    stageComponent(db, { source: 'cmp-a', project, tag: 'V-1', status: 'COMPLETED' });
    stageMilestone(db, { source: 'm-a1', component: 'cmp-a', name: 'Receive', done: true });
    stageMilestone(db, { source: 'm-a2', component: 'cmp-a', name: 'Test', done: true, at: '2026-11-22T09:00:00.000Z' });
    const outcome = merge(db);
    expect(outcome).toEqual({ Component: { changed: 1, skipped: [] }, ComponentMilestone: { changed: 2, skipped: [] } });
    // All milestones done: completed on the last one's date; Receive 10 + Test 50 = 60 %.
    expect(db.prepare("SELECT roc_micro, completed_at FROM components WHERE source_id = 'cmp-a'").get()).toEqual({ roc_micro: 60_000_000, completed_at: '2026-11-22T09:00:00.000Z' });
    const figures = maintainedFigures(db);
    expect(figures.kept).toEqual(figures.recomputed);
    const rows = db.prepare('SELECT count(*) AS n FROM components').get();
    expect(merge(db)).toEqual({ Component: { changed: 0, skipped: [] }, ComponentMilestone: { changed: 0, skipped: [] } });
    expect(db.prepare('SELECT count(*) AS n FROM components').get()).toEqual(rows);
  });

  // Every workflow, clamped percentages, a completion without its date, a component without
  // milestones, next to a project that is not synced (its figures must stay), and once with a
  // synced project that already holds an imported component (its daily events are rebuilt whole).
  it.each([
    { name: 'into a synced project without components', imported: false },
    { name: 'into a synced project that holds an imported component', imported: true },
  ])('computes every figure as the views do, $name', ({ imported }) => {
    const { db, project } = setup();
    const local = addProject(db, 'LOCAL');
    const kept = addComponent(db, { projectId: local, tag: 'L-1', area: 'A1' });
    addMilestone(db, kept, { name: 'Receive', completedAt: '2026-11-03T09:00:00.000Z' });
    if (imported) addMilestone(db, addComponent(db, { projectId: project, tag: 'IMP-1', type: 'Valve' }), { name: 'Receive', completedAt: '2026-11-04T09:00:00.000Z' });
    const localDaily = db.prepare('SELECT * FROM progress_daily WHERE project_id = ? ORDER BY dimension, key, day').all(local);
    expect(localDaily.length).toBeGreaterThan(0);

    stageComponent(db, { source: 'cmp-v', project, tag: 'V-1' });
    stageComponent(db, { source: 'cmp-p', project, tag: 'P-1', type: 'Pipe', workflow: 'MILESTONE_PERCENTAGE', area: 'A2' });
    stageComponent(db, { source: 'cmp-q', project, tag: 'Q-1', type: 'Support', workflow: 'MILESTONE_QUANTITY', completion: 37.5, area: 'A2' });
    stageComponent(db, { source: 'cmp-e', project, tag: 'E-1' });
    // cmp-v: all three done, Erect without a date (its day is its updated_at): 10 + 40 + 50 = 100 %, completed on the latest date.
    stageMilestone(db, { source: 'm-v1', component: 'cmp-v', name: 'Receive', done: true, at: '2026-11-20T10:00:00.000Z' });
    stageMilestone(db, { source: 'm-p1', component: 'cmp-p', name: 'Connect', percent: 150 });
    stageMilestone(db, { source: 'm-v2', component: 'cmp-v', name: 'Erect', done: true, at: null, updated: '2026-11-22T07:00:00.000Z' });
    stageMilestone(db, { source: 'm-p2', component: 'cmp-p', name: 'Test', percent: -5 });
    stageMilestone(db, { source: 'm-v3', component: 'cmp-v', name: 'Test', done: true, at: '2026-11-21T10:00:00.000Z' });
    stageMilestone(db, { source: 'm-p3', component: 'cmp-p', name: 'Weld', percent: 12.5 });
    stageMilestone(db, { source: 'm-q1', component: 'cmp-q', name: 'Receive', done: true });
    stageMilestone(db, { source: 'm-q2', component: 'cmp-q', name: 'Install' });
    stageMilestone(db, { source: 'm-x', component: 'cmp-nowhere', name: 'Receive', done: true });

    const outcome = merge(db);

    expect(outcome.Component).toEqual({ changed: 4, skipped: [] });
    expect(outcome.ComponentMilestone).toEqual({ changed: 8, skipped: [{ id: 'm-x', reason: 'its component is not in SiteReport' }] });
    expect(
      db.prepare('SELECT source_id AS id, roc_micro AS roc, milestones_total AS total, milestones_completed AS done, completed_at, last_activity_at AS active FROM components WHERE source_id IS NOT NULL ORDER BY source_id').all(),
    ).toEqual([
      { id: 'cmp-e', roc: 0, total: 0, done: 0, completed_at: null, active: '2026-11-01T00:00:00.000Z' },
      // Connect 100 % (150 clamped) of 40 = 40 %; Test −5 → 0; Weld has no weight.
      { id: 'cmp-p', roc: 40_000_000, total: 3, done: 0, completed_at: null, active: '2026-11-02T00:00:00.000Z' },
      // Quantity workflow: ROC is the completion percent.
      { id: 'cmp-q', roc: 37_500_000, total: 2, done: 1, completed_at: null, active: '2026-11-20T10:00:00.000Z' },
      { id: 'cmp-v', roc: 100_000_000, total: 3, done: 3, completed_at: '2026-11-21T10:00:00.000Z', active: '2026-11-22T07:00:00.000Z' },
    ]);
    // Shares of three: a done milestone round(1e8 / 3); Connect 100 × 1e6 / 3; Weld 12.5 × 1e6 / 3 = 4,166,666.67.
    expect(milestoneFigures(db)).toEqual([
      { id: 'm-p1', earned: 40_000_000, share: 33_333_333 },
      { id: 'm-p2', earned: 0, share: 0 },
      { id: 'm-p3', earned: 0, share: 4_166_667 },
      { id: 'm-q1', earned: 0, share: 0 },
      { id: 'm-q2', earned: 0, share: 0 },
      { id: 'm-v1', earned: 10_000_000, share: 33_333_333 },
      { id: 'm-v2', earned: 40_000_000, share: 33_333_333 },
      { id: 'm-v3', earned: 50_000_000, share: 33_333_333 },
    ]);
    const figures = maintainedFigures(db);
    expect(figures.kept).toEqual(figures.recomputed);
    expect(db.prepare('SELECT * FROM progress_daily WHERE project_id = ? ORDER BY dimension, key, day').all(local)).toEqual(localDaily);
    expect(db.prepare("SELECT day, milestone_completions AS n, earned_micro AS earned FROM progress_daily WHERE project_id = ? AND dimension = 'area' AND key = 'A1' ORDER BY day").all(project)).toEqual([
      ...(imported ? [{ day: '2026-11-04', n: 1, earned: 10_000_000 }] : []),
      { day: '2026-11-20', n: 1, earned: 10_000_000 },
      { day: '2026-11-21', n: 1, earned: 50_000_000 },
      { day: '2026-11-22', n: 1, earned: 40_000_000 },
    ]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  // Migration 8: an earlier build's staging read by (updatedAt, id) and has no component rows
  // or counts; its components and milestones are read again, and nothing else is lost.
  it.each([
    { name: 'an interrupted first sync of an earlier build starts its components and milestones again', staged: true },
    { name: 'a database with nothing staged keeps every cursor', staged: false },
  ])('$name', ({ staged }) => {
    const file = path.join(tempDir(), 'v7.db');
    const old = new Database(file);
    for (const m of MIGRATIONS.filter((x) => x.version <= 7)) old.exec(m.sql);
    old.pragma('user_version = 7');
    const cursor = old.prepare("INSERT INTO sync_state (table_name, cursor_at, cursor_id, rows_applied) VALUES (?, '2026-11-20 08:00:00.000000', 'x-9', 10)");
    for (const table of ['Project', 'Component', 'ComponentMilestone']) cursor.run(table);
    if (staged) {
      old.exec(`INSERT INTO sync_stage_components (project_id, tag, type, status, completion_percent, workflow_type, test_required, created_at, updated_at, source_id)
                VALUES (1, 'V-1', 'Valve', 'IN_PROGRESS', 0, 'MILESTONE_DISCRETE', 0, 'a', 'a', 'cmp-a');
                INSERT INTO sync_stage_milestones (component_source, name, milestone_order, is_completed, updated_at, source_id) VALUES ('cmp-a', 'Receive', 1, 0, 'a', 'm-a1')`);
    }
    old.close();

    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.prepare('SELECT table_name, cursor_at, first_key FROM sync_state ORDER BY table_name').all()).toEqual(
        (staged ? ['Project'] : ['Component', 'ComponentMilestone', 'Project']).map((table_name) => ({ table_name, cursor_at: '2026-11-20 08:00:00.000000', first_key: null })),
      );
      expect(db.prepare('SELECT (SELECT count(*) FROM sync_stage_components) + (SELECT count(*) FROM sync_stage_milestones) AS n').get()).toEqual({ n: 0 });
      expect(firstSyncUnderWay(db)).toBe(false);
    } finally {
      db.close();
    }
  });
});
