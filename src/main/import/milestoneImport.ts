/**
 * The optional milestones that come with a component list (a second file, or a sheet of the same
 * workbook): one row per (component tag, milestone). Checked with the component rows — a tag
 * the list does not hold, a duplicate milestone, "completed" that is not yes or no, a date that
 * is not a date, a percent outside 0–100 — and applied in the same transaction. For every
 * component the file names, its milestones become exactly the file's: new ones added, changed
 * ones updated, others removed; the same file again changes nothing.
 */
import { AppError } from '../../shared/errors';
import type { ImportProblem } from '../../shared/domain/importProblems';
import type { Db } from '../db/connection';
import type { CsvTable } from './csvRead';

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

export interface IncomingMilestone {
  tag: string;
  name: string;
  order: number;
  completed: boolean;
  completedAt: string | null;
  /** False when the file says "completed" without a date: an earlier date is then kept. */
  completedAtGiven: boolean;
  completedBy: string | null;
  percent: number | null;
}

const YES = new Set(['yes', 'y', 'true', '1', 'x', 'done', 'completed', 'ja', 'oui', 'si', 'да']);
const NO = new Set(['', 'no', 'n', 'false', '0', 'open', 'nein', 'non', 'нет']);

/** YYYY-MM-DD, or a full ISO date-time; anything else is not a date. */
function parseDate(text: string): string | null | 'invalid' {
  if (text === '') return null;
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

/** Every row checked against the component list's tags; problems say line, column and why. */
export function readMilestones(table: CsvTable, knownTags: ReadonlySet<string>, nowIso: string): { milestones: IncomingMilestone[]; problems: ImportProblem[] } {
  const mapping = suggestMilestoneMapping(table.header);
  const missing = (['tag', 'name'] as const).filter((f) => !mapping[f]);
  if (missing.length > 0) {
    throw new AppError('INVALID_INPUT', `the milestones file needs a column for ${missing.map((f) => (f === 'tag' ? 'the component tag' : 'the milestone name')).join(' and ')} (headers such as "Tag" and "Milestone")`);
  }
  const col = (f: MilestoneField) => (mapping[f] ? table.header.indexOf(mapping[f] as string) : -1);
  const where = (f: MilestoneField) => `${mapping[f] ?? f} (milestones)`;
  const problems: ImportProblem[] = [];
  const milestones: IncomingMilestone[] = [];
  const seen = new Map<string, number>();
  const perTag = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const get = (f: MilestoneField) => {
      const i = col(f);
      return i < 0 ? '' : (cells[i] ?? '').trim();
    };
    const problem = (f: MilestoneField, value: string, reason: string) => problems.push({ line, column: where(f), value, reason });
    const before = problems.length;
    const tag = get('tag');
    const name = get('name');
    if (!tag) problem('tag', '', 'the component tag is missing');
    else if (!knownTags.has(tag)) problem('tag', tag, 'unknown tag (not in the component list)');
    if (!name) problem('name', '', 'the milestone name is missing');
    const key = `${tag}\u0000${name}`;
    if (tag && name && seen.has(key)) problem('name', name, `duplicate milestone for ${tag} (first on line ${seen.get(key)})`);
    else if (tag && name) seen.set(key, line);
    const doneText = get('completed').toLowerCase();
    const completedAt = parseDate(get('completedAt'));
    if (completedAt === 'invalid') problem('completedAt', get('completedAt'), 'a date that is not a date (use YYYY-MM-DD)');
    if (!YES.has(doneText) && !NO.has(doneText)) problem('completed', get('completed'), 'not yes or no');
    const percentText = get('percent').replace(/\s*%$/, '');
    const percent = percentText === '' ? null : Number(percentText);
    if (percent !== null && (!Number.isFinite(percent) || percent < 0 || percent > 100)) problem('percent', get('percent'), 'a percentage must be from 0 to 100');
    const orderText = get('order');
    const order = orderText === '' ? (perTag.get(tag) ?? 0) + 1 : Number(orderText);
    if (!Number.isInteger(order)) problem('order', orderText, 'the order must be a whole number');
    if (problems.length > before) continue;
    perTag.set(tag, order);
    // A date alone means completed; "yes" without a date is completed now.
    const completed = YES.has(doneText) || (doneText === '' && completedAt !== null);
    milestones.push({ tag, name, order, completed, completedAt: completed ? ((completedAt as string | null) ?? nowIso) : null, completedAtGiven: completedAt !== null, completedBy: get('completedBy') || null, percent });
  }
  return { milestones, problems };
}

