import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { importComponentsCsv, importComponentsFile, ImportRejected, openImportFile, previewImport, problemsCsv, readMilestonesFile } from '../../src/main/import/componentImport';
import { readCsv } from '../../src/main/import/csvRead';
import { suggestMapping } from '../../src/main/import/columnMapping';
import { addProject, createTestDb, ctxFor, tempDir } from '../helpers/fixtureDb';
import { progressSummary } from '../../src/main/reports/progressSummary';
import { runCli } from '../helpers/runCli';
import type { Db } from '../../src/main/db/connection';
import { maintainedFigures } from '../helpers/maintainedFigures';
import { writeFirstImport, type NewComponent } from '../../src/main/import/firstImport';
import { CheckedMilestoneColumns } from '../../src/main/import/checkedMilestoneColumns';
import { withTriggersLifted } from '../../src/main/db/bulkWrites';

const NOW = new Date('2026-11-22T12:00:00Z');
const FIRST = '\uFEFFTag No;Category;Description;Area;Test Package;Status;% Complete;Iso\r\nP-001;Spool;"Spool, 6""";A10;TP-1;Completed;100;ISO-1\r\nP-002;Valve;"two\nlines";A10;TP-1;in progress;50%;ISO-1\r\nP-003;Support;;A20;;Not started;;ISO-2\r\n';

function fresh(): Db {
  const db = createTestDb();
  addProject(db, 'P1');
  return db;
}

const rows = (db: Db) => db.prepare('SELECT tag, type, display_id AS displayId, area, test_package AS tp, status, completion_percent AS pct, (SELECT number FROM drawings d WHERE d.id = drawing_id) AS drawing FROM components ORDER BY tag').all();
const version = (db: Db) => (db.prepare('SELECT coalesce(sum(version), 0) AS v FROM data_versions').get() as { v: number }).v;

describe('reading component lists', () => {
  it('guesses the delimiter, drops the BOM and keeps quoted delimiters, quotes and newlines', () => {
    const t = readCsv(Buffer.from(FIRST));
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(['Tag No', 'Category', 'Description', 'Area', 'Test Package', 'Status', '% Complete', 'Iso']);
    expect(t.rows.map((r) => [r.line, r.cells[0], r.cells[2]])).toEqual([[2, 'P-001', 'Spool, 6"'], [3, 'P-002', 'two\nlines'], [5, 'P-003', '']]);
    expect(suggestMapping(t.header)).toEqual({ tag: 'Tag No', type: 'Category', displayId: 'Description', area: 'Area', testPackage: 'Test Package', status: 'Status', completionPercent: '% Complete', drawingNumber: 'Iso' });
  });

  it('refuses hostile or broken files in plain words', () => {
    expect(() => readCsv(Buffer.from([0x54, 0x61, 0x67, 0x0a, 0xff, 0xfe, 0x41]))).toThrow('the file is not UTF-8 text; save it from the spreadsheet as "CSV UTF-8"');
    expect(() => readCsv(Buffer.from('Tag,Type\n"P-1,Spool\n'))).toThrow('line 2: a quoted value is never closed');
    expect(() => readCsv(Buffer.from(`Tag,Type\nP-1,${'x'.repeat(50)}\n`), { maxBytes: 1e6, maxRows: 10, maxCellChars: 20 })).toThrow('line 2: a value is longer than 20 characters, the limit');
    expect(() => readCsv(Buffer.from(`Tag,Type\n${'P,S\n'.repeat(12)}`), { maxBytes: 1e6, maxRows: 10, maxCellChars: 20 })).toThrow('the file has more than 10 rows, the import limit');
    expect(() => readCsv(Buffer.from('x'.repeat(100)), { maxBytes: 50, maxRows: 10, maxCellChars: 20 })).toThrow(/imports are limited/);
  });

  it('refuses a 10 MB single cell, 1,000 columns and binary garbage with the default limits, in bounded memory', () => {
    const before = process.memoryUsage().rss;
    const bigCell = Buffer.concat([Buffer.from('Tag,Type\nP-1,"'), Buffer.alloc(10 * 1024 * 1024, 'x'), Buffer.from('"\n')]);
    expect(() => readCsv(bigCell)).toThrow('line 2: a value is longer than 10,000 characters, the limit');
    const wide = Buffer.from(`${Array.from({ length: 1000 }, (_, i) => `C${i}`).join(',')}\n${'1,'.repeat(999)}1\n`);
    expect(() => readCsv(wide)).toThrow('line 1: more than 256 columns; a component list has far fewer (is this the right file?)');
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expect(() => readCsv(garbage)).toThrow(/not UTF-8 text|binary data/);
    // The 10 MB cell was refused as soon as it passed the limit, not read whole first.
    expect((process.memoryUsage().rss - before) / 2 ** 20).toBeLessThan(120);
  });

  it('imports a 100,000-row list, and importing it again changes nothing', () => {
    const db = fresh();
    const lines = ['Tag,Type,Area,Status,% Complete'];
    for (let i = 0; i < 100_000; i++) lines.push(`T-${i},${i % 3 ? 'Spool' : 'Valve'},A${i % 9},${i % 4 ? 'In progress' : 'Completed'},${i % 4 ? i % 100 : 100}`);
    const file = Buffer.from(lines.join('\n'));
    const indexes = () => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'components' ORDER BY name").all();
    const before = indexes();
    expect(importComponentsCsv(db, file, { now: NOW })).toMatchObject({ rows: 100_000, added: 100_000, removed: 0 });
    // Lifted for the load and built again, as they were.
    expect(indexes()).toEqual(before);
    expect(before.length).toBeGreaterThan(8);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const figures = maintainedFigures(db);
    expect(figures.kept).toEqual(figures.recomputed);
    const version = (db.prepare('SELECT sum(version) AS v FROM data_versions').get() as { v: number }).v;
    expect(importComponentsCsv(db, file, { now: NOW })).toMatchObject({ added: 0, changed: 0, unchanged: 100_000, removed: 0 });
    expect((db.prepare('SELECT sum(version) AS v FROM data_versions').get() as { v: number }).v).toBe(version);
    expect(progressSummary(ctxFor(db, 'P1', NOW.toISOString())).summary).toMatchObject({ totalComponents: 100_000, completedComponents: 25_000 });
    // The shortcut for an unchanged re-import holds only while the project is unchanged too.
    db.prepare("UPDATE components SET status = 'ON_HOLD' WHERE tag = 'T-7'").run();
    expect(importComponentsCsv(db, file, { now: NOW })).toMatchObject({ added: 0, changed: 1, unchanged: 99_999, removed: 0 });
    expect(db.prepare("SELECT status FROM components WHERE tag = 'T-7'").pluck().get()).toBe('IN_PROGRESS');
    expect(importComponentsCsv(db, file, { now: NOW })).toMatchObject({ changed: 0, unchanged: 100_000 });
  }, 120_000);
});

