/**
 * How a sync asks the server for a table's batches (SPEC §9): by the sync cursor (the cursor
 * column, then id), or, for a first sync's components and milestones, by a key of their own
 * (components by id, milestones by component), so that a component's milestones arrive together
 * and in the order of the components (stagedFirstSync.ts).
 */
import type pg from 'pg';
import { cursorText, type FirstReadKey, type ServerTable } from './serverTables';

export type Row = Record<string, unknown>;

/** Where a batch starts: after (at, id) for a cursor read; after the key `at` for a first read (id unused). */
export interface Position {
  at: string;
  id: string;
}

export interface TableRead {
  readonly start: Position;
  /** Rows left to read from `start`, for progress. */
  remaining(): Promise<number>;
  /** The batch after `after`; `more` when another may follow. */
  fetch(after: Position): Promise<{ rows: Row[]; more: boolean }>;
  /** Where the batch after `rows` starts. */
  after(rows: readonly Row[]): Position;
}

export function ident(column: string): string {
  return `"${column.replaceAll('"', '""')}"`;
}

const afterCursor = (t: ServerTable) => `(t.${ident(t.cursorColumn)}, t.id) > (($1::timestamp AT TIME ZONE 'UTC'), $2)`;

/** A table's batches in cursor order from `start`. */
export function cursorRead(client: pg.ClientBase, t: ServerTable, start: Position, batchSize: number): TableRead {
  const col = `t.${ident(t.cursorColumn)}`;
  const sql = `SELECT ${t.select}, ${cursorText(col)} AS __cursor_at, t.id AS __cursor_id
               FROM ${ident(t.name)} t ${t.join ?? ''} WHERE ${afterCursor(t)} ORDER BY ${col}, t.id LIMIT $3`;
  return {
    start,
    remaining: async () => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(t.name)} t WHERE ${afterCursor(t)}`, [start.at, start.id])).rows[0]!.n),
    fetch: async (after) => {
      const rows = (await client.query<Row>(sql, [after.at, after.id, batchSize])).rows;
      return { rows, more: rows.length === batchSize };
    },
    after: (rows) => {
      const last = rows[rows.length - 1]!;
      return { at: String(last.__cursor_at), id: String(last.__cursor_id) };
    },
  };
}

/**
 * A first read's batches in (key, id) order, after the key `fromKey`. `whole`: a batch ends with
 * its last key's rows all there (milestones: every staged component's milestones, to count).
 *
 * A batch asks for rows whose key comes after the last one read, not for rows after a (key, id)
 * pair: the server judged the two halves of that row comparison independent, expected far fewer
 * rows than were left, and near the end of the table sorted the rest of it for every batch
 * (~0.5 s a batch at 5M milestones).
 */
export function firstRead(client: pg.ClientBase, t: ServerTable, key: FirstReadKey, fromKey: string, batchSize: number, whole: boolean): TableRead {
  const sql = `SELECT ${t.select} FROM ${ident(t.name)} t ${t.join ?? ''} WHERE ${key.expression} > $1 ORDER BY ${key.expression}, t.id LIMIT $2`;
  const read = async (after: string, limit: number) => (await client.query<Row>(sql, [after, limit])).rows;
  return {
    start: { at: fromKey, id: '' },
    remaining: async () => {
      // From the start, the planner's row count is enough for a progress bar (the bar grows
      // past it if it is short): counting five million milestones kept the read waiting
      // 0.25–0.4 s. Never analysed (-1), empty (0) or resuming: counted.
      if (fromKey === '') {
        const estimate = Number((await client.query<{ n: string }>('SELECT reltuples::bigint AS n FROM pg_class WHERE oid = to_regclass($1)', [ident(t.name)])).rows[0]?.n ?? -1);
        if (estimate > 0) return estimate;
      }
      return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(t.name)} t WHERE ${key.expression} > $1`, [fromKey])).rows[0]!.n);
    },
    fetch: async (after) => {
      if (whole) return wholeKeys(read, key.column, after.at, batchSize);
      const rows = await read(after.at, batchSize);
      return { rows, more: rows.length === batchSize };
    },
    after: (rows) => ({ at: String(rows[rows.length - 1]![key.column]), id: '' }),
  };
}

/**
 * A full batch ends with its last key's rows, some of which may come in the next batch: they are
 * left to it, and the next batch starts after the last whole key. A batch that is one key's rows
 * only is read again larger.
 */
async function wholeKeys(read: (after: string, limit: number) => Promise<Row[]>, column: string, after: string, limit: number): Promise<{ rows: Row[]; more: boolean }> {
  for (let asked = limit; ; asked *= 2) {
    const rows = await read(after, asked);
    if (rows.length < asked) return { rows, more: false };
    const lastKey = rows[rows.length - 1]![column];
    let end = rows.length;
    while (end > 0 && rows[end - 1]![column] === lastKey) end -= 1;
    if (end > 0) return { rows: rows.slice(0, end), more: true };
  }
}
