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
/** Matches a joined run of `n` fields only when every field can be written as it is: no quote,
    CR or LF anywhere, no comma inside a field, and (unless raw) no field starting with a formula
    character. One pass of one regular expression, half the cost of a test plus a comma count. */
function plainFields(n: number, raw: boolean): RegExp {
  const field = raw ? '[^",\\r\\n]*' : '(?:[^",\\r\\n=+\\-@\\t][^",\\r\\n]*)?';
  return new RegExp(`^${field}(?:,${field}){${n - 1}}$`);
}
const PLAIN = { head: plainFields(HEAD_FIELDS.length, false), tail: plainFields(TAIL_FIELDS.length, false) };
const PLAIN_RAW = { head: plainFields(HEAD_FIELDS.length, true), tail: plainFields(TAIL_FIELDS.length, true) };

export function* componentCsvLines(db: Db, projectId: number, params: ComponentDetailsParams, range: RowRange, raw: boolean): Generator<string> {
  const { where, params: bind } = compileFilters(projectId, params);
  const { sort } = componentSortColumn(params);
  const phases = componentKeysetPhases(params, range.after, bind);
  const full = db.prepare(
    `SELECT c.tag, c.display_id, c.type, c.area, c.system, c.test_package, c.status, c.completion_percent,
            c.roc_micro, c.workflow_type, d.number, d.title, c.milestones_completed, c.milestones_total, c.last_activity_at
     FROM components c LEFT JOIN drawings d ON d.id = c.drawing_id WHERE c.id = ?`,
  );
  const plain = raw ? PLAIN_RAW : PLAIN;
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
      if (!plain.head.test(head) || !plain.tail.test(tail)) {
        const row = full.raw().get(id) as Array<string | number | null>;
        row[8] = meanPercent(row[8] as number, 1);
        yield csvLine(row, raw);
        continue;
      }
      yield `${head},${csvField(completion)},${csvField(meanPercent(roc, 1))},${tail}\r\n`;
    }
  }
}