describe('importing a component list', () => {
  it('adds the rows, then a second import of the same file changes nothing', () => {
    const db = fresh();
    expect(importComponentsCsv(db, Buffer.from(FIRST), { now: NOW })).toMatchObject({ rows: 3, added: 3, changed: 0, unchanged: 0, removed: 0 });
    expect(rows(db)).toEqual([
      { tag: 'P-001', type: 'Spool', displayId: 'Spool, 6"', area: 'A10', tp: 'TP-1', status: 'COMPLETED', pct: 100, drawing: 'ISO-1' },
      { tag: 'P-002', type: 'Valve', displayId: 'two\nlines', area: 'A10', tp: 'TP-1', status: 'IN_PROGRESS', pct: 50, drawing: 'ISO-1' },
      { tag: 'P-003', type: 'Support', displayId: null, area: 'A20', tp: null, status: 'NOT_STARTED', pct: 0, drawing: 'ISO-2' },
    ]);
    // The maintained figures follow: three components, completion (100 + 50 + 0) / 3 = 50 %.
    const summary = progressSummary(ctxFor(db, 'P1', '2026-11-22T12:00:00Z')).summary;
    expect(summary).toMatchObject({ totalComponents: 3, completedComponents: 1, completionPercent: 50 });
    const v = version(db);
    expect(importComponentsCsv(db, Buffer.from(FIRST), { now: NOW })).toMatchObject({ added: 0, changed: 0, unchanged: 3, removed: 0 });
    expect(version(db)).toBe(v);
  });

  it('an updated file updates, adds and removes, and reports each count', () => {
    const db = fresh();
    importComponentsCsv(db, Buffer.from(FIRST), { now: NOW });
    const next = 'Tag No;Category;Description;Area;Test Package;Status;% Complete;Iso\nP-001;Spool;"Spool, 6""";A10;TP-1;Completed;100;ISO-1\nP-002;Valve;"two\nlines";A10;TP-1;Completed;100;ISO-1\nP-004;Weld;;A20;TP-2;In Progress;25;ISO-3\n';
    expect(importComponentsCsv(db, Buffer.from(next), { now: NOW })).toMatchObject({ rows: 3, added: 1, changed: 1, unchanged: 1, removed: 1 });
    expect((rows(db) as Array<{ tag: string; status: string }>).map((r) => `${r.tag}:${r.status}`)).toEqual(['P-001:COMPLETED', 'P-002:COMPLETED', 'P-004:IN_PROGRESS']);
    const figures = maintainedFigures(db);
    expect(figures.kept).toEqual(figures.recomputed);
  });


  it('previews a streamed list: the first rows mapped, every row counted, every problem listed, nothing written', () => {
    const db = fresh();
    const list = 'Tag No;Category;Status\nP-001;Spool;Completed\nP-002;Valve;Done\nP-003;Weld;In progress\n';
    const p = previewImport(db, openImportFile('list.csv', Buffer.from(list), {}), { now: NOW }, 2);
    expect(p.rows).toEqual([{ tag: 'P-001', type: 'Spool', status: 'Completed' }, { tag: 'P-002', type: 'Valve', status: 'Done' }]);
    expect(p.totalRows).toBe(3);
    expect(p.problems).toEqual([{ line: 3, column: 'Status', value: 'Done', reason: 'unknown status (use NOT_STARTED, IN_PROGRESS, COMPLETED, ON_HOLD)' }]);
    // Without a type column nothing is checked, but the rows are still counted.
    const noType = previewImport(db, openImportFile('list.csv', Buffer.from('Tag No;Status\nP-1;Completed\nP-2;Completed\n'), {}), { now: NOW });
    expect(noType).toMatchObject({ missing: ['type'], totalRows: 2, problemCount: 0 });
    expect(rows(db)).toEqual([]);
  });

  it('a list that breaks after good rows (it is read as it is checked) changes nothing, and the connection keeps its in-memory temp store', () => {
    const db = fresh();
    importComponentsCsv(db, Buffer.from(FIRST), { now: NOW });
    const before = rows(db);
    const v = version(db);
    const broken = 'Tag No;Category;Description;Area;Test Package;Status;% Complete;Iso\nP-001;Spool;;A10;TP-1;Completed;100;ISO-1\nP-009;Valve;;A30;TP-9;Completed;100;ISO-9\nP-010;Valve;"never closed;A30;TP-9;Completed;100;ISO-9\n';
    expect(() => importComponentsCsv(db, Buffer.from(broken), { now: NOW })).toThrow('line 4: a quoted value is never closed');
    expect(rows(db)).toEqual(before);
    expect(version(db)).toBe(v);
    // The import switches SQLite's temporary storage to files for its own run only (2 = MEMORY).
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    const next = 'Tag No;Category;Description;Area;Test Package;Status;% Complete;Iso\nP-001;Spool;"Spool, 6""";A10;TP-1;Completed;100;ISO-1\nP-004;Weld;;A20;TP-2;In Progress;25;ISO-3\n';
    expect(importComponentsCsv(db, Buffer.from(next), { now: NOW })).toMatchObject({ added: 1, unchanged: 1, removed: 2 });
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
  });
  it('a file with bad rows changes nothing and lists every problem with line, column, value and reason', () => {
    const db = fresh();
    importComponentsCsv(db, Buffer.from(FIRST), { now: NOW });
    const before = JSON.stringify(rows(db));
    const v = version(db);
    const bad = 'Tag,Type,Status,Percent\nP-001,Spool,Done,10\nP-002,Valve,COMPLETED,120\nP-001,Spool,COMPLETED,100\n,Valve,COMPLETED,100\nP-005,,ON_HOLD,abc\n';
    let caught: unknown;
    try {
      importComponentsCsv(db, Buffer.from(bad), { now: NOW });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ImportRejected);
    const problems = (caught as ImportRejected).problems;
    expect(problems).toEqual([
      { line: 2, column: 'Status', value: 'Done', reason: 'unknown status (use NOT_STARTED, IN_PROGRESS, COMPLETED, ON_HOLD)' },
      { line: 3, column: 'Percent', value: '120', reason: 'a percentage must be from 0 to 100' },
      { line: 4, column: 'Tag', value: 'P-001', reason: 'duplicate tag (first on line 2)' },
      { line: 5, column: 'Tag', value: '', reason: 'the tag is missing (every component needs one)' },
      { line: 6, column: 'Type', value: '', reason: 'the component type is missing' },
      { line: 6, column: 'Percent', value: 'abc', reason: 'not a number' },
    ]);
    expect((caught as Error).message.split('\n')[0]).toBe('nothing was imported: 6 row problems');
    expect(problemsCsv(problems).split('\r\n')[1]).toBe('2,Status,Done,"unknown status (use NOT_STARTED, IN_PROGRESS, COMPLETED, ON_HOLD)"');
    expect(JSON.stringify(rows(db))).toBe(before);
    expect(version(db)).toBe(v);
  });

  it('needs a tag and a type column, and checks a given mapping against the file', () => {
    const db = fresh();
    expect(() => importComponentsCsv(db, Buffer.from('Name,Area\nx,A\n'), { now: NOW })).toThrow('no column for tag and type; name it in the header or give a mapping (--mapping FILE)');
    expect(() => importComponentsCsv(db, Buffer.from('Code,Kind\nx,A\n'), { now: NOW, mapping: { tag: 'Code', type: 'Sort' } })).toThrow('the mapping sends column "Sort" to type, but the file has no such column');
    expect(importComponentsCsv(db, Buffer.from('Code,Kind\nx,A\n'), { now: NOW, mapping: { tag: 'Code', type: 'Kind' } })).toMatchObject({ added: 1 });
    // The mapping is remembered for the project: the same file imports without it next time.
    expect(importComponentsCsv(db, Buffer.from('Code,Kind\nx,B\n'), { now: NOW })).toMatchObject({ changed: 1 });
  });
});

