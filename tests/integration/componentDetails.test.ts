import { describe, expect, it } from 'vitest';
import { componentDetails, type ComponentSortField } from '../../src/main/reports/componentDetails';
import { addComponent, addMilestone, addProject, createTestDb, ctxFor } from '../helpers/fixtureDb';

describe('component details keyset pagination', () => {
  const db = createTestDb();
  const p = addProject(db, 'K');
  const areas = ['B', null, 'A', 'C', null, 'A'];
  for (let i = 0; i < 60; i++) {
    const id = addComponent(db, { projectId: p, tag: `T-${String(i).padStart(3, '0')}`, area: areas[i % areas.length] ?? null, completion: (i * 7) % 100, testPackage: i % 5 === 0 ? null : 'TP' });
    addMilestone(db, id, { name: 'Receive', completedAt: i % 2 ? '2026-05-01T00:00:00Z' : null, order: 1 });
  }
  db.prepare("INSERT INTO audit_log (project_id, component_id, user_name, at, action, changes_json) VALUES (?, 1, 'qa', '2026-05-02T00:00:00Z', 'EDIT', '{\"x\":1}')").run(p);
  const ctx = ctxFor(db, 'K');

  function walk(sort: ComponentSortField, descending: boolean, limit: number) {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = componentDetails(ctx, { sort, descending, limit, cursor });
      seen.push(...page.components.map((c) => c.id));
      if (!page.pagination.nextCursor) return seen;
      cursor = page.pagination.nextCursor;
    }
  }

  for (const sort of ['area', 'testPackage', 'completionPercent', 'tag'] as const) {
    for (const descending of [false, true]) {
      it(`visits every row once in order when sorting by ${sort} ${descending ? 'descending' : 'ascending'}`, () => {
        const all = componentDetails(ctx, { sort, descending, limit: 5000 }).components.map((c) => c.id);
        expect(all).toHaveLength(60);
        expect(walk(sort, descending, 7)).toEqual(all);
      });
    }
  }

  it('filters, searches, includes milestones, drawing and the last 5 audit entries', () => {
    const r = componentDetails(ctx, { filters: { area: ['A'] }, search: 'T-00', includeAudit: true, includeTotal: true });
    expect(r.components.every((c) => c.area === 'A' && c.tag.startsWith('T-00'))).toBe(true);
    expect(r.pagination.total).toBe(r.components.length);
    const first = componentDetails(ctx, { search: 'T-000', includeAudit: true }).components[0];
    expect(first?.auditTrail).toEqual([{ at: '2026-05-02T00:00:00Z', user: 'qa', action: 'EDIT', changes: { x: 1 } }]);
    expect(first?.milestones.map((m) => m.name)).toEqual(['Receive']);
  });

  it('treats LIKE wildcards in a search as plain text', () => {
    expect(componentDetails(ctx, { search: '%' }).components).toHaveLength(0);
  });

  it('rejects a cursor made for another sort', () => {
    const page = componentDetails(ctx, { sort: 'area', limit: 5 });
    expect(() => componentDetails(ctx, { sort: 'tag', cursor: page.pagination.nextCursor ?? '' })).toThrow(/made for sort "area"/);
  });
});
