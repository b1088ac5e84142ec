import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, type Db } from '../../src/main/db/connection';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { openAppServices, type AppServices } from '../../src/main/services/appServices';
import { checkDefinition, describeIssues, type ReportDefinitionInput } from '../../src/shared/domain/reportDefinition';
import { compileToSql, executeDefinition } from '../../src/main/query/runDefinition';
import { resolveLookback } from '../../src/main/query/lookbackWindow';
import { progressSummary } from '../../src/main/reports/progressSummary';
import { findProject } from '../../src/main/db/projectRepository';
import { writeSnapshot } from '../../src/main/reports/progressSnapshots';
import { addComponent, addMilestone, addProject, tempDir } from '../helpers/fixtureDb';
import { runCli } from '../helpers/runCli';

let services: AppServices;
let file: string;
const NOW = new Date('2026-11-22T12:00:00Z');

beforeAll(() => {
  file = path.join(tempDir(), 'designer.db');
  createDemoDatabase(file, { components: 3000, seed: 11, anchorDate: '2026-11-22' });
  services = openAppServices({ dbPath: file, now: () => NOW });
  // A second project, to show the cache is per project.
  const p2 = addProject(services.db, 'OTHER');
  const c = addComponent(services.db, { projectId: p2, tag: 'X-1' });
  addMilestone(services.db, c, { name: 'Receive', completedAt: '2026-11-01T00:00:00Z' });
}, 120_000);

const def = (d: Partial<ReportDefinitionInput>): ReportDefinitionInput => ({ version: 1, name: 'test', dataset: 'components', ...d }) as ReportDefinitionInput;

describe('definitions against the built-ins', () => {
  it('ROC-weighted percent grouped by area equals the progress summary area breakdown', () => {
    const r = services.runDefinition({ definition: def({ rows: [{ field: 'area' }], values: [{ agg: 'count' }, { agg: 'rocWeightedPercent' }, { agg: 'completionPercent' }, { agg: 'completedCount' }] }) });
    const builtin = progressSummary({ db: services.db, project: findProject(services.db), now: NOW });
    expect(r.rows.map((x) => ({ area: x.area, n: x.v0, roc: x.v1, completion: x.v2, completed: x.v3 }))).toEqual(
      builtin.areaBreakdown.map((a) => ({ area: a.area, n: a.totalComponents, roc: a.rocWeightedPercent, completion: a.completionPercent, completed: a.completedComponents })),
    );
  });
});

describe('the component cube', () => {
  const eligible: Array<Partial<ReportDefinitionInput>> = [
    { rows: [{ field: 'area' }, { field: 'type' }], values: [{ agg: 'count' }, { agg: 'rocWeightedPercent' }, { agg: 'avg', field: 'completionPercent' }] },
    { rows: [{ field: 'system' }], columns: [{ field: 'status' }], values: [{ agg: 'completionPercent' }, { agg: 'sum', field: 'testPressure' }, { agg: 'avg', field: 'testRequired' }] },
    { rows: [{ field: 'workflowType' }], values: [{ agg: 'distinctCount', field: 'type' }, { agg: 'avg', field: 'rocPercent' }, { agg: 'count', field: 'testPressure' }, { agg: 'sum', field: 'completionPercent' }], filters: [{ field: 'area', op: 'notIn', values: ['A10 Furnaces'] }, { field: 'type', op: 'contains', value: 'e' }], sort: [{ value: 1, direction: 'desc' }] },
  ];
  it('answers exactly what the component rows answer', () => {
    const project = findProject(services.db);
    for (const d of eligible) {
      const c = checkDefinition(def(d));
      if (!c.ok) throw new Error(describeIssues(c.issues));
      const ctx = { projectId: project.id, timeZone: 'UTC', now: NOW, window: null };
      expect(compileToSql(c.definition, ctx).sql.sql).toContain('"component_cube"');
      expect(executeDefinition(services.db, c.definition, ctx).rows).toEqual(executeDefinition(services.db, c.definition, { ...ctx, bypassCube: true }).rows);
    }
  });
  it('is not used for fields, filters or windows it does not hold', () => {
    const project = findProject(services.db);
    for (const d of [
      { rows: [{ field: 'testPackage' }], values: [{ agg: 'count' }] },
      { rows: [{ field: 'area' }], values: [{ agg: 'max', field: 'completionPercent' }] },
      { rows: [{ field: 'area' }], values: [{ agg: 'count' }], filters: [{ field: 'completionPercent', op: 'gt', value: 50 }] },
      { rows: [{ field: 'area' }], values: [{ agg: 'count' }], lookback: { kind: 'preset', preset: 'last7Days' } },
    ] as Array<Partial<ReportDefinitionInput>>) {
      const c = checkDefinition(def(d));
      if (!c.ok) throw new Error(describeIssues(c.issues));
      expect(compileToSql(c.definition, { projectId: project.id, timeZone: 'UTC', now: NOW, window: null }).sql.sql).not.toContain('component_cube');
    }
  });
});

