import { describe, expect, it } from 'vitest';
import { figuresByDifference, type ComponentFigures } from '../../src/main/db/figuresByDifference';
import type { BatchBefore, BatchRow, WrittenMilestone } from '../../src/main/db/contributionDelta';

// Component 1: 4 milestones, 2 complete (30 % + 10 %), last activity on the 10th.
const partial: ComponentFigures = { rocMicro: 40_000_000, completedAt: null, lastActivityAt: '2026-11-10T08:00:00.000Z', total: 4, completed: 2, workflow: 'MILESTONE_DISCRETE' };
// Component 2: 2 milestones, both complete (60 % + 40 %), the latest on the 12th.
const complete: ComponentFigures = { rocMicro: 100_000_000, completedAt: '2026-11-12T09:00:00.000Z', lastActivityAt: '2026-11-12T09:00:00.000Z', total: 2, completed: 2, workflow: 'MILESTONE_DISCRETE' };

const DAY = '2026-11-20';
const before = (component: number, completed: number, earned: number, completedAt: string | null, updatedAt: string): BatchRow => [component, DAY, completed, earned, 0, completedAt, updatedAt];
const after = (id: number, component: number, completed: number, earned: number, completedAt: string | null, updatedAt: string): WrittenMilestone => [id, component, DAY, completed, earned, 0, completedAt, updatedAt];

function run(figures: ReadonlyMap<number, ComponentFigures>, batch: Array<[number, BatchRow]>, written: WrittenMilestone[], options: { recompute?: number[]; rocFloorExact?: boolean } = {}) {
  return figuresByDifference(figures, new Map(batch) as BatchBefore, written, new Set(options.recompute ?? []), options.rocFloorExact ?? true);
}

