/**
 * The optional milestones that come with a component list (a second file, or a sheet of the same
 * workbook): one row per (component tag, milestone). Checked with the component rows — a tag
 * the list does not hold, a duplicate milestone, "completed" that is not yes or no, a date that
 * is not a date, a percent outside 0–100 — and applied in the same transaction. For every
 * component the file names, its milestones become exactly the file's: new ones added, changed
 * ones updated, others removed; the same file again changes nothing.
 *
 * Rows are staged as they are parsed into a temporary table and compared and written with
 * set-based SQL, so five million milestones never sit in JavaScript's heap at once.
 */
import { AppError } from '../../shared/errors';
import type { ImportProblem } from '../../shared/domain/importProblems';
import type { Db } from '../db/connection';
import type { RowSource } from './csvRead';

export const MILESTONE_FIELDS = ['tag', 'name', 'order', 'completed', 'completedAt', 'completedBy', 'percent'] as const;
export type MilestoneField = (typeof MILESTONE_FIELDS)[number];

const SYNONYMS: Record<MilestoneField, string[]> = {
  tag: ['tag', 'componenttag', 'component', 'tagno', 'tagnumber', 'componentid'],
  name: ['milestone', 'milestonename', 'name', 'step', 'activity'],
  order: ['order', 'milestoneorder', 'sequence', 'seq', 'step no', 'stepno'],
  completed: ['completed', 'iscompleted', 'done', 'complete'],
  completedAt: ['completedat', 'completeddate', 'completedon', 'completiondate', 'date', 'datecompleted'],
  completedBy: ['completedby', 'by', 'user', 'inspector', 'signedby'],
  percent: ['percent', 'percentage', 'percentagevalue', 'progress', 'pct', 'percentcomplete'],
};

const normalise = (s: string) => s.toLowerCase().replace(/%/g, 'percent').replace(/[^a-z0-9]/g, '');

export function suggestMilestoneMapping(header: string[]): Partial<Record<MilestoneField, string>> {
  const mapping: Partial<Record<MilestoneField, string>> = {};
  const taken = new Set<string>();
  for (const field of MILESTONE_FIELDS) {
    const hit = header.find((h) => !taken.has(h) && SYNONYMS[field].includes(normalise(h)));
    if (hit) {
      mapping[field] = hit;
      taken.add(hit);
    }
  }
  return mapping;
}

const YES = new Set(['yes', 'y', 'true', '1', 'x', 'done', 'completed', 'ja', 'oui', 'si', 'да']);
const NO = new Set(['', 'no', 'n', 'false', '0', 'open', 'nein', 'non', 'нет']);

/** YYYY-MM-DD, or a full ISO date-time; anything else is not a date. A milestones file repeats
    a few thousand dates over millions of rows, so each parser remembers what it has parsed (per
    import: its keys are slices of the file's text; bounded against a file of all-different dates). */
function dateParser(): (text: string) => string | null | 'invalid' {
  const parsed = new Map<string, string | 'invalid'>();
  return (text) => {
    if (text === '') return null;
    const known = parsed.get(text);
    if (known !== undefined) return known;
    const result = parseDateText(text);
    if (parsed.size >= 20_000) parsed.clear();
    parsed.set(text, result);
    return result;
  };
}

function parseDateText(text: string): string | 'invalid' {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const d = new Date(`${text}T00:00:00.000Z`);
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text ? 'invalid' : d.toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)) {
    const d = new Date(text.replace(' ', 'T'));
    return Number.isNaN(d.getTime()) ? 'invalid' : d.toISOString();
  }
  return 'invalid';
}

const MAX_PROBLEMS = 100_000;

/** One milestone row with its values checked (the same object is refilled for every row). */
export interface CheckedMilestone {
  line: number;
  tag: string;
  name: string;
  order: number;
  completed: boolean;
  /** The date given, ISO, when completed with one. */
  at: string | null;
  completedBy: string | null;
  percent: number | null;
  /** The row has a problem (already listed); its values are placeholders. */
  bad: boolean;
}

/**
 * The rows of a milestones file checked one by one (a tag the list does not hold, a missing
 * name, "completed" that is not yes or no, a date that is not a date, a percent outside 0–100,
 * an order that is not whole), the problems collected in `problems`. Rows without a tag or a
 * name are not yielded. Duplicates are the consumer's to find.
 */
