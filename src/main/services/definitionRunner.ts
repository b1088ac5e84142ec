/**
 * Runs a report definition for a project: resolve the lookback in the project's time zone,
 * answer from the cache when the data version is unchanged, otherwise execute; record the run.
 */
import { AppError } from '../../shared/errors';
import type { Db } from '../db/connection';
import type { ProjectRow } from '../db/projectRepository';
import type { Lookback } from '../../shared/domain/reportDefinition';
import { checkDefinition, describeIssues } from '../../shared/domain/reportDefinition';
import { resolveLookback, type ResolvedWindow } from '../query/lookbackWindow';
import { executeDefinition } from '../query/runDefinition';
import type { OutputColumn } from '../query/compileDefinition';
import type { DefinitionResultJson } from '../../shared/contract';
import { cacheKeyOf, type ResultCache } from './resultCache';
import type { RunHistory, RunTrigger } from './runHistory';

export interface DefinitionRunParams {
  /** Replaces the definition's lookback for this run (schedules, backfill, CLI --from/--to). */
  lookback?: Lookback | null;
}

export type DefinitionResult = DefinitionResultJson & {
  parameters: DefinitionRunParams;
  columns: OutputColumn[];
  window: ResolvedWindow | null;
};

export interface RunDefinitionRequest {
  definition: unknown;
  definitionId?: number | null;
  project: ProjectRow;
  parameters?: DefinitionRunParams;
  trigger?: RunTrigger;
  scheduleId?: number | null;
}

export function runDefinition(db: Db, cache: ResultCache, runs: Pick<RunHistory, 'start' | 'finish'>, now: Date, req: RunDefinitionRequest): DefinitionResult {
  const check = checkDefinition(req.definition);
  if (!check.ok) throw new AppError('INVALID_INPUT', describeIssues(check.issues));
  const def = check.definition;
  const params = req.parameters ?? {};
  const lookback = params.lookback === undefined ? def.lookback : params.lookback;
  if (params.lookback) {
    const recheck = checkDefinition({ ...def, lookback: params.lookback });
    if (!recheck.ok) throw new AppError('INVALID_INPUT', describeIssues(recheck.issues));
  }
  const project = req.project;
  const window = lookback ? resolveLookback(lookback, now, project.timeZone) : null;
  const version = cache.dataVersion(project.id);
  const key = cacheKeyOf({ def: { ...def, lookback }, window, projectId: project.id, tz: project.timeZone });
  const runId = runs.start({
    projectId: project.id,
    definitionId: req.definitionId ?? null,
    scheduleId: req.scheduleId ?? null,
    reportName: def.name,
    trigger: req.trigger ?? 'manual',
    parameters: { ...params, window },
  });
  try {
    const cached = cache.get<Omit<DefinitionResult, 'cacheHit' | 'runId'>>(key, project.id, version);
    if (cached) {
      runs.finish(runId, { status: 'succeeded', queryMs: 0, rowCount: cached.rowCount, cacheHit: true });
      return { ...cached, cacheHit: true, runId };
    }
    const rows = executeDefinition(db, { ...def, lookback }, { projectId: project.id, timeZone: project.timeZone, now, window });
    const result: Omit<DefinitionResult, 'cacheHit' | 'runId'> = {
      report: def.name,
      dataset: def.dataset,
      project: { code: project.code, name: project.name, timeZone: project.timeZone },
      definition: def,
      parameters: params,
      generatedAt: now.toISOString(),
      dataAsOf: project.lastSyncedAt ?? project.createdAt,
      dataVersion: version,
      window,
      columns: rows.columns,
      pivot: rows.pivot,
      rows: rows.rows,
      rowCount: rows.rows.length,
    };
    cache.put(key, project.id, version, result);
    runs.finish(runId, { status: 'succeeded', queryMs: rows.queryMs, rowCount: rows.rows.length });
    return { ...result, cacheHit: false, runId };
  } catch (err) {
    runs.finish(runId, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
