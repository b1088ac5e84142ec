/**
 * Schedules: stored with their spec and the UTC instant of their next run, which is recomputed
 * from the clock whenever the spec changes or the schedule is enabled again. Running them is
 * the scheduler's work; this keeps them.
 */
import { AppError } from '../../shared/errors';
import type { ScheduleJson, ScheduleSaveInput } from '../../shared/contract';
import { BUILTIN_REPORT_IDS } from '../../shared/domain/builtinReports';
import { describeSpec, nextRuns, ScheduleSpecSchema, type ScheduleSpec } from '../../shared/schedule/recurrence';
import type { Db } from '../db/connection';
import { findProject } from '../db/projectRepository';

interface Row {
  id: number;
  name: string;
  project_code: string;
  project_name: string;
  definition_id: number | null;
  builtin_id: string | null;
  parameters_json: string;
  spec_json: string;
  formats_json: string;
  folder: string;
  recipients_json: string;
  backfill_json: string | null;
  enabled: number;
  last_run_at: string | null;
  next_run_at: string | null;
  created_at: string;
  updated_at: string;
}

const SELECT = 'SELECT s.*, p.code AS project_code, p.name AS project_name FROM report_schedules s JOIN projects p ON p.id = s.project_id';

function toJson(r: Row): ScheduleJson {
  const spec = JSON.parse(r.spec_json) as ScheduleSpec;
  return {
    id: r.id,
    name: r.name,
    project: { code: r.project_code, name: r.project_name },
    target: r.builtin_id ? { kind: 'builtin', reportId: r.builtin_id } : { kind: 'definition', id: String(r.definition_id) },
    parameters: JSON.parse(r.parameters_json) as Record<string, unknown>,
    spec,
    specText: describeSpec(spec),
    formats: JSON.parse(r.formats_json) as ScheduleJson['formats'],
    folder: r.folder,
    recipients: JSON.parse(r.recipients_json) as string[],
    backfill: r.backfill_json ? (JSON.parse(r.backfill_json) as ScheduleJson['backfill']) : null,
    enabled: r.enabled === 1,
    lastRunAt: r.last_run_at,
    nextRunAt: r.next_run_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class ScheduleStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  list(): ScheduleJson[] {
    return (this.db.prepare(`${SELECT} ORDER BY s.enabled DESC, s.next_run_at, s.id`).all() as Row[]).map(toJson);
  }

  get(id: number): ScheduleJson {
    const row = this.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as Row | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no schedule ${id}`);
    return toJson(row);
  }

  private next(spec: ScheduleSpec): string | null {
    const t = nextRuns(spec, this.now().getTime(), 1)[0];
    return t === undefined ? null : new Date(t).toISOString();
  }

  /** Creates (no id) or replaces a schedule; `folder` is already resolved and confined by the caller. */
  save(input: ScheduleSaveInput, folder: string, id?: number): ScheduleJson {
    const spec = parseSpec(input.spec);
    const project = findProject(this.db, input.projectCode);
    let definitionId: number | null = null;
    let builtinId: string | null = null;
    if (input.target.kind === 'builtin') {
      if (!(BUILTIN_REPORT_IDS as readonly string[]).includes(input.target.reportId)) throw new AppError('INVALID_INPUT', `no built-in report "${input.target.reportId}"`);
      builtinId = input.target.reportId;
    } else {
      definitionId = Number(input.target.id);
      const exists = this.db.prepare('SELECT 1 FROM report_definitions WHERE id = ? AND deleted_at IS NULL').get(definitionId);
      if (!exists) throw new AppError('NOT_FOUND', `no saved report ${input.target.id}; save the report before scheduling it`);
    }
    const at = this.now().toISOString();
    const values = {
      project_id: project.id,
      name: input.name,
      definition_id: definitionId,
      builtin_id: builtinId,
      parameters_json: JSON.stringify(input.parameters ?? {}),
      spec_json: JSON.stringify(spec),
      formats_json: JSON.stringify(input.formats),
      folder,
      recipients_json: JSON.stringify(input.recipients ?? []),
      backfill_json: input.backfill ? JSON.stringify(input.backfill) : null,
      enabled: input.enabled === false ? 0 : 1,
      next_run_at: input.enabled === false ? null : this.next(spec),
      at,
    };
    if (id === undefined) {
      const r = this.db
        .prepare(
          `INSERT INTO report_schedules (project_id, name, definition_id, builtin_id, parameters_json, spec_json, formats_json, folder, recipients_json, backfill_json, enabled, next_run_at, created_at, updated_at)
           VALUES (@project_id, @name, @definition_id, @builtin_id, @parameters_json, @spec_json, @formats_json, @folder, @recipients_json, @backfill_json, @enabled, @next_run_at, @at, @at)`,
        )
        .run(values);
      return this.get(Number(r.lastInsertRowid));
    }
    this.get(id);
    this.db
      .prepare(
        `UPDATE report_schedules SET project_id = @project_id, name = @name, definition_id = @definition_id, builtin_id = @builtin_id, parameters_json = @parameters_json,
           spec_json = @spec_json, formats_json = @formats_json, folder = @folder, recipients_json = @recipients_json, backfill_json = @backfill_json,
           enabled = @enabled, next_run_at = @next_run_at, updated_at = @at WHERE id = @id`,
      )
      .run({ ...values, id });
    return this.get(id);
  }

  setEnabled(id: number, enabled: boolean): ScheduleJson {
    const s = this.get(id);
    this.db.prepare('UPDATE report_schedules SET enabled = ?, next_run_at = ?, updated_at = ? WHERE id = ?').run(enabled ? 1 : 0, enabled ? this.next(s.spec) : null, this.now().toISOString(), id);
    return this.get(id);
  }

  remove(id: number): void {
    this.get(id);
    this.db.prepare('DELETE FROM report_schedules WHERE id = ?').run(id);
  }
}

export function parseSpec(spec: unknown): ScheduleSpec {
  const parsed = ScheduleSpecSchema.safeParse(spec);
  if (!parsed.success) throw new AppError('INVALID_INPUT', parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** The next runs of a spec as ISO instants (the builder's preview and `schedule preview`). */
export function previewSpec(spec: unknown, fromMs: number, count: number): string[] {
  return nextRuns(parseSpec(spec), fromMs, count).map((t) => new Date(t).toISOString());
}
