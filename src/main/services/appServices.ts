/**
 * The services every transport shares (CLI in-process, the desktop app's utility process, web
 * mode). They know nothing about how they are called.
 */
import fs from 'node:fs';
import { openDatabase, type Db } from '../db/connection';
import { refreshRocResolutionIfStale } from '../db/bulkWrites';
import { findProject, listProjects, type ProjectRow } from '../db/projectRepository';
import { createDemoDatabase } from '../demo/createDemoDatabase';
import { runBuiltin, type BuiltinResult } from '../reports/builtinRegistry';
import { BUILTIN_REPORTS, type BuiltinReportInfo, type RunBuiltinInput } from '../../shared/domain/builtinReports';
import { utcDateOf } from '../../shared/dates';
import { SCHEMA_VERSION } from '../db/migrations';

export interface AppServicesOptions {
  dbPath: string;
  now?: () => Date;
  /** Create the embedded demo project when the database does not exist yet. */
  createIfMissing?: boolean;
}

export interface AppInfo {
  dbPath: string;
  dbSizeBytes: number;
  schemaVersion: number;
  projects: number;
}

export interface AppServices {
  readonly db: Db;
  readonly dbPath: string;
  now(): Date;
  info(): AppInfo;
  listProjects(): ProjectRow[];
  listReports(): readonly BuiltinReportInfo[];
  runReport(input: RunBuiltinInput): BuiltinResult;
  close(): void;
}

export const DEFAULT_DEMO_COMPONENTS = 5000;
export const DEFAULT_DEMO_SEED = 1;

export function openAppServices(options: AppServicesOptions): AppServices {
  const now = options.now ?? (() => new Date());
  if (options.createIfMissing && !fs.existsSync(options.dbPath)) {
    createDemoDatabase(options.dbPath, {
      components: DEFAULT_DEMO_COMPONENTS,
      seed: DEFAULT_DEMO_SEED,
      anchorDate: utcDateOf(now()),
    });
  }
  const db = openDatabase(options.dbPath);
  refreshRocResolutionIfStale(db, utcDateOf(new Date()));
  const dbPath = options.dbPath;
  return {
    db,
    dbPath,
    now,
    info() {
      const size = ['', '-wal'].reduce((sum, suffix) => {
        try {
          return sum + fs.statSync(dbPath + suffix).size;
        } catch {
          return sum;
        }
      }, 0);
      const projects = (db.prepare('SELECT count(*) AS n FROM projects').get() as { n: number }).n;
      return { dbPath, dbSizeBytes: size, schemaVersion: SCHEMA_VERSION, projects };
    },
    listProjects: () => listProjects(db),
    listReports: () => BUILTIN_REPORTS,
    runReport(input) {
      const project = findProject(db, input.projectCode);
      return runBuiltin({ db, project, now: now() }, input.reportId, input.params ?? {});
    },
    close: () => db.close(),
  };
}
