/**
 * liftIndexes: a table's indexes dropped for a bulk load and built again afterwards, in sort
 * runs of their own size (a small page cache for the builds), with the connection's page cache
 * as it was.
 */
import { describe, expect, it } from 'vitest';
import { addProject, createTestDb } from '../helpers/fixtureDb';
import { liftIndexes } from '../../src/main/db/liftedIndexes';
import { withTempFiles } from '../../src/main/db/tempFiles';
import type { Db } from '../../src/main/db/connection';

const indexes = (db: Db) => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'components' ORDER BY name").all();

/** 30,000 components in ten areas, enough rows for the builds' sorts to take several runs of 4 MB each. */
function fill(db: Db, project: number): void {
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
     INSERT INTO components (project_id, tag, type, area, status, completion_percent, created_at, updated_at, source_id)
     SELECT ?, printf('T-%06d-%s', i, hex(randomblob(40))), 'Valve', 'A' || (i % 10), 'NOT_STARTED', 0, '2026-11-01', '2026-11-01', hex(randomblob(12)) FROM n`,
  ).run(project);
}

describe('indexes lifted for a bulk load', () => {
  it('are built again as they were, and the page cache is back to its size after', () => {
    const db = createTestDb();
    const project = addProject(db, 'P1');
    const before = indexes(db);
    db.pragma('cache_size = -262144');
    withTempFiles(db, () =>
      db.transaction(() => {
        const restore = liftIndexes(db, 'components', ['idx_components_drawing']);
        expect(indexes(db).map((ix) => (ix as { name: string }).name)).toEqual(['idx_components_drawing', 'sqlite_autoindex_components_1']);
        fill(db, project);
        restore();
      })(),
    );
    expect(indexes(db)).toEqual(before);
    expect(db.pragma('cache_size', { simple: true })).toBe(-262144);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The area index answers as the table does.
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM components WHERE project_id = ? AND area = 'A3'").all(project) as Array<{ detail: string }>;
    expect(plan.some((p) => p.detail.includes('idx_components_area'))).toBe(true);
    expect(db.prepare("SELECT count(*) FROM components WHERE project_id = ? AND area = 'A3'").pluck().get(project)).toBe(3000);
  });

  it('refuse to work outside a transaction, and leave the indexes alone then', () => {
    const db = createTestDb();
    addProject(db, 'P1');
    expect(() => liftIndexes(db, 'components')).toThrow(/needs an open transaction/);
    expect(indexes(db).length).toBe(11);
  });
});