describe('sitereport import', () => {
  it('imports from the command line and, on bad rows, exits non-zero with the problems saved as CSV', () => {
    const dir = tempDir('sitereport-import-cli-');
    const dbPath = path.join(dir, 'site.db');
    expect(runCli(['demo', '--db', dbPath, '--components', '50']).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'list.csv'), FIRST);
    const ok = runCli(['import', path.join(dir, 'list.csv'), '--db', dbPath]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('Imported 3 rows: 3 added, 0 changed, 0 unchanged, 50 removed.');
    fs.writeFileSync(path.join(dir, 'bad.csv'), 'Tag,Type,Status\nP-9,Spool,Done\n');
    const bad = runCli(['import', path.join(dir, 'bad.csv'), '--db', dbPath, '--errors-csv', path.join(dir, 'problems.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 2, Status "Done": unknown status');
    expect(bad.stderr.trim().split('\n').at(-1)).toBe('sitereport: nothing was imported: 1 row problem');
    expect(fs.readFileSync(path.join(dir, 'problems.csv'), 'utf8')).toBe('line,column,value,reason\r\n2,Status,Done,"unknown status (use NOT_STARTED, IN_PROGRESS, COMPLETED, ON_HOLD)"\r\n');
    fs.writeFileSync(path.join(dir, 'list.xls'), 'old');
    expect(runCli(['import', path.join(dir, 'list.xls'), '--db', dbPath]).stderr).toContain('old .xls workbooks cannot be read');
  });
});

describe('an import killed part-way', () => {
  it('leaves a database that opens, passes its checks and holds the old list or the new one, never half', async () => {
    const { spawn } = await import('node:child_process');
    const { openDatabase } = await import('../../src/main/db/connection');
    const { CLI } = await import('../helpers/runCli');
    const dir = tempDir('sitereport-import-kill-');
    const dbPath = path.join(dir, 'site.db');
    expect(runCli(['demo', '--db', dbPath, '--components', '300']).code).toBe(0);
    let csv = 'Tag,Type,Area,Status,Percent\n';
    for (let i = 0; i < 30_000; i++) csv += `K-${i},Spool,A${i % 7},IN_PROGRESS,${i % 100}\n`;
    fs.writeFileSync(path.join(dir, 'big.csv'), csv);
    const outcomes = new Set<number>();
    for (const delay of [150, 400, 700, 1000, 1500]) {
      const child = spawn(process.execPath, [CLI, 'import', path.join(dir, 'big.csv'), '--db', dbPath], { env: { ...process.env, SITEREPORT_NOW: '2026-11-22T12:00:00Z' } });
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      await new Promise((r) => child.on('exit', r));
      clearTimeout(timer);
      const db = openDatabase(dbPath, {});
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        const n = (db.prepare('SELECT count(*) AS n FROM components').get() as { n: number }).n;
        expect([300, 30_000]).toContain(n);
        outcomes.add(n);
        if (n === 30_000) break;
      } finally {
        db.close();
      }
    }
    expect(outcomes.size).toBeGreaterThan(0);
  }, 120_000);
});

describe('importing from an XLSX workbook', () => {
  async function workbook(file: string): Promise<Buffer> {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const list = wb.addWorksheet('Components');
    list.addRow(['Tag', 'Type', 'Area', 'Status', '% Complete', 'Description']);
    list.addRow(['W-1', 'Weld', 'A&B <north>', 'Completed', 100, 'first']);
    list.addRow(['W-2', 'Weld', null, 'In progress', 37.5, 'second, with a gap before it']);
    list.addRow([]);
    list.addRow(['W-3', 'Support', 'A20', null, null, 'third']);
    const other = wb.addWorksheet('Second');
    other.addRow(['Tag', 'Type']);
    other.addRow(['S-1', 'Spool']);
    await wb.xlsx.writeFile(file);
    return fs.readFileSync(file);
  }

  it('reads the first sheet by default, or the one named, with strings, numbers and empty cells in place', async () => {
    const dir = tempDir('sitereport-import-xlsx-');
    const bytes = await workbook(path.join(dir, 'list.xlsx'));
    const { readXlsx } = await import('../../src/main/import/xlsxRead');
    const t = readXlsx(bytes);
    expect(t.header).toEqual(['Tag', 'Type', 'Area', 'Status', '% Complete', 'Description']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['W-1', 'Weld', 'A&B <north>', 'Completed', '100', 'first'] },
      { line: 3, cells: ['W-2', 'Weld', '', 'In progress', '37.5', 'second, with a gap before it'] },
      { line: 5, cells: ['W-3', 'Support', 'A20', '', '', 'third'] },
    ]);
    expect(readXlsx(bytes, 'Second').rows).toEqual([{ line: 2, cells: ['S-1', 'Spool'] }]);
    expect(() => readXlsx(bytes, 'Nope')).toThrow('the workbook has no sheet "Nope" (it has "Components", "Second")');
    const db = fresh();
    const { importComponentsFile } = await import('../../src/main/import/componentImport');
    expect(importComponentsFile(db, 'list.xlsx', bytes, { now: NOW })).toMatchObject({ added: 3 });
    expect((rows(db) as Array<{ tag: string; area: string | null; status: string; pct: number }>).map((r) => [r.tag, r.area, r.status, r.pct])).toEqual([
      ['W-1', 'A&B <north>', 'COMPLETED', 100],
      ['W-2', null, 'IN_PROGRESS', 37.5],
      ['W-3', 'A20', 'NOT_STARTED', 0],
    ]);
  });

  it('refuses a workbook that would unpack to far more than its size, or past the size limit, before unpacking it', async () => {
    const { ZipWriter } = await import('../../src/main/export/zipWriter');
    const { readXlsx } = await import('../../src/main/import/xlsxRead');
    const dir = tempDir('sitereport-import-bomb-');
    const file = path.join(dir, 'bomb.xlsx');
    const zip = new ZipWriter(file, 9);
    for (const [name, body] of [['xl/workbook.xml', '<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'], ['xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>']] as const) {
      const e = zip.entry(name);
      await e.write(body);
      await e.end();
    }
    const big = zip.entry('xl/worksheets/sheet1.xml');
    for (let i = 0; i < 20; i++) await big.write(Buffer.alloc(1024 * 1024, 0x20));
    await big.end();
    zip.finish();
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBeLessThan(200_000);
    expect(() => readXlsx(bytes)).toThrow(/would unpack to \d+ times its size; such files are refused/);
    expect(() => readXlsx(bytes, undefined, undefined, { maxUncompressedBytes: 1024 * 1024, maxRatio: 1e9 })).toThrow('the workbook would unpack to 20 MB; imports are limited to 1 MB');
    expect(() => readXlsx(Buffer.from('PK not really a zip'))).toThrow('the file is not a readable XLSX workbook (no ZIP directory)');
  });
});

