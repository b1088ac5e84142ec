/** `sitereport sync postgres://… [--batch N]`: pull the PipeTrak server into the database. */
import { AppError } from '../../shared/errors';
import type { SyncProgressJson } from '../../shared/contract';
import type { AppServices } from '../services/appServices';
import { syncFromServer } from '../sync/serverSync';
import { checkServerUrl } from '../sync/serverErrors';
import { readSyncStatus } from '../sync/syncStatus';
import { parseWholeNumber, takeFlag, type ParsedArgs } from './argv';

export interface SyncRequest {
  url: string;
  batchSize?: number;
}

export function parseSync(args: ParsedArgs): SyncRequest {
  const url = args.positionals.shift();
  if (!url) throw new AppError('INVALID_INPUT', 'sync needs the server address, e.g. sitereport sync postgres://reader@pipetrak.example/pipetrak (password in PGPASSWORD)');
  checkServerUrl(url);
  const batch = takeFlag(args, 'batch');
  const batchSize = batch === undefined ? undefined : parseWholeNumber(batch, 'batch', 1, 100_000);
  return { url, batchSize };
}

const count = (n: number) => n.toLocaleString('en-US');

export async function runSync(services: AppServices, request: SyncRequest, io: { stdout: (t: string) => void; stderr: (t: string) => void; tty: boolean }): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  let last: SyncProgressJson | null = null;
  const onProgress = (p: SyncProgressJson) => {
    if (io.tty) {
      const pct = p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 100;
      io.stderr(`\r${p.phase} ${p.table}: ${count(p.done)} / ${count(p.total)} (${pct} %)\x1b[K`);
    } else if (last && (last.table !== p.table || last.phase !== p.phase) && last.phase === 'reading') {
      io.stderr(`read ${last.table}: ${count(last.done)} rows\n`);
    }
    last = p;
  };
  try {
    const r = await syncFromServer(services, request.url, { batchSize: request.batchSize, signal: controller.signal, onProgress });
    if (io.tty) io.stderr('\r\x1b[K');
    const status = readSyncStatus(services.db, false);
    for (const s of status.skipped.slice(0, 10)) io.stderr(`skipped ${s.table} ${s.id}: ${s.reason}\n`);
    if (status.skippedCount > 10) io.stderr(`… and ${count(status.skippedCount - 10)} more skipped rows (see the Data screen)\n`);
    io.stdout(
      `synced from ${r.source}: ${count(r.rowsIn)} rows read, ${count(r.changed)} new or changed, ${count(r.deleted)} deleted, ${count(status.skippedCount)} skipped, in ${(r.durationMs / 1000).toFixed(1)} s\n`,
    );
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
