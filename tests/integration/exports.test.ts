import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { resolveExportTarget, sanitizeFileName } from '../../src/main/export/exportPath';
import { exportTable, type ExportTable } from '../../src/main/export/exporter';
import { xlsxFormat, MAX_DATA_ROWS_PER_SHEET } from '../../src/main/export/xlsxFormat';
import { csvFormat } from '../../src/main/export/csvFormat';
import { jsonFormat } from '../../src/main/export/jsonFormat';
import { runCli } from '../helpers/runCli';
import { hasSoffice, sheetsAsCsv, workbookAsPdf } from '../helpers/libreOffice';
import { tempDir } from '../helpers/fixtureDb';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';

// CI installs LibreOffice; there a missing soffice must fail the round trip, not skip it.
const soffice = hasSoffice() || process.env.CI === 'true';
const dir = tempDir('sitereport-exports-');
const db = path.join(dir, 'demo.db');

beforeAll(() => {
  createDemoDatabase(db, { components: 800, seed: 4, anchorDate: '2026-11-22' });
  if (!soffice) console.warn('LibreOffice (soffice) not found: XLSX round-trip checks skipped');
});

function table(rows: Array<Array<string | number | null>>, extra: Partial<ExportTable> = {}): ExportTable {
  return {
    meta: { title: 'Test export', projectName: 'Ünïcode Проект', projectCode: 'T', generatedAt: '2026-11-22T12:00:00Z', dataAsOf: null, dateRange: null, description: [], kpis: [], context: {} },
    columns: [
      { key: 'tag', label: 'Tag', type: 'text' },
      { key: 'n', label: 'Value', type: 'number' },
      { key: 'p', label: 'Progress %', type: 'percent' },
    ],
    rows: rows,
    totalRows: rows.length,
    ...extra,
  };
}

function unzipSheet(xlsx: string, sheet: number): string {
  return execFileSync('unzip', ['-p', xlsx, `xl/worksheets/sheet${sheet}.xml`], { encoding: 'utf8', maxBuffer: 1 << 30 });
}

describe('export paths', () => {
  it('keeps names inside the chosen folder and safe everywhere', () => {
    expect(() => resolveExportTarget(dir, '../x', '.xlsx')).toThrow(/names another folder/);
    expect(() => resolveExportTarget(dir, '/etc/passwd', '.xlsx')).toThrow(/names another folder/);
    expect(() => resolveExportTarget(dir, 'a\u0000b', '.xlsx')).toThrow(/NUL/);
    expect(sanitizeFileName('CON', '.xlsx')).toBe('_CON.xlsx');
    expect(sanitizeFileName('lpt1.report', '.csv')).toBe('_lpt1.report.csv');
    expect(sanitizeFileName('weekly report.', '.pdf')).toBe('weekly report.pdf');
    expect(sanitizeFileName('a<b>c:d"e|f?g*h', '.csv')).toBe('a_b_c_d_e_f_g_h.csv');
    const long = sanitizeFileName('x'.repeat(300), '.xlsx');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.endsWith('.xlsx')).toBe(true);
    expect(sanitizeFileName('Проект — отчёт', '.pdf')).toBe('Проект — отчёт.pdf');
  });

  it('never silently overwrites: numbered suffix unless asked', () => {
    const sub = tempDir('sitereport-names-');
    fs.writeFileSync(path.join(sub, 'r.csv'), 'old');
    expect(resolveExportTarget(sub, 'r', '.csv').file).toBe(path.join(sub, 'r (2).csv'));
    expect(resolveExportTarget(sub, 'r', '.csv', true).file).toBe(path.join(sub, 'r.csv'));
  });
});

