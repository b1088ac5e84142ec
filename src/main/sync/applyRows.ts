/**
 * Applying one batch of server rows to the local tables: an upsert by source_id that writes only
 * when something differs (so a re-read row is not a change), and a reason in plain words for any
 * row the local model cannot accept. The caller runs this inside the batch's transaction.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection';
import { BatchedInsert, ROWS_PER_STATEMENT, valuesOfRows } from '../db/batchedInsert';
import { milestoneFiguresFromParams, milestoneFiguresOnUpdate } from '../db/bulkWrites';
import { WRITTEN_MILESTONE, type KnownMilestone, type WrittenMilestone } from '../db/contributionDelta';
import type { ServerTableName } from './serverTables';
import { STAGING, type StagedComponentOrder, type StagedTable } from './stagedFirstSync';

export interface SkippedRow {
  id: string;
  reason: string;
}

export interface BatchOutcome {
  changed: number;
  skipped: SkippedRow[];
  /** A batch of milestones: what each upsert wrote (see writeWithDeltas). */
  written?: WrittenMilestone[];
}

type Row = Record<string, unknown>;
type Params = Record<string, string | number | null>;

/**
 * An upsert on a partial unique index; the update runs only when a value differs. `kept`: columns
 * the update leaves as they are, and it runs only when they stay (see TableApplier.keys).
 */
