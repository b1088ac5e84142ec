import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { openAppServices, type AppServices } from '../../src/main/services/appServices';
import { BackfillJobs, segmentsOf } from '../../src/main/scheduler/backfillJobs';
import { progressSummary } from '../../src/main/reports/progressSummary';
import { findProject } from '../../src/main/db/projectRepository';
import { tempDir } from '../helpers/fixtureDb';

const dir = tempDir('sitereport-backfill-');
const NOW = new Date('2026-11-22T12:00:00Z');

function freshServices(name: string): AppServices {
  const dbPath = path.join(dir, `${name}.db`);
  createDemoDatabase(dbPath, { components: 400, seed: 5, anchorDate: '2026-11-22' });
  return openAppServices({ dbPath, now: () => NOW });
}

const snapshotRoc = (s: AppServices, date: string) =>
  (s.db.prepare("SELECT roc_percent AS roc, total_components AS total FROM progress_snapshots WHERE dimension = 'project' AND snapshot_date = ?").get(date) as { roc: number; total: number } | undefined);

describe('backfill segments', () => {
  it('cuts a window into ISO weeks, calendar months or days, clipped to the window', () => {
    expect(segmentsOf('2026-10-28', '2026-11-22', 'weekly')).toEqual([
      { start: '2026-10-28', end: '2026-11-01' },
      { start: '2026-11-02', end: '2026-11-08' },
      { start: '2026-11-09', end: '2026-11-15' },
      { start: '2026-11-16', end: '2026-11-22' },
    ]);
    expect(segmentsOf('2024-01-15', '2024-03-10', 'monthly')).toEqual([
      { start: '2024-01-15', end: '2024-01-31' },
      { start: '2024-02-01', end: '2024-02-29' },
      { start: '2024-03-01', end: '2024-03-10' },
    ]);
    expect(segmentsOf('2026-02-27', '2026-03-01', 'daily').map((s) => s.end)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});

describe('backfill jobs', () => {
  let s: AppServices;
  let jobs: BackfillJobs;
  beforeAll(() => {
    s = freshServices('jobs');
    jobs = new BackfillJobs(s);
  });
  afterAll(async () => {
    await jobs.stopAll();
    s.close();
  });

  it('refuses more than 365 days, reversed windows and bad limits in plain words', () => {
    expect(() => jobs.start({ from: '2025-11-21', to: '2026-11-22', segment: 'daily' })).toThrow('a backfill covers at most 365 days; this one covers 367');
    expect(() => jobs.start({ from: '2026-11-22', to: '2026-11-01', segment: 'daily' })).toThrow('the backfill starts (2026-11-22) after it ends (2026-11-01)');
    expect(() => jobs.start({ from: '2026-11-01', to: '2026-11-22', segment: 'daily', parallel: 0 })).toThrow('run 1 to 8 segments at once');
    expect(jobs.list()).toEqual([]);
  });

  it('stores one snapshot per period end, equal to the report reconstructed as of that date, with progress events', async () => {
    const events: number[] = [];
    const off = jobs.onChange((j) => events.push(j.segments.completed));
    const job = jobs.start({ from: '2026-08-24', to: '2026-11-22', segment: 'weekly', parallel: 2 });
    const done = await jobs.settled(job.id);
    off();
    expect(done).toMatchObject({ status: 'completed', segments: { total: 13, completed: 13, failed: 0, pending: 0 } });
    expect(events.at(-1)).toBe(13);
    expect(new Set(events).size).toBeGreaterThan(5);
    const project = findProject(s.db);
    for (const end of ['2026-08-30', '2026-10-04', '2026-11-22']) {
      const direct = progressSummary({ db: s.db, project, now: NOW }, { asOf: end });
      expect(snapshotRoc(s, end)).toEqual({ roc: direct.summary.rocWeightedPercent, total: direct.summary.totalComponents });
    }
    // The curve rises: later period ends never show less earned value.
    const curve = (s.db.prepare("SELECT roc_percent AS roc FROM progress_snapshots WHERE dimension = 'project' ORDER BY snapshot_date").all() as Array<{ roc: number }>).map((r) => r.roc);
    expect(curve).toEqual([...curve].sort((a, b) => a - b));
  });

  it('retries a failing segment and ends partial when one keeps failing', async () => {
    process.env.SITEREPORT_FAIL_SEGMENTS = '2026-10-11:1,2026-10-18:9';
    try {
      const job = jobs.start({ from: '2026-10-05', to: '2026-10-25', segment: 'weekly', parallel: 2, maxAttempts: 3 });
      const done = await jobs.settled(job.id);
      expect(done.status).toBe('partial');
      expect(done.segments).toEqual({ total: 3, completed: 2, failed: 1, pending: 0 });
      expect(done.failures).toEqual([{ periodEnd: '2026-10-18', attempts: 3, error: 'injected failure for 2026-10-18 (attempt 3)' }]);
      const retried = s.db.prepare('SELECT attempts, status FROM backfill_segments WHERE job_id = ? AND period_end = ?').get(job.id, '2026-10-11');
      expect(retried).toEqual({ attempts: 2, status: 'completed' });
    } finally {
      delete process.env.SITEREPORT_FAIL_SEGMENTS;
    }
  });

  it('a job whose every segment fails ends failed; a cancelled one ends cancelled', async () => {
    process.env.SITEREPORT_FAIL_SEGMENTS = '2026-11-01:9';
    try {
      const failed = await jobs.settled(jobs.start({ from: '2026-11-01', to: '2026-11-01', segment: 'daily', maxAttempts: 2 }).id);
      expect(failed).toMatchObject({ status: 'failed', segments: { failed: 1 } });
    } finally {
      delete process.env.SITEREPORT_FAIL_SEGMENTS;
    }
    const job = jobs.start({ from: '2025-11-23', to: '2026-11-22', segment: 'daily', parallel: 1 });
    jobs.cancel(job.id);
    const cancelled = await jobs.settled(job.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.segments.pending).toBeGreaterThan(300);
  });
});

describe('backfill after a crash', () => {
  it('killed after 10 segments, resumes without redoing them and ends like an uninterrupted run', async () => {
    const s = freshServices('crash');
    const dbPath = s.dbPath;
    s.close();
    const helper = path.resolve(__dirname, '../helpers/backfillProcess.ts');
    const killed = spawnSync(process.execPath, ['--import', 'tsx', helper, dbPath, '2026-09-24', '2026-11-22', 'daily'], { encoding: 'utf8', env: { ...process.env, SITEREPORT_CRASH_AT: 'after-backfill-segment:10' } });
    expect(killed.signal).toBe('SIGKILL');
    const again = openAppServices({ dbPath, now: () => NOW });
    try {
      const before = again.db.prepare("SELECT period_end AS periodEnd, finished_at AS finishedAt, attempts FROM backfill_segments WHERE status = 'completed' ORDER BY period_end").all() as Array<{ periodEnd: string; finishedAt: string; attempts: number }>;
      expect(before).toHaveLength(10);
      expect((again.db.pragma('integrity_check', { simple: true }) as string)).toBe('ok');
      const jobs = new BackfillJobs(again);
      expect(jobs.resumeInterrupted()).toEqual([1]);
      const done = await jobs.settled(1);
      expect(done).toMatchObject({ status: 'completed', segments: { total: 60, completed: 60 } });
      const after = again.db.prepare('SELECT period_end AS periodEnd, finished_at AS finishedAt, attempts FROM backfill_segments WHERE period_end IN (' + before.map(() => '?').join(',') + ') ORDER BY period_end').all(...before.map((b) => b.periodEnd));
      expect(after).toEqual(before);
      const project = findProject(again.db);
      const direct = progressSummary({ db: again.db, project, now: NOW }, { asOf: '2026-10-15' });
      expect(snapshotRoc(again, '2026-10-15')?.roc).toBe(direct.summary.rocWeightedPercent);
      expect((again.db.prepare("SELECT count(DISTINCT snapshot_date) AS n FROM progress_snapshots WHERE snapshot_date BETWEEN '2026-09-24' AND '2026-11-22'").get() as { n: number }).n).toBe(60);
    } finally {
      again.close();
    }
  });
});
