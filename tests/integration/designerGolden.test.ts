/**
 * Golden tests for the compiler: the SQL text and parameters (kept in tests/golden/*.sql and
 * reviewed) and the results on a fixture small enough to check by hand.
 *
 * Fixture (project G, time zone UTC, now 2026-06-15T12:00Z):
 *   tag  type   area  status       completion  roc  test_pressure  updated_at
 *   S1   Spool  North COMPLETED    100         100  10             2026-06-01T08:00Z
 *   S2   Spool  North IN_PROGRESS   50          60  20             2026-06-08T08:00Z
 *   V1   Valve  North IN_PROGRESS   20          20  NULL           2026-06-14T08:00Z
 *   V2   Valve  South NOT_STARTED    0           0  40             2026-05-20T08:00Z
 *   P1   Pipe   NULL  IN_PROGRESS   40          85  NULL           2026-04-02T08:00Z
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/main/db/connection';
import { checkDefinition, type ReportDefinitionInput } from '../../src/shared/domain/reportDefinition';
import { compileToSql, executeDefinition } from '../../src/main/query/runDefinition';
import { resolveLookback } from '../../src/main/query/lookbackWindow';
import { addComponent, addConfig, addMilestone, addProject, createTestDb } from '../helpers/fixtureDb';

let db: Db;
let projectId: number;
const NOW = new Date('2026-06-15T12:00:00Z');

beforeAll(() => {
  db = createTestDb();
  projectId = addProject(db, 'G');
  addConfig(db, projectId, null, { A: 60, B: 40 });
  const add = (tag: string, type: string, area: string | null, status: string, completion: number, pressure: number | null, updatedAt: string, ms: Array<[string, string | null, number | null]>, workflow?: 'MILESTONE_PERCENTAGE') => {
    const id = addComponent(db, { projectId, tag, type, area, status, completion, testPressure: pressure, updatedAt, workflow });
    for (const [name, at, pv] of ms) addMilestone(db, id, { name, completedAt: at, percentage: pv, updatedAt: at ?? updatedAt });
  };
  add('S1', 'Spool', 'North', 'COMPLETED', 100, 10, '2026-06-01T08:00:00Z', [['A', '2026-05-30T08:00:00Z', null], ['B', '2026-06-01T08:00:00Z', null]]);
  add('S2', 'Spool', 'North', 'IN_PROGRESS', 50, 20, '2026-06-08T08:00:00Z', [['A', '2026-06-08T08:00:00Z', null], ['B', null, null]]);
  add('V1', 'Valve', 'North', 'IN_PROGRESS', 20, null, '2026-06-14T08:00:00Z', [['A', null, null], ['B', null, 50]], 'MILESTONE_PERCENTAGE');
  add('V2', 'Valve', 'South', 'NOT_STARTED', 0, 40, '2026-05-20T08:00:00Z', [['A', null, null], ['B', null, null]]);
  add('P1', 'Pipe', null, 'IN_PROGRESS', 40, null, '2026-04-02T08:00:00Z', [['A', '2026-04-01T08:00:00Z', null], ['B', null, 62.5]], 'MILESTONE_PERCENTAGE');
});

const base = { version: 1 as const, name: 'g', dataset: 'components' as const };

const CASES: Array<{ name: string; def: Omit<ReportDefinitionInput, 'version' | 'name' | 'dataset'> & { dataset?: ReportDefinitionInput['dataset'] }; expected: unknown[] }> = [
  { name: 'count-by-area', def: { rows: [{ field: 'area' }], values: [{ agg: 'count' }] }, expected: [{ area: 'North', v0: 3 }, { area: 'South', v0: 1 }, { area: 'Unassigned', v0: 1 }] },
  {
    name: 'roc-and-completion-by-type',
    def: { rows: [{ field: 'type' }], values: [{ agg: 'rocWeightedPercent' }, { agg: 'completionPercent' }, { agg: 'completedCount' }] },
    // Pipe: 60 + 40 x 62.5 % = 85; Spool (100 + 60) / 2 = 80; Valve (40 x 50 % = 20, 0) / 2 = 10
    expected: [{ type: 'Pipe', v0: 85, v1: 40, v2: 0 }, { type: 'Spool', v0: 80, v1: 75, v2: 1 }, { type: 'Valve', v0: 10, v1: 10, v2: 0 }],
  },
  {
    name: 'sum-avg-min-max-distinct',
    def: { values: [{ agg: 'sum', field: 'testPressure' }, { agg: 'avg', field: 'testPressure' }, { agg: 'min', field: 'testPressure' }, { agg: 'max', field: 'tag' }, { agg: 'distinctCount', field: 'type' }] },
    expected: [{ v0: 70, v1: 23.3333, v2: 10, v3: 'V2', v4: 3 }],
  },
  { name: 'filter-in', def: { values: [{ agg: 'count' }], filters: [{ field: 'status', op: 'in', values: ['IN_PROGRESS', 'COMPLETED'] }] }, expected: [{ v0: 4 }] },
  { name: 'filter-not-in', def: { values: [{ agg: 'count' }], filters: [{ field: 'type', op: 'notIn', values: ['Spool'] }] }, expected: [{ v0: 3 }] },
  { name: 'filter-eq-unassigned', def: { values: [{ agg: 'count' }], filters: [{ field: 'area', op: 'eq', value: 'Unassigned' }] }, expected: [{ v0: 1 }] },
  { name: 'filter-ne', def: { values: [{ agg: 'count' }], filters: [{ field: 'area', op: 'ne', value: 'North' }] }, expected: [{ v0: 2 }] },
  { name: 'filter-lt-le', def: { values: [{ agg: 'count' }], filters: [{ field: 'completionPercent', op: 'lt', value: 50 }, { field: 'rocPercent', op: 'le', value: 20 }] }, expected: [{ v0: 2 }] },
  { name: 'filter-gt-ge', def: { values: [{ agg: 'count' }], filters: [{ field: 'completionPercent', op: 'gt', value: 20 }, { field: 'testPressure', op: 'ge', value: 20 }] }, expected: [{ v0: 1 }] },
  { name: 'filter-between-dates', def: { values: [{ agg: 'count' }], filters: [{ field: 'updatedAt', op: 'between', value: ['2026-06-01', '2026-06-08'] }] }, expected: [{ v0: 2 }] },
  { name: 'filter-contains', def: { values: [{ agg: 'count' }], filters: [{ field: 'type', op: 'contains', value: 'alv' }] }, expected: [{ v0: 2 }] },
  { name: 'filter-is-empty', def: { values: [{ agg: 'count' }], filters: [{ field: 'testPressure', op: 'isEmpty' }] }, expected: [{ v0: 2 }] },
  { name: 'filter-is-not-empty-area', def: { values: [{ agg: 'count' }], filters: [{ field: 'area', op: 'isNotEmpty' }] }, expected: [{ v0: 4 }] },
  {
    name: 'bucket-week-month-quarter',
    def: { rows: [{ field: 'updatedAt', bucket: 'quarter' }, { field: 'updatedAt', bucket: 'month' }, { field: 'updatedAt', bucket: 'week' }], values: [{ agg: 'count' }] },
    expected: [
      { 'updatedAt:quarter': '2026-Q2', 'updatedAt:month': '2026-04', 'updatedAt:week': '2026-03-30', v0: 1 },
      { 'updatedAt:quarter': '2026-Q2', 'updatedAt:month': '2026-05', 'updatedAt:week': '2026-05-18', v0: 1 },
      { 'updatedAt:quarter': '2026-Q2', 'updatedAt:month': '2026-06', 'updatedAt:week': '2026-06-01', v0: 1 },
      { 'updatedAt:quarter': '2026-Q2', 'updatedAt:month': '2026-06', 'updatedAt:week': '2026-06-08', v0: 2 },
    ],
  },
  {
    name: 'pivot-area-by-type',
    def: { rows: [{ field: 'area' }], columns: [{ field: 'type' }], values: [{ agg: 'rocWeightedPercent' }] },
    expected: [
      { area: 'North', type: 'Spool', v0: 80 },
      { area: 'North', type: 'Valve', v0: 20 },
      { area: 'South', type: 'Valve', v0: 0 },
      { area: 'Unassigned', type: 'Pipe', v0: 85 },
    ],
  },
  {
    name: 'milestones-by-day-sorted',
    def: { dataset: 'milestones', rows: [{ field: 'completedAt', bucket: 'day' }], values: [{ agg: 'completedCount' }, { agg: 'sum', field: 'earnedPoints' }], filters: [{ field: 'isCompleted', op: 'eq', value: true }], sort: [{ value: 1, direction: 'desc' }], limit: 2 },
    // 60 points on 1 April, 30 May and 8 June, 40 on 1 June: ties keep date order, limit 2.
    expected: [{ 'completedAt:day': '2026-04-01', v0: 1, v1: 60 }, { 'completedAt:day': '2026-05-30', v0: 1, v1: 60 }],
  },
  {
    name: 'lookback-last-14-days',
    def: { rows: [{ field: 'tag' }], values: [{ agg: 'count' }], lookback: { kind: 'preset', preset: 'last14Days', field: 'updatedAt' } },
    // 2 June to 15 June: S1 (1 June) falls outside.
    expected: [{ tag: 'S2', v0: 1 }, { tag: 'V1', v0: 1 }],
  },
];

describe('compiled definitions', () => {
  for (const c of CASES) {
    it(`${c.name}: golden SQL and hand-checked results`, async () => {
      const check = checkDefinition({ ...base, ...c.def });
      if (!check.ok) throw new Error(JSON.stringify(check.issues));
      const def = check.definition;
      const window = def.lookback ? resolveLookback(def.lookback, NOW, 'UTC') : null;
      const ctx = { projectId, timeZone: 'UTC', now: NOW, window };
      const { sql } = compileToSql(def, ctx);
      await expect(`${sql.sql}\n-- params: ${JSON.stringify(sql.params)}\n`).toMatchFileSnapshot(`../golden/${c.name}.sql`);
      expect(executeDefinition(db, def, ctx).rows).toEqual(c.expected);
    });
  }
});
