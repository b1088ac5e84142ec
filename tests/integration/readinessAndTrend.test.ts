import { describe, expect, it } from 'vitest';
import { testPackageReadiness } from '../../src/main/reports/testPackageReadiness';
import { trendAnalysis } from '../../src/main/reports/trendAnalysis';
import { addComponent, addConfig, addMilestone, addProject, createTestDb, ctxFor } from '../helpers/fixtureDb';

const NOW = '2026-06-15T12:00:00Z';

describe('test package readiness', () => {
  const db = createTestDb();
  const p = addProject(db, 'R');
  // READY: 2 components at 100 %
  for (const tag of ['R1', 'R2']) addComponent(db, { projectId: p, tag, testPackage: 'TP-READY', status: 'COMPLETED', completion: 100, testRequired: true, testPressure: 25 });
  // NEARLY: 19 of 20 at 100 % (95 %); the open one waits for Test only
  for (let i = 0; i < 19; i++) addComponent(db, { projectId: p, tag: `N${i}`, testPackage: 'TP-NEARLY', status: 'COMPLETED', completion: 100, testPressure: i < 10 ? 40 : 63, testRequired: true });
  const open = addComponent(db, { projectId: p, tag: 'N19', testPackage: 'TP-NEARLY', completion: 80 });
  addMilestone(db, open, { name: 'Receive', completedAt: '2026-06-10T08:00:00Z' });
  addMilestone(db, open, { name: 'Test' });
  // BLOCKED: mean 50 %, one component blocked by Connect and Pressure_Test, one by nothing listed
  const b1 = addComponent(db, { projectId: p, tag: 'B1', testPackage: 'TP-BLOCKED', completion: 20 });
  addMilestone(db, b1, { name: 'Receive', completedAt: '2026-06-09T08:00:00Z' });
  addMilestone(db, b1, { name: 'Pressure_Test' });
  addMilestone(db, b1, { name: 'Connect' });
  const b2 = addComponent(db, { projectId: p, tag: 'B2', testPackage: 'TP-BLOCKED', completion: 30 });
  addMilestone(db, b2, { name: 'Paint' });
  addComponent(db, { projectId: p, tag: 'B3', testPackage: 'TP-BLOCKED', status: 'COMPLETED', completion: 100 });
  // NOT STARTED: mean 5 %; a completion 8 days ago is outside the 7-day window
  const s1 = addComponent(db, { projectId: p, tag: 'S1', testPackage: 'TP-ZERO', completion: 10 });
  addMilestone(db, s1, { name: 'Receive', completedAt: '2026-06-07T11:00:00Z' });
  addComponent(db, { projectId: p, tag: 'S2', testPackage: 'TP-ZERO', completion: 0 });
  addComponent(db, { projectId: p, tag: 'U1', testPackage: null, completion: 0 });

  const r = testPackageReadiness(ctxFor(db, 'R', NOW));
  const pkg = (name: string) => r.testPackages.find((x) => x.packageName === name);

  it('classifies ready, nearly, blocked and not started', () => {
    expect(r.testPackages.map((x) => [x.packageName, x.status])).toEqual([
      ['TP-BLOCKED', 'blocked'],
      ['TP-NEARLY', 'nearly'],
      ['TP-READY', 'ready'],
      ['TP-ZERO', 'not_started'],
    ]);
    expect(r.summary).toMatchObject({ totalPackages: 4, readyPackages: 1, nearlyReadyPackages: 1, blockedPackages: 1, notStartedPackages: 1, componentsWithoutPackage: 1 });
    expect(pkg('TP-READY')?.isReadyForTest).toBe(true);
    expect(pkg('TP-NEARLY')?.isReadyForTest).toBe(false);
  });

  it('lists blocking components only for Connect, Test, Pressure_Test and QC_Complete', () => {
    expect(pkg('TP-BLOCKED')?.blockingComponents.map((b) => [b.tag, b.blockingMilestones])).toEqual([['B1', ['Connect', 'Pressure_Test']]]);
    expect(pkg('TP-NEARLY')?.blockingComponents.map((b) => [b.tag, b.blockingMilestones])).toEqual([['N19', ['Test']]]);
    expect(pkg('TP-BLOCKED')?.blockingCount).toBe(1);
  });

  it('counts totals, test requirements and distinct pressures', () => {
    expect(pkg('TP-BLOCKED')).toMatchObject({ totalComponents: 3, completedComponents: 1, fullyCompleteComponents: 1, completionPercent: 50 });
    expect(pkg('TP-NEARLY')).toMatchObject({ testRequiredCount: 19, testNotRequiredCount: 1, testPressures: [40, 63] });
  });

  it('estimates the ready date from the last 7 days of completions', () => {
    // TP-NEARLY: 1 remaining, 1 completion in 7 days -> 7 days after now
    expect(pkg('TP-NEARLY')).toMatchObject({ recentCompletions7d: 1, estimatedReadyDate: '2026-06-22' });
    // TP-BLOCKED: 2 remaining / (1 / 7) = 14 days
    expect(pkg('TP-BLOCKED')).toMatchObject({ recentCompletions7d: 1, estimatedReadyDate: '2026-06-29' });
    expect(pkg('TP-ZERO')).toMatchObject({ recentCompletions7d: 0, estimatedReadyDate: null });
    expect(pkg('TP-READY')?.estimatedReadyDate).toBe('2026-06-15');
  });
});

