/**
 * Importing a component list (SPEC §9): map the columns, check every row, then apply all of it
 * in one transaction or nothing. The file is the list: components it no longer holds are
 * removed, changed ones updated, the rest left alone, so importing the same file twice changes
 * nothing the second time.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { problemsCsv, type ImportProblem } from '../../shared/domain/importProblems';
import type { Db } from '../db/connection';
import { findProject } from '../db/projectRepository';
import { checkRequired, REQUIRED_FIELDS, parseMapping, saveMapping, savedMapping, suggestMapping, type ColumnMapping, type ImportField } from './columnMapping';
import { streamCsv, DEFAULT_LIMITS, type CsvLimits, type RowSource } from './csvRead';
import { readXlsx } from './xlsxRead';
import { planStagedMilestones, stageMilestones, touchedByMilestones, writeStagedMilestones, type MilestoneCounts } from './milestoneImport';
import { withTriggersLifted, writeWithDeltas } from '../db/bulkWrites';
import { withTempFiles } from '../db/tempFiles';
import { withCheckpointAfterwards } from '../db/backgroundCheckpoint';
import { canReread, NeedsGeneralPath, rowsAgain, writeFirstImport, type FirstImportCounts } from './firstImport';

export type { ImportProblem };
export { problemsCsv };

export class ImportRejected extends AppError {
  constructor(readonly problems: ImportProblem[]) {
    const shown = problems.slice(0, 100).map((p) => `line ${p.line}, ${p.column} "${p.value.slice(0, 60)}": ${p.reason}`);
    super('INVALID_INPUT', `nothing was imported: ${problems.length} row problem${problems.length === 1 ? '' : 's'}\n${shown.join('\n')}${problems.length > 100 ? `\n… and ${problems.length - 100} more` : ''}`);
  }
}

class PreviewDone extends Error {}

export interface ImportResult {
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
  mapping: ColumnMapping;
  /** When a milestones file or sheet came with the list. */
  milestones?: MilestoneCounts;
}

const STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED', 'ON_HOLD'] as const;
const TEXT_FIELDS = ['displayId', 'area', 'system', 'testPackage', 'spec', 'size', 'material'] as const;
const COLUMN_OF: Record<(typeof TEXT_FIELDS)[number], string> = { displayId: 'display_id', area: 'area', system: 'system', testPackage: 'test_package', spec: 'spec', size: 'size', material: 'material' };

interface Incoming {
  tag: string;
  type: string;
  status: (typeof STATUSES)[number];
  completion: number;
  drawing: string | null;
  text: Record<(typeof TEXT_FIELDS)[number], string | null>;
}


/** Every tag of the list counts as known to the milestones, even on a row with its own problem:
    one mistake, one message. */
