/**
 * Writes a demo database to a temporary file beside the target and renames it into place
 * when complete, so an interrupted run never leaves a half-written database.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { migrate } from '../db/connection';
import { generateDemoProject, type DemoOptions, type DemoSummary } from './demoGenerator';

export interface CreateDemoOptions extends DemoOptions {
  overwrite?: boolean;
}

const BULK_INDEX_TABLES = ['components', 'component_milestones', 'audit_log'];

export function createDemoDatabase(file: string, options: CreateDemoOptions): DemoSummary {
  if (fs.existsSync(file) && !options.overwrite) {
    throw new AppError('CONFLICT', `${file} already exists; pass --force to replace it with a new demo database`);
  }
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new AppError('READ_ONLY', `cannot write to folder ${dir}`);
  }
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  fs.rmSync(temp, { force: true });
  let db: Database.Database | null = null;
  try {
    db = new Database(temp);
    // A private file nobody else reads yet: no journal, no fsync until the final checkpoint.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    db.pragma('threads = 2'); // lets CREATE INDEX sort on both cores
    migrate(db);
    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
         AND tbl_name IN (${BULK_INDEX_TABLES.map(() => '?').join(',')})`,
      )
      .all(...BULK_INDEX_TABLES) as Array<{ name: string; sql: string }>;
    for (const ix of indexes) db.exec(`DROP INDEX "${ix.name}"`);
    // Rows are buffered in an order that writes some milestones before their component;
    // references are verified once at the end instead of row by row.
    db.pragma('foreign_keys = OFF');
    const summary = generateDemoProject(db, options);
    // The generator writes references by construction; a full check costs seconds at 1M rows,
    // so it runs where it is cheap and in the tests.
    if (options.components <= 100_000) {
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) throw new AppError('INTERNAL', `demo data broke ${violations.length} references`);
    }
    db.pragma('foreign_keys = ON');
    db.transaction(() => {
      for (const ix of indexes) db?.exec(ix.sql);
    })();
    // Sampled statistics: enough for the planner, a fraction of a full ANALYZE's time.
    db.pragma('analysis_limit = 2000');
    db.exec('ANALYZE');
    db.pragma('journal_mode = DELETE');
    db.pragma('journal_mode = WAL');
    db.close();
    db = null;
    fs.renameSync(temp, file);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    return summary;
  } catch (err) {
    db?.close();
    fs.rmSync(temp, { force: true });
    for (const suffix of ['-wal', '-shm']) fs.rmSync(temp + suffix, { force: true });
    throw err;
  }
}
