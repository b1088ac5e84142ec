/**
 * Bulk work (an import, a first sync's move out of staging) with SQLite's temporary tables and
 * sort spills in files (the OS page cache) instead of the connection's in-memory temp store:
 * staging five million milestones and grouping them held ~0.8 GB more in the process at a
 * million components, for no measurable speed. Outside a transaction only (SQLite cannot switch
 * inside one, and then `work` simply runs as it is); switching drops temporary tables, which
 * every user recreates on demand.
 */
import type { Db } from './connection';

export function withTempFiles<T>(db: Db, work: () => T): T {
  if (db.inTransaction) return work();
  const was = Number(db.pragma('temp_store', { simple: true }));
  db.pragma('temp_store = FILE');
  db.pragma('temp.cache_size = -65536');
  try {
    return work();
  } finally {
    db.pragma(`temp_store = ${was === 1 ? 'FILE' : was === 2 ? 'MEMORY' : 'DEFAULT'}`);
  }
}
