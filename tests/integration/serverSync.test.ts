/**
 * Sync from a real PostgreSQL 15 server (a throwaway cluster on loopback) loaded with a
 * generated PipeTrak project: first sync equals the server table by table and in the progress
 * summary the server computes itself; changes and deletions arrive incrementally; bad rows are
 * skipped and reported; an unreachable server, a wrong password, a missing column and a server
 * stopped mid-sync each leave the local data intact with a clear status; 20 kills at random
 * points end like an uninterrupted sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { hasPostgres, startPostgres, type PostgresServer } from '../helpers/postgresServer';
import { generatePipetrak, SERVER_SUMMARY_SQL } from '../helpers/pipetrakData';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { openAppServices, type AppServices } from '../../src/main/services/appServices';
import { syncFromServer } from '../../src/main/sync/serverSync';
import { readSyncStatus } from '../../src/main/sync/syncStatus';
import { maintainedFigures } from '../helpers/maintainedFigures';
import { CLI, runCli } from '../helpers/runCli';
import { tempDir } from '../helpers/fixtureDb';

const NOW = new Date('2026-11-22T12:00:00Z');
const dir = tempDir('sitereport-sync-');
let server: PostgresServer;

beforeAll(async () => {
  if (!hasPostgres()) throw new Error('PostgreSQL 15 binaries are needed for the sync tests (apt-get install postgresql); .ci/run installs them');
  server = await startPostgres();
  await generatePipetrak(server, { north: 3000, south: 800 });
}, 120_000);

afterAll(() => server?.remove());

function freshServices(name: string): AppServices {
  const dbPath = path.join(dir, `${name}.db`);
  createDemoDatabase(dbPath, { components: 50, seed: 4, anchorDate: '2026-11-22' });
  return openAppServices({ dbPath, now: () => NOW });
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Per table: the row count and an md5 over every synced field in id order, the same text on both sides. */
const TABLES = {
  Project: {
    server: `SELECT id, name FROM "Project"`,
    local: `SELECT source_id AS id, name FROM projects WHERE source_id IS NOT NULL`,
  },
  ROCConfigurations: {
    server: `SELECT id, "projectId" AS project, "componentType" AS type, "milestoneWeights"::text AS weights FROM "ROCConfigurations"`,
    local: `SELECT r.source_id AS id, p.source_id AS project, r.component_type AS type, r.weights_json AS weights FROM roc_configurations r LEFT JOIN projects p ON p.id = r.project_id WHERE r.source_id IS NOT NULL`,
  },
  Drawing: {
    server: `SELECT id, "projectId" AS project, number, title FROM "Drawing"`,
    local: `SELECT d.source_id AS id, p.source_id AS project, d.number, d.title FROM drawings d JOIN projects p ON p.id = d.project_id WHERE d.source_id IS NOT NULL`,
  },
  Component: {
    server: `SELECT id, "projectId" AS project, "drawingId" AS drawing, "componentId" AS tag, type, area, system, "testPackage" AS tp, status::text AS status, "workflowType"::text AS workflow, "completionPercent"::float8 AS completion,
               "displayId" AS display_id, spec, size, material, "testRequired"::int AS test_required, "testPressure"::float8 AS test_pressure,
               to_char("installationDate" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS installed, ${ISO('"createdAt"')} AS created, ${ISO('"updatedAt"')} AS updated FROM "Component"`,
    local: `SELECT c.source_id AS id, p.source_id AS project, d.source_id AS drawing, c.tag, c.type, c.area, c.system, c.test_package AS tp, c.status, c.workflow_type AS workflow, c.completion_percent AS completion,
                   c.display_id, c.spec, c.size, c.material, c.test_required, c.test_pressure, c.installation_date AS installed, c.created_at AS created, c.updated_at AS updated
            FROM components c JOIN projects p ON p.id = c.project_id LEFT JOIN drawings d ON d.id = c.drawing_id WHERE c.source_id IS NOT NULL`,
  },
  ComponentMilestone: {
    server: `SELECT m.id, m."componentId" AS component, m."milestoneName" AS name, m."isCompleted"::int AS done, ${ISO('m."completedAt"')} AS at, m."percentageValue"::float8 AS pv,
               m."milestoneOrder" AS milestone_order, coalesce(u.name, m."completedBy") AS by, m."quantityValue"::float8 AS qv, ${ISO('m."updatedAt"')} AS updated
             FROM "ComponentMilestone" m LEFT JOIN "user" u ON u.id = m."completedBy"`,
    local: `SELECT m.source_id AS id, c.source_id AS component, m.name, m.is_completed AS done, m.completed_at AS at, m.percentage_value AS pv,
                   m.milestone_order, m.completed_by AS by, m.quantity_value AS qv, m.updated_at AS updated
            FROM component_milestones m JOIN components c ON c.id = m.component_id WHERE m.source_id IS NOT NULL`,
  },
  AuditLog: {
    server: `SELECT id, "projectId" AS project, "componentId" AS component, action, to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM "AuditLog"`,
    local: `SELECT a.source_id AS id, p.source_id AS project, c.source_id AS component, a.action, a.at FROM audit_log a JOIN projects p ON p.id = a.project_id LEFT JOIN components c ON c.id = a.component_id WHERE a.source_id IS NOT NULL`,
  },
} as const;

