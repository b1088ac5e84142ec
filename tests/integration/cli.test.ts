import { beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../helpers/runCli';
import { tempDir } from '../helpers/fixtureDb';

const dir = tempDir('sitereport-cli-');
const db = path.join(dir, 'demo.db');
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

beforeAll(() => {
  const r = runCli(['demo', '--db', db, '--components', '400', '--seed', '3', '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

function expectCleanFailure(args: string[], file: string, pattern: RegExp, asUser?: string) {
  const before = sha(file);
  const r = runCli(args, {}, asUser);
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(sha(file)).toBe(before);
}

describe('sitereport report run', () => {
  it('prints the progress summary as JSON with camelCase keys', () => {
    const r = runCli(['report', 'run', 'progress-summary', '--db', db]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.summary.totalComponents).toBe(400);
    expect(typeof json.summary.rocWeightedPercent).toBe('number');
    expect(json.areaBreakdown[0]).toHaveProperty('area');
    expect(json.areaBreakdown[0]).toHaveProperty('rocWeightedPercent');
  });

  it('writes RFC 4180 CSV to a file atomically', () => {
    const out = path.join(dir, 'summary.csv');
    const r = runCli(['report', 'run', 'progress-summary', '--db', db, '--format', 'csv', '--out', out]);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('dimension,key,totalComponents,completedComponents,completionPercent,rocWeightedPercent\r\n')).toBe(true);
    expect(text).toMatch(/\r\nTotal,All,400,/);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('pages component details with a keyset cursor and streams every row to CSV', () => {
    const first = JSON.parse(runCli(['report', 'run', 'component-details', '--db', db, '--limit', '150', '--sort', 'area']).stdout);
    expect(first.components).toHaveLength(150);
    const second = JSON.parse(runCli(['report', 'run', 'component-details', '--db', db, '--limit', '150', '--sort', 'area', '--cursor', first.pagination.nextCursor]).stdout);
    const ids = new Set([...first.components, ...second.components].map((c: { id: number }) => c.id));
    expect(ids.size).toBe(300);
    const csv = runCli(['report', 'run', 'component-details', '--db', db, '--format', 'csv']).stdout.trimEnd().split('\r\n');
    expect(csv).toHaveLength(401);
  });

  it('refuses an unknown report id', () => {
    expectCleanFailure(['report', 'run', 'progress-sumary', '--db', db], db, /unknown report "progress-sumary"/);
  });

  it('refuses a malformed date', () => {
    expectCleanFailure(['report', 'run', 'progress-summary', '--db', db, '--as-of', '2026-02-30'], db, /--as-of must be a date written YYYY-MM-DD/);
    expectCleanFailure(['report', 'run', 'trend-analysis', '--db', db, '--from', '22/11/2026'], db, /--from must be a date/);
  });

  it('refuses xlsx and pdf without an output file, and an unknown format', () => {
    expectCleanFailure(['report', 'run', 'progress-summary', '--db', db, '--format', 'pdf'], db, /--format pdf needs --out FILE\.pdf/);
    expectCleanFailure(['report', 'run', 'progress-summary', '--db', db, '--format', 'xlsx'], db, /--format xlsx needs --out FILE\.xlsx/);
    expectCleanFailure(['report', 'run', 'progress-summary', '--db', db, '--format', 'docx', '--out', 'x.docx'], db, /--format must be json, csv, xlsx or pdf/);
  });

  it('refuses a file that is not a SQLite database', () => {
    const junk = path.join(dir, 'notes.db');
    fs.writeFileSync(junk, 'this is a meeting note, not a database\n'.repeat(20));
    expectCleanFailure(['report', 'run', 'progress-summary', '--db', junk], junk, /is not a SiteReport database/);
  });

  it('refuses a database written by a newer SiteReport', () => {
    const newer = path.join(dir, 'newer.db');
    fs.copyFileSync(db, newer);
    const raw = new Database(newer);
    raw.pragma('journal_mode = DELETE');
    raw.pragma('user_version = 99');
    raw.close();
    expectCleanFailure(['report', 'run', 'progress-summary', '--db', newer], newer, /newer SiteReport \(schema 99/);
  });

  it('refuses a database folder it cannot write', () => {
    const roDir = tempDir('sitereport-ro-');
    const file = path.join(roDir, 'ro.db');
    fs.copyFileSync(db, file);
    fs.chmodSync(file, 0o644);
    fs.chmodSync(roDir, 0o555);
    const asUser = process.getuid?.() === 0 ? 'nobody' : undefined;
    try {
      expectCleanFailure(['report', 'run', 'progress-summary', '--db', file], file, /cannot write to/, asUser);
    } finally {
      fs.chmodSync(roDir, 0o755);
    }
  });
});

describe('sitereport demo and the embedded default', () => {
  it('is deterministic for a seed and anchor date', () => {
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    for (const f of [a, b]) expect(runCli(['demo', '--db', f, '--components', '300', '--seed', '9', '--anchor', '2026-10-01', '--quiet']).code).toBe(0);
    const dump = (f: string) => {
      const d = new Database(f, { readonly: true });
      const out = ['projects', 'drawings', 'components', 'component_milestones', 'roc_configurations', 'audit_log', 'progress_daily']
        .map((t) => JSON.stringify(d.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()))
        .join('\n');
      d.close();
      return crypto.createHash('sha256').update(out).digest('hex');
    };
    expect(dump(a)).toBe(dump(b));
  });

  it('refuses to overwrite an existing database without --force', () => {
    expectCleanFailure(['demo', '--db', db, '--components', '10'], db, /already exists; pass --force/);
  });

  it('creates the demo project when no database exists yet', () => {
    const home = tempDir('sitereport-home-');
    const r = runCli(['report', 'run', 'progress-summary'], { SITEREPORT_DB: '', XDG_DATA_HOME: home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.totalComponents).toBe(5000);
    expect(fs.existsSync(path.join(home, 'sitereport', 'sitereport.db'))).toBe(true);
  });
});
