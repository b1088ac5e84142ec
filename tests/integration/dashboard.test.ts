import { describe, expect, it } from 'vitest';
import { addComponent, addMilestone, addProject, createTestDb } from '../helpers/fixtureDb';
import { openAppServices } from '../../src/main/services/appServices';
import { dashboard } from '../../src/main/services/dashboard';

describe('dashboard', () => {
  it('counts stalled components: in progress, no milestone completed for 7, 14, 21 days', () => {
    const db = createTestDb();
    const p = addProject(db, 'D');
    const add = (tag: string, status: string, completions: string[]) => {
      const id = addComponent(db, { projectId: p, tag, status });
      completions.forEach((at, i) => addMilestone(db, id, { name: `M${i}`, order: i, completedAt: at }));
      addMilestone(db, id, { name: 'Open', order: 9 });
    };
    add('fresh', 'IN_PROGRESS', ['2026-11-19T08:00:00Z']); // 3 days: not stalled
    add('ten', 'IN_PROGRESS', ['2026-10-01T08:00:00Z', '2026-11-12T08:00:00Z']); // latest 10 days ago
    add('thirty', 'IN_PROGRESS', ['2026-10-23T08:00:00Z']); // 30 days
    add('never', 'IN_PROGRESS', []); // nothing completed yet
    add('edge', 'IN_PROGRESS', ['2026-11-15T00:00:00Z']); // exactly 7 days: the cutoff day counts as recent
    add('done', 'COMPLETED', ['2026-09-01T08:00:00Z']);
    add('hold', 'ON_HOLD', ['2026-09-01T08:00:00Z']);
    const file = db.name;
    db.close();
    const s = openAppServices({ dbPath: file, now: () => new Date('2026-11-22T12:00:00Z') });
    try {
      const d = dashboard(s, 'D');
      expect(d.stalled).toEqual({ days7: 3, days14: 2, days21: 2 });
      expect(d.summary.totalComponents).toBe(7);
      expect(d.scurve.length).toBeGreaterThan(20);
      expect(d.readiness.ready + d.readiness.nearly + d.readiness.blocked + d.readiness.notStarted).toBe(1);
    } finally {
      s.close();
    }
  });
});

describe('dashboard readiness counts', () => {
  it('classify test packages exactly as the readiness report does', async () => {
    const { createDemoDatabase } = await import('../../src/main/demo/createDemoDatabase');
    const { tempDir } = await import('../helpers/fixtureDb');
    const file = `${tempDir()}/demo.db`;
    createDemoDatabase(file, { components: 3000, seed: 11, anchorDate: '2026-11-22' });
    const s = openAppServices({ dbPath: file, now: () => new Date('2026-11-22T12:00:00Z') });
    try {
      const r = s.queryReport({ reportId: 'test-package-readiness', params: { blockingLimit: 0 } }) as { summary: { readyPackages: number; nearlyReadyPackages: number; blockedPackages: number; notStartedPackages: number } };
      expect(dashboard(s).readiness).toEqual({ ready: r.summary.readyPackages, nearly: r.summary.nearlyReadyPackages, blocked: r.summary.blockedPackages, notStarted: r.summary.notStartedPackages });
      expect(r.summary.readyPackages + r.summary.blockedPackages).toBeGreaterThan(0);
    } finally {
      s.close();
    }
  });
});
