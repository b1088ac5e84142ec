/**
 * Where every 1,024th row of a component ordering is, so that a jump to row N of a million
 * walks at most 1,024 index entries instead of N (a jump near the end took 95 ms; with these
 * marks it takes a few). The marks for an ordering are built in the background after the grid
 * first asks for it, a slice at a time so other requests are not held up, and dropped when the
 * data changes.
 */
import type { Db } from '../db/connection';
import { componentKeysetPhases, componentOrderBy, componentSortColumn, compileFilters, type ComponentDetailsParams } from '../reports/componentDetails';
import type { Cursor } from '../reports/keysetCursor';

const STRIDE = 1024;
const SLICE = 16_384;

interface Marks {
  version: string;
  /** keys[k]: the row at position (k + 1) * STRIDE - 1. */
  keys: Cursor[];
  done: boolean;
  building: boolean;
}

type Ordering = { db: Db; projectId: number; params: ComponentDetailsParams };

/** The key of the row `skip` rows after `from` (null: the first row), across keyset phases. */
export function keyAfter(o: Ordering, from: Cursor | null, skip: number): Cursor | null {
  const { sort, col } = componentSortColumn(o.params);
  const { where, params: bind } = compileFilters(o.projectId, o.params);
  const order = componentOrderBy(sort, o.params.descending);
  const phaseBind: Record<string, unknown> = { ...bind };
  let left = skip;
  for (const phase of componentKeysetPhases(o.params, from, phaseBind)) {
    const row = o.db.prepare(`SELECT ${col} AS value, c.id AS id FROM components c WHERE ${where} AND ${phase} ORDER BY ${order} LIMIT 1 OFFSET @left`).get({ ...phaseBind, left }) as { value: string | number | null; id: number } | undefined;
    if (row) return { sort, value: row.value, id: row.id };
    left -= (o.db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM components c WHERE ${where} AND ${phase} LIMIT @cap)`).get({ ...phaseBind, cap: left + 1 }) as { n: number }).n;
  }
  return null;
}

export class GridPositions {
  private readonly marks = new Map<string, Marks>();

  constructor(private readonly version: () => string) {}

  /** The key of row `position` (0-based) of the ordering, found from the nearest mark. */
  keyAt(o: Ordering, position: number): Cursor | null {
    const id = JSON.stringify([o.projectId, o.params.sort ?? 'tag', o.params.descending ?? false, o.params.filters ?? null, o.params.search ?? null]);
    const version = this.version();
    let m = this.marks.get(id);
    if (!m || m.version !== version) {
      m = { version, keys: [], done: false, building: false };
      this.marks.set(id, m);
    }
    if (!m.done && !m.building) this.build(o, m);
    const k = Math.min(Math.floor((position + 1) / STRIDE) - 1, m.keys.length - 1);
    if (k < 0) return keyAfter(o, null, position);
    const mark = m.keys[k] as Cursor;
    const markPosition = (k + 1) * STRIDE - 1;
    return position === markPosition ? mark : keyAfter(o, mark, position - markPosition - 1);
  }

  private build(o: Ordering, m: Marks): void {
    m.building = true;
    const { sort, col } = componentSortColumn(o.params);
    const { where, params: bind } = compileFilters(o.projectId, o.params);
    const order = componentOrderBy(sort, o.params.descending);
    let from: Cursor | null = null;
    let seen = 0;
    const slice = () => {
      // The app closed, or the data changed (the next jump starts again).
      if (!o.db.open || this.version() !== m.version) {
        m.building = false;
        return;
      }
      const phaseBind: Record<string, unknown> = { ...bind };
      let got = 0;
      for (const phase of componentKeysetPhases(o.params, from, phaseBind)) {
        const rows = o.db.prepare(`SELECT ${col} AS value, c.id AS id FROM components c WHERE ${where} AND ${phase} ORDER BY ${order} LIMIT @n`).raw().all({ ...phaseBind, n: SLICE - got }) as Array<[string | number | null, number]>;
        for (const [value, rowId] of rows) {
          seen += 1;
          if (seen % STRIDE === 0) m.keys.push({ sort, value, id: rowId });
        }
        const last = rows[rows.length - 1];
        if (last) from = { sort, value: last[0], id: last[1] };
        got += rows.length;
        if (got >= SLICE) break;
      }
      if (got < SLICE) {
        m.done = true;
        m.building = false;
        return;
      }
      setImmediate(slice);
    };
    setImmediate(slice);
  }
}
