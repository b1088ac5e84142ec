/**
 * Bulk loads into a large table go faster without its secondary indexes, built again once from
 * the table afterwards (a sort each, not millions of random inserts). Only inside a
 * transaction, so a crash leaves the indexes as they were.
 */
import type { Db } from './connection';

/** Drops `table`'s CREATE INDEX indexes other than `keep`; returns what builds them again. */
export function liftIndexes(db: Db, table: string, keep: readonly string[] = []): () => void {
  if (!db.inTransaction) throw new Error('liftIndexes needs an open transaction');
  // sql IS NULL: the indexes behind UNIQUE and PRIMARY KEY constraints, which cannot be dropped.
  const indexes = (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as Array<{ name: string; sql: string }>).filter(
    (ix) => !keep.includes(ix.name),
  );
  for (const ix of indexes) db.exec(`DROP INDEX "${ix.name.replaceAll('"', '""')}"`);
  return () => {
    for (const ix of indexes) db.exec(ix.sql);
  };
}
