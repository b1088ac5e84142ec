/**
 * Folds a database's write-ahead log into the database file on a connection of its own, in a
 * worker thread (see backgroundCheckpoint). A PASSIVE checkpoint: it never waits for, nor
 * blocks, the app's readers and writers; what it cannot copy now a later checkpoint will.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface CheckpointJob {
  dbPath: string;
}
export type CheckpointReply = { ok: true; pages: number; copied: number } | { ok: false; message: string };

if (parentPort && workerData) {
  const job = workerData as CheckpointJob;
  try {
    const db = new Database(job.dbPath, { fileMustExist: true });
    try {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      parentPort.postMessage({ ok: true, pages: result?.log ?? 0, copied: result?.checkpointed ?? 0 } satisfies CheckpointReply);
    } finally {
      db.close();
    }
  } catch (err) {
    parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies CheckpointReply);
  }
}
