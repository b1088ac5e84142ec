/** Daily progress snapshots (the "snapshots" dataset): the progress summary as of a date, stored. */
import type { Db } from '../db/connection';
import type { ProjectRow } from '../db/projectRepository';
import { progressSummary, type ProgressSummaryResult } from './progressSummary';

export type SnapshotFigures = Pick<ProgressSummaryResult, 'summary' | 'areaBreakdown' | 'systemBreakdown' | 'testPackageBreakdown'>;

export function writeSnapshot(db: Db, project: ProjectRow, date: string, now: Date): number {
  return db.transaction(() => storeSnapshot(db, project, date, progressSummary({ db, project, now }, { asOf: date }), now))();
}

/** Stores figures computed elsewhere (a backfill worker); the caller holds the transaction. */
export function storeSnapshot(db: Db, project: ProjectRow, date: string, s: SnapshotFigures, now: Date): number {
  const insert = db.prepare(
    `INSERT INTO progress_snapshots (project_id, snapshot_date, dimension, key, total_components, completed_components,
       completion_percent, roc_percent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, snapshot_date, dimension, key) DO UPDATE SET
       total_components = excluded.total_components, completed_components = excluded.completed_components,
       completion_percent = excluded.completion_percent, roc_percent = excluded.roc_percent, created_at = excluded.created_at`,
  );
  const at = now.toISOString();
  let n = 0;
  const put = (dimension: string, key: string, f: SnapshotFigures['summary']) => {
    insert.run(project.id, date, dimension, key, f.totalComponents, f.completedComponents, f.completionPercent, f.rocWeightedPercent, at);
    n += 1;
  };
  put('project', project.code, s.summary);
  for (const a of s.areaBreakdown) put('area', a.area, a);
  for (const x of s.systemBreakdown) put('system', x.system, x);
  for (const t of s.testPackageBreakdown) put('test_package', t.testPackage, t);
  return n;
}