describe('validation in plain words', () => {
  const issues = (d: unknown) => {
    const c = checkDefinition(d);
    return c.ok ? '' : describeIssues(c.issues);
  };
  it('names the path and the reason', () => {
    expect(issues(def({ values: [{ agg: 'count' }, { agg: 'median', field: 'status' }] }))).toMatch(/^values\[1\]\.agg: "median" is not allowed for field "status"/);
    expect(issues(def({ rows: [{ field: 'colour' }], values: [{ agg: 'count' }] }))).toBe('rows[0].field: "colour" is not a field of the components dataset');
    expect(issues(def({ values: [{ agg: 'count' }], filters: [{ field: 'completionPercent', op: 'gt', value: 'lots' }] }))).toBe('filters[0].value: "lots" is not a number (field "completionPercent")');
    expect(issues(def({ rows: [{ field: 'area', bucket: 'week' }], values: [{ agg: 'count' }] }))).toBe('rows[0].bucket: "area" is not a date, so it cannot be bucketed by week');
    expect(issues({ ...def({ values: [{ agg: 'count' }] }), extra: 1 })).toBe('definition: unknown key "extra"');
  });

  it('rejects a lookback of 426 days and accepts 425', () => {
    expect(issues(def({ values: [{ agg: 'count' }], lookback: { kind: 'relative', unit: 'days', count: 426 } }))).toBe('lookback: covers 426 days; the longest window is 425 days');
    expect(issues(def({ values: [{ agg: 'count' }], lookback: { kind: 'relative', unit: 'days', count: 425 } }))).toBe('');
    expect(issues(def({ values: [{ agg: 'count' }], lookback: { kind: 'custom', start: '2025-01-01', end: '2026-03-01' } }))).toBe('');
    expect(issues(def({ values: [{ agg: 'count' }], lookback: { kind: 'custom', start: '2025-01-01', end: '2026-03-02' } }))).toBe('lookback: covers 426 days; the longest window is 425 days');
    expect(issues(def({ values: [{ agg: 'count' }], lookback: { kind: 'relative', unit: 'months', count: 14 } }))).toMatch(/^lookback: covers \d+ days/);
  });
});

