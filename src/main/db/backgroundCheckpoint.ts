/**
 * SQLite folds the write-ahead log into the database file on the commit that takes the log past
 * `wal_autocheckpoint` pages, inside that commit's call: after a million-row import, ~3 s of
 * copying before the import can return. A bulk write switches that off for its transaction and
 * hands the fold to a worker thread with its own connection (checkpointWorker), so the import
 * returns once its rows are committed and visible. The data is the same either way: until the
 * fold, readers find the new pages in the log.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Db } from './connection';
import { workerFiles } from '../host/workerFiles';
import type { CheckpointJob, CheckpointReply } from './checkpointWorker';

/** A smaller log is left to the next commit's own checkpoint, which is quick at that size. */
const BACKGROUND_FROM_BYTES = 16 * 1024 * 1024;

const running = new Set<Promise<CheckpointReply>>();

/** Runs `write` (a bulk write, one transaction) without the checkpoint on its commit, then starts it in the background. */
export function withCheckpointAfterwards<T>(db: Db, write: () => T): T {
  const resume = deferCheckpoints(db);
  try {
    return write();
  } finally {
    resume();
  }
}

/**
 * Leaves the checkpoint out of every commit until the returned function is called, which gives
 * the setting back and starts the checkpoint in the background if the log has grown (a sync's
 * many batches, across awaits).
 */
export function deferCheckpoints(db: Db): () => void {
  const pages = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  return () => {
    db.pragma(`wal_autocheckpoint = ${pages}`);
    if (logBytes(db) >= BACKGROUND_FROM_BYTES) checkpointInBackground(db.name);
  };
}

/** Resolves when the background checkpoints started so far have ended (benchmarks and tests). */
export async function backgroundCheckpoints(): Promise<CheckpointReply[]> {
  return Promise.all([...running]);
}

function logBytes(db: Db): number {
  if (db.memory || (db.pragma('journal_mode', { simple: true }) as string) !== 'wal') return 0;
  try {
    return fs.statSync(`${db.name}-wal`).size;
  } catch {
    return 0;
  }
}

function checkpointInBackground(dbPath: string): void {
  const done: Promise<CheckpointReply> = workerFiles()
    .then((files) => new Promise<CheckpointReply>((resolve) => {
      const worker = new Worker(files.checkpointWorker, { workerData: { dbPath } satisfies CheckpointJob });
      // A process that is done (the CLI after an import) need not wait: closing its connection
      // checkpoints too, and a checkpoint cut short leaves a valid database and log.
      worker.unref();
      worker.once('message', (reply: CheckpointReply) => resolve(reply));
      worker.once('error', (err) => resolve({ ok: false, message: err.message }));
      worker.once('exit', () => resolve({ ok: false, message: 'the checkpoint thread ended without a reply' }));
    }))
    .catch((err: unknown) => ({ ok: false, message: err instanceof Error ? err.message : String(err) }) satisfies CheckpointReply)
    .finally(() => running.delete(done));
  running.add(done);
}
