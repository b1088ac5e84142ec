/**
 * Import benchmark (issue 7): a component list of N rows and a milestones file of 5N rows,
 * written as CSV, imported into the demo project (none of whose tags it holds, so it replaces
 * them: the first-import path) in one all-or-nothing transaction, its peak RSS
 * sampled from a worker thread. Baseline: parsing both files row by row as the import reads
 * them, writing nothing (the parse floor). Then a re-import of the same files, which must
 * change nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDemoDatabase } from '../src/main/demo/createDemoDatabase';
import { openAppServices } from '../src/main/services/appServices';
import { Worker } from 'node:worker_threads';
import { importComponentsFile, readMilestonesFile } from '../src/main/import/componentImport';
import { streamCsv } from '../src/main/import/csvRead';
import { backgroundCheckpoints } from '../src/main/db/backgroundCheckpoint';
import type { Row } from './foundation';

const MILESTONES = ['Receive', 'Erect', 'Connect', 'Test', 'Complete'];

/** The list and its milestones; `changed`: the milestones file where every 20th component has
    completed one milestone more since (~0.8 % of the milestones), for an update. */
function writeFiles(dir: string, n: number, changed = false): { list: string; milestones: string } {
  const list = path.join(dir, 'components.csv');
  const milestones = path.join(dir, changed ? 'milestones-changed.csv' : 'milestones.csv');
  const a = fs.openSync(list, 'w');
  const b = fs.openSync(milestones, 'w');
  fs.writeSync(a, 'Tag,Type,Area,System,Test Package,Status,% Complete,Drawing\n');
  fs.writeSync(b, 'Tag,Milestone,Completed,Completed date,Completed by\n');
  let bufA = '';
  let bufB = '';
  for (let i = 1; i <= n; i++) {
    const level = (i * 7919) % 6;
    const tag = `T-${String(i).padStart(7, '0')}`;
    bufA += `${tag},${['Pipe Spool', 'Valve', 'Flange', 'Support'][i % 4]},Area ${1 + (i % 7)},SYS-${1 + (i % 11)},TP-${1 + (i % 23)},${level === 0 ? 'Not started' : level === 5 ? 'Completed' : 'In progress'},${[0, 10, 40, 80, 95, 100][level]},ISO-${1 + Math.floor(i / 20)}\n`;
    const done = changed && i % 20 === 0 ? level + 1 : level;
    for (let o = 0; o < 5; o++) bufB += `${tag},${MILESTONES[o]},${o < done ? 'yes' : 'no'},${o < done ? `2026-${String(1 + (i % 10)).padStart(2, '0')}-${String(1 + (o * 5 + (i % 5))).padStart(2, '0')}` : ''},${o < done ? 'Lee' : ''}\n`;
    if (bufB.length > 1 << 20) {
      fs.writeSync(a, bufA);
      fs.writeSync(b, bufB);
      bufA = '';
      bufB = '';
    }
  }
  fs.writeSync(a, bufA);
  fs.writeSync(b, bufB);
  fs.closeSync(a);
  fs.closeSync(b);
  return { list, milestones };
}

/** Peak RSS while synchronous work runs: sampled by a worker thread, which keeps running while
    the main thread is busy inside SQLite (a timer on the main thread would never fire). */
