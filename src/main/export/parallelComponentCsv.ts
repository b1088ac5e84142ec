/**
 * A component-list CSV written by several reader threads at once: the ordered list is split at
 * keyset positions, each worker formats its slice into its own part file, and the parts are
 * joined in order. Same bytes as the single-reader path; progress and cancel as every export.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isBuildFresh } from '../host/sourceFreshness';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { Db } from '../db/connection';
import { componentSplitPoints, type ComponentDetailsParams } from '../reports/componentDetails';
import type { CsvPartJob, CsvPartMessage } from './componentCsvWorker';
import { ExportCancelled, type ExportProgress } from './exporter';

/** Running from source (the CLI through tsx, tests), the worker is bundled once with esbuild
    into out/workers: a worker that compiled its TypeScript on start took half a second. */
let bundle: Promise<string> | null = null;

/** One build per process: the readers of one export start together and must not race it. */
function sourceWorkerBundle(): Promise<string> {
  bundle ??= buildSourceWorkerBundle().catch((err: unknown) => {
    bundle = null;
    throw err;
  });
  return bundle;
}

async function buildSourceWorkerBundle(): Promise<string> {
  const srcMain = path.resolve(fileURLToPath(import.meta.url), '../..');
  const repo = path.resolve(srcMain, '../..');
  const outfile = path.join(repo, 'out', 'workers', 'componentCsvWorker.mjs');
  const fresh = isBuildFresh(outfile, [srcMain, path.join(repo, 'src', 'shared')]);
  if (!fresh) {
    const esbuild = await import('esbuild');
    const temp = `${outfile}.${process.pid}.tmp`;
    await esbuild.build({ entryPoints: [path.join(srcMain, 'export', 'componentCsvWorker.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['better-sqlite3'], outfile: temp, logLevel: 'silent' });
    fs.renameSync(temp, outfile);
  }
  return outfile;
}

async function startWorker(job: CsvPartJob): Promise<Worker> {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new Worker(await sourceWorkerBundle(), { workerData: job });
  return new Worker(new URL('./componentCsvWorker.js', here), { workerData: job });
}

export interface ParallelCsvOptions {
  raw: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  parts?: number;
}

/** Appends the rows (no header) to `file`, which the caller has created. Returns the row count. */
export async function appendComponentCsv(db: Db, dbPath: string, projectId: number, params: ComponentDetailsParams, file: string, options: ParallelCsvOptions): Promise<number> {
  const parts = Math.max(1, Math.min(options.parts ?? os.availableParallelism(), 4));
  const { total, starts } = componentSplitPoints(db, projectId, params, parts);
  const step = Math.ceil(total / parts);
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const onAbort = () => Atomics.store(flag, 0, 1);
  options.signal?.addEventListener('abort', onAbort);
  const files = starts.map((_, i) => (i === 0 ? file : `${file}.p${i}`));
  const progress = starts.map(() => 0);
  try {
    const workers = await Promise.all(starts.map((after, i) => startWorker({ dbPath, projectId, params, range: { after, limit: i === starts.length - 1 ? null : step }, file: files[i] as string, raw: options.raw, cancel })));
    const results = await Promise.all(
      workers.map(
        (worker, i) =>
          new Promise<number>((resolve, reject) => {
            worker.on('message', (m: CsvPartMessage) => {
              if (m.kind === 'progress') {
                progress[i] = m.rows;
                options.onProgress?.({ rowsWritten: progress.reduce((a, b) => a + b, 0), totalRows: total });
              } else if (m.kind === 'done') resolve(m.rows);
              else {
                const e = new Error(m.message) as NodeJS.ErrnoException;
                if (m.code) e.code = m.code;
                reject(e);
              }
            });
            worker.on('error', reject);
            worker.on('exit', (code) => code !== 0 && reject(new AppError('INTERNAL', `an export reader stopped (exit ${code})`)));
          }),
      ),
    );
    if (results.some((n) => n < 0) || options.signal?.aborted) throw new ExportCancelled();
    const out = fs.openSync(file, 'a');
    try {
      const buf = Buffer.allocUnsafe(1 << 20);
      for (const part of files.slice(1)) {
        const fd = fs.openSync(part, 'r');
        try {
          for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) fs.writeSync(out, buf, 0, n);
        } finally {
          fs.closeSync(fd);
        }
      }
    } finally {
      fs.closeSync(out);
    }
    const rows = results.reduce((a, b) => a + b, 0);
    options.onProgress?.({ rowsWritten: rows, totalRows: total });
    return rows;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const part of files.slice(1)) fs.rmSync(part, { force: true });
  }
}