describe('trend analysis', () => {
  function project(completionsPerDay: Array<[string, number]>, weights: Record<string, number> = { M: 10 }) {
    const db = createTestDb();
    const p = addProject(db, 'T');
    addConfig(db, p, null, weights);
    let n = 0;
    for (const [day, count] of completionsPerDay) {
      for (let i = 0; i < count; i++) {
        const c = addComponent(db, { projectId: p, tag: `C${n++}`, status: 'COMPLETED', completion: 100 });
        addMilestone(db, c, { name: 'M', completedAt: `${day}T10:00:00Z` });
      }
    }
    return db;
  }

  it('buckets by ISO week across a year end and by month to the month end', () => {
    const db = project([['2026-12-27', 1], ['2026-12-28', 2], ['2027-01-03', 1], ['2027-01-04', 4], ['2028-02-29', 1]]);
    const w = trendAnalysis(ctxFor(db, 'T', '2027-01-10T12:00:00Z'), { from: '2026-12-27', to: '2027-01-10', groupBy: 'week' });
    expect(w.periods.map((p) => [p.label, p.start, p.end, p.milestoneCompletions, p.cumulativeMilestoneCompletions])).toEqual([
      ['2026-W52', '2026-12-27', '2026-12-27', 1, 1],
      ['2026-W53', '2026-12-28', '2027-01-03', 3, 4],
      ['2027-W01', '2027-01-04', '2027-01-10', 4, 8],
    ]);
    const m = trendAnalysis(ctxFor(db, 'T', '2028-03-10T12:00:00Z'), { from: '2028-01-15', to: '2028-03-10', groupBy: 'month' });
    expect(m.periods.map((p) => [p.period, p.start, p.end, p.milestoneCompletions, p.cumulativeMilestoneCompletions])).toEqual([
      ['2028-01-01', '2028-01-15', '2028-01-31', 0, 8],
      ['2028-02-01', '2028-02-01', '2028-02-29', 1, 9],
      ['2028-03-01', '2028-03-01', '2028-03-10', 0, 9],
    ]);
  });

  it('computes ROC at period end, velocity, slope, forecast and confidence', () => {
    // 14 days ending 2026-06-14, 1,2,3,…,14 completions: 105 components, each 10 % ROC once complete.
    const days: Array<[string, number]> = Array.from({ length: 14 }, (_, i) => [`2026-06-${String(i + 1).padStart(2, '0')}`, i + 1]);
    const db = project(days);
    for (let i = 0; i < 95; i++) addComponent(db, { projectId: 1, tag: `OPEN${i}` });
    const t = trendAnalysis(ctxFor(db, 'T', NOW), { from: '2026-06-01', to: '2026-06-14', groupBy: 'day' });
    expect(t.method).toBe('incremental');
    // 200 components; by 2026-06-03: 1+2+3 = 6 complete at 10 points -> 60 / 200 = 0.3 %
    expect(t.periods[2]?.rocWeightedPercent).toBe(0.3);
    expect(t.periods[13]?.rocWeightedPercent).toBe(5.25);
    expect(t.velocity.completionSlopePerDay).toBe(1);
    // earned points per day: k components x 10 points / 200 = 0.05k; mean 0.375
    expect(t.velocity.earnedPointsPerDay).toBe(0.375);
    // CV: sample stddev of 0.05 x (1..14) = 0.05 x 4.1833 = 0.20917; / 0.375 = 0.5578 -> medium
    expect(t.forecast.coefficientOfVariation).toBe(0.5578);
    expect(t.forecast.confidence).toBe('medium');
    // remaining 94.75 points at 0.375 / day = 252.67 -> 253 days after 2026-06-14
    expect(t.forecast.completionDate).toBe('2027-02-22');
  });

  it('rates steady progress high and erratic progress low confidence', () => {
    const steady = project(Array.from({ length: 14 }, (_, i) => [`2026-06-${String(i + 1).padStart(2, '0')}`, 3] as [string, number]));
    expect(trendAnalysis(ctxFor(steady, 'T', NOW), { from: '2026-06-01', to: '2026-06-14' }).forecast).toMatchObject({ coefficientOfVariation: 0, confidence: 'high' });
    const erratic = project([['2026-06-01', 10], ['2026-06-14', 1]]);
    expect(trendAnalysis(ctxFor(erratic, 'T', NOW), { from: '2026-06-01', to: '2026-06-14' }).forecast.confidence).toBe('low');
    const idle = project([['2026-05-01', 1]]);
    for (let i = 0; i < 3; i++) addComponent(idle, { projectId: 1, tag: `X${i}` });
    expect(trendAnalysis(ctxFor(idle, 'T', NOW), { from: '2026-06-01', to: '2026-06-14' }).forecast).toMatchObject({ completionDate: null, confidence: 'low' });
  });

  it('falls back to full reconstruction when weights changed inside the window', () => {
    const db = project([['2026-06-02', 2], ['2026-06-10', 2]]);
    addConfig(db, 1, null, { M: 50 }, '2026-06-05');
    const t = trendAnalysis(ctxFor(db, 'T', NOW), { from: '2026-06-01', to: '2026-06-12' });
    expect(t.method).toBe('reconstructed');
    // Until 4 June the old 10-point weights apply: 2 x 10 / 4 = 5 %; from 5 June 50 points: 2 x 50 / 4 = 25 %
    expect(t.periods[3]?.rocWeightedPercent).toBe(5);
    expect(t.periods[4]?.rocWeightedPercent).toBe(25);
    expect(t.periods[11]?.rocWeightedPercent).toBe(50);
  });
});
