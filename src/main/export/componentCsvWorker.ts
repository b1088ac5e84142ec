/**
 * One reader of a split component CSV export, in a worker thread: it opens the database
 * read-only, formats its slice of the ordered list and writes it to its own file. Reading rows
 * out of SQLite is most of an export's cost, so two readers on two cores halve it.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { componentCsvLines } from './componentCsvLines';
import type { ComponentDetailsParams, RowRange } from '../reports/componentDetails';

export interface CsvPartJob {
  dbPath: string;
  projectId: number;
  params: ComponentDetailsParams;
  range: RowRange;
  file: string;
  raw: boolean;
  /** Int32Array over a SharedArrayBuffer: [0] set to 1 cancels. */
  cancel: SharedArrayBuffer;
}

export type CsvPartMessage = { kind: 'progress'; rows: number } | { kind: 'done'; rows: number } | { kind: 'error'; code: string | null; message: string };

const PROGRESS_EVERY = 5000;
const CHUNK = 1 << 17;

function run(job: CsvPartJob): number {
  const cancel = new Int32Array(job.cancel);
  const db = new Database(job.dbPath, { readonly: true, fileMustExist: true });
  const fd = fs.openSync(job.file, 'a');
  try {
    let buffer = '';
    let n = 0;
    for (const line of componentCsvLines(db, job.projectId, job.params, job.range, job.raw)) {
      buffer += line;
      n += 1;
      if (buffer.length > CHUNK) {
        fs.writeSync(fd, buffer);
        buffer = '';
      }
      if (n % PROGRESS_EVERY === 0) {
        if (Atomics.load(cancel, 0) === 1) return -1;
        parentPort?.postMessage({ kind: 'progress', rows: n } satisfies CsvPartMessage);
      }
    }
    fs.writeSync(fd, buffer);
    return n;
  } finally {
    fs.closeSync(fd);
    db.close();
  }
}

if (parentPort && workerData) {
  try {
    const rows = run(workerData as CsvPartJob);
    parentPort.postMessage({ kind: 'done', rows } satisfies CsvPartMessage);
  } catch (err) {
    parentPort.postMessage({ kind: 'error', code: (err as NodeJS.ErrnoException).code ?? null, message: (err as Error).message } satisfies CsvPartMessage);
  }
}