export interface MilestoneCounts {
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
}

interface ExistingMilestone {
  id: number;
  component_id: number;
  name: string;
  milestone_order: number;
  is_completed: number;
  completed_at: string | null;
  completed_by: string | null;
  percentage_value: number | null;
}

export interface MilestonePlan {
  counts: MilestoneCounts;
  /** Tags of the components whose milestones change. */
  tags: Set<string>;
  /** Writes the changes; `idOf` gives a tag's component id once the components are written. */
  write(idOf: (tag: string) => number): void;
}

/**
 * What the file changes, worked out before anything is written (so the caller knows which
 * components it touches). `existingIds`: the project's component ids by tag before the import.
 */
export function planMilestones(db: Db, existingIds: ReadonlyMap<string, number>, milestones: readonly IncomingMilestone[], nowIso: string): MilestonePlan {
  const byTag = new Map<string, IncomingMilestone[]>();
  for (const m of milestones) (byTag.get(m.tag) ?? byTag.set(m.tag, []).get(m.tag)!).push(m);
  const read = db.prepare('SELECT id, component_id, name, milestone_order, is_completed, completed_at, completed_by, percentage_value FROM component_milestones WHERE component_id = ?');
  const counts: MilestoneCounts = { rows: milestones.length, added: 0, changed: 0, unchanged: 0, removed: 0 };
  const tags = new Set<string>();
  type Values = { name: string; order: number; completed: number; completedAt: string | null; completedBy: string | null; percent: number | null; at: string };
  const inserts: Array<{ tag: string; values: Values }> = [];
  const updates: Array<Values & { id: number }> = [];
  const removes: number[] = [];
  for (const [tag, list] of byTag) {
    const componentId = existingIds.get(tag);
    const existing = new Map(componentId === undefined ? [] : (read.all(componentId) as ExistingMilestone[]).map((e) => [e.name, e]));
    for (const m of list) {
      const e = existing.get(m.name);
      existing.delete(m.name);
      const completedAt = m.completed && !m.completedAtGiven && e?.is_completed === 1 ? e.completed_at : m.completedAt;
      const values = { name: m.name, order: m.order, completed: m.completed ? 1 : 0, completedAt, completedBy: m.completedBy, percent: m.percent, at: nowIso };
      if (!e) {
        inserts.push({ tag, values });
        counts.added += 1;
        tags.add(tag);
      } else if (e.milestone_order !== m.order || e.is_completed !== values.completed || e.completed_at !== completedAt || e.completed_by !== m.completedBy || e.percentage_value !== m.percent) {
        updates.push({ ...values, id: e.id });
        counts.changed += 1;
        tags.add(tag);
      } else counts.unchanged += 1;
    }
    for (const e of existing.values()) {
      removes.push(e.id);
      tags.add(tag);
    }
  }
  counts.removed = removes.length;
  return {
    counts,
    tags,
    write(idOf) {
      const insert = db.prepare(`INSERT INTO component_milestones (component_id, name, milestone_order, is_completed, completed_at, completed_by, percentage_value, updated_at)
        VALUES (@component, @name, @order, @completed, @completedAt, @completedBy, @percent, @at)`);
      const update = db.prepare(`UPDATE component_milestones SET milestone_order = @order, is_completed = @completed, completed_at = @completedAt, completed_by = @completedBy,
        percentage_value = @percent, updated_at = @at WHERE id = @id`);
      const remove = db.prepare('DELETE FROM component_milestones WHERE id = ?');
      for (const id of removes) remove.run(id);
      for (const u of updates) update.run(u);
      for (const i of inserts) insert.run({ ...i.values, component: idOf(i.tag) });
    },
  };
}
