/**
 * Component-list CSV lines built mostly inside SQLite: the text columns arrive already joined
 * by commas as two strings, so each row costs four values instead of fifteen (turning SQLite
 * values into JavaScript ones is most of an export's time). A row whose text holds anything
 * CSV must quote or a spreadsheet could run — a quote, comma, CR, LF, or a field starting with
 * = + - @ or tab — is read again field by field and written by the general CSV writer, so the
 * bytes are exactly those of csvLine on iterateComponentRows.
 */
import type { Db } from '../db/connection';
import { compileFilters, componentOrderBy, componentSortColumn, componentKeysetPhases, type ComponentDetailsParams, type RowRange } from '../reports/componentDetails';
import { meanPercent } from '../reports/rocMath';
import { csvField, csvLine } from '../../shared/csv';

const HEAD_FIELDS = ['c.tag', 'c.display_id', 'c.type', 'c.area', 'c.system', 'c.test_package', 'c.status'];
const TAIL_FIELDS = ['c.workflow_type', 'd.number', 'd.title', 'c.milestones_completed', 'c.milestones_total', 'c.last_activity_at'];
const join = (fields: string[]) => fields.map((f) => `ifnull(${f}, '')`).join(" || ',' || ");
const UNSAFE = /["\r\n]|,[=+\-@\t]|^[=+\-@\t]/;
const QUOTE_ONLY = /["\r\n]/;

function commas(s: string): number {
  let n = 0;
  for (let i = s.indexOf(','); i >= 0; i = s.indexOf(',', i + 1)) n += 1;
  return n;
}

export function* componentCsvLines(db: Db, projectId: number, params: ComponentDetailsParams, range: RowRange, raw: boolean): Generator<string> {
  const { where, params: bind } = compileFilters(projectId, params);
  const { sort } = componentSortColumn(params);
  const phases = componentKeysetPhases(params, range.after, bind);
  const full = db.prepare(
    `SELECT c.tag, c.display_id, c.type, c.area, c.system, c.test_package, c.status, c.completion_percent,
            c.roc_micro, c.workflow_type, d.number, d.title, c.milestones_completed, c.milestones_total, c.last_activity_at
     FROM components c LEFT JOIN drawings d ON d.id = c.drawing_id WHERE c.id = ?`,
  );
  const unsafe = raw ? QUOTE_ONLY : UNSAFE;
  let left = range.limit ?? Number.POSITIVE_INFINITY;
  for (const phase of phases) {
    if (left <= 0) return;
    const stmt = db.prepare(
      `SELECT ${join(HEAD_FIELDS)}, c.completion_percent, c.roc_micro, ${join(TAIL_FIELDS)}, c.id
       FROM components c LEFT JOIN drawings d ON d.id = c.drawing_id
       WHERE ${where} AND ${phase}
       ORDER BY ${componentOrderBy(sort, params.descending)}${Number.isFinite(left) ? ` LIMIT ${left}` : ''}`,
    );
    for (const [head, completion, roc, tail, id] of stmt.raw().iterate(bind) as Iterable<[string, number, number, string, number]>) {
      left -= 1;
      if (unsafe.test(head) || unsafe.test(tail) || commas(head) !== HEAD_FIELDS.length - 1 || commas(tail) !== TAIL_FIELDS.length - 1) {
        const row = full.raw().get(id) as Array<string | number | null>;
        row[8] = meanPercent(row[8] as number, 1);
        yield csvLine(row, raw);
        continue;
      }
      yield `${head},${csvField(completion)},${csvField(meanPercent(roc, 1))},${tail}\r\n`;
    }
  }
}