describe('importing milestones with the list', () => {
  const LIST = 'Tag,Type,Status\nV-1,Valve,In progress\nV-2,Valve,Not started\nS-1,Spool,Completed\n';
  const MILESTONES = [
    'Tag;Milestone;Completed;Completed date;Completed by;%',
    'V-1;Receive;yes;2026-11-02;Anna;',
    'V-1;Erect;yes;2026-11-10T08:30:00Z;Anna;',
    'V-1;Connect;no;;;',
    'V-2;Receive;;;;',
    'S-1;Receive;x;2026-10-01;Lee;',
    'S-1;Erect;yes;2026-10-05;Lee;',
    'S-1;Connect;yes;2026-10-09;Lee;',
    'S-1;Test;yes;2026-10-12;Lee;',
    'S-1;Complete;yes;2026-10-15;Lee;',
  ].join('\n');
  const milestoneRows = (db: Db) =>
    db.prepare('SELECT c.tag, m.name, m.milestone_order AS n, m.is_completed AS done, m.completed_at AS at, m.completed_by AS by FROM component_milestones m JOIN components c ON c.id = m.component_id ORDER BY c.tag, m.milestone_order').all();

  it('adds them with the components, gives the ROC figures the spec expects, and the same files again change nothing', () => {
    const db = fresh();
    const r = importComponentsCsv(db, Buffer.from(LIST), { now: NOW, milestones: readCsv(Buffer.from(MILESTONES)) });
    expect(r).toMatchObject({ added: 3, milestones: { rows: 9, added: 9, changed: 0, unchanged: 0, removed: 0 } });
    expect(milestoneRows(db).slice(0, 3)).toEqual([
      { tag: 'S-1', name: 'Receive', n: 1, done: 1, at: '2026-10-01T00:00:00.000Z', by: 'Lee' },
      { tag: 'S-1', name: 'Erect', n: 2, done: 1, at: '2026-10-05T00:00:00.000Z', by: 'Lee' },
      { tag: 'S-1', name: 'Connect', n: 3, done: 1, at: '2026-10-09T00:00:00.000Z', by: 'Lee' },
    ]);
    // System default weights: V-1 = Receive 10 + Erect 30 = 40, V-2 = 0, S-1 = 100 → mean 46.67.
    const s = progressSummary(ctxFor(db, 'P1', NOW.toISOString()));
    expect(s.summary).toMatchObject({ totalComponents: 3, completedComponents: 1, rocWeightedPercent: 46.67 });
    const again = importComponentsCsv(db, Buffer.from(LIST), { now: new Date('2026-11-23T12:00:00Z'), milestones: readCsv(Buffer.from(MILESTONES)) });
    expect(again).toMatchObject({ added: 0, changed: 0, removed: 0, milestones: { added: 0, changed: 0, unchanged: 9, removed: 0 } });
  });

  it('an updated milestones file completes, reopens and removes exactly what changed', () => {
    const db = fresh();
    importComponentsCsv(db, Buffer.from(LIST), { now: NOW, milestones: readCsv(Buffer.from(MILESTONES)) });
    const updated = MILESTONES.replace('V-1;Connect;no;;;', 'V-1;Connect;yes;2026-11-20;Anna;').replace('S-1;Complete;yes;2026-10-15;Lee;', 'S-1;Complete;no;;;').replace('\nV-2;Receive;;;;', '');
    const r = importComponentsCsv(db, Buffer.from(LIST), { now: NOW, milestones: readCsv(Buffer.from(updated)) });
    expect(r.milestones).toEqual({ rows: 8, added: 0, changed: 2, unchanged: 6, removed: 0 });
    // V-2 is no longer named by the file, so its milestones are left as they were.
    expect((db.prepare("SELECT count(*) AS n FROM component_milestones m JOIN components c ON c.id = m.component_id WHERE c.tag = 'V-2'").get() as { n: number }).n).toBe(1);
    const without = updated.replace('\nS-1;Test;yes;2026-10-12;Lee;', '');
    // Without an order column a milestone's order is its place in the file: Complete moves from 5th to 4th.
    expect(importComponentsCsv(db, Buffer.from(LIST), { now: NOW, milestones: readCsv(Buffer.from(without)) }).milestones).toEqual({ rows: 7, added: 0, changed: 1, unchanged: 6, removed: 1 });
    const s = progressSummary(ctxFor(db, 'P1', NOW.toISOString()));
    // V-1 = 10 + 30 + 40 = 80; S-1 = Receive 10 + Erect 30 + Connect 40 = 80 (Test removed, Complete reopened); V-2 = 0.
    expect(s.summary.rocWeightedPercent).toBe(53.33);
    // The figures kept while importing equal a full recomputation.
    const figures = maintainedFigures(db);
    expect(figures.kept).toEqual(figures.recomputed);
  });

  it('refuses bad milestone rows with line, column and reason, and changes nothing', () => {
    const db = fresh();
    importComponentsCsv(db, Buffer.from(LIST), { now: NOW, milestones: readCsv(Buffer.from(MILESTONES)) });
    const before = JSON.stringify(milestoneRows(db));
    const bad = ['Tag;Milestone;Completed;Completed date;%', 'X-9;Receive;yes;2026-11-02;', 'V-1;Receive;maybe;;', 'V-1;Erect;yes;31/12/2026;', 'V-2;Erect;;;150', 'V-2;Erect;no;;', ';Test;;;', 'V-2;;;;'].join('\n');
    let problems: Array<{ line: number; column: string; value: string; reason: string }> = [];
    try {
      importComponentsCsv(db, Buffer.from(LIST.replace('V-2,Valve,Not started', 'V-2,Valve,Done')), { now: NOW, milestones: readCsv(Buffer.from(bad)) });
    } catch (err) {
      expect(err).toBeInstanceOf(ImportRejected);
      problems = (err as ImportRejected).problems;
    }
    expect(problems.map((p) => `${p.line} ${p.column} "${p.value}": ${p.reason}`)).toEqual([
      '3 Status "Done": unknown status (use NOT_STARTED, IN_PROGRESS, COMPLETED, ON_HOLD)',
      '2 Tag (milestones) "X-9": unknown tag (not in the component list)',
      '3 Completed (milestones) "maybe": not yes or no',
      '4 Completed date (milestones) "31/12/2026": a date that is not a date (use YYYY-MM-DD)',
      '5 % (milestones) "150": a percentage must be from 0 to 100',
      '6 Milestone (milestones) "Erect": duplicate milestone for V-2 (first on line 5)',
      '7 Tag (milestones) "": the component tag is missing',
      '8 Milestone (milestones) "": the milestone name is missing',
    ]);
    expect(JSON.stringify(milestoneRows(db))).toBe(before);
  });

  it('the CLI takes a milestones sheet of the same workbook', async () => {
    const dir = tempDir('sitereport-import-milestones-');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const list = wb.addWorksheet('Components');
    list.addRow(['Tag', 'Type']);
    list.addRow(['V-1', 'Valve']);
    list.addRow(['V-2', 'Valve']);
    const ms = wb.addWorksheet('Milestones');
    ms.addRow(['Tag', 'Milestone', 'Completed', 'Date']);
    ms.addRow(['V-1', 'Receive', 'yes', '2026-11-02']);
    ms.addRow(['V-2', 'Receive', 'no', null]);
    const file = path.join(dir, 'list.xlsx');
    await wb.xlsx.writeFile(file);
    const db = path.join(dir, 'site.db');
    const first = runCli(['import', file, '--milestones-sheet', 'Milestones', '--db', db, '--project', 'DEMO-ETH']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Milestones: 2 rows: 2 added, 0 changed, 0 unchanged, 0 removed.');
    const again = runCli(['import', file, '--milestones-sheet', 'Milestones', '--db', db, '--project', 'DEMO-ETH']);
    expect(again.stdout).toContain('Milestones: 2 rows: 0 added, 0 changed, 2 unchanged, 0 removed.');
    const csvList = path.join(dir, 'list.csv');
    fs.writeFileSync(csvList, 'Tag,Type\nV-1,Valve\n');
    expect(runCli(['import', csvList, '--milestones-sheet', 'Milestones', '--db', db]).stderr).toMatch(/--milestones-sheet names a sheet of the XLSX/);
  });

  describe('a list of all-new tags (figures computed as the rows are written)', () => {
    const NEW_LIST = ['Tag,Type,Area,System,Test Package,Status,% Complete,Drawing',
      'V-1,Valve,A1,S1,TP1,In progress,33.3,ISO-1', 'V-2,Valve,,S1,TP1,Completed,100,ISO-1', 'S-1,Spool,A1,,TP2,Completed,100,',
      'S-2,Spool,A2,S2,,Not started,0,ISO-2', 'S-3,Spool,A2,S2,,Not started,,ISO-2', 'S-4,Spool,A1,,TP3,Completed,100,'].join('\n');
    const NEW_MILESTONES = ['Tag,Milestone,Completed,Completed date,%',
      'V-1,Receive,yes,2026-11-02,', 'V-1,Erect,yes,2026-11-02T23:30:00Z,', 'V-1,Connect,no,,', 'V-2,Receive,yes,2026-10-01,', 'V-2,Erect,yes,,',
      'V-2,Connect,,2026-10-03,', 'S-1,Receive,yes,2026-10-01,', 'S-1,Erect,no,,', 'S-2,Receive,no,,50', 'S-1,Weld,yes,2026-09-30,'].join('\n');
    const figure = (db: Db, tag: string) => db.prepare('SELECT roc_micro AS roc, completed_at AS at, milestones_total AS total, milestones_completed AS done FROM components WHERE tag = ?').get(tag);

    it('equal a full recomputation, with the weights of the project\'s own configuration, and replace the list before', () => {
      const db = fresh();
      db.prepare("INSERT INTO roc_configurations (project_id, component_type, weights_json, effective_date, is_default) VALUES ((SELECT id FROM projects WHERE code = 'P1'), 'Valve', ?, '2026-01-01', 0)")
        .run(JSON.stringify({ Receive: 12.5, Erect: 37.5, Connect: 50 }));
      const old = importComponentsCsv(db, Buffer.from('Tag,Type,Status\nX-1,Valve,Completed\nX-2,Spool,Not started\nX-3,Spool,In progress\n'), {
        now: NOW, milestones: readCsv(Buffer.from('Tag,Milestone,Completed,Completed date\nX-1,Receive,yes,2026-10-01\nX-3,Erect,yes,2026-10-02\n')),
      });
      expect(old).toMatchObject({ added: 3, removed: 0, milestones: { added: 2 } });
      // Streamed and read twice (checked, then written).
      const r = importComponentsFile(db, 'new.csv', Buffer.from(NEW_LIST), { now: NOW, milestones: readMilestonesFile('m.csv', Buffer.from(NEW_MILESTONES), {}) });
      expect(r).toMatchObject({ rows: 6, added: 6, changed: 0, unchanged: 0, removed: 3, milestones: { rows: 10, added: 10, changed: 0, unchanged: 0, removed: 0 } });
      // Valve weights 12.5 + 37.5; V-2 has all three done ("yes" without a date: now); S-1 under the
      // default weights, Weld weighing nothing: Receive 10.
      expect(figure(db, 'V-1')).toEqual({ roc: 50_000_000, at: null, total: 3, done: 2 });
      expect(figure(db, 'V-2')).toEqual({ roc: 100_000_000, at: NOW.toISOString(), total: 3, done: 3 });
      expect(figure(db, 'S-1')).toEqual({ roc: 10_000_000, at: null, total: 3, done: 2 });
      expect(figure(db, 'S-3')).toEqual({ roc: 0, at: null, total: 0, done: 0 });
      expect((db.prepare('SELECT count(*) AS n FROM component_milestones').get() as { n: number }).n).toBe(10);
      const figures = maintainedFigures(db);
      expect(figures.kept).toEqual(figures.recomputed);
      expect((figures.kept as { cube: unknown[] }).cube.length).toBeGreaterThan(3);
      expect(JSON.stringify((figures.kept as { daily: unknown[] }).daily)).toContain('2026-11-02');
    });

    it('writes the milestones from the rows kept at the first pass, and the same rows when a file too varied to keep is read again', () => {
      const list: NewComponent[] = ['V-1', 'V-2', 'S-1'].map((tag) => ({ tag, type: tag.startsWith('V') ? 'Valve' : 'Spool', status: 'IN_PROGRESS', completion: 0, drawing: null,
        text: { displayId: null, area: 'A1', system: null, testPackage: null, spec: null, size: null, material: null } }));
      const file = ['Tag,Milestone,Order,Completed,Completed date,Completed by,%', 'V-1,Receive,3,yes,2026-11-02,Anna,', 'V-1,Erect,,yes,2026-11-02T23:30:00Z,Bo,',
        'V-1,Connect,7,no,,,40', 'V-2,Receive,,no,,Anna,', 'V-1,Punch,,no,,,', 'S-1,Receive,1,yes,,Lee,100', 'S-1,Weld,-2,no,,,'].join('\n');
      const written = (kept: CheckedMilestoneColumns) => {
        const db = fresh();
        const projectId = (db.prepare("SELECT id FROM projects WHERE code = 'P1'").pluck().get()) as number;
        db.prepare("INSERT INTO roc_configurations (project_id, component_type, weights_json, effective_date, is_default) VALUES (?, 'Valve', ?, '2026-01-01', 0)")
          .run(projectId, JSON.stringify({ Receive: 12.5, Erect: 37.5, Connect: 50 }));
        db.transaction(() => withTriggersLifted(db, () => writeFirstImport(db, projectId, list, readCsv(Buffer.from(file)), NOW.toISOString(), kept)))();
        return db.prepare('SELECT component_id, name, milestone_order, is_completed, completed_at, completed_by, percentage_value, earned_micro, share_micro FROM component_milestones ORDER BY id').raw().all();
      };
      const kept = new CheckedMilestoneColumns();
      const rows = written(kept);
      expect(kept.kept()).toBe(true);
      expect(kept.rows).toBe(7);
      // Component ids 1-3 in list order; a blank order follows the tag's last one, also after
      // another tag's rows; the Valve weights 12.5 / 37.5, S-1's Receive 10 under the default
      // weights; shares 1/4 and 1/2.
      expect(rows).toEqual([
        [1, 'Receive', 3, 1, '2026-11-02T00:00:00.000Z', 'Anna', null, 12_500_000, 25_000_000],
        [1, 'Erect', 4, 1, '2026-11-02T23:30:00.000Z', 'Bo', null, 37_500_000, 25_000_000],
        [1, 'Connect', 7, 0, null, null, 40, 0, 0],
        [2, 'Receive', 1, 0, null, 'Anna', null, 0, 0],
        [1, 'Punch', 8, 0, null, null, null, 0, 0],
        [3, 'Receive', 1, 1, NOW.toISOString(), 'Lee', 100, 10_000_000, 50_000_000],
        [3, 'Weld', -2, 0, null, null, null, 0, 0],
      ]);
      // Two different texts at most: the third ('Anna') lets go of the rows, and the file is read again.
      const varied = new CheckedMilestoneColumns(2);
      expect(written(varied)).toEqual(rows);
      expect(varied.kept()).toBe(false);
    });

    it('a bad or repeated milestone in a first import is reported in full, and nothing is written', () => {
      for (const [extra, reason] of [
        ['V-1,Receive,no,,', 'duplicate milestone for V-1 (first on line 2)'],
        ['V-9,Receive,no,,', 'unknown tag (not in the component list)'],
      ] as const) {
        const db = fresh();
        let problems: Array<{ line: number; reason: string }> = [];
        try {
          importComponentsFile(db, 'new.csv', Buffer.from(NEW_LIST), { now: NOW, milestones: readMilestonesFile('m.csv', Buffer.from(`${NEW_MILESTONES}\n${extra}`), {}) });
        } catch (err) {
          problems = (err as ImportRejected).problems;
        }
        expect(problems).toEqual([expect.objectContaining({ line: 12, reason })]);
        expect((db.prepare('SELECT count(*) AS n FROM components').get() as { n: number }).n).toBe(0);
        expect((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger'").get() as { n: number }).n).toBeGreaterThan(10);
      }
    });
  });
});
