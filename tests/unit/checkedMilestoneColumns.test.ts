import { describe, expect, it } from 'vitest';
import { CheckedMilestoneColumns, type KeptMilestone } from '../../src/main/import/checkedMilestoneColumns';
import type { CheckedMilestone } from '../../src/main/import/milestoneImport';

const row = (r: number): CheckedMilestone => ({
  line: r + 2, tag: `T-${r >> 2}`, name: ['Receive', 'Erect', 'Connect', 'Test'][r % 4] as string, order: (r % 4) + 1, completed: r % 3 === 0,
  at: r % 3 === 0 ? `2026-10-${String((r % 28) + 1).padStart(2, '0')}T00:00:00.000Z` : null, completedBy: r % 5 === 0 ? null : `user ${r % 7}`,
  // Percents start past the first growth of the arrays, and a few are zero or negative zero.
  percent: r < 70_000 ? null : r % 2 === 0 ? (r % 100) / 4 : r % 11 === 0 ? -0 : null, bad: false,
});
const plain = (m: KeptMilestone) => ({ ...m });

describe('checked milestones kept between the passes of a first import', () => {
  it('gives back every row with its values, across the arrays growing', () => {
    const kept = new CheckedMilestoneColumns();
    const n = 150_000;
    for (let r = 0; r < n; r++) kept.add(r >> 2, row(r));
    expect(kept.kept()).toBe(true);
    expect(kept.rows).toBe(n);
    let r = 0;
    for (const m of kept.read()) {
      const want = row(r);
      expect(plain(m)).toEqual({ component: r >> 2, name: want.name, order: want.order, completed: want.completed, at: want.at, completedBy: want.completedBy, percent: want.percent });
      if (Object.is(want.percent, -0)) expect(Object.is(m.percent, -0)).toBe(true);
      r += 1;
    }
    expect(r).toBe(n);
  });

  it('lets go of a file with too many different texts, or an order past 32 bits', () => {
    const varied = new CheckedMilestoneColumns(3);
    varied.add(0, { ...row(1), name: 'A', completedBy: 'x' });
    varied.add(0, { ...row(1), name: 'B', completedBy: 'x' });
    expect(varied.kept()).toBe(true);
    varied.add(0, { ...row(1), name: 'C', completedBy: 'x' });
    expect(varied.kept()).toBe(false);
    expect(varied.rows).toBe(0);
    expect(() => [...varied.read()]).toThrow(/not kept/);
    const large = new CheckedMilestoneColumns();
    large.add(0, row(0));
    large.add(0, { ...row(1), order: 2 ** 31 });
    expect(large.kept()).toBe(false);
  });
});
