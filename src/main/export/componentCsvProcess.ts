/**
 * The component-list CSV export in a process of its own, started by the services process: a
 * million-row export then costs this small process's memory, not the app's, and ends with it.
 * Messages: in {start: CsvPartsJob} and {cancel}; out progress, done (rows, or -1 when
 * cancelled, and this process's peak RSS) and error.
 */
import Database from 'better-sqlite3';
import { writeComponentCsvParts, type CsvPartsJob } from './componentCsvParts';

export type CsvProcessRequest = { kind: 'start'; job: CsvPartsJob } | { kind: 'cancel' };
export type CsvProcessMessage =
  | { kind: 'progress'; rows: number; total: number }
  | { kind: 'done'; rows: number; peakRssMb: number }
  | { kind: 'error'; code: string | null; message: string };

const cancel = new SharedArrayBuffer(4);
const send = (m: CsvProcessMessage) => process.send?.(m);

async function start(job: CsvPartsJob): Promise<void> {
  // Only the split points are read here; a small cache keeps this process lean.
  const db = new Database(job.dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('cache_size = -4096');
    const rows = await writeComponentCsvParts(db, job, cancel, (n, total) => send({ kind: 'progress', rows: n, total }));
    send({ kind: 'done', rows, peakRssMb: process.resourceUsage().maxRSS / 1024 });
  } catch (err) {
    send({ kind: 'error', code: (err as NodeJS.ErrnoException).code ?? null, message: (err as Error).message });
  } finally {
    db.close();
    process.disconnect?.();
  }
}

if (process.send) {
  process.on('message', (m: CsvProcessRequest) => {
    if (m.kind === 'start') void start(m.job);
    else Atomics.store(new Int32Array(cancel), 0, 1);
  });
  // The services process went away: nobody will take the file, so stop.
  process.on('disconnect', () => Atomics.store(new Int32Array(cancel), 0, 1));
}