type Fingerprint = Record<string, { rows: number; md5: string }>;

function digest(rows: Array<Record<string, unknown>>): { rows: number; md5: string } {
  const sorted = [...rows].sort((a, b) => Buffer.compare(Buffer.from(String(a.id)), Buffer.from(String(b.id))));
  const hash = crypto.createHash('md5');
  for (const r of sorted) hash.update(Object.values(r).map((v) => (v === null || v === undefined ? '∅' : String(v))).join('|') + '\n');
  return { rows: rows.length, md5: hash.digest('hex') };
}

async function serverFingerprint(): Promise<Fingerprint> {
  const out: Fingerprint = {};
  for (const [name, q] of Object.entries(TABLES)) out[name] = digest((await server.exec(q.server)).rows as Array<Record<string, unknown>>);
  return out;
}

function localFingerprint(dbPath: string): Fingerprint {
  const db = new Database(dbPath, { readonly: true });
  try {
    const out: Fingerprint = {};
    for (const [name, q] of Object.entries(TABLES)) out[name] = digest(db.prepare(q.local).all() as Array<Record<string, unknown>>);
    return out;
  } finally {
    db.close();
  }
}

interface Figures {
  dimension: string;
  key: string | null;
  total: number;
  completed: number;
  completion: number;
  roc: number;
}

async function serverSummary(project: string): Promise<Figures[]> {
  return (await server.exec(SERVER_SUMMARY_SQL, [project, '2026-11-22'])).rows as Figures[];
}

interface Breakdown {
  totalComponents: number;
  completedComponents: number;
  completionPercent: number;
  rocWeightedPercent: number;
}

function localSummary(services: AppServices, project: string): Figures[] {
  const r = services.queryReport({ reportId: 'progress-summary', projectCode: project } as Parameters<AppServices['queryReport']>[0]) as unknown as {
    summary: Breakdown;
    areaBreakdown: Array<Breakdown & { area: string }>;
    systemBreakdown: Array<Breakdown & { system: string }>;
    testPackageBreakdown: Array<Breakdown & { testPackage: string }>;
  };
  const f = (dimension: string, key: string | null, b: Breakdown): Figures => ({ dimension, key, total: b.totalComponents, completed: b.completedComponents, completion: b.completionPercent, roc: b.rocWeightedPercent });
  const rows = [
    f('summary', null, r.summary),
    ...r.areaBreakdown.map((b) => f('area', b.area, b)),
    ...r.systemBreakdown.map((b) => f('system', b.system, b)),
    ...r.testPackageBreakdown.map((b) => f('test_package', b.testPackage, b)),
  ];
  return rows.sort((a, b) => (a.dimension + '\u0000' + (a.key ?? '')).localeCompare(b.dimension + '\u0000' + (b.key ?? ''), 'en', { sensitivity: 'variant' }));
}

const sortFigures = (rows: Figures[]) => [...rows].sort((a, b) => (a.dimension + '\u0000' + (a.key ?? '')).localeCompare(b.dimension + '\u0000' + (b.key ?? ''), 'en', { sensitivity: 'variant' }));

