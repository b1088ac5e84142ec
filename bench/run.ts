/**
 * `npm run bench`: runs the benchmarks and rewrites docs/PERFORMANCE.md with their figures.
 * BENCH_COMPONENTS (default 1,000,000) scales the dataset.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineLine } from './machine';
import { runFoundationBench, type Row } from './foundation';
import { runDesignerBench } from './designer';
import { runExportBench } from './exports';
import { runUiBench } from './ui';
import { runSyncBench } from './sync';
import { runImportBench } from './importBench';
import { createDemoDatabase } from '../src/main/demo/createDemoDatabase';

const components = Number(process.env.BENCH_COMPONENTS ?? 1_000_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitereport-bench-'));
const log = (s: string) => process.stderr.write(`${s}\n`);

// BENCH_ONLY=exports with BENCH_DB=FILE re-measures the exports on an existing database.
const only = process.env.BENCH_ONLY;
const dbFile = process.env.BENCH_DB ?? path.join(dataDir, `bench-${components}.db`);
const rows: Row[] = only !== undefined ? [] : runFoundationBench(dataDir, components, log);
const designerRows: Row[] = only !== undefined ? [] : runDesignerBench(dbFile, components, log);
const exportRows: Row[] = process.env.BENCH_SKIP_EXPORTS || only === 'ui' || only === 'sync' || only === 'import' ? [] : await runExportBench(dbFile, components, dataDir, log);
let uiRows: Row[] = [];
if (!process.env.BENCH_SKIP_UI && (only === undefined || only === 'ui')) {
  const smallDb = path.join(dataDir, 'ui-5000.db');
  createDemoDatabase(smallDb, { components: 5000, seed: 1, anchorDate: '2026-11-22' });
  uiRows = await runUiBench({ file: smallDb, size: '5,000 components' }, { file: dbFile, size: `${components.toLocaleString('en-US')} components` }, log);
}
const importRows: Row[] = !process.env.BENCH_SKIP_IMPORT && (only === undefined || only === 'import') ? await runImportBench(dataDir, components, log) : [];
const syncRows: Row[] = !process.env.BENCH_SKIP_SYNC && (only === undefined || only === 'sync') ? await runSyncBench(dataDir, components, log) : [];
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);
const tableOf = (list: Row[]) =>
  [
    '| benchmark | dataset | runs | median | peak RSS | ratio to baseline | target |',
    '|---|---|---|---|---|---|---|',
    ...list.map((r) => `| ${r.name} | ${r.size} | ${r.runs} | ${fmt(r.medianMs)} | ${r.peakRssMb ? `${r.peakRssMb.toFixed(0)} MB` : '—'} | ${r.ratio ?? '—'} | ${r.target} |`),
  ].join('\n');
const table = tableOf(rows);
const designerTable = tableOf(designerRows);
const exportsTable = tableOf(exportRows);
const uiTable = tableOf(uiRows);
const syncTable = tableOf(syncRows);

const doc = path.join(import.meta.dirname, '..', 'docs', 'PERFORMANCE.md');
const section = `## Foundation (issue 2)\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}.\nMedians of the runs shown; the baseline query runs in the same process on the same database.\n\n${table}\n`;
const header = '# Performance\n\n`npm run bench` regenerates the figures below (`BENCH_COMPONENTS` scales the dataset). The machine is a shared 2-core box, so compare ratios more than absolute times.\n\n';
let body = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : header;
if (!body.startsWith('# Performance')) body = header + body;
const designerSection = `## Report designer engine (issue 3)\n\nSame run and database as above. Each uncached run uses a fresh definition, so nothing is served from the cache.\n\n${designerTable}\n`;
const exportsSource = process.env.BENCH_DB ? `On a ${components.toLocaleString('en-US')}-component demo database made earlier by the same generator (BENCH_DB)` : 'Same run and database';
const exportsSection = `## Exports (issue 4)\n\n${exportsSource}. Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}. Each export runs in its own process so its peak RSS is its own; long exports run once, short ones several times (median, with the first run's time including loading the format's libraries); the baselines run the same rows in the same run.\n\n${exportsTable}\n`;
const uiSection = `## App in Chromium (issue 5)\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}, Debian Chromium headless through \`sitereport web\`.\n\n${uiTable}\n`;
const syncSection = `## Sync from PostgreSQL (issue 7)\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}, against a throwaway PostgreSQL 15 on the same machine (loopback), sharing its 2 cores. Batches of 50,000 rows (the read floor reads in the same batches).\n\n${syncTable}\n`;
const importSection = `## Import (issue 7)\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}, in one process (peak RSS is that process's).\n\n${tableOf(importRows)}\n`;
const sections: Array<[string, string]> = only !== undefined ? [] : [['Foundation \\(issue 2\\)', section], ['Report designer engine \\(issue 3\\)', designerSection]];
if (exportRows.length > 0) sections.push(['Exports \\(issue 4\\)', exportsSection]);
if (importRows.length > 0) sections.push(['Import \\(issue 7\\)', importSection]);
if (syncRows.length > 0) sections.push(['Sync from PostgreSQL \\(issue 7\\)', syncSection]);
if (uiRows.length > 0) sections.push(['App in Chromium \\(issue 5\\)', uiSection]);
for (const [heading, text] of sections) {
  const marker = new RegExp(`## ${heading}[\\s\\S]*?(?=\\n## |$)`);
  body = marker.test(body) ? body.replace(marker, text) : `${body.trimEnd()}\n\n${text}`;
}
fs.writeFileSync(doc, body.endsWith('\n') ? body : `${body}\n`);
process.stdout.write(`${table}\n\n${designerTable}\n\n${exportsTable}\n\n${uiTable}\n\n${tableOf(importRows)}\n\n${syncTable}\n`);
fs.rmSync(dataDir, { recursive: true, force: true });