function toRows(header: string[], rows: Iterable<{ line: number; cells: string[] }>, mapping: ColumnMapping): { incoming: Incoming[]; problems: ImportProblem[]; tags: ReadonlyMap<string, number> } {
  // Column positions found once, and the row helpers made once: per row of a million, looking
  // each column up by name and making two closures took about a third of the list's time.
  const columns = new Map<ImportField, number>();
  for (const field of Object.keys(mapping) as ImportField[]) columns.set(field, mapping[field] ? header.indexOf(mapping[field] as string) : -1);
  const problems: ImportProblem[] = [];
  const incoming: Incoming[] = [];
  const firstLine = new Map<string, number>();
  const statusOf = new Map<string, Incoming['status']>();
  let line = 0;
  let cells: string[] = [];
  const get = (field: ImportField) => {
    const i = columns.get(field) ?? -1;
    return i < 0 ? '' : (cells[i] ?? '').trim();
  };
  const problem = (field: ImportField, value: string, reason: string) => problems.push({ line, column: mapping[field] ?? field, value, reason });
  for (const row of rows) {
    line = row.line;
    cells = row.cells;
    const before = problems.length;
    const tag = get('tag');
    if (!tag) problem('tag', '', 'the tag is missing (every component needs one)');
    else if (firstLine.has(tag)) problem('tag', tag, `duplicate tag (first on line ${firstLine.get(tag)})`);
    else firstLine.set(tag, line);
    const type = get('type');
    if (!type) problem('type', '', 'the component type is missing');
    const statusText = get('status');
    let status = statusOf.get(statusText);
    if (status === undefined) {
      status = (statusText ? statusText.toUpperCase().replace(/[\s-]+/g, '_') : 'NOT_STARTED') as Incoming['status'];
      if (statusOf.size < 1000) statusOf.set(statusText, status);
    }
    if (!STATUSES.includes(status)) problem('status', statusText, `unknown status (use ${STATUSES.join(', ')})`);
    const percentText = get('completionPercent');
    const completion = percentText === '' ? 0 : Number(percentText.replace(/\s*%$/, ''));
    if (!Number.isFinite(completion)) problem('completionPercent', percentText, 'not a number');
    else if (completion < 0 || completion > 100) problem('completionPercent', percentText, 'a percentage must be from 0 to 100');
    if (problems.length > before) continue;
    // A literal of fixed shape: a million entries built with Object.fromEntries took ~3× the memory.
    const text: Incoming['text'] = { displayId: get('displayId') || null, area: get('area') || null, system: get('system') || null, testPackage: get('testPackage') || null, spec: get('spec') || null, size: get('size') || null, material: get('material') || null };
    incoming.push({ tag, type, status, completion, drawing: get('drawingNumber') || null, text });
  }
  return { incoming, problems, tags: firstLine };
}

interface Existing {
  id: number;
  tag: string;
  type: string;
  status: string;
  completion_percent: number;
  drawing_id: number | null;
  display_id: string | null;
  area: string | null;
  system: string | null;
  test_package: string | null;
  spec: string | null;
  size: string | null;
  material: string | null;
}

export interface ImportOptions {
  projectCode?: string;
  mapping?: unknown;
  now: Date;
  limits?: CsvLimits;
  /** The optional milestones file or sheet (its rows are read once). */
  milestones?: RowSource & { fingerprint?: string };
  /** A digest of the list's bytes (and sheet): lets an unchanged re-import skip the comparison. */
  fingerprint?: string;
}

export function fileFingerprint(bytes: Buffer | string, sheet?: string): string {
  return createHash('sha256').update(bytes).update(`\u0000${sheet ?? ''}`).digest('hex');
}

export function importComponentsCsv(db: Db, bytes: Buffer, options: ImportOptions): ImportResult {
  return importComponentsFile(db, 'list.csv', bytes, options);
}

/** A CSV or an XLSX file, by its name; `sheet` picks a sheet of a workbook (default: the first).
    A CSV list is read as it is checked, never held as parsed cells: besides their own ~0.5 GB
    at a million rows, a million surviving cells taught V8 to allocate the milestone file's cells
    (the same parser) straight into the old generation, where they piled up as garbage (~1.2 GB
    of the peak at a million components). */
export function importComponentsFile(db: Db, fileName: string, bytes: Buffer, options: ImportOptions & { sheet?: string }): ImportResult {
  return importComponents(db, openImportFile(fileName, bytes, options), { fingerprint: fileFingerprint(bytes, options.sheet), ...options });
}

/** A file's rows to be read once, by its name: a CSV streams from its bytes, a workbook sheet
    (`sheet`, default the first) is read whole. */
export function openImportFile(fileName: string, bytes: Buffer, options: { sheet?: string; limits?: CsvLimits }): RowSource {
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (/\.xls$/i.test(fileName)) throw new AppError('UNSUPPORTED_FORMAT', 'old .xls workbooks cannot be read; save the sheet as .xlsx or "CSV UTF-8"');
  return /\.xlsx$/i.test(fileName) ? readXlsx(bytes, options.sheet, limits) : streamCsv(bytes, limits);
}