describe('lookback windows in the project time zone', () => {
  it('last 7 days across a month end and a DST change (Europe/Berlin)', () => {
    const w = resolveLookback({ kind: 'preset', preset: 'last7Days' }, new Date('2026-04-02T10:00:00Z'), 'Europe/Berlin');
    expect(w).toEqual({ start: '2026-03-27', end: '2026-04-02', timeZone: 'Europe/Berlin', startUtc: '2026-03-26T23:00:00Z', endUtcExclusive: '2026-04-02T22:00:00Z' });
  });

  it('includes exactly the instants inside the local window and buckets them by local day', () => {
    const db = new Database(':memory:') as Db;
    db.pragma('foreign_keys = ON');
    migrate(db);
    const p = addProject(db, 'BER');
    db.prepare("UPDATE projects SET time_zone = 'Europe/Berlin' WHERE id = ?").run(p);
    const at = ['2026-03-26T22:59:59Z', '2026-03-26T23:00:00Z', '2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z', '2026-04-02T21:59:59Z', '2026-04-02T22:00:00Z'];
    at.forEach((u, i) => addComponent(db, { projectId: p, tag: `T${i}`, updatedAt: u }));
    const check = checkDefinition(def({ rows: [{ field: 'updatedAt', bucket: 'day' }], values: [{ agg: 'count' }], lookback: { kind: 'preset', preset: 'last7Days', field: 'updatedAt' } }));
    if (!check.ok) throw new Error('invalid');
    const now = new Date('2026-04-02T10:00:00Z');
    const window = resolveLookback(check.definition.lookback as never, now, 'Europe/Berlin');
    const rows = executeDefinition(db, check.definition, { projectId: p, timeZone: 'Europe/Berlin', now, window }).rows;
    // 23:00Z on 26 March is midnight on 27 March in Berlin (CET); 00:30Z and 01:30Z on 29 March
    // straddle the switch to CEST and are 01:30 and 03:30 local, both on 29 March.
    expect(rows).toEqual([
      { 'updatedAt:day': '2026-03-27', v0: 1 },
      { 'updatedAt:day': '2026-03-29', v0: 2 },
      { 'updatedAt:day': '2026-04-02', v0: 1 },
    ]);
  });

  it('last quarter and this month', () => {
    expect(resolveLookback({ kind: 'preset', preset: 'lastQuarter' }, NOW, 'UTC')).toMatchObject({ start: '2026-07-01', end: '2026-09-30' });
    expect(resolveLookback({ kind: 'preset', preset: 'lastQuarter' }, new Date('2026-02-10T00:00:00Z'), 'UTC')).toMatchObject({ start: '2025-10-01', end: '2025-12-31' });
    expect(resolveLookback({ kind: 'preset', preset: 'thisMonth' }, NOW, 'UTC')).toMatchObject({ start: '2026-11-01', end: '2026-11-22' });
    expect(resolveLookback({ kind: 'relative', unit: 'months', count: 1 }, new Date('2026-03-31T12:00:00Z'), 'UTC')).toMatchObject({ start: '2026-03-01', end: '2026-03-31' });
  });
});

describe('injection attempts', () => {
  const payloads = ["'", '"', ';', '--', '/*', '`', ']', ') OR 1=1 --', "x'); DROP TABLE components; --", '\u0000', 'a'.repeat(5000), '\u2019 OR \u2018\u2019=\u2019', '__proto__', 'constructor'];

  it('rejects every payload used as a field name', () => {
    for (const p of payloads) {
      const c = checkDefinition(def({ rows: [{ field: p.slice(0, 64) }], values: [{ agg: 'count' }] }));
      expect(c.ok, JSON.stringify(p)).toBe(false);
    }
  });

  it('binds every payload used as a filter value or label, runs only the compiled SELECT, and stays correct', () => {
    const statements: string[] = [];
    const db = new Database(file, { verbose: (s) => statements.push(String(s)) }) as Db;
    const project = findProject(db);
    const total = (db.prepare('SELECT count(*) AS n FROM components WHERE project_id = ?').get(project.id) as { n: number }).n;
    for (const p of payloads) {
      const c = checkDefinition(def({ values: [{ agg: 'count', label: p.slice(0, 120) }], filters: [{ field: 'tag', op: 'ne', value: p.slice(0, 500) }, { field: 'area', op: 'notIn', values: [p.slice(0, 500)] }] }));
      if (p.includes('\u0000')) {
        expect(c.ok ? '' : describeIssues(c.issues)).toMatch(/filters\[0\]\.value: must not contain a NUL character/);
        continue;
      }
      if (!c.ok) throw new Error(describeIssues(c.issues));
      const ctx = { projectId: project.id, timeZone: 'UTC', now: NOW, window: null };
      const { sql } = compileToSql(c.definition, ctx);
      expect(sql.params).toContain(p.slice(0, 500));
      if (p.length > 1) expect(sql.sql).not.toContain(p.slice(0, 20));
      statements.length = 0;
      const r = executeDefinition(db, c.definition, ctx);
      expect(r.rows[0]?.v0, JSON.stringify(p)).toBe(total);
      expect(r.columns.find((x) => x.key === 'v0')?.label).toBe(p.slice(0, 120));
      expect(statements).toHaveLength(1);
      expect(statements[0]?.startsWith('SELECT ')).toBe(true);
      const contains = checkDefinition(def({ values: [{ agg: 'count' }], filters: [{ field: 'tag', op: 'contains', value: p.slice(0, 500) }] }));
      if (!contains.ok) throw new Error('invalid');
      expect(executeDefinition(db, contains.definition, { projectId: project.id, timeZone: 'UTC', now: NOW, window: null }).rows[0]?.v0).toBe(0);
    }
    expect((db.prepare('SELECT count(*) AS n FROM components WHERE project_id = ?').get(project.id) as { n: number }).n).toBe(total);
    db.close();
  });
});

