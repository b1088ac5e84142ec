/**
 * Pulling the PipeTrak PostgreSQL database into the local one (SPEC §9).
 *
 * One read-only REPEATABLE READ transaction on the server, so every table is read as of the same
 * moment and a milestone never arrives before its component. Each table is read in batches
 * ordered by (cursor column, id); a batch and its cursor are written in one SQLite transaction,
 * so a kill at any point leaves whole batches and a cursor that matches them. The stored cursor
 * stops `overlapSeconds` before the server's snapshot time: a server transaction that stamped
 * its rows earlier but committed later is still read next time (re-read rows change nothing).
 * Rows deleted on the server are found by comparing id sets and removed locally.
 *
 * A first sync (no synced component yet, or staged rows left by an interrupted one) reads
 * components by id and milestones by component, appends their batches to staging tables and
 * moves them into place in one transaction once both tables are read (stagedFirstSync.ts),
 * figures computed as they go.
 * Later syncs keep every figure exact batch by batch (writeWithDeltas).
 */
import pg from 'pg';
import { AppError } from '../../shared/errors';
import type { SyncProgressJson, SyncResultJson } from '../../shared/contract';
import type { AppServices } from '../services/appServices';
import { bumpDataVersion, refreshMaintainedFigures, withTriggersLifted, writeWithDeltas } from '../db/bulkWrites';
import { firstSyncUnderWay, isStagedTable, moveStagedRows, StagedComponentOrder } from './stagedFirstSync';
import { readBatch } from '../db/contributionDelta';
import { deferCheckpoints } from '../db/backgroundCheckpoint';
import { RunnerLease } from '../scheduler/runnerLease';
import { systemClock } from '../scheduler/clock';
import { crashPoint } from '../scheduler/crashPoints';
import { SERVER_TABLES, cursorText, type ServerTableName } from './serverTables';
import { cursorRead, firstRead, ident, type Position } from './tableReads';
import { localComponents, RowApplier } from './applyRows';
import { checkServerUrl, describeSource, explainServerError, SyncFailure } from './serverErrors';
import { reconcileDeletes } from './reconcileDeletes';
import { readSyncStatus, writeSyncStatus } from './syncStatus';

export interface SyncOptions {
  /** Rows per batch (one transaction each); by default 50,000 on a first sync, 10,000 later. */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgressJson) => void;
  overlapSeconds?: number;
  connectTimeoutMs?: number;
}

const START_CURSOR = { at: '0001-01-01 00:00:00.000000', id: '' };
/** Tables whose later batches keep the figures exact by deltas rather than row triggers (a first sync stages them). */
const DELTAS: ReadonlySet<ServerTableName> = new Set(['Component', 'ComponentMilestone']);

export class SyncCancelled extends AppError {
  constructor() {
    super('CANCELLED', 'sync cancelled; every batch that arrived is kept and the next sync continues from there');
  }
}

const databaseOf = (source: string) => source.slice(source.lastIndexOf('/') + 1);

async function checkSchema(client: pg.ClientBase): Promise<void> {
  const wanted = new Map<string, readonly string[]>();
  for (const t of SERVER_TABLES) {
    wanted.set(t.name, t.required);
    for (const [name, columns] of Object.entries(t.joins ?? {})) wanted.set(name, columns);
  }
  const found = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = ANY (current_schemas(false)) AND table_name = ANY ($1::text[])`,
    [[...wanted.keys()]],
  );
  const have = new Map<string, Set<string>>();
  for (const r of found.rows) (have.get(r.table_name) ?? have.set(r.table_name, new Set()).get(r.table_name))!.add(r.column_name);
  for (const [table, columns] of wanted) {
    const cols = have.get(table);
    if (!cols) throw new SyncFailure(`the server has no table "${table}" (is this a PipeTrak database?); nothing was changed locally`);
    const missing = columns.filter((c) => !cols.has(c));
    if (missing.length > 0) {
      throw new SyncFailure(`the server's table "${table}" has no column ${missing.map((c) => `"${c}"`).join(', ')}, which SiteReport reads; nothing was changed locally`);
    }
  }
}