/** The file as it would be imported: the mapping used, the first rows mapped, every problem. */
export interface ImportPreview {
  header: string[];
  mapping: ColumnMapping;
  missing: string[];
  rows: Array<Partial<Record<ImportField, string>>>;
  totalRows: number;
  problems: ImportProblem[];
  problemCount: number;
}

function mappingFor(db: Db, projectId: number, header: string[], given: unknown): ColumnMapping {
  return given !== undefined ? parseMapping(given, header) : validSaved(savedMapping(db, projectId), header) ?? suggestMapping(header);
}

/** Reads `source` once, like the import: the first rows are kept for the preview, the rest counted. */
export function previewImport(db: Db, source: RowSource, options: ImportOptions, sample = 20): ImportPreview {
  const project = findProject(db, options.projectCode);
  const mapping = mappingFor(db, project.id, source.header, options.mapping);
  const missing = REQUIRED_FIELDS.filter((f) => !mapping[f]);
  const first: Array<{ line: number; cells: string[] }> = [];
  let totalRows = 0;
  const rows = (function* () {
    for (const r of source.rows) {
      if (first.length < sample) first.push(r);
      totalRows += 1;
      yield r;
    }
  })();
  const { problems, tags } = missing.length > 0 ? { problems: [] as ImportProblem[], tags: new Map<string, number>() } : toRows(source.header, rows, mapping);
  for (const _ of rows) {
    // the rest, counted when the mapping lacks a required column
  }
  if (missing.length === 0 && options.milestones) {
    const milestones = options.milestones;
    // Staged in a transaction that is always rolled back: the preview changes nothing.
    try {
      db.transaction(() => {
        for (const p of stageMilestones(db, milestones, tags)) problems.push(p);
        throw new PreviewDone();
      })();
    } catch (err) {
      if (!(err instanceof PreviewDone)) throw err;
    }
  }
  const shown = first.map(({ cells }) => Object.fromEntries(Object.entries(mapping).map(([field, column]) => [field, (cells[source.header.indexOf(column as string)] ?? '').trim()])));
  return { header: source.header, mapping, missing: [...missing], rows: shown, totalRows, problems: problems.slice(0, 100), problemCount: problems.length };
}

/** Milestones run to several rows per component: the same checks with room for 10 million rows. */
const MILESTONE_LIMITS: CsvLimits = { ...DEFAULT_LIMITS, maxBytes: 1024 * 1024 * 1024, maxRows: 10_000_000 };

export function readMilestonesFile(fileName: string, bytes: Buffer, options: { sheet?: string }): RowSource & { fingerprint: string } {
  return { ...openImportFile(fileName, bytes, { sheet: options.sheet, limits: MILESTONE_LIMITS }), fingerprint: fileFingerprint(bytes, options.sheet) };
}

