/**
 * A backfill worker thread: reconstructs the progress summary as of each period end it is
 * given (as-of reconstruction from milestone completion dates) on its own read-only
 * connection, so segments run in parallel up to the job's limit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { findProject } from '../db/projectRepository';
import { progressSummary } from '../reports/progressSummary';
import type { SnapshotFigures } from '../reports/progressSnapshots';
import { segmentShouldFail } from './crashPoints';

export interface BackfillWorkerData {
  dbPath: string;
  projectCode: string;
  nowIso: string;
}
export type BackfillRequest = { periodEnd: string; attempt: number };
export type BackfillReply = { periodEnd: string; ok: true; figures: SnapshotFigures } | { periodEnd: string; ok: false; message: string };

if (parentPort && workerData) {
  const data = workerData as BackfillWorkerData;
  const db = new Database(data.dbPath, { readonly: true, fileMustExist: true });
  const port = parentPort;
  port.on('message', (req: BackfillRequest) => {
    try {
      if (segmentShouldFail(req.periodEnd, req.attempt)) throw new Error(`injected failure for ${req.periodEnd} (attempt ${req.attempt})`);
      const project = findProject(db, data.projectCode);
      const s = progressSummary({ db, project, now: new Date(data.nowIso) }, { asOf: req.periodEnd });
      const figures: SnapshotFigures = { summary: s.summary, areaBreakdown: s.areaBreakdown, systemBreakdown: s.systemBreakdown, testPackageBreakdown: s.testPackageBreakdown };
      port.postMessage({ periodEnd: req.periodEnd, ok: true, figures } satisfies BackfillReply);
    } catch (err) {
      port.postMessage({ periodEnd: req.periodEnd, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies BackfillReply);
    }
  });
}
