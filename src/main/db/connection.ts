/**
 * Opening the store: pragmas, version checks and migrations. A database written by a newer
 * SiteReport is refused for writing (its schema may carry rules this build does not keep);
 * a file that is not SQLite is refused before anything touches it.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Create the file when it does not exist (the caller then seeds it). */
  create?: boolean;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function assertSqliteFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    const read = fs.readSync(fd, header, 0, 16, 0);
    if (read === 0) return; // an empty file is a new database
    if (read < 16 || header.toString('latin1') !== SQLITE_MAGIC) {
      throw new AppError('NOT_A_DATABASE', `${file} is not a SiteReport database (not an SQLite file)`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function assertWritableLocation(file: string): void {
  const dir = path.dirname(file);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    if (fs.existsSync(file)) fs.accessSync(file, fs.constants.W_OK);
  } catch {
    throw new AppError('READ_ONLY', `cannot write to ${fs.existsSync(file) ? file : dir}: permission denied`);
  }
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const exists = fs.existsSync(file);
  if (!exists && !options.create) {
    throw new AppError('NOT_FOUND', `database ${file} does not exist`);
  }
  if (exists) assertSqliteFile(file);
  if (!options.readonly) {
    if (!exists) {
      const dir = path.dirname(file);
      try {
        fs.mkdirSync(dir, { recursive: true });
      } catch {
        throw new AppError('READ_ONLY', `cannot create folder ${dir}`);
      }
    }
    assertWritableLocation(file);
  }

  const db = new Database(file, { readonly: Boolean(options.readonly), fileMustExist: exists });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION && !options.readonly) {
      throw new AppError(
        'DATABASE_TOO_NEW',
        `${file} was written by a newer SiteReport (schema ${version}, this build knows ${SCHEMA_VERSION}); update SiteReport to change it`,
      );
    }
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // A first sync or import logs ~2 GB; without a limit the log file keeps that size on disk
      // once folded, until the app closes. With it, the next write after the fold cuts it back.
      db.pragma('journal_size_limit = 67108864');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    if (!options.readonly) migrate(db);
    else if (version < SCHEMA_VERSION) {
      throw new AppError('READ_ONLY', `${file} needs an upgrade (schema ${version}) and was opened read-only`);
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof AppError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (/file is not a database|file is encrypted/i.test(message)) {
      throw new AppError('NOT_A_DATABASE', `${file} is not a SiteReport database (${message})`);
    }
    if (/readonly|read-only/i.test(message)) {
      throw new AppError('READ_ONLY', `cannot write to ${file}: ${message}`);
    }
    throw err;
  }
}

/** Runs every pending migration, each in its own transaction with its version bump. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      // A migration that breaks a reference must not commit.
      if ((db.pragma('foreign_key_check') as unknown[]).length > 0) {
        throw new AppError('INTERNAL', `migration ${migration.version} (${migration.name}) left broken references`);
      }
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