/** `source` rows are read once (a CSV list streams from its bytes). */
export function importComponents(db: Db, source: RowSource, options: ImportOptions): ImportResult {
  const project = findProject(db, options.projectCode);
  const mapping = mappingFor(db, project.id, source.header, options.mapping);
  checkRequired(mapping);
  const { incoming, problems, tags } = toRows(source.header, source.rows, mapping);
  let knownTags: ReadonlyMap<string, number> | null = options.milestones ? tags : null;
  const at = options.now.toISOString();
  // The same files, the same mapping, and no change to the project since they were imported:
  // the answer is known without comparing every row again.
  const key = options.fingerprint && (!options.milestones || options.milestones.fingerprint) && problems.length === 0
    ? createHash('sha256').update(`${options.fingerprint}|${options.milestones?.fingerprint ?? ''}|${JSON.stringify(mapping)}`).digest('hex')
    : null;
  const versionOf = () => (db.prepare('SELECT version FROM data_versions WHERE project_id = ?').pluck().get(project.id) as number | undefined) ?? 0;
  const metaKey = `last_import:${project.id}`;
  if (key) {
    const last = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(metaKey) as string | undefined;
    const [lastKey, lastVersion, counts] = last ? last.split('|') : [];
    if (lastKey === key && Number(lastVersion) === versionOf() && counts) {
      const c = JSON.parse(counts) as { rows: number; milestones?: number };
      return { rows: c.rows, added: 0, changed: 0, unchanged: c.rows, removed: 0, mapping, ...(c.milestones === undefined ? {} : { milestones: { rows: c.milestones, added: 0, changed: 0, unchanged: c.milestones, removed: 0 } }) };
    }
  }
  const remember = (result: ImportResult) => {
    if (!key) return;
    const counts = JSON.stringify({ rows: result.rows, milestones: result.milestones?.rows });
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(metaKey, `${key}|${versionOf()}|${counts}`);
  };
  return withCheckpointAfterwards(db, () => withTempFiles(db, () => db.transaction(() => {
    let milestones = options.milestones;
    if (problems.length === 0 && sharesNoTag(db, project.id, tags) && (!milestones || canReread(milestones))) {
      const first = firstImport(db, project.id, incoming, milestones, at);
      if (first) {
        const result: ImportResult = { rows: first.components, added: first.components, changed: 0, unchanged: 0, removed: first.removed, mapping, ...(milestones ? { milestones: { rows: first.milestones, added: first.milestones, changed: 0, unchanged: 0, removed: 0 } } : {}) };
        markImported(db, project.id, at);
        saveMapping(db, project.id, mapping);
        remember(result);
        return result;
      }
      // A milestone row has a problem: read the file again the general way, which lists them all.
      const again = milestones && rowsAgain(milestones);
      if (milestones && again) milestones = { header: milestones.header, rows: again };
    }
    if (milestones && knownTags) for (const p of stageMilestones(db, milestones, knownTags)) problems.push(p);
    knownTags = null;
    if (problems.length > 0) throw new ImportRejected(problems);
    const existing = new Map((db.prepare('SELECT id, tag, type, status, completion_percent, drawing_id, display_id, area, system, test_package, spec, size, material FROM components WHERE project_id = ?').all(project.id) as Existing[]).map((e) => [e.tag, e]));
    const drawings = new Map((db.prepare('SELECT id, number FROM drawings WHERE project_id = ?').all(project.id) as Array<{ id: number; number: string }>).map((d) => [d.number, d.id]));
    const addDrawing = db.prepare('INSERT INTO drawings (project_id, number) VALUES (?, ?)');
    const drawingId = (n: string | null) => {
      if (n === null) return null;
      let id = drawings.get(n);
      if (id === undefined) {
        id = Number(addDrawing.run(project.id, n).lastInsertRowid);
        drawings.set(n, id);
      }
      return id;
    };
    const insert = db.prepare(`INSERT INTO components (project_id, tag, type, status, completion_percent, drawing_id, display_id, area, system, test_package, spec, size, material, created_at, updated_at)
      VALUES (@project, @tag, @type, @status, @completion, @drawing, @display_id, @area, @system, @test_package, @spec, @size, @material, @at, @at)`);
    const update = db.prepare(`UPDATE components SET type = @type, status = @status, completion_percent = @completion, drawing_id = @drawing, display_id = @display_id, area = @area,
      system = @system, test_package = @test_package, spec = @spec, size = @size, material = @material, updated_at = @at WHERE id = @id`);
    const result: ImportResult = { rows: incoming.length, added: 0, changed: 0, unchanged: 0, removed: 0, mapping };
    type Values = Record<string, string | number | null>;
    const valuesOf = (r: Incoming, drawing: number | null): Values => ({ project: project.id, tag: r.tag, type: r.type, status: r.status, completion: r.completion, drawing, at, ...Object.fromEntries(TEXT_FIELDS.map((f) => [COLUMN_OF[f], r.text[f]])) });
    // New rows are kept as positions in `incoming` and turned into statement values one at a
    // time while written: a million value objects held at once cost ~400 MB.
    const inserts: number[] = [];
    const insertDrawings: Array<number | null> = [];
    const updates: Values[] = [];
    for (let i = 0; i < incoming.length; i++) {
      const r = incoming[i] as Incoming;
      const drawing = drawingId(r.drawing);
      const e = existing.get(r.tag);
      existing.delete(r.tag);
      if (!e) {
        inserts.push(i);
        insertDrawings.push(drawing);
        continue;
      }
      const values = valuesOf(r, drawing);
      if (e.type !== r.type || e.status !== r.status || e.completion_percent !== r.completion || e.drawing_id !== values.drawing || TEXT_FIELDS.some((f) => e[COLUMN_OF[f] as keyof Existing] !== r.text[f])) {
        updates.push({ ...values, id: e.id });
      } else result.unchanged += 1;
    }
    const removed = [...existing.values()].map((e) => e.id);
    if (options.milestones) result.milestones = planStagedMilestones(db, project.id, at);
    result.added = inserts.length;
    result.changed = updates.length;
    result.removed = removed.length;
    const m = result.milestones;
    const milestoneChanges = m ? m.added + m.changed + m.removed : 0;
    if (result.added + result.changed + result.removed + milestoneChanges > 0) {
      // Written with the triggers lifted and the figures kept by deltas over the touched
      // components: row triggers would cost a whole list's worth of per-row upkeep.
      const before = [...updates.map((u) => Number(u.id)), ...removed, ...(m ? touchedByMilestones(db, project.id) : [])];
      const after: number[] = [];
      const write = () => {
        const remove = db.prepare('DELETE FROM components WHERE id = ?');
        for (const id of removed) remove.run(id);
        for (const u of updates) update.run(u);
        inserts.forEach((i, k) => after.push(Number(insert.run(valuesOf(incoming[i] as Incoming, insertDrawings[k] ?? null)).lastInsertRowid)));
        if (m) {
          writeStagedMilestones(db, project.id, at);
          for (const id of touchedByMilestones(db, project.id)) after.push(id);
        }
        for (const u of updates) after.push(Number(u.id));
      };
      withTriggersLifted(db, () => writeWithDeltas(db, () => before, write, () => after));
      markImported(db, project.id, at);
    }
    saveMapping(db, project.id, mapping);
    remember(result);
    return result;
  }).immediate()));
}