export function checkMilestoneRows(source: RowSource, rows: Iterable<{ line: number; cells: string[] }>, isKnown: (tag: string) => boolean): { rows: Generator<CheckedMilestone>; problems: ImportProblem[]; problem: (line: number, column: 'name', value: string, reason: string) => void; finish: () => void } {
  const mapping = suggestMilestoneMapping(source.header);
  const missing = (['tag', 'name'] as const).filter((f) => !mapping[f]);
  if (missing.length > 0) {
    throw new AppError('INVALID_INPUT', `the milestones file needs a column for ${missing.map((f) => (f === 'tag' ? 'the component tag' : 'the milestone name')).join(' and ')} (headers such as "Tag" and "Milestone")`);
  }
  const col = (f: MilestoneField) => (mapping[f] ? source.header.indexOf(mapping[f] as string) : -1);
  const columns = Object.fromEntries(MILESTONE_FIELDS.map((f) => [f, col(f)])) as Record<MilestoneField, number>;
  const where = (f: MilestoneField) => `${mapping[f] ?? f} (milestones)`;
  const problems: ImportProblem[] = [];
  let more = 0;
  const lastOrders = new LastOrders();
  const parseDate = dateParser();
  // The row being checked; the helpers are made once, not once per row of millions.
  let cells: string[] = [];
  const out: CheckedMilestone = { line: 0, tag: '', name: '', order: 0, completed: false, at: null, completedBy: null, percent: null, bad: false };
  const get = (f: MilestoneField) => {
    const i = columns[f];
    return i < 0 ? '' : (cells[i] ?? '').trim();
  };
  const listed = (line: number, column: string, value: string, reason: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ line, column, value, reason });
    else more += 1;
  };
  const problem = (f: MilestoneField, value: string, reason: string) => {
    out.bad = true;
    listed(out.line, where(f), value, reason);
  };
  function* checked(): Generator<CheckedMilestone> {
    for (const row of rows) {
      out.line = row.line;
      cells = row.cells;
      out.bad = false;
      const tag = get('tag');
      const name = get('name');
      if (!tag) problem('tag', '', 'the component tag is missing');
      else if (!isKnown(tag)) problem('tag', tag, 'unknown tag (not in the component list)');
      if (!name) problem('name', '', 'the milestone name is missing');
      const doneText = get('completed').toLowerCase();
      const dateText = get('completedAt');
      const completedAt = parseDate(dateText);
      if (completedAt === 'invalid') problem('completedAt', dateText, 'a date that is not a date (use YYYY-MM-DD)');
      if (!YES.has(doneText) && !NO.has(doneText)) problem('completed', get('completed'), 'not yes or no');
      const percentText = get('percent').replace(/\s*%$/, '');
      const percent = percentText === '' ? null : Number(percentText);
      if (percent !== null && (!Number.isFinite(percent) || percent < 0 || percent > 100)) problem('percent', get('percent'), 'a percentage must be from 0 to 100');
      const orderText = get('order');
      const order = orderText === '' ? (lastOrders.of(tag) ?? 0) + 1 : Number(orderText);
      if (!Number.isInteger(order)) problem('order', orderText, 'the order must be a whole number');
      if (!tag || !name) continue;
      // A row with other problems is yielded too, so a later duplicate of it is still reported; with
      // any problem nothing is applied, so its placeholder values never reach the project.
      // A date alone means completed; "yes" without a date keeps an earlier date (or is completed now).
      const completed = !out.bad && (YES.has(doneText) || (doneText === '' && completedAt !== null));
      out.tag = tag;
      out.name = name;
      out.order = out.bad ? 0 : order;
      out.completed = completed;
      out.at = completed ? (completedAt as string | null) : null;
      out.completedBy = get('completedBy') || null;
      out.percent = out.bad ? null : percent;
      const wasBad = out.bad;
      yield out;
      if (!wasBad && !out.bad) lastOrders.set(tag, order);
    }
  }
  const finish = () => {
    if (more > 0) problems.push({ line: 0, column: '', value: '', reason: `… and ${more.toLocaleString('en-US')} more problems, not listed` });
  };
  return { rows: checked(), problems, problem: (line, column, value, reason) => listed(line, where(column), value, reason), finish };
}

/** Each tag's last order, for a row that gives none. A file lists a component's milestones one
    after another, so the current tag's is held aside and the map written only when the tag
    changes: one map write per component rather than per row. */
class LastOrders {
  private readonly orders = new Map<string, number>();
  private tag: string | null = null;
  private order = 0;

  of(tag: string): number | undefined {
    return tag === this.tag ? this.order : this.orders.get(tag);
  }

  set(tag: string, order: number): void {
    if (tag !== this.tag && this.tag !== null) this.orders.set(this.tag, this.order);
    this.tag = tag;
    this.order = order;
  }
}

/**
 * Reads and checks every row into temp.import_milestones (inside the import's transaction) and
 * returns the problems: line, column and why.
 */
export function stageMilestones(db: Db, source: RowSource, knownTags: { has(tag: string): boolean }): ImportProblem[] {
  const check = checkMilestoneRows(source, source.rows, (tag) => knownTags.has(tag));
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS import_milestones (
      tag TEXT NOT NULL, name TEXT NOT NULL, milestone_order INTEGER NOT NULL, is_completed INTEGER NOT NULL, completed_at TEXT,
      date_given INTEGER NOT NULL, completed_by TEXT, percentage_value REAL, line INTEGER NOT NULL, PRIMARY KEY (tag, name)) WITHOUT ROWID;
    DELETE FROM temp.import_milestones;`);
  const stage = db.prepare(`INSERT OR IGNORE INTO temp.import_milestones VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const firstLine = db.prepare('SELECT line FROM temp.import_milestones WHERE tag = ? AND name = ?').pluck();
  for (const m of check.rows) {
    if (stage.run(m.tag, m.name, m.order, m.completed ? 1 : 0, m.at, m.at !== null ? 1 : 0, m.completedBy, m.percent, m.line).changes === 0) {
      check.problem(m.line, 'name', m.name, `duplicate milestone for ${m.tag} (first on line ${String(firstLine.get(m.tag, m.name))})`);
      // Its order does not count for the rows after it.
      m.bad = true;
    }
  }
  check.finish();
  return check.problems;
}

