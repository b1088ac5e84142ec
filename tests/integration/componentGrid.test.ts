import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { openAppServices, type AppServices } from '../../src/main/services/appServices';
import { componentGrid } from '../../src/main/services/componentGrid';
import { iterateComponentRows } from '../../src/main/reports/componentDetails';
import { tempDir } from '../helpers/fixtureDb';

let s: AppServices;

beforeAll(() => {
  const file = path.join(tempDir(), 'grid.db');
  createDemoDatabase(file, { components: 2500, seed: 6, anchorDate: '2026-11-22' });
  s = openAppServices({ dbPath: file });
});
afterAll(() => s.close());

describe('component grid blocks', () => {
  it.each([
    ['tag', {}],
    ['test package descending (NULLs last)', { sort: 'testPackage', descending: true }],
    ['area, filtered to two statuses', { sort: 'area', filters: { status: ['IN_PROGRESS', 'NOT_STARTED'] } }],
  ] as const)('give the same rows by offset jump and by keyset continuation: %s', (_n, params) => {
    const all = [...iterateComponentRows(s.db, 1, params as never)].map((r) => r[0]);
    const total = all.length;
    for (const offset of [0, 1, 199, 200, 1234, total - 5, total + 10]) {
      const page = componentGrid(s.db, { ...(params as object), offset, limit: 200, withTotal: true } as never);
      expect(page.total).toBe(total);
      expect(page.rows.map((r) => r.tag)).toEqual(all.slice(offset, offset + 200));
      if (page.next && offset + 200 < total) {
        const next = componentGrid(s.db, { ...(params as object), offset: offset + 200, limit: 200, after: page.next } as never);
        expect(next.rows.map((r) => r.tag)).toEqual(all.slice(offset + 200, offset + 400));
      }
    }
  });
});

describe('position marks for jumps deep into the list', () => {
  it.each([
    ['tag', {}],
    ['test package descending (NULLs last)', { sort: 'testPackage', descending: true }],
    ['area ascending, NULLs first, filtered', { sort: 'area', filters: { status: ['IN_PROGRESS', 'NOT_STARTED', 'COMPLETED'] } }],
  ] as const)('give the rows a plain offset seek gives, before and after the marks are built: %s', async (_n, params) => {
    const { GridPositions } = await import('../../src/main/services/gridPositions');
    const positions = new GridPositions(() => s.dataVersionStamp());
    const all = [...iterateComponentRows(s.db, 1, params as never)].map((r) => r[0]);
    const offsets = [1, 1023, 1024, 1025, 2047, 2048, 2049, all.length - 1, all.length + 3];
    const check = () => {
      for (const offset of offsets) {
        const page = componentGrid(s.db, { ...(params as object), offset, limit: 50 } as never, positions);
        expect(page.rows.map((r) => r.tag)).toEqual(all.slice(offset, offset + 50));
      }
    };
    check();
    await new Promise((r) => setTimeout(r, 300));
    check();
  });
});