function upsertSql(table: string, columns: readonly string[], kept: readonly string[] = [], alsoSet?: string, values = `(${columns.map((c) => `@${c}`).join(', ')})`): string {
  const updated = updatedColumns(columns, kept);
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}
    ON CONFLICT (source_id) WHERE source_id IS NOT NULL DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}${alsoSet ? `, ${alsoSet}` : ''}
    WHERE ${writeWhen(updated, kept, (c) => `${table}.${c}`, (c) => `excluded.${c}`)}`;
}

const updatedColumns = (columns: readonly string[], kept: readonly string[]) => columns.filter((c) => c !== 'source_id' && !kept.includes(c));

/** An update's condition: a value of `updated` differs, and those of `kept` stay (`was`: a column as stored, `now`: its new value). */
function writeWhen(updated: readonly string[], kept: readonly string[], was: (c: string) => string, now: (c: string) => string): string {
  const keysStay = kept.length > 0 ? ` AND (${kept.map(was).join(', ')}) IS (${kept.map(now).join(', ')})` : '';
  return `(${updated.map(was).join(', ')}) IS NOT (${updated.map(now).join(', ')})${keysStay}`;
}

const MILESTONE_COLUMNS = ['component_id', 'name', 'milestone_order', 'is_completed', 'completed_at', 'completed_by', 'percentage_value', 'quantity_value', 'updated_at', 'source_id'];
/**
 * An updated milestone takes its credit and share in the same write, and what was written comes
 * back (see writeWithDeltas). @component_id is the local id (apply resolves the batch's parents).
 */
const milestoneUpsert = (kept: readonly string[]) => `${upsertSql('component_milestones', MILESTONE_COLUMNS, kept, milestoneFiguresOnUpdate)} ${WRITTEN_MILESTONE}`;
/**
 * The upsert's update with the component and name kept, for a row the batch read before its
 * write, by its local id (@id): no descent of the source-id index to find the conflict (1 % of
 * 5M milestones changed: the writes 0.67 → 0.50 s).
 */
const MILESTONE_UPDATE_BY_ID = (() => {
  const kept = ['component_id', 'name'];
  const updated = updatedColumns(MILESTONE_COLUMNS, kept);
  return `UPDATE component_milestones SET ${updated.map((c) => `${c} = @${c}`).join(', ')}, ${milestoneFiguresFromParams}
    WHERE id = @id AND ${writeWhen(updated, kept, (c) => c, (c) => `@${c}`)} ${WRITTEN_MILESTONE}`;
})();

const COMPONENT_COLUMNS = [
  'project_id', 'tag', 'display_id', 'type', 'spec', 'size', 'material', 'area', 'system', 'test_package', 'drawing_id', 'status',
  'completion_percent', 'workflow_type', 'test_required', 'test_pressure', 'installation_date', 'created_at', 'updated_at', 'source_id',
];
/** The indexed columns of a component that rarely change. */
const COMPONENT_KEYS = ['project_id', 'tag', 'type', 'area', 'system', 'test_package', 'drawing_id'];
const DRAWING_BY_SOURCE = '(SELECT id FROM drawings WHERE source_id = @drawing_id)';
const componentUpsert = (kept: readonly string[]) => upsertSql('components', COMPONENT_COLUMNS, kept).replace('@drawing_id', DRAWING_BY_SOURCE);

/** The local ids of the components with these source ids (those found), by source id. */
export function localComponents(db: Db, sourceIds: readonly string[]): Map<string, number> {
  const read = db.prepare('SELECT source_id, id FROM components WHERE source_id IN (SELECT value FROM json_each(?))').raw();
  return new Map(read.all(JSON.stringify(sourceIds)) as Array<[string, number]>);
}

const AUDIT_COLUMNS = ['project_id', 'component_id', 'user_name', 'at', 'action', 'changes_json', 'source_id'];
const auditValue = (c: string, param: string) => (c === 'component_id' ? `(SELECT id FROM components WHERE source_id = ${param})` : param);
const auditUpsert = (rows: number | null) =>
  upsertSql('audit_log', AUDIT_COLUMNS, [], undefined,
    rows === null ? `(${AUDIT_COLUMNS.map((c) => auditValue(c, `@${c}`)).join(', ')})` : valuesOfRows(`(${AUDIT_COLUMNS.map((c) => auditValue(c, '?')).join(', ')})`, rows));

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const STATUSES = new Set(['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED', 'ON_HOLD']);
const WORKFLOWS = new Set(['MILESTONE_DISCRETE', 'MILESTONE_PERCENTAGE', 'MILESTONE_QUANTITY']);

function constraintReason(err: unknown, what: Record<string, string>): string {
  const message = err instanceof Error ? err.message : String(err);
  for (const [needle, reason] of Object.entries(what)) if (message.includes(needle)) return reason;
  throw err;
}

interface TableApplier {
  /** Local parameters for a row, or the reason it cannot be taken. */
  map(row: Row): Params | string;
  statement: Statement;
  /** Constraint failures that are the row's fault, by a piece of SQLite's message. */
  rowFaults: Record<string, string>;
  /**
   * Indexed columns `statement` leaves alone. SQLite rewrites the entry of every index whose
   * columns an UPDATE names, changed or not: naming a milestone's component and name rewrote
   * idx_milestones_component_name for each row (1 % of 5M milestones changed: ~22,000 more pages
   * to commit). A row `statement` did not write (unchanged, or its keys moved) is looked at by
   * `moved`; one whose keys did move takes `rekey`, which sets them.
   */
  keys?: { moved: Statement; rekey: Statement };
  /** `statement` for a row known to exist, by its local id (@id). */
  byId?: Statement;
  /**
   * `statement` for `rows` rows at once, positional in the order of `columns`: a first sync's
   * 250,000 audit rows at 1M, 3.1 → 2.3 s. A set that breaks a constraint goes again row by row,
   * so that only the row at fault is skipped.
   */
  many?: { statement: Statement; rows: number; columns: readonly string[] };
}

/**
 * A staged table's row appended to `out` in STAGING's order (its copied columns, then its
 * parent's source id), or why it cannot be taken. A first sync stages rows from these values
 * with no object or array per row: the milestones' read and stage at 1M, 18.8/18.7 → 18.2/18.1 s
 * (alternating syncs).
 */
type StageValues = (row: Row, out: Array<string | number | null>) => string | null;

interface StagedApplier extends TableApplier {
  values: StageValues;
}

/** The applier of a staged table, whose `map` names what `values` writes. */
function stagedApplier(table: StagedTable, applier: Omit<StagedApplier, 'map'>): StagedApplier {
  const { copied, parent } = STAGING[table];
  const names = [...copied, parent[1]];
  const out: Array<string | number | null> = [];
  const map = (row: Row): Params | string => {
    out.length = 0;
    const reason = applier.values(row, out);
    if (reason !== null) return reason;
    const params: Params = {};
    names.forEach((name, i) => {
      params[name] = out[i] ?? null;
    });
    return params;
  };
  return { ...applier, map };
}

export class RowApplier {
  private readonly appliers: Record<Exclude<ServerTableName, StagedTable>, TableApplier> & Record<StagedTable, StagedApplier>;
  private readonly projectIds = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly nowIso: () => string,
  ) {
    const projectOf = (row: Row): number | string => {
      const id = this.projectId(String(row.project));
      return id ?? `its project (${String(row.project)}) is not in SiteReport`;
    };
    this.appliers = {
      Project: {
        statement: db.prepare(upsertSql('projects', ['code', 'name', 'organization', 'created_at', 'source', 'source_id'])),
        map: (r) => ({ code: String(r.id), name: String(r.name), organization: text(r.organization), created_at: String(r.created_at), source: 'pipetrak', source_id: String(r.id) }),
        rowFaults: { 'projects.code': 'a local project already uses this code' },
      },
      ROCConfigurations: {
        statement: db.prepare(upsertSql('roc_configurations', ['project_id', 'component_type', 'weights_json', 'effective_date', 'is_default', 'created_at', 'source_id'])),
        map: (r) => {
          let project: number | null = null;
          if (r.project !== null) {
            const p = projectOf(r);
            if (typeof p === 'string') return p;
            project = p;
          }
          return { project_id: project, component_type: text(r.component_type), weights_json: String(r.weights), effective_date: String(r.effective_date), is_default: project === null ? 1 : 0, created_at: String(r.created_at), source_id: String(r.id) };
        },
        rowFaults: { 'roc weights must all be numbers': 'a milestone weight is not a number', CHECK: 'the weights are not an object of numbers' },
      },
      Drawing: {
        statement: db.prepare(upsertSql('drawings', ['project_id', 'number', 'title', 'revision', 'source_id'])),
        map: (r) => {
          const p = projectOf(r);
          if (typeof p === 'string') return p;
          return { project_id: p, number: String(r.number), title: text(r.title), revision: text(r.revision), source_id: String(r.id) };
        },
        rowFaults: { 'drawings.project_id, drawings.number': 'another drawing of the project has the same number' },
      },
      Component: stagedApplier('Component', {
        // Status, completion and updated-at are indexed too, but change with nearly every update.
        statement: db.prepare(componentUpsert(COMPONENT_KEYS)),
        keys: {
          moved: db.prepare(
            `SELECT 1 FROM components WHERE source_id = @source_id
               AND (${COMPONENT_KEYS.join(', ')}) IS NOT (${COMPONENT_KEYS.map((c) => `@${c}`).join(', ')})`.replace('@drawing_id', DRAWING_BY_SOURCE),
          ),
          rekey: db.prepare(componentUpsert([])),
        },
        values: (r, out) => {
          const p = projectOf(r);
          if (typeof p === 'string') return p;
          const status = String(r.status);
          if (!STATUSES.has(status)) return `unknown status "${status}"`;
          const workflow = String(r.workflow);
          if (!WORKFLOWS.has(workflow)) return `unknown workflow type "${workflow}"`;
          const completion = Number(r.completion);
          if (!Number.isFinite(completion) || completion < 0 || completion > 100) return `completion ${String(r.completion)} is outside 0–100`;
          const instance = Number(r.instance ?? 1);
          out.push(
            p,
            instance > 1 ? `${String(r.tag)} #${instance}` : String(r.tag),
            text(r.display_id),
            String(r.type),
            text(r.spec),
            text(r.size),
            text(r.material),
            text(r.area),
            text(r.system),
            text(r.test_package),
            status,
            completion,
            workflow,
            r.test_required ? 1 : 0,
            r.test_pressure === null ? null : Number(r.test_pressure),
            text(r.installation_date),
            String(r.created_at),
            String(r.updated_at),
            String(r.id),
            text(r.drawing),
          );
          return null;
        },
        rowFaults: { 'components.project_id, components.tag': 'another component of the project has the same tag' },
      }),
      ComponentMilestone: stagedApplier('ComponentMilestone', {
        statement: db.prepare(milestoneUpsert(['component_id', 'name'])),
        keys: {
          moved: db.prepare(
            `SELECT 1 FROM component_milestones WHERE source_id = @source_id
               AND (component_id, name) IS NOT (@component_id, @name)`,
          ),
          rekey: db.prepare(milestoneUpsert([])),
        },
        byId: db.prepare(MILESTONE_UPDATE_BY_ID),
        values: (r, out) => {
          out.push(
            String(r.name),
            Number(r.milestone_order ?? 0),
            r.is_completed ? 1 : 0,
            text(r.completed_at),
            text(r.completed_by),
            r.percentage_value === null ? null : Number(r.percentage_value),
            r.quantity_value === null ? null : Number(r.quantity_value),
            String(r.updated_at),
            String(r.id),
            String(r.component),
          );
          return null;
        },
        rowFaults: {
          'NOT NULL constraint failed: component_milestones.component_id': 'its component is not in SiteReport',
          'component_milestones.component_id, component_milestones.name': 'the component already has a milestone of this name',
        },
      }),
      AuditLog: {
        statement: db.prepare(auditUpsert(null)),
        many: { statement: db.prepare(auditUpsert(ROWS_PER_STATEMENT)), rows: ROWS_PER_STATEMENT, columns: AUDIT_COLUMNS },
        map: (r) => {
          const p = projectOf(r);
          if (typeof p === 'string') return p;
          return { project_id: p, component_id: text(r.component), user_name: String(r.user_name), at: String(r.at), action: String(r.action), changes_json: String(r.changes ?? '{}'), source_id: String(r.id) };
        },
        rowFaults: { 'CHECK constraint failed': 'the change record is not valid JSON' },
      },
    };
  }

  private projectId(sourceId: string): number | null {
    const known = this.projectIds.get(sourceId);
    if (known !== undefined) return known;
    const row = this.db.prepare('SELECT id FROM projects WHERE source_id = ?').get(sourceId) as { id: number } | undefined;
    if (row) this.projectIds.set(sourceId, row.id);
    return row?.id ?? null;
  }

  /**
   * The local ids of the components a batch of milestones names, by source id. `known`: the
   * batch's milestones that exist locally (readBatch); one still in the component it names gives
   * it, and only the others are looked up, in one query (1 % of 5M milestones changed: ~0.15 s).
   */
  parentsOf(rows: readonly Row[], known?: ReadonlyMap<string, KnownMilestone>): Map<string, number> {
    const parents = new Map<string, number>();
    const sought: string[] = [];
    for (const r of rows) {
      const component = String(r.component);
      const k = known?.get(String(r.id));
      if (k !== undefined && k[2] === component) parents.set(component, k[1]);
      else sought.push(component);
    }
    if (sought.length > 0) for (const [source, id] of localComponents(this.db, sought)) parents.set(source, id);
    return parents;
  }

  /**
   * Must run inside the batch's transaction. `parents`: parentsOf(rows), if the caller has it;
   * `known`: the rows that exist locally (readBatch), written by their local id.
   */
  apply(table: ServerTableName, rows: readonly Row[], parents?: ReadonlyMap<string, number>, known?: ReadonlyMap<string, KnownMilestone>): BatchOutcome {
    const applier = this.appliers[table];
    const skipped: SkippedRow[] = [];
    let changed = 0;
    // A statement that returns what it wrote (milestones) is read, not run.
    const written: unknown[][] | undefined = applier.statement.reader ? [] : undefined;
    // Milestones name their component by source id; a lookup per row in the upsert cost ~0.1 s
    // for 50,000 rows. One not found is null, which the upsert refuses as the row's fault.
    const locals = table === 'ComponentMilestone' ? (parents ?? this.parentsOf(rows)) : null;
    const one = (row: Row, params: Params): void => {
      if (locals) params.component_id = locals.get(String(params.component_id)) ?? null;
      const local = applier.byId && known?.get(String(params.source_id));
      if (local) params.id = local[0];
      try {
        const write = (statement: Statement): boolean => {
          if (!written) return statement.run(params).changes > 0;
          const returned = statement.raw().get(params) as unknown[] | undefined;
          if (returned) written.push(returned);
          return returned !== undefined;
        };
        if (write(local && applier.byId ? applier.byId : applier.statement) || (applier.keys?.moved.get(params) && write(applier.keys.rekey))) changed++;
      } catch (err) {
        skipped.push({ id: String(row.id), reason: constraintReason(err, applier.rowFaults) });
      }
    };
    const many = applier.many;
    const waiting: Array<[Row, Params]> = [];
    const values: Array<string | number | null> = [];
    const flushWaiting = (): void => {
      if (!many) return;
      if (waiting.length === many.rows) {
        for (const [, params] of waiting) for (const c of many.columns) values.push(params[c] ?? null);
        try {
          changed += many.statement.run(values).changes;
          waiting.length = 0;
        } catch (err) {
          if (!(err instanceof Error && 'code' in err && String(err.code).startsWith('SQLITE_CONSTRAINT'))) throw err;
        } finally {
          values.length = 0;
        }
      }
      for (const [row, params] of waiting) one(row, params);
      waiting.length = 0;
    };
    for (const row of rows) {
      const params = applier.map(row);
      if (typeof params === 'string') {
        skipped.push({ id: String(row.id), reason: params });
        continue;
      }
      if (!many) one(row, params);
      else if (waiting.push([row, params]) === many.rows) flushWaiting();
    }
    flushWaiting();
    this.recordSkipped(table, rows, skipped);
    return written ? { changed, skipped, written: written as WrittenMilestone[] } : { changed, skipped };
  }

  /**
   * A first sync's batch of components or milestones, appended to its staging table as the
   * upsert would have written it (parents by source id); stagedFirstSync moves them later.
   * `order`: the batch is milestones of whole components, read by component. Must run inside
   * the batch's transaction. `changed` counts nothing: rows change at the move.
   */
  stage(table: StagedTable, rows: readonly Row[], order?: StagedComponentOrder): BatchOutcome {
    const { values } = this.appliers[table];
    const { table: target, copied, parent } = STAGING[table];
    const skipped: SkippedRow[] = [];
    const width = copied.length + 1;
    // Milestones of whole components, one component's after another: each run of one
    // component's rows takes its staging row and the number of its milestones staged. Without
    // `order` each row goes in as it comes, with neither.
    const insert = new BatchedInsert(this.db, target, order === undefined ? [...copied, parent[0]] : [...copied, parent[0], 'component_seq', 'siblings']);
    // The run's rows, one after another; a row's parent is its last value.
    const run: Array<string | number | null> = [];
    const flushRun = (by: StagedComponentOrder, end: number) => {
      if (end === 0) return;
      const tail = [by.seqOf(run[width - 1] as string), end / width];
      for (let at = 0; at < end; at += width) insert.addRow(run, at, width, tail);
    };
    for (const row of rows) {
      const start = run.length;
      const reason = values(row, run);
      if (reason !== null) {
        run.length = start;
        skipped.push({ id: String(row.id), reason });
      } else if (order === undefined) {
        insert.addRow(run, 0, width);
        run.length = 0;
      } else if (start > 0 && run[width - 1] !== run[start + width - 1]) {
        flushRun(order, start);
        run.copyWithin(0, start);
        run.length = width;
      }
    }
    if (order !== undefined) flushRun(order, run.length);
    insert.flush();
    this.recordSkipped(table, rows, skipped);
    return { changed: 0, skipped };
  }

  /** A row skipped once and accepted later leaves the list. */
  private recordSkipped(table: ServerTableName, rows: readonly Row[], skipped: readonly SkippedRow[]): void {
    const at = this.nowIso();
    const skippedIds = new Set(skipped.map((s) => s.id));
    const remove = this.db.prepare('DELETE FROM sync_skipped WHERE table_name = ? AND source_id = ?');
    const add = this.db.prepare('INSERT INTO sync_skipped (table_name, source_id, reason, at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET reason = excluded.reason, at = excluded.at');
    if (this.hasSkipped(table)) for (const row of rows) if (!skippedIds.has(String(row.id))) remove.run(table, String(row.id));
    for (const s of skipped) add.run(table, s.id, s.reason, at);
  }

  private hasSkipped(table: ServerTableName): boolean {
    return this.db.prepare('SELECT 1 FROM sync_skipped WHERE table_name = ? LIMIT 1').get(table) !== undefined;
  }

  /** Project ids can change when projects are deleted and re-created. */
  forgetProjects(): void {
    this.projectIds.clear();
  }
}