function rssSampler(): { stop(): Promise<number> } {
  const peak = new Float64Array(new SharedArrayBuffer(8));
  peak[0] = process.memoryUsage.rss();
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const peak = new Float64Array(workerData);
     setInterval(() => { const r = process.memoryUsage.rss(); if (r > peak[0]) peak[0] = r; }, 50);`,
    { eval: true, workerData: peak.buffer },
  );
  return {
    async stop() {
      await worker.terminate();
      return Math.max(peak[0] ?? 0, process.memoryUsage.rss()) / 2 ** 20;
    },
  };
}

export async function runImportBench(dataDir: string, n: number, log: (s: string) => void): Promise<Row[]> {
  const size = `${n.toLocaleString('en-US')} components, ${(n * 5).toLocaleString('en-US')} milestones (CSV)`;
  const files = writeFiles(dataDir, n);
  const listBytes = fs.readFileSync(files.list);
  const milestoneBytes = fs.readFileSync(files.milestones);
  log(`import bench: files ${(listBytes.length / 2 ** 20).toFixed(0)} MB + ${(milestoneBytes.length / 2 ** 20).toFixed(0)} MB`);
  const dbPath = path.join(dataDir, 'import.db');
  createDemoDatabase(dbPath, { components: 100, seed: 1, anchorDate: '2026-11-22' });
  const services = openAppServices({ dbPath });
  try {
    // The import runs first: the parse floor below would otherwise leave its garbage in the heap.
    const rss = rssSampler();
    let t = performance.now();
    const r = importComponentsFile(services.db, 'components.csv', listBytes, { now: new Date(), milestones: readMilestonesFile('milestones.csv', milestoneBytes, {}) });
    const ms1 = performance.now() - t;
    // The import returns once its rows are committed; the WAL checkpoint then runs in a worker
    // thread. Timed apart, and waited for before the next step so that nothing overlaps.
    t = performance.now();
    const checkpoints = await backgroundCheckpoints();
    const checkpointMs = performance.now() - t;
    const peak = await rss.stop();
    log(`import bench: import ${(ms1 / 1000).toFixed(1)} s, ${r.added} added, ${r.milestones?.added} milestones, peak ${peak.toFixed(0)} MB; checkpoint after it ${(checkpointMs / 1000).toFixed(1)} s (${JSON.stringify(checkpoints)})`);
    t = performance.now();
    const again = importComponentsFile(services.db, 'components.csv', listBytes, { now: new Date(), milestones: readMilestonesFile('milestones.csv', milestoneBytes, {}) });
    const ms2 = performance.now() - t;
    if (again.added + again.changed + again.removed !== 0 || (again.milestones?.changed ?? 1) !== 0) throw new Error('re-import changed something');
    log(`import bench: re-import ${(ms2 / 1000).toFixed(1)} s (no change)`);
    await backgroundCheckpoints();
    // An update: the same list, a milestones file with some completed since. The tags are the
    // project's, so this is the general path (every row compared, the changes written).
    const changedBytes = fs.readFileSync(writeFiles(dataDir, n, true).milestones);
    t = performance.now();
    const update = importComponentsFile(services.db, 'components.csv', listBytes, { now: new Date(), milestones: readMilestonesFile('milestones.csv', changedBytes, {}) });
    const ms3 = performance.now() - t;
    const changedCount = update.milestones?.changed ?? 0;
    if (update.added + update.changed + update.removed !== 0 || changedCount === 0) throw new Error('the update did not change what it should');
    log(`import bench: update ${(ms3 / 1000).toFixed(1)} s, ${changedCount} milestones changed`);
    await backgroundCheckpoints();
    t = performance.now();
    // The floor reads both files the way the import does, row by row, and keeps nothing.
    let rows = 0;
    for (const _ of streamCsv(listBytes).rows) rows += 1;
    for (const _ of readMilestonesFile('milestones.csv', milestoneBytes, {}).rows) rows += 1;
    const floor = performance.now() - t;
    log(`import bench: parse floor ${(floor / 1000).toFixed(1)} s for ${rows.toLocaleString('en-US')} rows`);
    return [
      { name: 'baseline: parse both files, write nothing', size, runs: 1, medianMs: floor, target: '—' },
      { name: `import the list and its milestones into the demo project (one transaction; its 100 components replaced); the WAL checkpoint after it, in a worker thread once the import has returned, took ${(checkpointMs / 1000).toFixed(2)} s more (peak includes it)`, size, runs: 1, medianMs: ms1, peakRssMb: peak, ratio: `${(ms1 / floor).toFixed(2)}× parse floor`, target: '≤ 40 s, ≤ 1.5 GB' },
      { name: 'import the same files again (no change)', size, runs: 1, medianMs: ms2, ratio: `${(ms2 / floor).toFixed(2)}× parse floor`, target: '—' },
      { name: `update: the same list, ${changedCount.toLocaleString('en-US')} milestones completed since (general path: every row compared)`, size, runs: 1, medianMs: ms3, ratio: `${(ms3 / floor).toFixed(2)}× parse floor`, target: '—' },
    ];
  } finally {
    services.close();
  }
}