function integrity(dbPath: string): { ok: string; fk: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    return { ok: (db.pragma('integrity_check', { simple: true }) as string) ?? '', fk: (db.pragma('foreign_key_check') as unknown[]).length };
  } finally {
    db.close();
  }
}


// First, while every server row is older than the overlap window, so no row is read twice and
// the cursors' row counts must equal the rows present.
describe('sync killed at random points', () => {
  it('20 kills (SIGKILL) then a final run end exactly like one uninterrupted sync', async () => {
    const reference = freshServices('reference');
    await syncFromServer(reference, server.readerUrl, { batchSize: 151 });
    const expected = localFingerprint(reference.dbPath);
    const expectedSummary = localSummary(reference, 'prj-north');
    reference.close();

    const dbPath = path.join(dir, 'killed.db');
    createDemoDatabase(dbPath, { components: 50, seed: 4, anchorDate: '2026-11-22' });
    const env = { ...process.env, SITEREPORT_NOW: NOW.toISOString() };
    // Where the kills land: a random batch among those still to come, either inside its
    // transaction (before COMMIT) or just after it. The process sends itself SIGKILL there, so
    // every run dies mid-sync however fast or slow the machine is today.
    const timing = runCli(['sync', server.readerUrl, '--db', path.join(dir, 'timing.db'), '--batch', '151']);
    expect(timing.code, timing.stderr).toBe(0);
    const totalRows = Number(/([\d,]+) rows read/.exec(timing.stdout)![1]!.replaceAll(',', ''));
    const kills: string[] = [];
    for (let i = 0; i < 20; i++) {
      const probe = new Database(dbPath, { readonly: true });
      const applied = (probe.prepare('SELECT coalesce(sum(rows_applied), 0) AS n FROM sync_state').get() as { n: number }).n;
      probe.close();
      const batchesLeft = Math.max(1, Math.ceil((totalRows - applied) / 151));
      const at = `${Math.random() < 0.5 ? 'sync-mid-batch' : 'sync-after-batch'}:${1 + Math.floor(Math.random() * Math.max(1, batchesLeft / 4))}`;
      const child = spawn(process.execPath, [CLI, 'sync', server.readerUrl, '--db', dbPath, '--batch', '151'], { env: { ...env, SITEREPORT_CRASH_AT: at }, stdio: 'ignore' });
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      kills.push(`${at} ${signal}`);
      expect(integrity(dbPath)).toEqual({ ok: 'ok', fk: 0 });
      const db = new Database(dbPath, { readonly: true });
      expect(readSyncStatus(db as never, false).state, `${kills.join(', ')} of ${totalRows} rows`).toBe('interrupted');
      // Whole batches only: the cursors account for exactly the rows that are here, in the
      // tables or staged by the first sync (rows read again after a resume are staged twice).
      const cursorRows = (db.prepare('SELECT coalesce(sum(rows_applied), 0) AS n FROM sync_state').get() as { n: number }).n;
      const localRows = (
        db.prepare(`SELECT (SELECT count(*) FROM projects WHERE source_id IS NOT NULL) + (SELECT count(*) FROM roc_configurations WHERE source_id IS NOT NULL)
          + (SELECT count(*) FROM drawings WHERE source_id IS NOT NULL) + (SELECT count(*) FROM components WHERE source_id IS NOT NULL)
          + (SELECT count(*) FROM component_milestones WHERE source_id IS NOT NULL) + (SELECT count(*) FROM audit_log WHERE source_id IS NOT NULL)
          + (SELECT count(*) FROM sync_stage_components) + (SELECT count(*) FROM sync_stage_milestones) AS n`).get() as { n: number }
      ).n;
      expect(localRows).toBe(cursorRows);
      db.close();
    }
    expect(kills.filter((k) => k.endsWith('SIGKILL'))).toHaveLength(20);
    const last = runCli(['sync', server.readerUrl, '--db', dbPath, '--batch', '151']);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toMatch(/^synced from postgres:\/\/sitereport_reader@127\.0\.0\.1:\d+\/pipetrak: [\d,]+ rows read/);
    expect(localFingerprint(dbPath)).toEqual(expected);
    const s = openAppServices({ dbPath, now: () => NOW });
    try {
      expect(localSummary(s, 'prj-north')).toEqual(expectedSummary);
      expect(readSyncStatus(s.db, false)).toMatchObject({ state: 'succeeded', skippedCount: 0 });
    } finally {
      s.close();
    }
    fs.rmSync(path.join(dir, 'timing.db'), { force: true });
  }, 300_000);

  it('a kill while a first sync moves its staged rows into place rolls the move back whole; the next run completes it', async () => {
    const dbPath = path.join(dir, 'killed-moving.db');
    createDemoDatabase(dbPath, { components: 50, seed: 4, anchorDate: '2026-11-22' });
    const env = { ...process.env, SITEREPORT_NOW: NOW.toISOString(), SITEREPORT_CRASH_AT: 'sync-mid-move' };
    const moving = spawn(process.execPath, [CLI, 'sync', server.readerUrl, '--db', dbPath, '--batch', '151'], { env, stdio: 'ignore' });
    expect(await new Promise((resolve) => moving.on('exit', (_code, sig) => resolve(sig)))).toBe('SIGKILL');
    expect(integrity(dbPath)).toEqual({ ok: 'ok', fk: 0 });
    const db = new Database(dbPath, { readonly: true });
    // Every component and milestone read and staged, none in the tables.
    expect(
      db.prepare('SELECT (SELECT count(*) FROM sync_stage_components) AS components, (SELECT count(*) FROM sync_stage_milestones) AS milestones, (SELECT count(*) FROM components WHERE source_id IS NOT NULL) AS synced').get(),
    ).toEqual({ components: 3800, milestones: 19000, synced: 0 });
    db.close();
    const last = runCli(['sync', server.readerUrl, '--db', dbPath, '--batch', '151']);
    expect(last.code, last.stderr).toBe(0);
    expect(localFingerprint(dbPath)).toEqual(await serverFingerprint());
    const s = openAppServices({ dbPath, now: () => NOW });
    try {
      expect(localSummary(s, 'prj-north')).toEqual(sortFigures(await serverSummary('prj-north')));
      const figures = maintainedFigures(s.db);
      expect(figures.kept).toEqual(figures.recomputed);
    } finally {
      s.close();
    }
  }, 120_000);

  it('the CLI refuses a malformed address and names the password variable in its help', () => {
    const r = runCli(['sync', 'http://example.com/x', '--db', path.join(dir, 'never.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/must start with postgres:\/\//);
    expect(fs.existsSync(path.join(dir, 'never.db'))).toBe(false);
    expect(runCli(['--help']).stdout).toMatch(/sync +postgres:\/\/.*PGPASSWORD/s);
  });
});

describe('sync from PostgreSQL', () => {
  let services: AppServices;
  beforeAll(() => {
    services = freshServices('main');
  });
  afterAll(() => services.close());

  it('first sync equals the server, table by table and in the progress summary the server computes', async () => {
    const versionBefore = services.dataVersionStamp();
    const progress: string[] = [];
    const firstTotals = new Map<string, number>();
    const r = await syncFromServer(services, server.readerUrl, {
      batchSize: 703,
      onProgress: (p) => {
        progress.push(`${p.phase} ${p.table}`);
        if (p.phase === 'reading' && !firstTotals.has(p.table)) firstTotals.set(p.table, p.total);
      },
    });
    expect(r.tables.Component).toMatchObject({ rowsIn: 3800, changed: 3800, deleted: 0, skipped: 0 });
    expect(r.tables.ComponentMilestone).toMatchObject({ rowsIn: 19000, changed: 19000 });
    // The move's helper thread for sorting is the move's alone.
    expect(services.db.pragma('threads', { simple: true })).toBe(0);
    expect(localFingerprint(services.dbPath)).toEqual(await serverFingerprint());
    for (const project of ['prj-north', 'prj-south']) expect(localSummary(services, project)).toEqual(sortFigures(await serverSummary(project)));
    // The set-based recomputation at the end of a first sync gives the views' figures.
    const figures = maintainedFigures(services.db);
    expect(figures.kept).toEqual(figures.recomputed);
    expect(progress).toContain('reading ComponentMilestone');
    // A first read's totals are the server's row estimates, exact on these analysed tables.
    expect([firstTotals.get('Component'), firstTotals.get('ComponentMilestone')]).toEqual([3800, 19000]);
    // Open views reload on the stamp, and reports say when the data arrived.
    expect(services.dataVersionStamp()).not.toBe(versionBefore);
    expect(services.listProjects().find((p) => p.code === 'prj-north')).toMatchObject({ name: 'North Unit Revamp', lastSyncedAt: NOW.toISOString() });
    // The demo project keeps its own figures: its defaults do not leak into the server's projects, nor the reverse.
    expect(readSyncStatus(services.db, false)).toMatchObject({ state: 'succeeded', rowsIn: r.rowsIn, lastError: null, lastSuccessAt: NOW.toISOString() });
  });

  it('an incremental sync brings exactly the changed milestones and the deleted components', async () => {
    const updated = await server.exec(`
      UPDATE "ComponentMilestone" SET "isCompleted" = TRUE, "completedAt" = '2026-11-21 09:00+00', "completedBy" = 'usr-1', "updatedAt" = now()
      WHERE id IN (SELECT id FROM "ComponentMilestone" WHERE NOT "isCompleted" ORDER BY md5(id) LIMIT 190)`);
    const deleted = await server.exec(`DELETE FROM "Component" WHERE id IN (
      SELECT id FROM "Component" WHERE id NOT IN (SELECT "componentId" FROM "ComponentMilestone" WHERE "updatedAt" > '2026-11-10') ORDER BY md5(id || 'x') LIMIT 19)`);
    expect([updated.rowCount, deleted.rowCount]).toEqual([190, 19]);
    const checkpointSetting = new Set<unknown>();
    const r = await syncFromServer(services, server.readerUrl, { batchSize: 703, onProgress: () => checkpointSetting.add(services.db.pragma('wal_autocheckpoint', { simple: true })) });
    // The log is folded into the file after the sync (by a worker), not inside each batch's commit.
    expect(checkpointSetting).toEqual(new Set([0]));
    expect(services.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(r.tables.ComponentMilestone).toMatchObject({ rowsIn: 190, changed: 190, deleted: 0 });
    expect(r.tables.Component).toMatchObject({ rowsIn: 0, deleted: 19 });
    expect(localFingerprint(services.dbPath)).toEqual(await serverFingerprint());
    const figures = maintainedFigures(services.db);
    expect(figures.kept).toEqual(figures.recomputed);
    for (const project of ['prj-north', 'prj-south']) expect(localSummary(services, project)).toEqual(sortFigures(await serverSummary(project)));
    // Rows stamped within the overlap window are read again next time, and change nothing.
    const again = await syncFromServer(services, server.readerUrl, { batchSize: 703 });
    expect(again).toMatchObject({ changed: 0, deleted: 0 });
    expect(again.tables.ComponentMilestone?.rowsIn).toBe(190);
  });

  it('a first read in batches smaller than a component\'s milestones reads each component whole and equals the server', async () => {
    const small = freshServices('small-batches');
    try {
      // Four rows a batch, most components with five milestones: a batch of milestones is
      // then one component's first four, read again larger.
      const r = await syncFromServer(small, server.readerUrl, { batchSize: 4 });
      expect(r.tables.ComponentMilestone?.rowsIn).toBe((await server.exec('SELECT count(*)::int AS n FROM "ComponentMilestone"')).rows[0].n);
      expect(localFingerprint(small.dbPath)).toEqual(await serverFingerprint());
      const figures = maintainedFigures(small.db);
      expect(figures.kept).toEqual(figures.recomputed);
    } finally {
      small.close();
    }
  }, 120_000);

  it('skips and reports rows it cannot accept, keeps the others, and takes them once fixed', async () => {
    await server.exec(`
      INSERT INTO "Component" (id, "projectId", "componentId", type, "completionPercent", "updatedAt") VALUES
        ('cmp-bad-percent', 'prj-north', 'N-BAD-1', 'Valve', 150, now()),
        ('cmp-dup-tag', 'prj-north', 'N-VL-0000001', 'Valve', 0, now()),
        ('cmp-good', 'prj-north', 'N-GOOD-1', 'Valve', 10, now());
      INSERT INTO "ComponentMilestone" (id, "componentId", "milestoneName", "milestoneOrder", "isCompleted", "completedAt", "updatedAt") VALUES
        ('ms-of-bad', 'cmp-bad-percent', 'Receive', 1, TRUE, '2026-11-22 09:00+00', now()),
        ('ms-of-good', 'cmp-good', 'Receive', 1, TRUE, '2026-11-22 09:00+00', now())`);
    const r = await syncFromServer(services, server.readerUrl, { batchSize: 703 });
    expect(r.tables.Component).toMatchObject({ rowsIn: 3, changed: 1, skipped: 2 });
    expect(r.tables.ComponentMilestone).toMatchObject({ changed: 1, skipped: 1 });
    const status = readSyncStatus(services.db, false);
    expect(status.skipped).toEqual([
      { table: 'Component', id: 'cmp-bad-percent', reason: 'completion 150 is outside 0–100' },
      { table: 'Component', id: 'cmp-dup-tag', reason: 'another component of the project has the same tag' },
      { table: 'ComponentMilestone', id: 'ms-of-bad', reason: 'its component is not in SiteReport' },
    ]);
    expect(status.state).toBe('succeeded');
    await server.exec(`UPDATE "Component" SET "completionPercent" = 50, "updatedAt" = now() WHERE id = 'cmp-bad-percent'; DELETE FROM "Component" WHERE id = 'cmp-dup-tag';
      UPDATE "ComponentMilestone" SET "updatedAt" = now() WHERE id = 'ms-of-bad'`);
    // Components moved between areas and systems, and a component re-pointed at another's milestones' parent.
    await server.exec(`UPDATE "Component" SET area = 'Area 9', system = NULL, status = 'COMPLETED', "updatedAt" = now() WHERE id IN (SELECT id FROM "Component" ORDER BY md5(id || 'm') LIMIT 25)`);
    await syncFromServer(services, server.readerUrl, { batchSize: 703 });
    expect(readSyncStatus(services.db, false)).toMatchObject({ skipped: [], skippedCount: 0 });
    const figures = maintainedFigures(services.db);
    expect(figures.kept).toEqual(figures.recomputed);
    expect(localFingerprint(services.dbPath)).toEqual(await serverFingerprint());
  });

  // Milestone batches take their daily events row by row (writeWithDeltas with `milestones`), an
  // updated milestone its credit and share in its own upsert, and only components whose set of
  // milestones changed are recomputed: a new milestone changes its siblings' shares, a moved one
  // two components' counts, a renamed one its weight, a reopened one its day and credit, a
  // percentage its credit. Run after the tests above (alone, the sync here is a first sync).
  it('milestone batches that add, move, reopen and re-weigh milestones keep every figure exact', async () => {
    const setup = (await server.exec(`
      INSERT INTO "ComponentMilestone" (id, "componentId", "milestoneName", "milestoneOrder", "isCompleted", "completedAt", "updatedAt")
        SELECT 'ms-new-' || id, id, 'Insulate', 9, TRUE, '2026-11-22 10:00+00', now() FROM "Component" WHERE "workflowType" <> 'MILESTONE_QUANTITY' ORDER BY md5(id || 'n') LIMIT 15;
      UPDATE "ComponentMilestone" SET "componentId" = (SELECT id FROM "Component" ORDER BY md5(id || 'target') LIMIT 1), "milestoneName" = 'Moved ' || id, "updatedAt" = now()
        WHERE id IN (SELECT id FROM "ComponentMilestone" WHERE "isCompleted" ORDER BY md5(id || 'mv') LIMIT 5);
      UPDATE "ComponentMilestone" SET "isCompleted" = FALSE, "completedAt" = NULL, "updatedAt" = now()
        WHERE id IN (SELECT id FROM "ComponentMilestone" WHERE "isCompleted" ORDER BY md5(id || 'ro') LIMIT 30);
      UPDATE "ComponentMilestone" m SET "percentageValue" = 55, "updatedAt" = now() FROM "Component" c
        WHERE c.id = m."componentId" AND c."workflowType" = 'MILESTONE_PERCENTAGE' AND m.id IN (SELECT id FROM "ComponentMilestone" ORDER BY md5(id || 'pv') LIMIT 400);
      -- Renamed in place: the credit follows the new name's weight (none for 'Punch').
      UPDATE "ComponentMilestone" SET "milestoneName" = 'Punch', "updatedAt" = now()
        WHERE id IN (SELECT id FROM "ComponentMilestone" WHERE "isCompleted" AND "milestoneName" = 'Erect' ORDER BY md5(id || 'rn') LIMIT 5);
      -- One in and one out: the count stays, the set of milestones and so the shares do not.
      INSERT INTO "ComponentMilestone" (id, "componentId", "milestoneName", "milestoneOrder", "isCompleted", "completedAt", "updatedAt")
        SELECT 'ms-io-' || id, id, 'Flush', 8, TRUE, '2026-11-22 11:00+00', now() FROM "Component" WHERE "workflowType" = 'MILESTONE_DISCRETE' ORDER BY md5(id || 'io') LIMIT 3;
      UPDATE "ComponentMilestone" SET "componentId" = (SELECT id FROM "Component" ORDER BY md5(id || 'io-to') LIMIT 1), "milestoneName" = 'Out ' || id, "updatedAt" = now()
        WHERE "milestoneName" = 'Receive' AND "componentId" IN (SELECT "componentId" FROM "ComponentMilestone" WHERE id LIKE 'ms-io-%');
      -- Components whose figures cannot be taken by difference (figuresByDifference): complete
      -- ones whose latest completion moves earlier, or which one milestone reopens (a 100 % ROC
      -- may be clamped), and ones the batch completes (their date is the latest of all their
      -- milestones, here not a row of the batch).
      CREATE TEMP TABLE complete_components AS SELECT c.id, row_number() OVER (ORDER BY md5(c.id || 'cc')) AS n FROM "Component" c
        WHERE c."workflowType" = 'MILESTONE_DISCRETE' AND EXISTS (SELECT 1 FROM "ComponentMilestone" m WHERE m."componentId" = c.id)
          AND NOT EXISTS (SELECT 1 FROM "ComponentMilestone" m WHERE m."componentId" = c.id AND NOT m."isCompleted");
      UPDATE "ComponentMilestone" SET "completedAt" = "completedAt" - interval '40 days', "updatedAt" = now() WHERE id IN (
        SELECT DISTINCT ON ("componentId") id FROM "ComponentMilestone" WHERE "componentId" IN (SELECT id FROM complete_components WHERE n <= 4)
        ORDER BY "componentId", "completedAt" DESC);
      UPDATE "ComponentMilestone" SET "isCompleted" = FALSE, "completedAt" = NULL, "updatedAt" = now() WHERE id IN (
        SELECT DISTINCT ON ("componentId") id FROM "ComponentMilestone" WHERE "componentId" IN (SELECT id FROM complete_components WHERE n BETWEEN 5 AND 8)
        ORDER BY "componentId", id);
      UPDATE "ComponentMilestone" SET "isCompleted" = TRUE, "completedAt" = '2000-01-01 00:00+00', "updatedAt" = now() WHERE NOT "isCompleted" AND "componentId" IN (
        SELECT c.id FROM "Component" c WHERE c."workflowType" = 'MILESTONE_DISCRETE'
          AND EXISTS (SELECT 1 FROM "ComponentMilestone" m WHERE m."componentId" = c.id AND m."isCompleted")
          AND EXISTS (SELECT 1 FROM "ComponentMilestone" m WHERE m."componentId" = c.id AND NOT m."isCompleted")
        ORDER BY md5(c.id || 'ac') LIMIT 4);
      SELECT count(*) AS n FROM complete_components`)) as unknown as pg.QueryResult[];
    // Enough complete components for both cases above.
    expect(Number(setup.at(-1)!.rows[0].n)).toBeGreaterThanOrEqual(8);
    const r = await syncFromServer(services, server.readerUrl, { batchSize: 703 });
    expect(r.tables.ComponentMilestone?.changed).toBeGreaterThanOrEqual(15 + 5 + 30 + 5 + 3 + 3);
    expect(r.skipped).toBe(0);
    expect(localFingerprint(services.dbPath)).toEqual(await serverFingerprint());
    const figures = maintainedFigures(services.db);
    expect(figures.kept).toEqual(figures.recomputed);
    for (const project of ['prj-north', 'prj-south']) expect(localSummary(services, project)).toEqual(sortFigures(await serverSummary(project)));
  });

  it('an unreachable server, a wrong password and a missing column fail in plain words and change nothing', async () => {
    const before = localFingerprint(services.dbPath);
    const summary = localSummary(services, 'prj-north');
    const closed = server.readerUrl.replace(`:${server.port}/`, ':1/');
    await expect(syncFromServer(services, closed)).rejects.toThrow(/cannot reach the server at .*127\.0\.0\.1:1.*local data is unchanged/);
    expect(readSyncStatus(services.db, false)).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/cannot reach/) });
    await expect(syncFromServer(services, server.readerUrl.replace('reader-secret', 'wrong'))).rejects.toThrow(/refused the user name or password/);
    await server.exec(`ALTER TABLE "Component" RENAME COLUMN "testPackage" TO "testPkg"`);
    try {
      await expect(syncFromServer(services, server.readerUrl)).rejects.toThrow(/table "Component" has no column "testPackage".*nothing was changed locally/);
    } finally {
      await server.exec(`ALTER TABLE "Component" RENAME COLUMN "testPkg" TO "testPackage"`);
    }
    await expect(syncFromServer(services, 'mysql://x@y/z')).rejects.toThrow(/must start with postgres:\/\//);
    expect(localFingerprint(services.dbPath)).toEqual(before);
    expect(localSummary(services, 'prj-north')).toEqual(summary);
    const status = readSyncStatus(services.db, false);
    expect(JSON.stringify(status)).not.toContain('reader-secret');
  });

  it('a server stopped mid-sync leaves whole batches and a clear status; the next sync resumes and completes', async () => {
    const s = freshServices('stopped');
    try {
      const done: number[] = [];
      const run = syncFromServer(s, server.readerUrl, {
        batchSize: 299,
        onProgress: (p) => {
          if (p.table === 'ComponentMilestone' && p.phase === 'reading' && p.done > 0 && done.push(p.done) === 5) server.stop();
        },
      });
      await expect(run).rejects.toThrow(/server shut down during the sync|connection to the server dropped/);
      const status = readSyncStatus(s.db, false);
      expect(status).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/next sync continues/) });
      expect(integrity(s.dbPath)).toEqual({ ok: 'ok', fk: 0 });
      // Five batches were in when the server stopped; the one already on its way may have landed too.
      const partial = (s.db.prepare('SELECT count(*) AS n FROM sync_stage_milestones').get() as { n: number }).n;
      expect(done.slice(4, 6)).toContain(partial);
      // A first sync reads milestones by component, and a batch ends with a whole component (a
      // little under 300 rows): each staged component has all its milestones, counted.
      expect(partial).toBeGreaterThan(5 * 250);
      expect(partial).toBeLessThanOrEqual(5 * 300 + 300);
      const staged = s.db.prepare('SELECT component_source AS id, count(*) AS n, min(siblings) AS low, max(siblings) AS high FROM sync_stage_milestones GROUP BY component_source ORDER BY component_source').all() as Array<{ id: string; n: number; low: number; high: number }>;

      // They wait in the staging tables: the projects show the old state, not half a project.
      expect(s.db.prepare('SELECT count(*) AS n FROM components WHERE source_id IS NOT NULL').get()).toEqual({ n: 0 });
      // The demo project is untouched and still answers.
      expect(s.listProjects().length).toBe(3);
      server.start();
      const onServer = new Map(
        ((await server.exec('SELECT "componentId" AS id, count(*)::int AS n FROM "ComponentMilestone" GROUP BY 1')).rows as Array<{ id: string; n: number }>).map((r) => [r.id, r.n]),
      );
      for (const c of staged) expect(c).toEqual({ id: c.id, n: onServer.get(c.id), low: c.n, high: c.n });
      const r = await syncFromServer(s, server.readerUrl, { batchSize: 299 });
      expect(r.tables.ComponentMilestone?.rowsIn).toBe((await server.exec('SELECT count(*)::int AS n FROM "ComponentMilestone"')).rows[0].n - partial);
      expect(localFingerprint(s.dbPath)).toEqual(await serverFingerprint());
      expect(localSummary(s, 'prj-north')).toEqual(sortFigures(await serverSummary('prj-north')));
    } finally {
      server.start();
      s.close();
    }
  }, 120_000);
});
