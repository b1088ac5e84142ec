/**
 * Every write path keeps the trigger-maintained figures equal to a from-scratch recomputation
 * (the set-based path bulk loads use), checked after each write on a generated project.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/main/db/connection';
import { refreshMaintainedFigures } from '../../src/main/db/bulkWrites';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { tempDir } from '../helpers/fixtureDb';

let db: Db;

function snapshot(d: Db) {
  return {
    components: d.prepare('SELECT id, roc_config_id, roc_micro, completed_at, last_activity_at, milestones_total, milestones_completed FROM components ORDER BY id').all(),
    milestones: d.prepare('SELECT id, project_id, earned_micro, share_micro FROM component_milestones ORDER BY id').all(),
    rollups: d.prepare('SELECT * FROM progress_rollups WHERE total <> 0 ORDER BY project_id, dimension, key').all(),
    cube: d.prepare('SELECT * FROM component_cube ORDER BY project_id, area, system, type, status, workflow_type').all(),
    orphans: d.prepare('SELECT count(*) AS n FROM progress_orphan_events').get(),
    daily: d
      .prepare(
        'SELECT * FROM progress_daily WHERE milestone_completions <> 0 OR earned_micro <> 0 OR share_micro <> 0 OR components_completed <> 0 ORDER BY project_id, dimension, key, day',
      )
      .all(),
  };
}

function recomputed(d: Db) {
  d.exec('SAVEPOINT recompute');
  try {
    refreshMaintainedFigures(d, { kind: 'all' });
    return snapshot(d);
  } finally {
    d.exec('ROLLBACK TO recompute');
    d.exec('RELEASE recompute');
  }
}

function expectConsistent() {
  const live = snapshot(db);
  const fresh = recomputed(db);
  expect(live.components).toEqual(fresh.components);
  expect(live.milestones).toEqual(fresh.milestones);
  expect(live.rollups).toEqual(fresh.rollups);
  expect(live.daily).toEqual(fresh.daily);
  expect(live.cube).toEqual(fresh.cube);
}

beforeAll(() => {
  const file = path.join(tempDir(), 'maintained.db');
  createDemoDatabase(file, { components: 1500, seed: 7, anchorDate: '2026-11-22' });
  db = openDatabase(file);
});

describe('maintained ROC figures', () => {
  it('match a full recomputation straight after demo generation', () => {
    expectConsistent();
  });

  it('follow milestone completion, reopening and percentage updates', () => {
    const open = db.prepare("SELECT m.id, c.id AS cid FROM component_milestones m JOIN components c ON c.id = m.component_id WHERE m.is_completed = 0 AND c.workflow_type = 'MILESTONE_DISCRETE' LIMIT 1").get() as { id: number; cid: number };
    const before = (db.prepare('SELECT roc_micro FROM components WHERE id = ?').get(open.cid) as { roc_micro: number }).roc_micro;
    db.prepare("UPDATE component_milestones SET is_completed = 1, completed_at = '2026-11-21T10:00:00Z', updated_at = '2026-11-21T10:00:00Z' WHERE id = ?").run(open.id);
    const after = (db.prepare('SELECT roc_micro FROM components WHERE id = ?').get(open.cid) as { roc_micro: number }).roc_micro;
    expect(after).toBeGreaterThanOrEqual(before);
    expectConsistent();
    db.prepare('UPDATE component_milestones SET is_completed = 0, completed_at = NULL WHERE id = ?').run(open.id);
    expect((db.prepare('SELECT roc_micro FROM components WHERE id = ?').get(open.cid) as { roc_micro: number }).roc_micro).toBe(before);
    const pct = db.prepare("SELECT m.id FROM component_milestones m JOIN components c ON c.id = m.component_id WHERE c.workflow_type = 'MILESTONE_PERCENTAGE' AND m.is_completed = 0 LIMIT 1").get() as { id: number };
    db.prepare("UPDATE component_milestones SET percentage_value = 64.5, updated_at = '2026-11-20T09:00:00Z' WHERE id = ?").run(pct.id);
    expectConsistent();
  });

  it('follow weight configuration changes, new configurations and deletions', () => {
    db.prepare("UPDATE roc_configurations SET weights_json = '{\"Receive\":5,\"Install\":85,\"Complete\":10}' WHERE component_type = 'Support' AND effective_date < '2026-11-22'").run();
    expectConsistent();
    const projectId = (db.prepare('SELECT id FROM projects').get() as { id: number }).id;
    const id = Number(
      db
        .prepare("INSERT INTO roc_configurations (project_id, component_type, weights_json, effective_date, is_default) VALUES (?, 'Spool', '{\"Receive\":20,\"Erect\":20,\"Connect\":20,\"Test\":20,\"Complete\":20}', '2025-01-01', 0)")
        .run(projectId).lastInsertRowid,
    );
    expect((db.prepare("SELECT count(*) AS n FROM components WHERE type = 'Spool' AND roc_config_id = ?").get(id) as { n: number }).n).toBeGreaterThan(0);
    expectConsistent();
    db.prepare('DELETE FROM roc_configurations WHERE id = ?').run(id);
    expect((db.prepare('SELECT count(*) AS n FROM components WHERE roc_config_id = ?').get(id) as { n: number }).n).toBe(0);
    expectConsistent();
  });

  it('follow component edits and deletions', () => {
    db.prepare("UPDATE components SET area = 'A99 New Area', status = 'COMPLETED' WHERE id IN (SELECT id FROM components ORDER BY id LIMIT 5)").run();
    db.prepare("UPDATE components SET type = 'Valve' WHERE id = (SELECT id FROM components WHERE type = 'Spool' LIMIT 1)").run();
    db.prepare("UPDATE components SET completion_percent = 12.5, updated_at = '2026-11-21T00:00:00Z' WHERE workflow_type = 'MILESTONE_QUANTITY' AND id = (SELECT id FROM components WHERE workflow_type = 'MILESTONE_QUANTITY' LIMIT 1)").run();
    expectConsistent();
    db.prepare('DELETE FROM components WHERE id IN (SELECT id FROM components ORDER BY id DESC LIMIT 25)').run();
    db.prepare('DELETE FROM component_milestones WHERE id = (SELECT max(id) FROM component_milestones)').run();
    expectConsistent();
  });
});
