/** The sync's one status row, and the rows it had to skip. */
import type { Db } from '../db/connection';
import type { SyncStatusJson } from '../../shared/contract';

interface StatusRow {
  source: string | null;
  state: SyncStatusJson['state'];
  phase: string | null;
  started_at: string | null;
  finished_at: string | null;
  last_success_at: string | null;
  rows_in: number;
  rows_changed: number;
  rows_deleted: number;
  rows_skipped: number;
  duration_ms: number | null;
  last_error: string | null;
  refresh_pending: number;
}

const COLUMNS = ['source', 'state', 'phase', 'started_at', 'finished_at', 'last_success_at', 'rows_in', 'rows_changed', 'rows_deleted', 'rows_skipped', 'duration_ms', 'last_error'] as const;
type Column = (typeof COLUMNS)[number];

export function writeSyncStatus(db: Db, values: Partial<Pick<StatusRow, Column>>): void {
  const keys = Object.keys(values).filter((k): k is Column => (COLUMNS as readonly string[]).includes(k));
  if (keys.length === 0) return;
  db.prepare(`UPDATE sync_status SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = 1`).run(values);
}

/** `runningHere`: whether this process is syncing now; a 'running' row left by a killed sync reads as interrupted. */
export function readSyncStatus(db: Db, runningHere: boolean): SyncStatusJson & { refreshPending: boolean } {
  const r = db.prepare('SELECT * FROM sync_status WHERE id = 1').get() as StatusRow;
  const skipped = db.prepare('SELECT table_name AS "table", source_id AS id, reason FROM sync_skipped ORDER BY table_name, source_id LIMIT 100').all() as SyncStatusJson['skipped'];
  const skippedCount = (db.prepare('SELECT count(*) AS n FROM sync_skipped').get() as { n: number }).n;
  return {
    state: r.state === 'running' && !runningHere ? 'interrupted' : r.state,
    source: r.source,
    phase: r.phase,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    lastSuccessAt: r.last_success_at,
    rowsIn: r.rows_in,
    rowsChanged: r.rows_changed,
    rowsDeleted: r.rows_deleted,
    rowsSkipped: r.rows_skipped,
    durationMs: r.duration_ms,
    lastError: r.last_error,
    skipped,
    skippedCount,
    refreshPending: r.refresh_pending === 1,
  };
}
