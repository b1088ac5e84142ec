/**
 * A component-list CSV written by a separate export process with several reader threads (see
 * componentCsvProcess): the services process only relays progress and cancel, so its memory
 * does not grow with the export.
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { AppError } from '../../shared/errors';
import type { ComponentDetailsParams } from '../reports/componentDetails';
import { workerFiles } from '../host/workerFiles';
import type { CsvProcessMessage, CsvProcessRequest } from './componentCsvProcess';
import { ExportCancelled, type ExportProgress } from './exporter';

export interface ParallelCsvOptions {
  raw: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  parts?: number;
}

let lastPeakRssMb: number | null = null;

/** Peak RSS of the last export process this process started (benchmarks report it). */
export function lastCsvProcessPeakRssMb(): number | null {
  return lastPeakRssMb;
}

function startExportProcess(file: string): ChildProcess {
  // Inside Electron the services host is Electron itself; run the child as plain Node.
  return fork(file, [], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
}

/** Appends the rows (no header) to `file`, which the caller has created. Returns the row count. */
export async function appendComponentCsv(dbPath: string, projectId: number, params: ComponentDetailsParams, file: string, options: ParallelCsvOptions): Promise<number> {
  const parts = Math.max(1, Math.min(options.parts ?? os.availableParallelism(), 4));
  const files = await workerFiles();
  const child = startExportProcess(files.componentCsvProcess);
  const send = (m: CsvProcessRequest) => child.connected && child.send(m);
  const onAbort = () => send({ kind: 'cancel' });
  options.signal?.addEventListener('abort', onAbort);
  try {
    const rows = await new Promise<number>((resolve, reject) => {
      let settled = false;
      child.on('message', (m: CsvProcessMessage) => {
        if (m.kind === 'progress') options.onProgress?.({ rowsWritten: m.rows, totalRows: m.total });
        else if (m.kind === 'done') {
          settled = true;
          lastPeakRssMb = m.peakRssMb;
          resolve(m.rows);
        } else {
          settled = true;
          const e = new Error(m.message) as NodeJS.ErrnoException;
          if (m.code) e.code = m.code;
          reject(e);
        }
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => settled || reject(new AppError('INTERNAL', `the export process stopped (${signal ?? `exit ${code}`})`)));
      send({ kind: 'start', job: { dbPath, projectId, params, file, raw: options.raw, parts, workerFile: files.componentCsvWorker } });
      if (options.signal?.aborted) onAbort();
    });
    if (rows < 0 || options.signal?.aborted) throw new ExportCancelled();
    return rows;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null) child.kill();
  }
}
