/**
 * On a generated 20,000-component project the built-ins equal a plain recomputation written
 * here from the raw rows (its own config resolution and credit arithmetic, no shared code).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/main/db/connection';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { progressSummary } from '../../src/main/reports/progressSummary';
import { trendAnalysis } from '../../src/main/reports/trendAnalysis';
import { reconstructEveryComponent, rollupsAsOf } from '../../src/main/reports/asOfReconstruction';
import { loadRocConfigs } from '../../src/main/db/projectRepository';
import { tempDir, ctxFor } from '../helpers/fixtureDb';

let db: Db;
const ANCHOR = '2026-11-22';
const NOW = '2026-11-22T12:00:00Z';

interface Comp { id: number; projectId: number; type: string; area: string | null; status: string; cp: number; wf: string; updatedAt: string; completedAt: string | null }
interface Ms { componentId: number; name: string; done: number; completedAt: string | null; pv: number | null; updatedAt: string }
interface Cfg { id: number; projectId: number | null; type: string | null; date: string; weights: Record<string, number> }

const half = (x: number) => (x >= 0 ? Math.floor(x + 0.5) : -Math.floor(-x + 0.5));

function plainSummary(d: Db, asOf: string | null) {
  const comps = d.prepare('SELECT id, project_id AS projectId, type, area, status, completion_percent AS cp, workflow_type AS wf, updated_at AS updatedAt, completed_at AS completedAt FROM components').all() as Comp[];
  const ms = d.prepare('SELECT component_id AS componentId, name, is_completed AS done, completed_at AS completedAt, percentage_value AS pv, updated_at AS updatedAt FROM component_milestones').all() as Ms[];
  const cfgs = (d.prepare('SELECT id, project_id AS projectId, component_type AS type, effective_date AS date, weights_json AS w FROM roc_configurations').all() as Array<Omit<Cfg, 'weights'> & { w: string }>).map((c) => ({ ...c, weights: JSON.parse(c.w) as Record<string, number> }));
  const date = asOf ?? ANCHOR;
  const bound = asOf === null ? '9999' : `${asOf}T99`; // "on or before the end of day D"
  const byComp = new Map<number, Ms[]>();
  for (const m of ms) byComp.set(m.componentId, [...(byComp.get(m.componentId) ?? []), m]);
  const weightsFor = (projectId: number, type: string) => {
    const candidates = cfgs.filter((c) => c.date <= date && (c.projectId === null || c.projectId === projectId) && (c.type === null || c.type === type));
    const rank = (c: Cfg) => (c.projectId === null ? 2 : 0) + (c.type === null ? 1 : 0);
    candidates.sort((a, b) => rank(a) - rank(b) || (a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id));
    return candidates[0]?.weights ?? { Receive: 10, Erect: 30, Connect: 40, Test: 15, Complete: 5 };
  };
  let rocSum = 0;
  let completionSum = 0;
  let completed = 0;
  const areas = new Map<string, { n: number; roc: number }>();
  for (const c of comps) {
    const list = byComp.get(c.id) ?? [];
    let roc: number;
    if (c.wf === 'MILESTONE_QUANTITY') {
      roc = c.updatedAt <= bound ? half(Math.min(100, Math.max(0, c.cp)) * 1e6) : 0;
      completionSum += asOf === null ? half(c.cp * 1e6) : c.updatedAt <= bound ? half(c.cp * 1e6) : 0;
    } else {
      if (asOf === null) completionSum += half(c.cp * 1e6);
      for (const m of list) {
        if (asOf === null) break;
        if (m.done === 1 && (m.completedAt as string) <= bound) completionSum += half(1e8 / list.length);
        else if (c.wf === 'MILESTONE_PERCENTAGE' && m.done === 0 && m.updatedAt <= bound) completionSum += half((Math.min(100, Math.max(0, m.pv ?? 0)) * 1e6) / list.length);
      }
      const w = weightsFor(c.projectId, c.type);
      let sum = 0;
      for (const m of list) {
        const doneByD = m.done === 1 && (m.completedAt as string) <= bound;
        const weight = w[m.name] ?? 0;
        if (doneByD) sum += half(weight * 1e6);
        else if (c.wf === 'MILESTONE_PERCENTAGE' && m.done === 0 && m.updatedAt <= bound) sum += half(((weight * Math.min(100, Math.max(0, m.pv ?? 0))) / 100) * 1e6);
      }
      roc = Math.min(100e6, Math.max(0, sum));
    }
    rocSum += roc;
    if (c.status === 'COMPLETED' && (c.completedAt ?? c.updatedAt) <= bound) completed += 1;
    const a = areas.get(c.area ?? 'Unassigned') ?? { n: 0, roc: 0 };
    a.n += 1;
    a.roc += roc;
    areas.set(c.area ?? 'Unassigned', a);
  }
  const pct = (sum: number, n: number) => half((sum / n) / 1e4) / 100;
  return {
    total: comps.length,
    completed,
    completion: pct(completionSum, comps.length),
    roc: pct(rocSum, comps.length),
    areas: [...areas.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([area, g]) => ({ area, roc: pct(g.roc, g.n) })),
  };
}

beforeAll(() => {
  const file = path.join(tempDir(), 'demo20k.db');
  createDemoDatabase(file, { components: 20_000, seed: 42, anchorDate: ANCHOR });
  db = openDatabase(file);
}, 300_000);

describe('built-ins on a generated 20,000-component project', () => {
  it('progress summary equals a plain recomputation from raw rows', () => {
    const plain = plainSummary(db, null);
    const r = progressSummary(ctxFor(db, 'DEMO-ETH', NOW));
    expect(r.summary.totalComponents).toBe(20_000);
    expect(r.summary.totalComponents).toBe(plain.total);
    expect(r.summary.completedComponents).toBe(plain.completed);
    expect(r.summary.rocWeightedPercent).toBe(plain.roc);
    expect(r.summary.completionPercent).toBe(plain.completion);
    expect(r.areaBreakdown.map((a) => ({ area: a.area, roc: a.rocWeightedPercent }))).toEqual(plain.areas);
  });

  it('progress summary as of past dates equals the plain reconstruction', () => {
    for (const d of ['2026-06-15', '2026-08-31', '2026-10-01']) {
      const plain = plainSummary(db, d);
      const r = progressSummary(ctxFor(db, 'DEMO-ETH', NOW), { asOf: d });
      expect(r.summary.rocWeightedPercent, d).toBe(plain.roc);
      expect(r.summary.completedComponents, d).toBe(plain.completed);
      expect(r.summary.completionPercent, d).toBe(plain.completion);
      expect(r.areaBreakdown.map((a) => ({ area: a.area, roc: a.rocWeightedPercent })), d).toEqual(plain.areas);
    }
  });

  it('the event sums and the full reconstruction agree on every breakdown', () => {
    const project = db.prepare('SELECT id FROM projects').get() as { id: number };
    for (const d of ['2026-07-15', '2026-10-20']) {
      const fast = rollupsAsOf(db, project.id, d, ANCHOR);
      const slow = reconstructEveryComponent(db, project.id, d, loadRocConfigs(db, project.id));
      for (const dim of ['area', 'system', 'test_package'] as const) expect([...fast[dim].entries()].sort(), `${d} ${dim}`).toEqual([...slow[dim].entries()].sort());
    }
  });

  it('trend ROC at each period end equals the as-of reconstruction', () => {
    const t = trendAnalysis(ctxFor(db, 'DEMO-ETH', NOW), { from: '2026-06-01', to: '2026-11-21', groupBy: 'month' });
    expect(t.method).toBe('incremental');
    for (const p of t.periods) {
      expect(p.rocWeightedPercent, p.end).toBe(progressSummary(ctxFor(db, 'DEMO-ETH', NOW), { asOf: p.end }).summary.rocWeightedPercent);
    }
    const last = t.periods[t.periods.length - 1];
    expect(last?.cumulativeComponentsCompleted).toBe(plainSummary(db, '2026-11-21').completed);
  });
});
