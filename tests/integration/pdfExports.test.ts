import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../helpers/runCli';
import { tempDir } from '../helpers/fixtureDb';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';

const dir = tempDir('sitereport-pdf-');
const db = path.join(dir, 'demo.db');
const artifacts = path.resolve(__dirname, '../../test-results/pdf');

const tool = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
const pages = (file: string) => Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [file]))?.[1]);

beforeAll(() => {
  createDemoDatabase(db, { components: 1200, seed: 8, anchorDate: '2026-11-22' });
  // A project name with accents and Cyrillic must print as written.
  const raw = new Database(db);
  raw.prepare("UPDATE projects SET name = 'Завод Ñandú — Piping'").run();
  raw.close();
  fs.mkdirSync(artifacts, { recursive: true });
});

function exportPdf(args: string[], name: string): string {
  const out = path.join(dir, name);
  const r = runCli([...args, '--db', db, '--format', 'pdf', '--out', out, '--overwrite']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return out;
}

describe('PDF exports', () => {
  it('prints long tables as listings whose non-Latin text extracts as written', async () => {
    const { exportTable } = await import('../../src/main/export/exporter');
    const { makePdfFormat, LISTING_ROWS } = await import('../../src/main/export/pdfFormat');
    const total = LISTING_ROWS + 500;
    const file = path.join(dir, 'listing.pdf');
    await exportTable(
      makePdfFormat(),
      {
        meta: { title: 'Listing', projectName: 'P', projectCode: 'P', generatedAt: '2026-11-22T12:00:00Z', dataAsOf: null, dateRange: null, description: [], kpis: [], context: {} },
        columns: [
          { key: 'tag', label: 'Tag', type: 'text' },
          { key: 'n', label: 'N', type: 'integer' },
        ],
        rows: Array.from({ length: total }, (_, i) => [i === total - 1 ? 'Ёлка-Ñ-Ω' : `T-${String(i).padStart(6, '0')}`, i]),
        totalRows: total,
      },
      file,
    );
    expect(tool('qpdf', ['--check', file])).toMatch(/No syntax or stream encoding errors found/);
    const n = pages(file);
    const last = tool('pdftotext', ['-layout', '-f', String(n), '-l', String(n), file, '-']);
    expect(last).toMatch(/Ёлка-Ñ-Ω\s+3,499/);
    expect(tool('pdftotext', ['-layout', '-f', '2', '-l', '2', file, '-'])).toMatch(/T-000000\s+0/);
  });

  it('every built-in opens in poppler and qpdf, with title, KPIs and Page 1 of N', () => {
    for (const [id, title] of [
      ['progress-summary', 'Progress summary'],
      ['test-package-readiness', 'Test package readiness'],
      ['trend-analysis', 'Trend analysis'],
      ['component-details', 'Component details'],
      ['audit-trail', 'Audit trail'],
    ] as const) {
      const file = exportPdf(['report', 'run', id], `${id}.pdf`);
      expect(tool('qpdf', ['--check', file])).toMatch(/No syntax or stream encoding errors found/);
      const text = tool('pdftotext', ['-layout', file, '-']);
      const n = pages(file);
      expect(text).toContain(title);
      expect(text).toContain('Завод Ñandú — Piping');
      expect(text).toContain(`Page 1 of ${n}`);
      expect(text).toContain(`Page ${n} of ${n}`);
      execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '2', file, path.join(artifacts, id)]);
    }
    const summary = tool('pdftotext', ['-layout', path.join(dir, 'progress-summary.pdf'), '-']);
    const json = JSON.parse(runCli(['report', 'run', 'progress-summary', '--db', db]).stdout);
    expect(summary).toContain(json.summary.totalComponents.toLocaleString('en-US'));
    expect(summary).toContain(`${json.summary.rocWeightedPercent.toFixed(2)} %`);
    expect(summary).toContain('S-curve: ROC progress by week');
    expect(summary).toContain('Progress by area');
    expect(summary).toContain('Progress by system');
    expect(summary).toMatch(/Test packages furthest behind\s+\d+ test packages in all; \d+ with the lowest ROC % are listed/);
    const readiness = tool('pdftotext', ['-layout', path.join(dir, 'test-package-readiness.pdf'), '-']);
    const r = JSON.parse(runCli(['report', 'run', 'test-package-readiness', '--db', db]).stdout);
    expect(readiness).toContain(`Ready for test (${r.summary.readyPackages})`);
    expect(readiness).toContain(`Nearly ready (${r.summary.nearlyReadyPackages})`);
    expect(readiness).toContain(`Blocked (${r.summary.blockedPackages})`);
    expect(readiness).toContain('Blocking components');
  });

  it('grows by pages as rows grow, repeating the table header on each', () => {
    const small = exportPdf(['report', 'run', 'component-details', '--limit', '50'], 'small.pdf');
    const large = exportPdf(['report', 'run', 'component-details'], 'large.pdf');
    // A landscape page holds 32 rows: 50 rows take two table pages after the summary page.
    expect(pages(small)).toBe(3);
    expect(pages(large)).toBe(1 + Math.ceil(1200 / 32));
    const text = tool('pdftotext', ['-layout', large, '-']);
    const headerRepeats = text.split('\f').filter((p) => /\bTag\b.*\bType\b.*\bArea\b/.test(p)).length;
    expect(headerRepeats).toBe(pages(large) - 1);
  });

  it('renders a saved definition with its chart', () => {
    const file = exportPdf(['report', 'run', path.resolve(__dirname, '../../docs/examples/roc-by-area-and-type.json')], 'pivot.pdf');
    const text = tool('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('ROC % by area and type');
    expect(text).toContain('Field Weld');
    expect(text).toContain('On-hold components excluded.');
  });
});
