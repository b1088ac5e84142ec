/**
 * Bulk loads into a large table go faster without its secondary indexes, built again once from
 * the table afterwards (a sort each, not millions of random inserts). Only inside a
 * transaction, so a crash leaves the indexes as they were.
 */
import type { Db } from './connection';

/**
 * Sort runs of 4 MB for the builds. SQLite's sorter fills runs as large as the main page cache
 * (up to 512 MB) and sorts each in the thread that reads the table; a first sync's move sets
 * 1 GB, so the milestones' source ids were one run sorted on one core. Small runs are sorted by
 * the helper threads (PRAGMA threads) while the table is read, then merged: that index alone at
 * 1M, 5.7 → 2.2 s; the move, 37.9/39.2 → 31.5/32.8 s (alternating). The sorter only writes runs
 * when temporary files are on (withTempFiles); in memory it sorts whole as before. The small
 * cache makes room for the builds' pages by writing dirty pages to the log early, most of which
 * the commit would write anyway: with spilling off for the builds, the move took as long and peaked
 * as high (30.1/29.7 s, 1.27 GB either way).
 */
const SORT_RUN_KIB = 4096;

/** Drops `table`'s CREATE INDEX indexes other than `keep`; returns what builds them again. */
export function liftIndexes(db: Db, table: string, keep: readonly string[] = []): () => void {
  if (!db.inTransaction) throw new Error('liftIndexes needs an open transaction');
  // sql IS NULL: the indexes behind UNIQUE and PRIMARY KEY constraints, which cannot be dropped.
  const indexes = (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as Array<{ name: string; sql: string }>).filter(
    (ix) => !keep.includes(ix.name),
  );
  for (const ix of indexes) db.exec(`DROP INDEX "${ix.name.replaceAll('"', '""')}"`);
  return () => {
    const cacheSize = Number(db.pragma('cache_size', { simple: true }));
    db.pragma(`cache_size = -${SORT_RUN_KIB}`);
    try {
      for (const ix of indexes) db.exec(ix.sql);
    } finally {
      db.pragma(`cache_size = ${cacheSize}`);
    }
  };
}
