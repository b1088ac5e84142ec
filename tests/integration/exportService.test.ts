import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { openAppServices, type AppServices } from '../../src/main/services/appServices';
import { exportReport } from '../../src/main/services/reportExports';
import { iterateComponentRows, type ComponentDetailsParams } from '../../src/main/reports/componentDetails';
import { csvLine, UTF8_BOM } from '../../src/shared/csv';
import { tempDir } from '../helpers/fixtureDb';

const dir = tempDir('sitereport-export-service-');
const dbPath = path.join(dir, 'demo.db');
let s: AppServices;

beforeAll(() => {
  createDemoDatabase(dbPath, { components: 3000, seed: 9, anchorDate: '2026-11-22' });
  s = openAppServices({ dbPath, now: () => new Date('2026-11-22T12:00:00Z') });
  // Text CSV must quote or guard, spread over the list so every reader thread meets some.
  const nasty = ['a,b', 'say "hi"', 'two\nlines', '=SUM(A1)', '+1', '-x', '@cmd', '\ttab', 'café Ёж', ' padded '];
  const ids = (s.db.prepare('SELECT id FROM components ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
  const update = s.db.prepare('UPDATE components SET display_id = ?, area = CASE WHEN ? THEN NULL ELSE area END WHERE id = ?');
  ids.forEach((id, i) => {
    if (i % 97 === 0) update.run(nasty[(i / 97) % nasty.length], i % 2, id);
  });
  s.db.prepare("UPDATE drawings SET title = 'Iso, sheet \"2\"' WHERE id IN (SELECT id FROM drawings ORDER BY id LIMIT 3)").run();
  // Numbers SQLite must print exactly as JavaScript does, or leave to the general writer.
  const completions = [33.333333333333336, 1e-7, 12.5, -0, 0.1 + 0.2, 1e20, 99.99, 7, 0.01, 0.07, 0.29, 1234567.89, 9999999999999.99, 1.005];
  const rocs = [-5000, 4999, 5000, 123450000, 100000000, 3000000, 1500000, -1, 2 ** 52];
  const setNumbers = s.db.prepare('UPDATE components SET completion_percent = ?, roc_micro = ? WHERE id = ?');
  ids.forEach((id, i) => {
    if (i % 89 === 0) setNumbers.run(completions[(i / 89) % completions.length], rocs[(i / 89) % rocs.length], id);
  });
});

afterAll(() => s.close());

function expected(params: ComponentDetailsParams, raw = false, bom = false): string {
  const project = (s.db.prepare('SELECT id FROM projects LIMIT 1').get() as { id: number }).id;
  let text = bom ? UTF8_BOM : '';
  text += csvLine(['tag', 'displayId', 'type', 'area', 'system', 'testPackage', 'status', 'completionPercent', 'rocWeightedPercent', 'workflowType', 'drawingNumber', 'drawingTitle', 'milestonesCompleted', 'milestonesTotal', 'lastActivity'], raw);
  for (const row of iterateComponentRows(s.db, project, params)) text += csvLine(row, raw);
  return text;
}

describe('component list CSV split between reader threads', () => {
  it.each<[string, ComponentDetailsParams, boolean]>([
    ['by tag', {}, false],
    ['by test package, descending (NULLs at the end)', { sort: 'testPackage', descending: true }, false],
    ['by area with a filter', { sort: 'area', filters: { status: ['IN_PROGRESS', 'NOT_STARTED'] } }, false],
    ['raw, by ROC', { sort: 'rocWeightedPercent' }, true],
  ])('gives exactly the bytes of the single-reader writer: %s', async (_name, params, raw) => {
    const progress: number[] = [];
    const result = await exportReport(
      s,
      { source: { kind: 'builtin', reportId: 'component-details', params: params as Record<string, unknown> }, format: 'csv', folder: dir, fileName: `list-${progress.length}`, overwrite: true },
      { rawCsv: raw, bom: true, onProgress: (p) => progress.push(p.rowsWritten) },
    );
    const text = fs.readFileSync(result.file, 'utf8');
    expect(text).toBe(expected(params, raw, true));
    const project = (s.db.prepare('SELECT id FROM projects LIMIT 1').get() as { id: number }).id;
    expect(result.rows).toBe([...iterateComponentRows(s.db, project, params)].length);
    expect(progress.at(-1)).toBe(result.rows);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.part') || /\.p\d+$/.test(f))).toEqual([]);
  });

  it('a cancelled export leaves no file and records the run as cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      exportReport(s, { source: { kind: 'builtin', reportId: 'component-details' }, format: 'csv', folder: dir, fileName: 'cancelled' }, { signal: controller.signal }),
    ).rejects.toThrow(/cancelled/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('cancelled') || f.includes('cancelled.csv'))).toEqual([]);
    const run = s.runs.list({ limit: 1 }).runs[0];
    expect(run?.status).toBe('cancelled');
  });

  it('records one run with its file, rows and bytes', async () => {
    const result = await exportReport(s, { source: { kind: 'builtin', reportId: 'progress-summary' }, format: 'xlsx', folder: dir, fileName: 'summary', overwrite: true }, { trigger: 'manual' });
    const run = s.runs.list({ limit: 1 }).runs[0];
    expect(run).toMatchObject({ status: 'succeeded', builtinId: 'progress-summary', files: [result.file], rowCount: result.rows, bytes: result.bytes, trigger: 'manual' });
  });

  it('exports only the chosen columns, in their order (the grid view), and refuses unknown ones', async () => {
    const params = { sort: 'area', filters: { status: ['COMPLETED'] }, columns: ['area', 'tag', 'rocWeightedPercent'] };
    const result = await exportReport(s, { source: { kind: 'builtin', reportId: 'component-details', params }, format: 'csv', folder: dir, fileName: 'view', overwrite: true }, { rawCsv: true });
    const project = (s.db.prepare('SELECT id FROM projects LIMIT 1').get() as { id: number }).id;
    let want = csvLine(['area', 'tag', 'rocWeightedPercent'], true);
    for (const row of iterateComponentRows(s.db, project, { sort: 'area', filters: { status: ['COMPLETED'] } })) want += csvLine([row[3], row[0], row[8]], true);
    expect(fs.readFileSync(result.file, 'utf8')).toBe(want);
    await expect(exportReport(s, { source: { kind: 'builtin', reportId: 'component-details', params: { columns: ['nope'] } }, format: 'csv', folder: dir, fileName: 'bad' })).rejects.toThrow(/columns\.0/);
  });

  it('refuses a relative folder and names outside the folder', async () => {
    await expect(exportReport(s, { source: { kind: 'builtin', reportId: 'progress-summary' }, format: 'csv', folder: 'relative/dir' })).rejects.toThrow(/absolute/);
    await expect(exportReport(s, { source: { kind: 'builtin', reportId: 'progress-summary' }, format: 'csv', folder: dir, fileName: '../escape' })).rejects.toThrow(/another folder/);
  });
});