describe('formula safety', () => {
  const dangerous = ['=HYPERLINK("http://x","y")', '+SUM(A1)', '-2+3', '@cmd', '\tTAB', '\rCR'];

  it('writes formula-looking text as text cells in XLSX and keeps negative numbers numeric', async () => {
    const file = path.join(dir, 'formulas.xlsx');
    await exportTable(xlsxFormat, table(dangerous.map((d, i) => [d, -i - 0.5, 10])), file);
    const xml = unzipSheet(file, 2);
    expect(xml).not.toMatch(/<f[ >]/);
    expect(xml).toContain('<v>-0.5</v>');
    expect(xml).toMatch(/t="(str|inlineStr|s)"/);
    if (soffice) {
      const csv = sheetsAsCsv(file).get('Test export') as string;
      expect(csv).toContain('"=HYPERLINK(""http://x"",""y"")"');
      expect(csv).toContain('-0.5');
    }
  });

  it('prefixes them with a quote in CSV, unless raw output is asked for', async () => {
    const file = path.join(dir, 'formulas.csv');
    await exportTable(csvFormat, table(dangerous.map((d) => [d, -1, 0])), file);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")",-1,0`);
    expect(text).toContain("'+SUM(A1)");
    const raw = path.join(dir, 'raw.csv');
    await exportTable(csvFormat, table([['=1+1', 1, 2]]), raw, { rawCsv: true });
    expect(fs.readFileSync(raw, 'utf8')).toContain('=1+1,1,2');
  });
});

describe('XLSX', () => {
  it.skipIf(!soffice)('opens in LibreOffice with exactly the values of the JSON result', () => {
    for (const [args, sheet] of [
      [['report', 'run', 'progress-summary'], 'Progress summary'],
      [['report', 'run', path.resolve(__dirname, '../../docs/examples/roc-by-area-and-type.json')], 'ROC % by area and type'],
    ] as const) {
      const json = JSON.parse(runCli([...args, '--db', db]).stdout);
      const out = path.join(dir, `${sheet}.xlsx`);
      const r = runCli([...args, '--db', db, '--format', 'xlsx', '--out', out, '--overwrite']);
      expect(r.stderr).toBe('');
      const csvRows = (sheetsAsCsv(out).get(sheet) as string).trimEnd().split('\n').map((l) => l.split(','));
      if (sheet === 'Progress summary') {
        expect(csvRows[1]).toEqual(['Total', 'All', String(json.summary.totalComponents), String(json.summary.completedComponents), String(json.summary.completionPercent), String(json.summary.rocWeightedPercent)]);
        const a = json.areaBreakdown[0];
        expect(csvRows[2]).toEqual(['Area', a.area, String(a.totalComponents), String(a.completedComponents), String(a.completionPercent), String(a.rocWeightedPercent)]);
        expect(csvRows).toHaveLength(1 + 1 + json.areaBreakdown.length + json.systemBreakdown.length + json.testPackageBreakdown.length);
      } else {
        expect(csvRows[0]).toEqual(['Area', ...json.pivot.values]);
        const first = json.rows.filter((x: { area: string }) => x.area === csvRows[1]?.[0]);
        for (const cell of first) expect(csvRows[1]?.[1 + json.pivot.values.indexOf(cell.type)]).toBe(String(cell.v0));
      }
    }
  });

  it.skipIf(!soffice)('puts the chart on the Summary sheet as a picture LibreOffice shows', () => {
    const out = path.join(dir, 'with-chart.xlsx');
    const r = runCli(['report', 'run', 'progress-summary', '--db', db, '--format', 'xlsx', '--out', out, '--overwrite']);
    expect(r.stderr).toBe('');
    const listing = execFileSync('unzip', ['-l', out], { encoding: 'utf8' });
    expect(listing).toContain('xl/media/image1.png');
    const png = execFileSync('unzip', ['-p', out, 'xl/media/image1.png'], { maxBuffer: 1 << 26 });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // Width and height from the IHDR chunk: 720 x 340 rendered at 2x.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1440, 680]);
    const summary = unzipSheet(out, 1);
    expect(summary).toContain('<drawing r:id="rId1"/>');
    const images = execFileSync('pdfimages', ['-list', workbookAsPdf(out)], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images.length).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(!soffice)('keeps every value in its column when cells before it are empty', async () => {
    const file = path.join(dir, 'gaps.xlsx');
    await exportTable(xlsxFormat, table([[null, null, 7], ['C', null, null], [null, 3, null], ['D', 4, 5]]), file);
    const csv = (sheetsAsCsv(file).get('Test export') as string).trimEnd().split('\n');
    expect(csv).toEqual(['Tag,Value,Progress %', ',,7', 'C,,', ',3,', 'D,4,5']);
  });

  it('has a styled frozen header, an autofilter with its defined name and a colour scale on percent columns', async () => {
    const file = path.join(dir, 'styled.xlsx');
    await exportTable(xlsxFormat, table([['A', 1, 50], ['B', 2, 75]]), file);
    const sheet = unzipSheet(file, 2);
    expect(sheet).toContain('state="frozen"');
    expect(sheet).toContain('<autoFilter ref="A1:C3"/>');
    expect(sheet).toMatch(/<conditionalFormatting sqref="C2:C3"><cfRule type="colorScale"/);
    const workbook = execFileSync('unzip', ['-p', file, 'xl/workbook.xml'], { encoding: 'utf8' });
    expect(workbook.replaceAll('&apos;', "'")).toContain('<definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">\'Test export\'!$A$1:$C$3</definedName>');
  });

  it('continues on a new sheet past 1,048,575 rows and truncates a 40,000-character cell with a note', async () => {
    const file = path.join(dir, 'big.xlsx');
    const total = MAX_DATA_ROWS_PER_SHEET + 51_425;
    function* rows() {
      yield ['x'.repeat(40_000), 0, 0];
      for (let i = 1; i < total; i++) yield [null, i, 0];
    }
    const result = await exportTable(xlsxFormat, { ...table([]), rows: rows(), totalRows: total }, file);
    expect(result.rows).toBe(1_100_000);
    const names = execFileSync('unzip', ['-p', file, 'xl/workbook.xml'], { encoding: 'utf8' }).match(/<sheet [^>]*name="([^"]+)"/g);
    expect(names).toHaveLength(3);
    const second = unzipSheet(file, 3);
    expect(second).toContain('<row r="51426"');
    expect(second).not.toContain('<row r="51427"');
    const first = unzipSheet(file, 2);
        // The cell is inline text or an index into the shared strings.
    const cell = /<row r="2"><c[^>]*><is><t>([^<]*)<\/t>|<row r="2"><c t="s"><v>(\d+)<\/v>/.exec(first);
    const shared = execFileSync('unzip', ['-p', file, 'xl/sharedStrings.xml'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const text = (cell?.[1] ?? [...shared.matchAll(/<si><t[^>]*>([^<]*)<\/t><\/si>/g)][Number(cell?.[2])]?.[1] ?? '') as string;
    expect(text.length).toBe(32_767);
    expect(text.endsWith('[truncated: Excel cells hold at most 32,767 characters]')).toBe(true);
    const summary = unzipSheet(file, 1);
    expect(summary).toContain('1 cell(s) were longer than 32,767 characters and were truncated');
  }, 300_000);
});

describe('failures leave nothing behind', () => {
  it('a cancelled export leaves no file', async () => {
    const file = path.join(dir, 'cancelled.csv');
    const controller = new AbortController();
    function* rows() {
      for (let i = 0; i < 100_000; i++) {
        if (i === 20_000) controller.abort();
        yield [`r${i}`, i, 1];
      }
    }
    await expect(exportTable(csvFormat, { ...table([]), rows: rows() }, file, { signal: controller.signal })).rejects.toThrow(/cancelled/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('cancelled') || f.includes('cancelled.csv'))).toEqual([]);
  });

  it('a read-only folder gives a clear error and no file', () => {
    const ro = tempDir('sitereport-ro-export-');
    fs.chmodSync(ro, 0o555);
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(db, 0o666);
    const asUser = process.getuid?.() === 0 ? 'nobody' : undefined;
    const copy = path.join(tempDir('sitereport-rodb-'), 'db.db');
    fs.copyFileSync(db, copy);
    fs.chmodSync(path.dirname(copy), 0o777);
    fs.chmodSync(copy, 0o666);
    try {
      const r = runCli(['report', 'run', 'progress-summary', '--db', copy, '--format', 'xlsx', '--out', path.join(ro, 'x.xlsx')], {}, asUser);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/^sitereport: cannot write to .*permission denied\n$/);
      expect(fs.readdirSync(ro)).toEqual([]);
    } finally {
      fs.chmodSync(ro, 0o755);
    }
  });

  it('a full disk gives a clear error and no file', async () => {
    // A file-size limit makes writes fail the way a full disk does (EFBIG), in a child process.
    const script = path.join(dir, 'fill.ts');
    fs.writeFileSync(
      script,
      `import { exportTable } from '${path.resolve(__dirname, '../../src/main/export/exporter')}';
import { csvFormat } from '${path.resolve(__dirname, '../../src/main/export/csvFormat')}';
function* rows() { for (let i = 0; i < 200000; i++) yield ['row ' + i, i, 0]; }
exportTable(csvFormat, { meta: {} as never, columns: [{ key: 'a', label: 'a', type: 'text' }, { key: 'b', label: 'b', type: 'number' }, { key: 'c', label: 'c', type: 'number' }], rows: rows(), totalRows: null }, '${path.join(dir, 'full.csv')}')
  .then(() => console.log('written'), (e) => { console.error(e.message); process.exit(3); });`,
    );
    let stderr = '';
    let code = 0;
    try {
      execFileSync('bash', ['-c', `ulimit -f 64; exec "${process.execPath}" --import tsx "${script}"`], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { status: number; stderr: string };
      code = e.status;
      stderr = e.stderr;
    }
    expect(code).toBe(3);
    expect(stderr).toMatch(/the disk is full: full\.csv was not written/);
    expect(fs.readdirSync(dir).filter((f) => f.includes('full.csv'))).toEqual([]);
  });
});

describe('JSON export', () => {
  it('carries its metadata and every row', async () => {
    const file = path.join(dir, 'table.json');
    await exportTable(jsonFormat, table([['a', 1, 2], ['b', null, 3]]), file);
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(j).toMatchObject({ format: 'sitereport.table/1', rowCount: 2, rows: [['a', 1, 2], ['b', null, 3]] });
    expect(j.meta.projectName).toBe('Ünïcode Проект');
  });
});
