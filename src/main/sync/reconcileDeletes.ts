/**
 * Rows deleted on the server leave no trace an (updatedAt, id) cursor can see, so they are found
 * by comparing id sets. Counts first: after the read phase every server row is either here or
 * in sync_skipped, so equal counts mean nothing was deleted and the comparison is skipped. When
 * they differ, both id lists are walked in byte order (the server sorts with COLLATE "C", SQLite
 * with its binary collation) a page at a time, and local rows missing on the server are deleted
 * in batches of their own transactions.
 */
import type pg from 'pg';
import type { Db } from '../db/connection';
import { withTriggersLifted, writeWithDeltas } from '../db/bulkWrites';
import type { ServerTable } from './serverTables';

const PAGE = 20_000;
const DELETE_BATCH = 2_000;

export interface ReconcileOptions {
  /** triggers: row by row; deltas: the touched components' figures are kept exact batch by
      batch (see writeWithDeltas). */
  mode: 'triggers' | 'deltas';
  onProgress?: (done: number, total: number) => void;
  /** The server's row count, if already asked in the same snapshot. */
  serverCount?: number;
}

/** UTF-8 byte order, which is what both sides sort by; ids are nearly always ASCII. */
function compareBytes(a: string, b: string): number {
  if (/^[\x00-\x7f]*$/.test(a) && /^[\x00-\x7f]*$/.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Deletes local rows whose server row is gone; returns how many. */
export async function reconcileDeletes(client: pg.ClientBase, db: Db, table: ServerTable, options: ReconcileOptions): Promise<number> {
  const serverTable = quoted(table.name);
  await pruneSkipped(client, db, table);
  const serverCount = options.serverCount ?? Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${serverTable}`)).rows[0]!.n);
  const localCount = (db.prepare(`SELECT count(*) AS n FROM ${table.local} WHERE source_id IS NOT NULL`).get() as { n: number }).n;
  const skippedCount = (db.prepare('SELECT count(*) AS n FROM sync_skipped WHERE table_name = ?').get(table.name) as { n: number }).n;
  if (localCount + skippedCount <= serverCount) return 0;

  const localPage = db.prepare(`SELECT id, source_id AS sourceId FROM ${table.local} WHERE source_id IS NOT NULL AND source_id > ? ORDER BY source_id LIMIT ${PAGE}`);
  const remove = db.prepare(`DELETE FROM ${table.local} WHERE id = ?`);
  const componentsOf =
    table.local === 'components'
      ? (ids: number[]) => ids
      : (ids: number[]) => (db.prepare('SELECT DISTINCT component_id AS id FROM component_milestones WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Array<{ id: number }>).map((r) => r.id);
  const deleteBatch = (ids: number[]) =>
    db.transaction(() => {
      const run = () => {
        for (const id of ids) remove.run(id);
      };
      if (options.mode === 'deltas') {
        const touched = componentsOf(ids);
        withTriggersLifted(db, () => writeWithDeltas(db, () => touched, run, () => touched));
      } else run();
    }).immediate();

  await client.query(`DECLARE sitereport_ids NO SCROLL CURSOR FOR SELECT id FROM ${serverTable} ORDER BY id COLLATE "C"`);
  let server: string[] = [];
  let serverAt = 0;
  let serverDone = false;
  const nextServer = async (): Promise<string | null> => {
    if (serverAt >= server.length && !serverDone) {
      server = (await client.query<{ id: string }>(`FETCH FORWARD ${PAGE} FROM sitereport_ids`)).rows.map((r) => r.id);
      serverAt = 0;
      serverDone = server.length < PAGE;
    }
    return serverAt < server.length ? server[serverAt]! : null;
  };

  let deleted = 0;
  let seen = 0;
  let pendingDeletes: number[] = [];
  let after = '';
  for (;;) {
    const page = localPage.all(after) as Array<{ id: number; sourceId: string }>;
    if (page.length === 0) break;
    for (const local of page) {
      let s = await nextServer();
      while (s !== null && compareBytes(s, local.sourceId) < 0) {
        serverAt++;
        s = await nextServer();
      }
      if (s === local.sourceId) serverAt++;
      else pendingDeletes.push(local.id);
    }
    after = page[page.length - 1]!.sourceId;
    seen += page.length;
    if (pendingDeletes.length >= DELETE_BATCH) {
      deleteBatch(pendingDeletes);
      deleted += pendingDeletes.length;
      pendingDeletes = [];
    }
    options.onProgress?.(seen, localCount);
  }
  if (pendingDeletes.length > 0) {
    deleteBatch(pendingDeletes);
    deleted += pendingDeletes.length;
  }
  await client.query('CLOSE sitereport_ids');
  return deleted;
}

/** Skipped rows that were deleted on the server are no longer worth reporting. */
async function pruneSkipped(client: pg.ClientBase, db: Db, table: ServerTable): Promise<void> {
  const skipped = (db.prepare('SELECT source_id AS id FROM sync_skipped WHERE table_name = ?').all(table.name) as Array<{ id: string }>).map((r) => r.id);
  if (skipped.length === 0) return;
  const present = new Set((await client.query<{ id: string }>(`SELECT id FROM ${quoted(table.name)} WHERE id = ANY ($1::text[])`, [skipped])).rows.map((r) => r.id));
  const gone = skipped.filter((id) => !present.has(id));
  if (gone.length === 0) return;
  const remove = db.prepare('DELETE FROM sync_skipped WHERE table_name = ? AND source_id = ?');
  db.transaction(() => {
    for (const id of gone) remove.run(table.name, id);
  })();
}
