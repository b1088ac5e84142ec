/**
 * Export jobs for the app: an export started through the contract runs in the services host
 * while the window polls its progress (rows written / total) and may cancel it. Files go only
 * into folders main knows: the default export folder or one the user picked in a dialog run
 * by main — the renderer names a folder by id, never by path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { ExportFolderJson, ExportJobJson, ExportStartInput } from '../../shared/contract';
import type { AppServices } from './appServices';
import { exportReport, type ExportSource } from './reportExports';
import { resolveExportTarget } from '../export/exportPath';

const KEEP_FINISHED = 50;

export class ExportFolders {
  private readonly folders = new Map<string, string>();

  constructor(defaultFolder: string) {
    this.folders.set('default', path.resolve(defaultFolder));
  }

  /** A folder the user chose (desktop dialog in main); returns its id. */
  add(folder: string): ExportFolderJson {
    const resolved = path.resolve(folder);
    for (const [id, p] of this.folders) if (p === resolved) return { id, path: p };
    const id = `f${this.folders.size}`;
    this.folders.set(id, resolved);
    return { id, path: resolved };
  }

  resolve(id: string): string {
    const folder = this.folders.get(id);
    if (!folder) throw new AppError('NOT_FOUND', `no export folder "${id}"; choose a folder first`);
    fs.mkdirSync(folder, { recursive: true });
    return folder;
  }

  list(): ExportFolderJson[] {
    return [...this.folders].map(([id, p]) => ({ id, path: p }));
  }
}

export class ExportJobs {
  private readonly jobs = new Map<string, { json: ExportJobJson; controller: AbortController; done: Promise<void> }>();

  constructor(
    private readonly services: AppServices,
    readonly folders: ExportFolders,
  ) {}

  start(input: ExportStartInput): ExportJobJson {
    const folder = this.folders.resolve(input.folderId ?? 'default');
    // A bad file name is refused now, not reported later as a failed job.
    if (input.fileName !== undefined) resolveExportTarget(folder, input.fileName, `.${input.format}`, true);
    const source: ExportSource =
      input.source.kind === 'builtin'
        ? { kind: 'builtin', reportId: input.source.reportId, projectCode: input.source.projectCode, params: input.source.params }
        : { kind: 'definition', id: input.source.id, definition: input.source.definition, projectCode: input.source.projectCode, parameters: input.source.parameters };
    const json: ExportJobJson = {
      id: randomUUID(),
      status: 'running',
      format: input.format,
      rowsWritten: 0,
      totalRows: null,
      file: null,
      bytes: null,
      error: null,
      startedAt: this.services.now().toISOString(),
      finishedAt: null,
    };
    const controller = new AbortController();
    const done = (async () => {
      // Let start() return before the first rows are read.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        const result = await exportReport(
          this.services,
          { source, format: input.format, folder, fileName: input.fileName, overwrite: input.overwrite ?? false },
          { signal: controller.signal, bom: input.bom, onProgress: (p) => Object.assign(json, { rowsWritten: p.rowsWritten, totalRows: p.totalRows }) },
        );
        Object.assign(json, { status: 'succeeded', file: result.file, bytes: result.bytes, rowsWritten: result.rows, totalRows: result.rows });
      } catch (err) {
        Object.assign(json, { status: controller.signal.aborted ? 'cancelled' : 'failed', error: err instanceof Error ? err.message : String(err) });
      } finally {
        json.finishedAt = this.services.now().toISOString();
        this.prune();
      }
    })();
    this.jobs.set(json.id, { json, controller, done });
    return { ...json };
  }

  list(): ExportJobJson[] {
    return [...this.jobs.values()].map((j) => ({ ...j.json })).reverse();
  }

  get(id: string): ExportJobJson {
    const job = this.jobs.get(id);
    if (!job) throw new AppError('NOT_FOUND', `no export job ${id}`);
    return { ...job.json };
  }

  cancel(id: string): ExportJobJson {
    const job = this.jobs.get(id);
    if (!job) throw new AppError('NOT_FOUND', `no export job ${id}`);
    job.controller.abort();
    return { ...job.json };
  }

  /** Resolves when the job has finished (tests, orderly shutdown). */
  async settled(id: string): Promise<ExportJobJson> {
    const job = this.jobs.get(id);
    if (!job) throw new AppError('NOT_FOUND', `no export job ${id}`);
    await job.done;
    return { ...job.json };
  }

  private prune(): void {
    const finished = [...this.jobs].filter(([, j]) => j.json.status !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(id);
  }
}