describe('result cache', () => {
  const d = def({ rows: [{ field: 'type' }], values: [{ agg: 'rocWeightedPercent' }] });

  it('hits after a run, misses after a milestone update in the same project, hits for another project', () => {
    const first = services.runDefinition({ definition: d });
    expect(first.cacheHit).toBe(false);
    const started = performance.now();
    const second = services.runDefinition({ definition: d });
    expect(performance.now() - started).toBeLessThan(50);
    expect(second.cacheHit).toBe(true);
    expect(second.rows).toEqual(first.rows);
    const other1 = services.runDefinition({ definition: d, projectCode: 'OTHER' });
    expect(other1.cacheHit).toBe(false);
    services.db
      .prepare("UPDATE component_milestones SET is_completed = 1, completed_at = '2026-11-22T09:00:00Z', updated_at = '2026-11-22T09:00:00Z' WHERE id = (SELECT min(id) FROM component_milestones WHERE is_completed = 0 AND project_id = (SELECT id FROM projects WHERE code = 'DEMO-ETH'))")
      .run();
    const third = services.runDefinition({ definition: d });
    expect(third.cacheHit).toBe(false);
    expect(services.runDefinition({ definition: d, projectCode: 'OTHER' }).cacheHit).toBe(true);
  });

  it('records every run, cache hits included, and lists them newest first with filters and paging', () => {
    const page1 = services.runs.list({ limit: 2 });
    expect(page1.runs).toHaveLength(2);
    expect(page1.runs[0]?.id).toBeGreaterThan(page1.runs[1]?.id ?? 0);
    const page2 = services.runs.list({ limit: 2, beforeId: page1.nextBeforeId ?? undefined });
    expect(page2.runs[0]?.id).toBeLessThan(page1.runs[1]?.id ?? 0);
    const hits = services.runs.list({ limit: 100 }).runs.filter((r) => r.cacheHit);
    expect(hits.length).toBeGreaterThanOrEqual(2);
    expect(hits.every((r) => r.status === 'succeeded' && r.trigger === 'manual')).toBe(true);
  });
});

describe('library', () => {
  it('lists the five system templates, which cannot be changed or deleted', () => {
    const system = services.library.list().filter((i) => i.kind === 'system');
    expect(system.map((s) => s.builtinId)).toEqual(['progress-summary', 'component-details', 'test-package-readiness', 'trend-analysis', 'audit-trail']);
    expect(() => services.library.rename('system:progress-summary', 'Mine')).toThrow(/cannot be renamed/);
    expect(() => services.library.remove('system:audit-trail')).toThrow(/cannot be deleted/);
    for (const s of system) expect(services.runDefinition({ id: s.id }).rowCount).toBeGreaterThan(0);
  });

  it('duplicates, renames, tags, searches, soft-deletes and restores', () => {
    const copy = services.library.duplicate('system:progress-summary');
    expect(copy).toMatchObject({ kind: 'user', name: 'Copy of Progress summary' });
    const renamed = services.library.rename(copy.id, 'Weekly owner report');
    expect(renamed.revision).toBe(2);
    services.library.setTags(copy.id, ['owner', 'weekly']);
    expect(services.library.list({ search: 'owner' }).map((i) => i.id)).toEqual([copy.id]);
    expect(services.library.list({ tag: 'OWNER' }).map((i) => i.id)).toEqual([copy.id]);
    services.library.remove(copy.id);
    expect(services.library.list().some((i) => i.id === copy.id)).toBe(false);
    expect(services.library.list({ includeDeleted: true }).find((i) => i.id === copy.id)?.deletedAt).not.toBeNull();
    services.library.restore(copy.id);
    expect(services.library.list().some((i) => i.id === copy.id)).toBe(true);
  });
});

