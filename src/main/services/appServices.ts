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
import { AppError } from '../../shared/errors';
import { FIELD_CATALOG, type Dataset, type FieldInfo } from '../../shared/domain/fieldCatalog';
import { ReportLibrary } from './reportLibrary';
import { RunHistory, type RunTrigger } from './runHistory';
import { cacheKeyOf, ResultCache } from './resultCache';
import { runDefinition, type DefinitionResult, type DefinitionRunParams } from './definitionRunner';
import { distinctValues, type DistinctValues } from '../query/distinctValues';

export interface AppServicesOptions {
  dbPath: string;
  now?: () => Date;
  /** Create the embedded demo project when the database does not exist yet. */
  createIfMissing?: boolean;
  /** Runs and their files older than this are pruned (once a day, on open). */
  runRetentionDays?: number;
}

export const DEFAULT_RUN_RETENTION_DAYS = 90;

export interface AppInfo {
  dbPath: string;
  dbSizeBytes: number;
  schemaVersion: number;
  projects: number;
}

export interface RunDefinitionInput {
  /** A saved definition's id or a system template id (system:…), or the definition itself. */
  id?: string;
  definition?: unknown;
  projectCode?: string;
  parameters?: DefinitionRunParams;
  trigger?: RunTrigger;
  /** False when the caller records the run itself (exports record one run with their files). */
  recordRun?: boolean;
}

export interface AppServices {
  readonly db: Db;
  readonly dbPath: string;
  readonly library: ReportLibrary;
  readonly runs: RunHistory;
  now(): Date;
  info(): AppInfo;
  listProjects(): ProjectRow[];
  listReports(): readonly BuiltinReportInfo[];
  runReport(input: RunBuiltinInput, trigger?: RunTrigger): BuiltinResult;
  /** A built-in's result without a run-history entry (pages of an export, chart data). */
  queryReport(input: RunBuiltinInput): BuiltinResult;
  /** The project's data version: it changes with every write to its data. */
  dataVersion(projectCode?: string): number;
  /** One stamp for every project's data and the library: open views reload when it changes. */
  dataVersionStamp(): string;
  /** A value computed once per project data version (kept in the result cache across restarts). */
  cached<T>(projectId: number, key: unknown, compute: () => T): T;
  runDefinition(input: RunDefinitionInput): DefinitionResult;
  fields(dataset: Dataset): readonly FieldInfo[];
  distinctValues(dataset: Dataset, field: string, projectCode?: string): DistinctValues;
  close(): void;
}

const SILENT_RUNS: Pick<RunHistory, 'start' | 'finish'> = { start: () => 0, finish: () => undefined };

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
  const library = new ReportLibrary(db, now);
  const runs = new RunHistory(db, now);
  runs.pruneDaily(options.runRetentionDays ?? DEFAULT_RUN_RETENTION_DAYS);
  const cache = new ResultCache(db);
  return {
    db,
    dbPath,
    library,
    runs,
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
    runReport(input, trigger = 'manual') {
      const project = findProject(db, input.projectCode);
      const runId = runs.start({ projectId: project.id, builtinId: input.reportId, reportName: input.reportId, trigger, parameters: input.params ?? {} });
      const started = performance.now();
      try {
        const result = runBuiltin({ db, project, now: now() }, input.reportId, input.params ?? {});
        runs.finish(runId, { status: 'succeeded', queryMs: performance.now() - started });
        return result;
      } catch (err) {
        runs.finish(runId, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    },
    queryReport: (input) => runBuiltin({ db, project: findProject(db, input.projectCode), now: now() }, input.reportId, input.params ?? {}),
    dataVersion(projectCode) {
      const row = db.prepare('SELECT version FROM data_versions WHERE project_id = ?').get(findProject(db, projectCode).id) as { version: number } | undefined;
      return row?.version ?? 0;
    },
    cached<T>(projectId: number, key: unknown, compute: () => T): T {
      const cacheKey = cacheKeyOf(['service', key]);
      const version = cache.dataVersion(projectId);
      const hit = cache.get<T>(cacheKey, projectId, version);
      if (hit !== undefined) return hit;
      const value = compute();
      cache.put(cacheKey, projectId, version, value);
      return value;
    },
    dataVersionStamp() {
      const v = db.prepare('SELECT ifnull(sum(version), 0) AS v, count(*) AS n FROM data_versions').get() as { v: number; n: number };
      const p = db.prepare('SELECT count(*) AS n, ifnull(max(last_synced_at), \'\') AS s FROM projects').get() as { n: number; s: string };
      return `${v.v}.${v.n}.${p.n}.${p.s}`;
    },
    runDefinition(input) {
      const project = findProject(db, input.projectCode);
      let definition = input.definition;
      let definitionId: number | null = null;
      if (input.id !== undefined) {
        definition = library.get(input.id).definition;
        definitionId = /^\d+$/.test(input.id) ? Number(input.id) : null;
      }
      if (definition === undefined) throw new AppError('INVALID_INPUT', 'give a report id or a definition');
      return runDefinition(db, cache, input.recordRun === false ? SILENT_RUNS : runs, now(), { definition, definitionId, project, parameters: input.parameters, trigger: input.trigger });
    },
    fields: (dataset) => FIELD_CATALOG[dataset],
    distinctValues: (dataset, field, projectCode) => distinctValues(db, dataset, field, findProject(db, projectCode).id),
    close: () => db.close(),
  };
}
