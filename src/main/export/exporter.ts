/**
 * One exporter interface for every format: a table (columns + a row iterator + report
 * metadata) goes in, a finished file comes out — written under a temporary name and renamed
 * when complete, with progress and cancel. Each format implements header / rows / footer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

export type ExportCell = string | number | boolean | null;

export interface ExportColumn {
  key: string;
  label: string;
  type: 'text' | 'enum' | 'number' | 'percent' | 'boolean' | 'date' | 'datetime' | 'integer';
}

export interface ExportMeta {
  title: string;
  projectName: string;
  projectCode: string;
  generatedAt: string;
  dataAsOf: string | null;
  dateRange: string | null;
  /** Filters and window in words, for the summary sheet / page. */
  description: string[];
  kpis: Array<{ label: string; value: string | number; type?: 'percent' | 'number' }>;
  /** The full JSON-able context (definition, parameters, data version) for the JSON format. */
  context: Record<string, unknown>;
}

export interface ExportTable {
  meta: ExportMeta;
  columns: ExportColumn[];
  rows: Iterable<ExportCell[]>;
  /** When known, for progress. */
  totalRows: number | null;
}

export interface ExportProgress {
  rowsWritten: number;
  totalRows: number | null;
}

export interface ExportOptions {
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
  /** CSV: keep formula-looking text as is (machine consumers). */
  rawCsv?: boolean;
  /** CSV: byte-order mark for Excel. */
  bom?: boolean;
}

export interface ExportResult {
  file: string;
  bytes: number;
  rows: number;
}

/** What a format writes into a temporary file. */
export interface FormatWriter {
  readonly extension: string;
  write(table: ExportTable, tempFile: string, options: ExportOptions): Promise<number>;
}

export class ExportCancelled extends AppError {
  constructor() {
    super('CONFLICT', 'export cancelled');
  }
}

export function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ExportCancelled();
}

export const PROGRESS_EVERY = 5000;

/** Runs a format writer against a temporary file beside the target; renames on success only. */
export async function exportTable(writer: FormatWriter, table: ExportTable, target: string, options: ExportOptions = {}): Promise<ExportResult> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.part`);
  try {
    const rows = await writer.write(table, temp, options);
    checkCancelled(options.signal);
    fs.renameSync(temp, target);
    return { file: target, bytes: fs.statSync(target).size, rows };
  } catch (err) {
    fs.rmSync(temp, { force: true });
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EFBIG') throw new AppError('READ_ONLY', `the disk is full: ${path.basename(target)} was not written`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new AppError('READ_ONLY', `cannot write to ${dir}: permission denied`);
    throw err;
  }
}

/** Calls `write` for every row, reporting progress and honouring cancel every few thousand rows. */
export async function forEachRow(table: ExportTable, options: ExportOptions, write: (row: ExportCell[], index: number) => void): Promise<number> {
  let n = 0;
  for (const row of table.rows) {
    write(row, n);
    n += 1;
    if (n % PROGRESS_EVERY === 0) {
      checkCancelled(options.signal);
      options.onProgress?.({ rowsWritten: n, totalRows: table.totalRows });
      await Promise.resolve();
    }
  }
  return n;
}