export async function syncFromServer(services: AppServices, url: string, options: SyncOptions = {}): Promise<SyncResultJson> {
  checkServerUrl(url);
  const { db } = services;
  const source = describeSource(url);
  const started = Date.now();
  const lease = new RunnerLease(db, systemClock, 'sync', 10 * 60_000);
  if (!lease.acquire()) throw new AppError('CONFLICT', 'another sync is running on this database; wait for it to finish');

  const previous = readSyncStatus(db, false);
  const synced = db.prepare('SELECT 1 FROM projects WHERE source_id IS NOT NULL LIMIT 1').get() !== undefined;
  // Cursors belong to one server database. The host may differ (office network or VPN), the
  // database name may not.
  if (previous.source && databaseOf(previous.source) !== databaseOf(source) && synced) {
    lease.release();
    throw new AppError('CONFLICT', `this database is synced from ${previous.source}; sync ${source} into another database (--db)`);
  }

  const totals: SyncResultJson = { source, rowsIn: 0, changed: 0, deleted: 0, skipped: 0, durationMs: 0, tables: {} };
  const nowIso = () => services.now().toISOString();
  writeSyncStatus(db, { source, state: 'running', phase: 'connecting', started_at: nowIso(), finished_at: null, last_error: null, rows_in: 0, rows_changed: 0, rows_deleted: 0, rows_skipped: 0, duration_ms: null });
  const progress = (p: SyncProgressJson) => options.onProgress?.(p);

  // A first sync of an earlier build killed before its recomputation: finished now, whatever the server does.
  if (previous.refreshPending) finishRefresh(services);
  // A first sync interrupted earlier: this one continues it from where its first read got to.
  const resumingStage = firstSyncUnderWay(db);

  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'sitereport-sync',
    options: '-c default_transaction_read_only=on',
  });
  // A server that goes away between queries emits 'error' on the client; the next query fails
  // with the reason, so this only keeps it from becoming an uncaught exception.
  client.on('error', () => undefined);
  let connected = false;
  // Batches land all over the tables' indexes; a larger page cache for the sync's duration
  // keeps them from being read back from disk again and again.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -524288');
  const mmapSize = db.pragma('mmap_size', { simple: true }) as number;
  // Each batch's commit would otherwise fold the log into the file inside the call: 1 % of 5M
  // milestones changed, ~1.2 s of a 6.2 s sync. Done once, in a worker, after the sync.
  const resumeCheckpoints = deferCheckpoints(db);
  try {
    await client.connect();
    connected = true;
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await checkSchema(client);
    const overlap = Math.max(0, Math.floor(options.overlapSeconds ?? 300));
    const cap = (await client.query<{ cap: string }>(`SELECT ${cursorText(`now() - interval '${overlap} seconds'`)} AS cap`)).rows[0]!.cap;
    const bulk = resumingStage || db.prepare('SELECT 1 FROM components WHERE source_id IS NOT NULL LIMIT 1').get() === undefined;
    // A later sync maps the file: each batch's figures look up the milestones of its components,
    // and through the page cache each lookup copied its page in (1 % of 5M milestones changed:
    // 7.6 → 6.6 s). Reads only (writes go to the WAL), for the sync's duration; the mapped pages
    // count in the process's resident memory. Not for a first sync, whose move it slowed
    // (92.5 → 104.2 s at 1M).
    if (!bulk) db.pragma('mmap_size = 8589934592');
    // Large batches: each commit rewrites every page its rows landed on, and scattered changes
    // of one batch share pages with the next. 50,000 changed milestones at 1M: five commits of
    // 10,000 took 2.7 s and the sync 10.5 s; one of 50,000, 2.2 s and 8.5–9.3 s.
    const batchSize = options.batchSize ?? 50_000;
    const applier = new RowApplier(db, nowIso);
    const readCursor = db.prepare('SELECT cursor_at AS at, cursor_id AS id, first_key AS firstKey FROM sync_state WHERE table_name = ?');
    // `first_key`: where a first read got to (NULL for a cursor read; the move clears it).
    const saveCursor = db.prepare(
      `INSERT INTO sync_state (table_name, cursor_at, cursor_id, rows_applied, first_key) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (table_name) DO UPDATE SET cursor_at = excluded.cursor_at, cursor_id = excluded.cursor_id,
         rows_applied = rows_applied + excluded.rows_applied, first_key = excluded.first_key`,
    );
    const countStatus = db.prepare('UPDATE sync_status SET phase = ?, rows_in = rows_in + ?, rows_changed = rows_changed + ?, rows_skipped = rows_skipped + ? WHERE id = 1');

    let serverCounts: Promise<Record<string, string>> | null = null;
    for (const table of SERVER_TABLES) {
      const figures = (totals.tables[table.name] = { rowsIn: 0, changed: 0, deleted: 0, skipped: 0 });
      const saved = readCursor.get(table.name) as (Position & { firstKey: string | null }) | undefined;
      let stored: Position = saved ?? START_CURSOR;
      // A first sync reads components by id and milestones by component (tableReads.ts); the
      // cursor later syncs start from is then this read's snapshot, less the overlap.
      const key = bulk && isStagedTable(table.name) ? table.firstReadKey : undefined;
      let order = key !== undefined && table.name === 'ComponentMilestone' ? new StagedComponentOrder(db) : undefined;
      if (key !== undefined && stored === START_CURSOR) stored = { at: cap, id: '' };
      const read = key !== undefined
        ? firstRead(client, table, key, saved?.firstKey ?? '', batchSize, order !== undefined)
        : cursorRead(client, table, stored, batchSize);
      const total = await read.remaining();
      progress({ table: table.name, phase: 'reading', done: 0, total });
      let pending = read.fetch(read.start);
      // Every table's count for the delete check, asked here so the server counts while SQLite
      // writes this table's batches (the same snapshot whenever asked): 1 % of 5M milestones
      // changed, ~0.3 s off the end of the sync.
      if (table.name === 'ComponentMilestone') {
        serverCounts = client.query<Record<string, string>>(`SELECT ${SERVER_TABLES.map((t) => `(SELECT count(*) FROM ${ident(t.name)}) AS ${ident(t.name)}`).join(', ')}`).then((r) => r.rows[0]!);
        serverCounts.catch(() => undefined);
      }
      for (;;) {
        const { rows, more } = await pending;
        if (rows.length === 0) break;
        const next = read.after(rows);
        // Ask for the next batch before writing this one: the server works while SQLite does.
        pending = more ? read.fetch(next) : Promise.resolve({ rows: [], more: false });
        pending.catch(() => undefined);
        if (options.signal?.aborted) throw new SyncCancelled();
        const keep = key !== undefined ? stored : next.at > cap ? { at: cap, id: '' } : next;
        const advance = keep.at > stored.at || (keep.at === stored.at && keep.id > stored.id);
        // A first sync's audit rows: no figure depends on them, only the data version.
        const lifted = bulk && table.name === 'AuditLog';
        const deltas = !bulk && DELTAS.has(table.name);
        const outcome = db.transaction(() => {
          const apply = () => applier.apply(table.name, rows);
          const result = bulk && isStagedTable(table.name)
            ? applier.stage(table.name, rows, order)
            : lifted
            ? withTriggersLifted(db, apply)
            : deltas
              ? withTriggersLifted(db, () => {
                  // A batch of components touches those it names (new ones exist only after the write).
                  const named = () => localComponents(db, rows.map((r) => String(r.id))).values();
                  if (table.name === 'Component') return writeWithDeltas(db, named, apply, named);
                  // A batch of milestones: the parents it names (they exist before the write, or
                  // the rows are skipped); writeWithDeltas adds the components they are in now.
                  // Those that exist are read first: their events before the write, and their
                  // local ids, by which they are written.
                  const before = readBatch(db, rows.map((r) => String(r.id)));
                  const parentIds = applier.parentsOf(rows, before.bySource);
                  const parents = [...new Set(parentIds.values())];
                  const write = () => applier.apply(table.name, rows, parentIds, before.bySource);
                  return writeWithDeltas(db, () => parents, write, () => parents, { before: before.rows, written: (r) => r.written ?? [] });
                })
              : apply();
          if (lifted) bumpDataVersion(db, null);
          if (key !== undefined) saveCursor.run(table.name, keep.at, keep.id, rows.length, next.at);
          else saveCursor.run(table.name, advance ? keep.at : stored.at, advance ? keep.id : stored.id, rows.length, null);
          countStatus.run(`reading ${table.name}`, rows.length, result.changed, result.skipped.length);
          crashPoint('sync-mid-batch');
          return result;
        }).immediate();
        crashPoint('sync-after-batch');
        if (advance) stored = keep;
        figures.rowsIn += rows.length;
        figures.changed += outcome.changed;
        figures.skipped += outcome.skipped.length;
        progress({ table: table.name, phase: 'reading', done: figures.rowsIn, total: Math.max(total, figures.rowsIn) });
        if (!lease.renew()) throw new SyncFailure('another process took over this sync; stopped');
      }
      // A million components' source ids, not needed by the move.
      order = undefined;
      if (bulk && table.name === 'ComponentMilestone') {
        if (options.signal?.aborted) throw new SyncCancelled();
        progress({ table: table.name, phase: 'refreshing', done: 0, total: 1 });
        const merged = moveStagedRows(db, nowIso());
        for (const name of ['Component', 'ComponentMilestone'] as const) {
          const f = totals.tables[name]!;
          f.changed += merged[name].changed;
          f.skipped += merged[name].skipped.length;
          countStatus.run(`reading ${table.name}`, 0, merged[name].changed, merged[name].skipped.length);
        }
        progress({ table: table.name, phase: 'refreshing', done: 1, total: 1 });
        if (!lease.renew()) throw new SyncFailure('another process took over this sync; stopped');
      }
    }

    // Parents first: a deleted component takes its milestones with it here as on the server.
    const counts = serverCounts ? await serverCounts : null;
    for (const table of SERVER_TABLES) {
      if (options.signal?.aborted) throw new SyncCancelled();
      const figures = totals.tables[table.name]!;
      figures.deleted = await reconcileDeletes(client, db, table, {
        serverCount: counts ? Number(counts[table.name]) : undefined,
        mode: DELTAS.has(table.name) ? 'deltas' : 'triggers',
        onProgress: (done, total) => progress({ table: table.name, phase: 'deleting', done, total }),
      });
      if (table.name === 'Project' && figures.deleted > 0) applier.forgetProjects();
    }
    await client.query('COMMIT');

    progress({ table: 'Component', phase: 'refreshing', done: 0, total: 1 });
    finishRefresh(services);
    for (const f of Object.values(totals.tables)) {
      totals.rowsIn += f.rowsIn;
      totals.changed += f.changed;
      totals.deleted += f.deleted;
      totals.skipped += f.skipped;
    }
    totals.durationMs = Date.now() - started;
    db.transaction(() => {
      const projects = db.prepare("SELECT id FROM projects WHERE source_id IS NOT NULL").all() as Array<{ id: number }>;
      db.prepare('UPDATE projects SET last_synced_at = ? WHERE source_id IS NOT NULL').run(nowIso());
      for (const p of projects) bumpDataVersion(db, p.id);
      writeSyncStatus(db, { state: 'succeeded', phase: null, finished_at: nowIso(), last_success_at: nowIso(), rows_deleted: totals.deleted, duration_ms: totals.durationMs });
    })();
    return totals;
  } catch (err) {
    const failure = err instanceof SyncCancelled ? err : explainServerError(err, source);
    if (db.open) {
      writeSyncStatus(db, {
        state: err instanceof SyncCancelled ? 'cancelled' : 'failed',
        phase: null,
        finished_at: nowIso(),
        duration_ms: Date.now() - started,
        last_error: err instanceof SyncCancelled ? null : failure.message,
      });
    }
    throw failure;
  } finally {
    if (connected) await client.end().catch(() => undefined);
    if (db.open) {
      db.pragma(`cache_size = ${Number(cacheSize)}`);
      db.pragma(`mmap_size = ${Number(mmapSize)}`);
      lease.release();
      // After the lease's write: with the setting back, that commit would fold the log itself.
      resumeCheckpoints();
    }
  }
}

/** Recomputes the maintained figures after a first sync, in one transaction with the flag. */
function finishRefresh(services: AppServices): void {
  const { db } = services;
  if (!readSyncStatus(db, false).refreshPending) return;
  db.transaction(() => {
    withTriggersLifted(db, () => refreshMaintainedFigures(db, { kind: 'all' }));
    db.prepare('UPDATE sync_status SET refresh_pending = 0 WHERE id = 1').run();
  }).immediate();
}
