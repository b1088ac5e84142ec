/**
 * Audit rows from the server go 32 to a statement (RowApplier's `many`); a set holding a row the
 * local model refuses goes again row by row, so only that row is skipped, with its reason, and
 * a second read of the same rows changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { addComponent, addProject, createTestDb } from '../helpers/fixtureDb';
import { RowApplier } from '../../src/main/sync/applyRows';

const NOW = '2026-11-23T08:00:00.000Z';

function setup() {
  const db = createTestDb();
  const project = addProject(db, 'P1');
  db.prepare("UPDATE projects SET source = 'pipetrak', source_id = 'prj-1' WHERE id = ?").run(project);
  const valve = addComponent(db, { projectId: project, tag: 'V-1' });
  db.prepare("UPDATE components SET source_id = 'cmp-v' WHERE id = ?").run(valve);
  return { db, valve };
}

/** 70 rows: two full sets of 32 and 6 left over; row 40 (in the second set) has changes that are not JSON. */
const rows = Array.from({ length: 70 }, (_, i) => ({
  id: `aud-${String(i).padStart(2, '0')}`,
  project: 'prj-1',
  // Every third row names a component SiteReport does not hold: kept, without its component.
  component: i % 3 === 0 ? 'cmp-unknown' : 'cmp-v',
  user_name: `user ${i % 4}`,
  action: 'milestone_completed',
  changes: i === 40 ? '{not json' : `{"n": ${i}}`,
  at: `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T10:00:00.000Z`,
}));

describe('audit rows from the server', () => {
  it('are written many to a statement; a refused row is skipped alone, and reading them again changes nothing', () => {
    const { db, valve } = setup();
    const applier = new RowApplier(db, () => NOW);
    const first = db.transaction(() => applier.apply('AuditLog', rows))();
    expect(first.changed).toBe(69);
    expect(first.skipped).toEqual([{ id: 'aud-40', reason: 'the change record is not valid JSON' }]);
    const stored = db.prepare('SELECT source_id AS id, component_id AS component, user_name AS user, at, changes_json AS changes FROM audit_log ORDER BY source_id').all() as Array<{ id: string; component: number | null; user: string; at: string; changes: string }>;
    expect(stored).toHaveLength(69);
    expect(stored.map((r) => r.id)).toEqual(rows.filter((_, i) => i !== 40).map((r) => r.id));
    expect(stored[0]).toEqual({ id: 'aud-00', component: null, user: 'user 0', at: '2026-11-01T10:00:00.000Z', changes: '{"n": 0}' });
    expect(stored[1]).toEqual({ id: 'aud-01', component: valve, user: 'user 1', at: '2026-11-02T10:00:00.000Z', changes: '{"n": 1}' });
    expect(stored.find((r) => r.id === 'aud-41')).toEqual({ id: 'aud-41', component: valve, user: 'user 1', at: '2026-11-02T10:00:00.000Z', changes: '{"n": 41}' });
    expect(db.prepare("SELECT table_name, source_id, reason FROM sync_skipped").all()).toEqual([{ table_name: 'AuditLog', source_id: 'aud-40', reason: 'the change record is not valid JSON' }]);

    const again = db.transaction(() => applier.apply('AuditLog', rows))();
    expect(again.changed).toBe(0);
    expect(again.skipped).toEqual([{ id: 'aud-40', reason: 'the change record is not valid JSON' }]);

    // Two rows changed on the server (one in a full set, one left over), and the refused one fixed.
    const fixed = rows.map((r, i) => (i === 40 ? { ...r, changes: '{"n": 40}' } : i === 5 || i === 65 ? { ...r, action: 'milestone_reopened' } : r));
    const third = db.transaction(() => applier.apply('AuditLog', fixed))();
    expect(third).toEqual({ changed: 3, skipped: [] });
    expect(db.prepare("SELECT source_id FROM audit_log WHERE action = 'milestone_reopened' ORDER BY source_id").pluck().all()).toEqual(['aud-05', 'aud-65']);
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 70 });
    expect(db.prepare('SELECT count(*) AS n FROM sync_skipped').get()).toEqual({ n: 0 });
  });
});
