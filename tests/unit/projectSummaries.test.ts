/**
 * rebuildSummaries (projectSummaries.ts) keys each component's group and cell by one string of
 * its project, area, system, test package, type, status and workflow. Texts that would run into
 * each other when joined must still land in their own groups and cells.
 */
import { describe, expect, it } from 'vitest';
import { addComponent, addConfig, addMilestone, addProject, createTestDb } from '../helpers/fixtureDb';
import { maintainedFigures } from '../helpers/maintainedFigures';
import { rebuildSummaries, withTriggersLifted } from '../../src/main/db/bulkWrites';

describe('the summaries rebuilt from the components and milestones', () => {
  it('keep apart components whose texts agree only when joined', () => {
    const db = createTestDb();
    const p1 = addProject(db, 'P1');
    const p2 = addProject(db, 'P12');
    addConfig(db, null, null, { Receive: 40, Test: 60 });
    const specs = [
      { projectId: p1, tag: 'A', area: 'A:1', system: 'S', testPackage: 'T' },
      { projectId: p1, tag: 'B', area: 'A', system: '1:S', testPackage: 'T' },
      { projectId: p1, tag: 'C', area: 'A', system: '1', testPackage: 'S:T' },
      { projectId: p1, tag: 'D', area: 'A', system: '1', testPackage: 'S', type: 'T:Valve' },
      { projectId: p1, tag: 'E', area: '2:A', system: '1', testPackage: 'S' },
      { projectId: p2, tag: 'F', area: 'A', system: '1', testPackage: 'S' },
      { projectId: p1, tag: 'G', area: null, system: 'Unassigned', testPackage: null, status: 'COMPLETED' as const },
    ];
    specs.forEach((spec, i) => {
      const id = addComponent(db, spec);
      addMilestone(db, id, { name: 'Receive', completedAt: `2026-11-${10 + i}T08:00:00Z` });
      addMilestone(db, id, { name: 'Test' });
    });
    db.transaction(() => withTriggersLifted(db, () => rebuildSummaries(db, null)))();

    const figures = maintainedFigures(db);
    expect(figures.kept).toEqual(figures.recomputed);
    const areas = db.prepare("SELECT project_id AS p, key, total FROM progress_rollups WHERE dimension = 'area' ORDER BY p, key").all();
    expect(areas).toEqual([
      { p: p1, key: '2:A', total: 1 },
      { p: p1, key: 'A', total: 3 },
      { p: p1, key: 'A:1', total: 1 },
      { p: p1, key: 'Unassigned', total: 1 },
      { p: p2, key: 'A', total: 1 },
    ]);
    // A NULL area and a literal 'Unassigned' system share the word, not a group of another dimension.
    expect(db.prepare("SELECT count(*) FROM component_cube WHERE project_id = ? AND area = 'A' AND system = '1'").pluck().get(p1)).toBe(2);
    expect(db.prepare("SELECT total, completed FROM component_cube WHERE project_id = ? AND area = 'Unassigned'").get(p1)).toEqual({ total: 1, completed: 1 });
  });
});