export interface MilestoneCounts {
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
}

/** The staged row against the stored one (s, m): the date a "completed" row without one keeps. */
const EFFECTIVE_AT = `CASE WHEN s.is_completed = 1 AND s.date_given = 0 THEN (CASE WHEN m.is_completed = 1 THEN m.completed_at ELSE @now END) ELSE s.completed_at END`;
const DIFFERS = `(m.milestone_order IS NOT s.milestone_order OR m.is_completed IS NOT s.is_completed OR m.completed_at IS NOT ${EFFECTIVE_AT}
  OR m.completed_by IS NOT s.completed_by OR m.percentage_value IS NOT s.percentage_value)`;
const STAGED_WITH_STORED = `temp.import_milestones s JOIN components c ON c.project_id = @project AND c.tag = s.tag
  JOIN component_milestones m ON m.component_id = c.id AND m.name = s.name`;
const NOT_STORED = `NOT EXISTS (SELECT 1 FROM components c JOIN component_milestones m ON m.component_id = c.id WHERE c.project_id = @project AND c.tag = s.tag AND m.name = s.name)`;
const NOT_STAGED = `m.component_id IN (SELECT c.id FROM components c WHERE c.project_id = @project AND c.tag IN (SELECT tag FROM temp.import_milestones))
  AND NOT EXISTS (SELECT 1 FROM temp.import_milestones s WHERE s.tag = (SELECT tag FROM components WHERE id = m.component_id) AND s.name = m.name)`;

/**
 * What the staged rows change, before anything is written: the counts, and in
 * temp.import_touched_tags the tags whose milestones change (the caller's delta set).
 */
export function planStagedMilestones(db: Db, projectId: number, nowIso: string): MilestoneCounts {
  const params = { project: projectId, now: nowIso };
  const count = (sql: string) => db.prepare(sql).pluck().get(params) as number;
  const rows = count('SELECT count(*) FROM temp.import_milestones');
  const added = count(`SELECT count(*) FROM temp.import_milestones s WHERE ${NOT_STORED}`);
  const changed = count(`SELECT count(*) FROM ${STAGED_WITH_STORED} WHERE ${DIFFERS}`);
  const removed = count(`SELECT count(*) FROM component_milestones m WHERE ${NOT_STAGED}`);
  db.exec('CREATE TEMP TABLE IF NOT EXISTS import_touched_tags (tag TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.import_touched_tags;');
  db.prepare(`INSERT OR IGNORE INTO temp.import_touched_tags
    SELECT s.tag FROM temp.import_milestones s WHERE ${NOT_STORED}
    UNION SELECT s.tag FROM ${STAGED_WITH_STORED} WHERE ${DIFFERS}
    UNION SELECT (SELECT tag FROM components WHERE id = m.component_id) FROM component_milestones m WHERE ${NOT_STAGED}`).run(params);
  return { rows, added, changed, unchanged: rows - added - changed, removed };
}

/** Ids of the project's components whose milestones the staged rows change. */
export function touchedByMilestones(db: Db, projectId: number): number[] {
  return db.prepare('SELECT c.id FROM components c JOIN temp.import_touched_tags t ON t.tag = c.tag WHERE c.project_id = ?').pluck().all(projectId) as number[];
}

/** Writes the staged milestones, after the components are written (inside the same transaction). */
export function writeStagedMilestones(db: Db, projectId: number, nowIso: string): void {
  const params = { project: projectId, now: nowIso };
  db.prepare(`DELETE FROM component_milestones AS m WHERE ${NOT_STAGED}`).run(params);
  db.prepare(`UPDATE component_milestones SET milestone_order = v.o, is_completed = v.d, completed_at = v.at, completed_by = v.by, percentage_value = v.p, updated_at = @now
    FROM (SELECT m.id AS id, s.milestone_order AS o, s.is_completed AS d, ${EFFECTIVE_AT} AS at, s.completed_by AS by, s.percentage_value AS p
          FROM ${STAGED_WITH_STORED} WHERE ${DIFFERS}) AS v
    WHERE component_milestones.id = v.id`).run(params);
  db.prepare(`INSERT INTO component_milestones (component_id, name, milestone_order, is_completed, completed_at, completed_by, percentage_value, updated_at)
    SELECT c.id, s.name, s.milestone_order, s.is_completed, CASE WHEN s.is_completed = 1 THEN coalesce(s.completed_at, @now) END, s.completed_by, s.percentage_value, @now
    FROM temp.import_milestones s JOIN components c ON c.project_id = @project AND c.tag = s.tag
    WHERE NOT EXISTS (SELECT 1 FROM component_milestones m WHERE m.component_id = c.id AND m.name = s.name)`).run(params);
}
