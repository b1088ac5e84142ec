import type { Db } from '../db/connection';
import type { ProjectRow } from '../db/projectRepository';

/** What every built-in report runs against: one project, one clock reading. */
export interface ReportContext {
  db: Db;
  project: ProjectRow;
  now: Date;
}

export interface ReportMeta {
  report: string;
  project: { code: string; name: string };
  generatedAt: string;
  dataAsOf: string | null;
}

export function reportMeta(ctx: ReportContext, report: string): ReportMeta {
  return {
    report,
    project: { code: ctx.project.code, name: ctx.project.name },
    generatedAt: ctx.now.toISOString(),
    dataAsOf: ctx.project.lastSyncedAt ?? ctx.project.createdAt,
  };
}