describe('component figures by difference', () => {
  it('adds the credit, count and latest activity of milestones completed in place, but not when that completes the component', () => {
    const r = run(new Map([[1, partial]]), [
      [11, before(1, 0, 0, null, '2026-11-01T00:00:00.000Z')],
      [12, before(1, 0, 0, null, '2026-11-01T00:00:00.000Z')],
    ], [
      after(11, 1, 1, 15_000_000, '2026-11-21T10:00:00.000Z', '2026-11-21T10:00:01.000Z'),
      after(12, 1, 1, 5_000_000, '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:01.000Z'),
    ]);
    // 2 + 2 of 4: all complete now, and the completion date is the latest of all four.
    expect(r.has(1)).toBe(false);
    const one = run(new Map([[1, partial]]), [[11, before(1, 0, 0, null, '2026-11-01T00:00:00.000Z')]], [after(11, 1, 1, 15_000_000, '2026-11-21T10:00:00.000Z', '2026-11-21T10:00:01.000Z')]);
    expect(one.get(1)).toEqual({ ...partial, rocMicro: 55_000_000, completed: 3, completedAt: null, lastActivityAt: '2026-11-21T10:00:01.000Z' });
  });

  it('takes a reopened milestone away, keeping the latest activity of the others', () => {
    const r = run(new Map([[1, partial]]), [[11, before(1, 1, 30_000_000, '2026-11-05T00:00:00.000Z', '2026-11-05T00:00:00.000Z')]], [after(11, 1, 0, 0, null, '2026-11-22T07:00:00.000Z')]);
    expect(r.get(1)).toEqual({ ...partial, rocMicro: 10_000_000, completed: 1, lastActivityAt: '2026-11-22T07:00:00.000Z' });
  });

  it('leaves out a component at 100 %, whose unclamped sum it does not know', () => {
    const r = run(new Map([[2, complete]]), [[21, before(2, 1, 60_000_000, '2026-11-11T00:00:00.000Z', '2026-11-11T00:00:00.000Z')]], [after(21, 2, 0, 0, null, '2026-11-22T07:00:00.000Z')]);
    expect(r.has(2)).toBe(false);
  });

  it('leaves out a component at 0 % only when a negative weight exists', () => {
    const empty: ComponentFigures = { ...partial, rocMicro: 0, completed: 0 };
    const completing = (rocFloorExact: boolean) =>
      run(new Map([[1, empty]]), [[11, before(1, 0, 0, null, '2026-11-01T00:00:00.000Z')]], [after(11, 1, 1, 15_000_000, '2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00.000Z')], { rocFloorExact });
    expect(completing(true).get(1)?.rocMicro).toBe(15_000_000);
    expect(completing(false).has(1)).toBe(false);
  });

  it('keeps a complete component complete when a date that is not the latest moves, and leaves it out when the latest moves earlier', () => {
    const notLatest = run(new Map([[2, { ...complete, rocMicro: 90_000_000 }]]), [[21, before(2, 1, 50_000_000, '2026-11-11T00:00:00.000Z', '2026-11-11T00:00:00.000Z')]], [after(21, 2, 1, 50_000_000, '2026-11-03T00:00:00.000Z', '2026-11-22T07:00:00.000Z')]);
    expect(notLatest.get(2)).toEqual({ ...complete, rocMicro: 90_000_000, completedAt: '2026-11-12T09:00:00.000Z', lastActivityAt: '2026-11-22T07:00:00.000Z' });
    const latest = run(new Map([[2, { ...complete, rocMicro: 90_000_000 }]]), [[21, before(2, 1, 50_000_000, '2026-11-12T09:00:00.000Z', '2026-11-12T09:00:00.000Z')]], [after(21, 2, 1, 50_000_000, '2026-11-03T00:00:00.000Z', '2026-11-22T07:00:00.000Z')]);
    expect(latest.has(2)).toBe(false);
    const laterStill = run(new Map([[2, { ...complete, rocMicro: 90_000_000 }]]), [[21, before(2, 1, 50_000_000, '2026-11-12T09:00:00.000Z', '2026-11-12T09:00:00.000Z')]], [after(21, 2, 1, 50_000_000, '2026-11-22T06:00:00.000Z', '2026-11-22T07:00:00.000Z')]);
    expect(laterStill.get(2)?.completedAt).toBe('2026-11-22T06:00:00.000Z');
  });

  it('leaves out a component whose latest activity moved earlier', () => {
    const r = run(new Map([[1, partial]]), [[11, before(1, 1, 30_000_000, '2026-11-10T08:00:00.000Z', '2026-11-10T08:00:00.000Z')]], [after(11, 1, 1, 30_000_000, '2026-11-09T00:00:00.000Z', '2026-11-09T00:00:00.000Z')]);
    expect(r.has(1)).toBe(false);
  });

  it('leaves out components to recompute, moved and new milestones, and text that is not plain ASCII', () => {
    const figures = new Map([[1, partial]]);
    const row: Array<[number, BatchRow]> = [[11, before(1, 0, 0, null, '2026-11-01T00:00:00.000Z')]];
    const done = after(11, 1, 1, 15_000_000, '2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00.000Z');
    expect(run(figures, row, [done], { recompute: [1] }).has(1)).toBe(false);
    expect(run(figures, [], [done]).has(1)).toBe(false);
    expect(run(figures, [[11, before(7, 0, 0, null, '2026-11-01T00:00:00.000Z')]], [done]).has(1)).toBe(false);
    expect(run(figures, row, [after(11, 1, 1, 15_000_000, '2026-11-21T10:00:00.000Z', '２026-11-21T10:00:00.000Z')]).has(1)).toBe(false);
  });

  it('keeps a quantity component\'s ROC (its completion percent) and counts its milestones', () => {
    const quantity: ComponentFigures = { ...partial, rocMicro: 35_000_000, workflow: 'MILESTONE_QUANTITY' };
    const r = run(new Map([[1, quantity]]), [[11, before(1, 0, 0, null, '2026-11-01T00:00:00.000Z')]], [after(11, 1, 1, 0, '2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00.000Z')]);
    expect(r.get(1)).toMatchObject({ rocMicro: 35_000_000, completed: 3 });
  });
});