describe('snapshots dataset', () => {
  it('reports stored daily snapshots by date', () => {
    const project = findProject(services.db);
    for (const d of ['2026-09-01', '2026-10-01', '2026-11-01']) writeSnapshot(services.db, project, d, NOW);
    const r = services.runDefinition({
      definition: def({ dataset: 'snapshots', rows: [{ field: 'snapshotDate', bucket: 'month' }], values: [{ agg: 'max', field: 'rocPercent' }], filters: [{ field: 'dimension', op: 'eq', value: 'project' }] }),
    });
    const expected = ['2026-09-01', '2026-10-01', '2026-11-01'].map((d) => ({
      'snapshotDate:month': d.slice(0, 7),
      v0: progressSummary({ db: services.db, project, now: NOW }, { asOf: d }).summary.rocWeightedPercent,
    }));
    expect(r.rows).toEqual(expected);
    expect((r.rows[0]?.v0 as number) < (r.rows[2]?.v0 as number)).toBe(true);
  });
});

describe('filter pickers', () => {
  it('lists distinct values from the data, with Unassigned for missing ones', () => {
    const areas = services.distinctValues('components', 'area');
    expect(areas.values).toContain('A10 Furnaces');
    expect(areas.values).toContain('Unassigned');
    expect(areas.truncated).toBe(false);
    expect(services.distinctValues('components', 'status').values).toEqual(['COMPLETED', 'IN_PROGRESS', 'NOT_STARTED', 'ON_HOLD']);
    expect(services.distinctValues('components', 'material').values.length).toBeGreaterThan(2);
    expect(() => services.distinctValues('components', 'updatedAt')).toThrow(/range/);
  });
});

describe('retention', () => {
  it('prunes old runs but keeps the last successful run of a schedule', () => {
    const db = services.db;
    const insert = db.prepare("INSERT INTO report_runs (report_name, trigger, status, started_at, schedule_id) VALUES ('r', ?, ?, ?, ?)");
    const keep = Number(insert.run('scheduled', 'succeeded', '2025-01-05T00:00:00Z', 7).lastInsertRowid);
    const older = Number(insert.run('scheduled', 'succeeded', '2025-01-01T00:00:00Z', 7).lastInsertRowid);
    const failedLater = Number(insert.run('scheduled', 'failed', '2025-01-06T00:00:00Z', 7).lastInsertRowid);
    const manualOld = Number(insert.run('manual', 'succeeded', '2025-01-01T00:00:00Z', null).lastInsertRowid);
    const recent = Number(insert.run('manual', 'succeeded', '2026-11-20T00:00:00Z', null).lastInsertRowid);
    const result = services.runs.prune(90);
    const left = new Set((db.prepare('SELECT id FROM report_runs').all() as Array<{ id: number }>).map((r) => r.id));
    expect(left.has(keep)).toBe(true);
    expect(left.has(recent)).toBe(true);
    expect(left.has(older) || left.has(failedLater) || left.has(manualOld)).toBe(false);
    expect(result.runs).toBeGreaterThanOrEqual(3);
  });
});

describe('CLI', () => {
  it('saves a definition, lists it and runs it by number; explains an invalid one', () => {
    const db = path.join(tempDir(), 'cli.db');
    expect(runCli(['demo', '--db', db, '--components', '200', '--quiet']).code).toBe(0);
    const saved = runCli(['report', 'save', path.resolve(__dirname, '../../docs/examples/roc-by-area-and-type.json'), '--db', db]);
    expect(saved.code).toBe(0);
    const id = saved.stdout.trim();
    expect(id).toMatch(/^\d+$/);
    expect(runCli(['report', 'list', '--db', db]).stdout).toContain('ROC by area and component type');
    const run = runCli(['report', 'run', id, '--db', db, '--format', 'csv']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\r\n')[0]).toMatch(/^Area,/);
    const bad = path.join(tempDir(), 'bad.json');
    require('node:fs').writeFileSync(bad, JSON.stringify(def({ values: [{ agg: 'count' }, { agg: 'median', field: 'status' }] })));
    const r = runCli(['report', 'save', bad, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sitereport: values\[1\]\.agg: "median" is not allowed for field "status"/);
  });
});
