/**
 * report_runs: every run, whatever started it. Retention prunes old runs and their files but
 * never a schedule's last successful run.
 */
import fs from 'node:fs';
import type { Db } from '../db/connection';
import { AppError } from '../../shared/errors';
import type { RunJson, RunStatus, RunTrigger } from '../../shared/contract';

export type { RunStatus, RunTrigger } from '../../shared/contract';
export type RunRecord = RunJson;

export interface RunStart {
  projectId: number | null;
  definitionId?: number | null;
  builtinId?: string | null;
  scheduleId?: number | null;
  reportName: string;
  trigger: RunTrigger;
  parameters: unknown;
  /** The schedule slot (ISO UTC) a scheduled or catch-up run delivers. */
  slot?: string | null;
  recipients?: string[];
}

export interface RunFinish {
  status: Exclude<RunStatus, 'running'>;
  queryMs?: number;
  renderMs?: number;
  rowCount?: number;
  bytes?: number;
  files?: string[];
  error?: string;
  cacheHit?: boolean;
}

export interface RunQuery {
  definitionId?: number;
  builtinId?: string;
  scheduleId?: number;
  status?: RunStatus;
  trigger?: RunTrigger;
  limit?: number;
  /** Runs older than this id (keyset paging, newest first). */
  beforeId?: number;
}

const COLUMNS = `id, project_id AS projectId, definition_id AS definitionId, builtin_id AS builtinId, schedule_id AS scheduleId,
  report_name AS reportName, trigger, parameters_json AS parameters, status, started_at AS startedAt, finished_at AS finishedAt,
  query_ms AS queryMs, render_ms AS renderMs, row_count AS rowCount, bytes, files_json AS files, error, cache_hit AS cacheHit,
  slot, recipients_json AS recipients`;

type RawRun = Omit<RunRecord, 'parameters' | 'files' | 'cacheHit' | 'recipients'> & { parameters: string; files: string; cacheHit: number; recipients: string };

function toRecord(r: RawRun): RunRecord {
  return { ...r, parameters: JSON.parse(r.parameters) as unknown, files: JSON.parse(r.files) as string[], cacheHit: r.cacheHit === 1, recipients: JSON.parse(r.recipients) as string[] };
}

export class RunHistory {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  start(run: RunStart): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO report_runs (project_id, definition_id, builtin_id, schedule_id, report_name, trigger, parameters_json, status, started_at, slot, recipients_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
        )
        .run(run.projectId, run.definitionId ?? null, run.builtinId ?? null, run.scheduleId ?? null, run.reportName, run.trigger, JSON.stringify(run.parameters ?? {}), this.now().toISOString(), run.slot ?? null, JSON.stringify(run.recipients ?? []))
        .lastInsertRowid,
    );
  }

  finish(id: number, f: RunFinish): void {
    this.db
      .prepare(
        `UPDATE report_runs SET status = ?, finished_at = ?, query_ms = ?, render_ms = ?, row_count = ?, bytes = ?, files_json = ?, error = ?, cache_hit = ?
         WHERE id = ?`,
      )
      .run(f.status, this.now().toISOString(), f.queryMs ?? null, f.renderMs ?? null, f.rowCount ?? null, f.bytes ?? null, JSON.stringify(f.files ?? []), f.error ?? null, f.cacheHit ? 1 : 0, id);
  }

  get(id: number): RunRecord {
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM report_runs WHERE id = ?`).get(id) as RawRun | undefined;
    if (!r) throw new AppError('NOT_FOUND', `no run ${id}`);
    return toRecord(r);
  }

  list(q: RunQuery = {}): { runs: RunRecord[]; nextBeforeId: number | null } {
    const limit = q.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AppError('INVALID_INPUT', 'limit must be from 1 to 1000');
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: limit + 1 };
    const add = (clause: string, key: string, value: unknown) => {
      if (value === undefined) return;
      where.push(clause);
      params[key] = value;
    };
    add('definition_id = @definitionId', 'definitionId', q.definitionId);
    add('builtin_id = @builtinId', 'builtinId', q.builtinId);
    add('schedule_id = @scheduleId', 'scheduleId', q.scheduleId);
    add('status = @status', 'status', q.status);
    add('trigger = @trigger', 'trigger', q.trigger);
    add('id < @beforeId', 'beforeId', q.beforeId);
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM report_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`)
      .all(params) as RawRun[];
    const more = rows.length > limit;
    const page = (more ? rows.slice(0, limit) : rows).map(toRecord);
    return { runs: page, nextBeforeId: more ? (page[page.length - 1]?.id ?? null) : null };
  }

  /** prune() at most once per UTC day, remembered in meta. */
  pruneDaily(retentionDays: number): void {
    const today = this.now().toISOString().slice(0, 10);
    const last = this.db.prepare("SELECT value FROM meta WHERE key = 'runs_pruned_on'").get() as { value: string } | undefined;
    if (last?.value === today) return;
    this.prune(retentionDays);
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('runs_pruned_on', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(today);
  }

  /** Deletes runs (and their files) older than the retention, keeping each schedule's last success. */
  prune(retentionDays = 90): { runs: number; files: number } {
    const cutoff = new Date(this.now().getTime() - retentionDays * 86_400_000).toISOString();
    const victims = this.db
      .prepare(
        `SELECT id, files_json AS files FROM report_runs r
         WHERE started_at < ? AND status <> 'running'
           AND NOT (schedule_id IS NOT NULL AND status = 'succeeded' AND id = (
             SELECT id FROM report_runs s WHERE s.schedule_id = r.schedule_id AND s.status = 'succeeded'
             ORDER BY started_at DESC, id DESC LIMIT 1))`,
      )
      .all(cutoff) as Array<{ id: number; files: string }>;
    let files = 0;
    for (const v of victims) {
      for (const f of JSON.parse(v.files) as string[]) {
        try {
          fs.rmSync(f);
          files += 1;
        } catch {
          // already gone
        }
      }
    }
    const del = this.db.prepare('DELETE FROM report_runs WHERE id = ?');
    this.db.transaction(() => victims.forEach((v) => del.run(v.id)))();
    return { runs: victims.length, files };
  }
}