/** The project's data is now the imported list's, as of `at` (the "data as of" line). */
function markImported(db: Db, projectId: number, at: string): void {
  db.prepare("UPDATE projects SET last_synced_at = ?, source = CASE WHEN source = 'demo' THEN 'import' ELSE source END WHERE id = ?").run(at, projectId);
}

/** The list replaces the project's components outright (a first import, or a list of other
    tags, such as one's own list over the demo): none of their tags is in it. */
function sharesNoTag(db: Db, projectId: number, tags: ReadonlyMap<string, number>): boolean {
  for (const tag of db.prepare('SELECT tag FROM components WHERE project_id = ?').pluck().iterate(projectId) as IterableIterator<string>) {
    if (tags.has(tag)) return false;
  }
  return true;
}

/** writeFirstImport in a savepoint: null (and nothing written) when the general path must run. */
function firstImport(db: Db, projectId: number, incoming: readonly Incoming[], milestones: RowSource | undefined, at: string): FirstImportCounts | null {
  try {
    return db.transaction(() => withTriggersLifted(db, () => writeFirstImport(db, projectId, incoming, milestones, at)))();
  } catch (err) {
    if (err instanceof NeedsGeneralPath) return null;
    throw err;
  }
}

/** A saved mapping applies only when the file still has every column it names. */
function validSaved(mapping: ColumnMapping | null, header: string[]): ColumnMapping | null {
  if (!mapping) return null;
  return Object.values(mapping).every((c) => c !== undefined && header.includes(c)) ? mapping : null;
}
