import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/main/db/connection';
import { backgroundCheckpoints, withCheckpointAfterwards } from '../../src/main/db/backgroundCheckpoint';
import { tempDir } from '../helpers/fixtureDb';

describe('the WAL checkpoint after a bulk write', () => {
  it('is left out of the write\'s commit and done by a worker thread afterwards, with the data intact', async () => {
    const file = path.join(tempDir(), 'bulk.db');
    const db = openDatabase(file, { create: true });
    db.exec('CREATE TABLE bulk (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)');
    const before = db.pragma('wal_autocheckpoint', { simple: true });
    let during: unknown = null;
    withCheckpointAfterwards(db, () => db.transaction(() => {
      during = db.pragma('wal_autocheckpoint', { simple: true });
      const add = db.prepare('INSERT INTO bulk (payload) VALUES (?)');
      for (let i = 0; i < 6000; i++) add.run(Buffer.alloc(4000, i % 251));
    })());
    expect(during).toBe(0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
    // Over 16 MB of log: the worker folds it into the database file, before anything closes.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(16 * 1024 * 1024);
    const [reply] = await backgroundCheckpoints();
    expect(reply).toMatchObject({ ok: true });
    expect(reply && reply.ok && reply.copied).toBe(reply && reply.ok && reply.pages);
    expect(reply && reply.ok && reply.pages).toBeGreaterThan(6000);
    expect(fs.statSync(file).size).toBeGreaterThan(24_000_000);
    // Another connection opening the file alone sees every row from the database file itself.
    db.close();
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT count(*) AS n, sum(length(payload)) AS bytes FROM bulk').get()).toEqual({ n: 6000, bytes: 24_000_000 });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });

  it('gives the setting back when the write fails, and starts nothing for a small log', async () => {
    const file = path.join(tempDir(), 'small.db');
    const db = openDatabase(file, { create: true });
    db.exec('CREATE TABLE t (x INTEGER)');
    expect(() => withCheckpointAfterwards(db, () => db.transaction(() => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      throw new Error('bad row');
    })())).toThrow('bad row');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    withCheckpointAfterwards(db, () => db.prepare('INSERT INTO t VALUES (2)').run());
    expect(await backgroundCheckpoints()).toEqual([]);
    db.close();
  });

  it('cuts a large log file back to 64 MB on the first write after the fold', async () => {
    const file = path.join(tempDir(), 'large.db');
    const db = openDatabase(file, { create: true });
    db.exec('CREATE TABLE bulk (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)');
    withCheckpointAfterwards(db, () => db.transaction(() => {
      const add = db.prepare('INSERT INTO bulk (payload) VALUES (?)');
      for (let i = 0; i < 20000; i++) add.run(Buffer.alloc(4000, i % 251));
    })());
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(80_000_000);
    await backgroundCheckpoints();
    db.prepare('INSERT INTO bulk (payload) VALUES (?)').run(Buffer.alloc(10));
    expect(fs.statSync(`${file}-wal`).size).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(db.prepare('SELECT count(*) AS n FROM bulk').get()).toEqual({ n: 20001 });
    db.close();
  });
});
