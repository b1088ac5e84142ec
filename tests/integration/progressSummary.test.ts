/**
 * Hand-computed fixture for SPEC §4. Weights (A, B):
 *   default/*     50/50      default/Valve  20/80
 *   P1/*          30/70      P1/Spool       60/40 (2020), 90/10 from 2099 (not yet)
 *   P2/Big        80/80      P2/Neg         -50/10
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/main/db/connection';
import { progressSummary } from '../../src/main/reports/progressSummary';
import { addComponent, addConfig, addMilestone, addProject, createTestDb, ctxFor } from '../helpers/fixtureDb';

let db: Db;
let p1: number;
let p2: number;

function rocOf(tag: string): number {
  return (db.prepare('SELECT roc_micro FROM components WHERE tag = ?').get(tag) as { roc_micro: number }).roc_micro / 1e6;
}

beforeEach(() => {
  db = createTestDb();
  p1 = addProject(db, 'P1');
  p2 = addProject(db, 'P2');
  addConfig(db, null, null, { A: 50, B: 50 });
  addConfig(db, null, 'Valve', { A: 20, B: 80 });
  addConfig(db, p1, null, { A: 30, B: 70 });
  addConfig(db, p1, 'Spool', { A: 60, B: 40 });
  addConfig(db, p1, 'Spool', { A: 90, B: 10 }, '2099-01-01');
  addConfig(db, p2, 'Big', { A: 80, B: 80 });
  addConfig(db, p2, 'Neg', { A: -50, B: 10 });

  const c1 = addComponent(db, { projectId: p1, tag: 'C1', type: 'Spool', area: 'North', system: 'CW', testPackage: 'TP-1', completion: 50 });
  addMilestone(db, c1, { name: 'A', completedAt: '2026-03-10T08:00:00Z' });
  addMilestone(db, c1, { name: 'B' });
  const c2 = addComponent(db, { projectId: p1, tag: 'C2', type: 'Valve', area: 'North', system: 'Steam', testPackage: 'TP-1', status: 'COMPLETED', completion: 100 });
  addMilestone(db, c2, { name: 'A', completedAt: '2026-03-01T08:00:00Z' });
  addMilestone(db, c2, { name: 'B', completedAt: '2026-04-01T08:00:00Z' });
  const c3 = addComponent(db, { projectId: p1, tag: 'C3', type: 'Pipe', area: 'South', system: 'CW', testPackage: null, completion: 40, workflow: 'MILESTONE_PERCENTAGE' });
  addMilestone(db, c3, { name: 'A', percentage: 50, updatedAt: '2026-05-01T08:00:00Z' });
  addMilestone(db, c3, { name: 'B', percentage: 150, updatedAt: '2026-05-02T08:00:00Z' });
  addComponent(db, { projectId: p1, tag: 'C4', type: 'Gasket', area: null, system: null, testPackage: 'TP-2', completion: 33.333, workflow: 'MILESTONE_QUANTITY', updatedAt: '2026-05-20T08:00:00Z' });
  const c5 = addComponent(db, { projectId: p1, tag: 'C5', type: 'Spool', area: 'South', system: 'Steam', testPackage: 'TP-2', completion: 0 });
  addMilestone(db, c5, { name: 'A', completedAt: '2026-06-01T08:00:00Z' });
  addMilestone(db, c5, { name: 'Unknown', completedAt: '2026-06-01T08:00:00Z' });

  const v = addComponent(db, { projectId: p2, tag: 'V1', type: 'Valve', completion: 0 });
  addMilestone(db, v, { name: 'A', completedAt: '2026-02-01T00:00:00Z' });
  const s = addComponent(db, { projectId: p2, tag: 'S1', type: 'Spool' });
  addMilestone(db, s, { name: 'B', completedAt: '2026-02-01T00:00:00Z' });
  const big = addComponent(db, { projectId: p2, tag: 'BIG', type: 'Big' });
  addMilestone(db, big, { name: 'A', completedAt: '2026-02-01T00:00:00Z' });
  addMilestone(db, big, { name: 'B', completedAt: '2026-02-01T00:00:00Z' });
  const neg = addComponent(db, { projectId: p2, tag: 'NEG', type: 'Neg' });
  addMilestone(db, neg, { name: 'A', completedAt: '2026-02-01T00:00:00Z' });
});

describe('per-component ROC percent', () => {
  it('applies the configuration precedence and effective dates', () => {
    expect(rocOf('C1')).toBe(60); // P1/Spool 2020, the 2099 revision is not in force
    expect(rocOf('C2')).toBe(100); // P1/* (30 + 70) beats default/Valve
    expect(rocOf('V1')).toBe(20); // default/Valve
    expect(rocOf('S1')).toBe(50); // default/*
  });

  it('credits percentage milestones by value, clamped, and quantity by completion', () => {
    expect(rocOf('C3')).toBe(30 * 0.5 + 70 * 1);
    expect(rocOf('C4')).toBe(33.333);
    expect(rocOf('C5')).toBe(60); // "Unknown" has weight 0
  });

  it('clamps the component sum to 0..100', () => {
    expect(rocOf('BIG')).toBe(100);
    expect(rocOf('NEG')).toBe(0);
  });
});

describe('progress summary', () => {
  it('matches the hand-computed totals and breakdowns', () => {
    const r = progressSummary(ctxFor(db, 'P1'));
    // ROC: (60 + 100 + 85 + 33.333 + 60) / 5 = 67.6666 -> 67.67; completion (50+100+40+33.333+0)/5 = 44.6666 -> 44.67
    expect(r.summary).toEqual({ totalComponents: 5, completedComponents: 1, completionPercent: 44.67, rocWeightedPercent: 67.67 });
    expect(r.areaBreakdown).toEqual([
      { area: 'North', totalComponents: 2, completedComponents: 1, completionPercent: 75, rocWeightedPercent: 80 },
      { area: 'South', totalComponents: 2, completedComponents: 0, completionPercent: 20, rocWeightedPercent: 72.5 },
      { area: 'Unassigned', totalComponents: 1, completedComponents: 0, completionPercent: 33.33, rocWeightedPercent: 33.33 },
    ]);
    expect(r.systemBreakdown.map((s) => [s.system, s.rocWeightedPercent])).toEqual([
      ['CW', 72.5],
      ['Steam', 80],
      ['Unassigned', 33.33],
    ]);
    expect(r.testPackageBreakdown.map((t) => [t.testPackage, t.totalComponents, t.rocWeightedPercent])).toEqual([
      ['TP-1', 2, 80],
      ['TP-2', 2, 46.67], // (33.333 + 60) / 2 = 46.6665 -> 46.67 (half away from zero)
      ['Unassigned', 1, 85],
    ]);
  });

  it('rounds an exact half away from zero', () => {
    const p3 = addProject(db, 'P3');
    addComponent(db, { projectId: p3, tag: 'Q1', workflow: 'MILESTONE_QUANTITY', completion: 0.01 });
    addComponent(db, { projectId: p3, tag: 'Q2', workflow: 'MILESTONE_QUANTITY', completion: 0 });
    const r = progressSummary(ctxFor(db, 'P3'));
    expect(r.summary.rocWeightedPercent).toBe(0.01);
    expect(r.summary.completionPercent).toBe(0.01);
  });

  it('reconstructs figures as of a past date from completion and record dates', () => {
    const at = (d: string) => progressSummary(ctxFor(db, 'P1'), { asOf: d }).summary;
    // 2026-03-09: C2 has A (30); C3/C4 values recorded in May are not yet visible; C1 A is 10 March.
    expect(at('2026-03-09')).toEqual({ totalComponents: 5, completedComponents: 0, completionPercent: 10, rocWeightedPercent: 6 });
    // 2026-03-10: C1 A (60) now counts; completion C1 = 1/2 milestones = 50.
    expect(at('2026-03-10')).toEqual({ totalComponents: 5, completedComponents: 0, completionPercent: 20, rocWeightedPercent: 18 });
    // 2026-05-31: ROC C1 60, C2 100, C3 85, C4 33.333, C5 not yet -> 278.333 / 5 = 55.67.
    // Completion is the equal-share credit visible on D: C1 50, C2 100, C3 (50 + 100) / 2 = 75
    // (its recorded 40 is not derivable from history), C4 33.333, C5 0 -> 258.333 / 5 = 51.67.
    expect(at('2026-05-31')).toEqual({ totalComponents: 5, completedComponents: 1, completionPercent: 51.67, rocWeightedPercent: 55.67 });
    expect(at('2026-06-15')).toEqual(progressSummary(ctxFor(db, 'P1')).summary);
  });
});
