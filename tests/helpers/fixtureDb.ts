/** Small hand-made databases: real migrations, real triggers, a temp folder per test file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/main/db/connection';
import { findProject } from '../../src/main/db/projectRepository';
import type { ReportContext } from '../../src/main/reports/reportContext';

export function tempDir(prefix = 'sitereport-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function createTestDb(): Db {
  return openDatabase(path.join(tempDir(), 'test.db'), { create: true });
}

export function addProject(db: Db, code: string): number {
  return Number(
    db.prepare("INSERT INTO projects (code, name, created_at, source) VALUES (?, ?, '2026-01-01T00:00:00Z', 'import')").run(code, `Project ${code}`).lastInsertRowid,
  );
}

export function addConfig(db: Db, projectId: number | null, type: string | null, weights: Record<string, number>, effectiveDate = '2020-01-01'): number {
  return Number(
    db
      .prepare('INSERT INTO roc_configurations (project_id, component_type, weights_json, effective_date, is_default) VALUES (?, ?, ?, ?, ?)')
      .run(projectId, type, JSON.stringify(weights), effectiveDate, projectId === null ? 1 : 0).lastInsertRowid,
  );
}

export interface ComponentSpec {
  projectId: number;
  tag: string;
  type?: string;
  area?: string | null;
  system?: string | null;
  testPackage?: string | null;
  status?: string;
  completion?: number;
  workflow?: 'MILESTONE_DISCRETE' | 'MILESTONE_PERCENTAGE' | 'MILESTONE_QUANTITY';
  testRequired?: boolean;
  testPressure?: number | null;
  updatedAt?: string;
}

export function addComponent(db: Db, c: ComponentSpec): number {
  return Number(
    db
      .prepare(
        `INSERT INTO components (project_id, tag, type, area, system, test_package, status, completion_percent, workflow_type,
           test_required, test_pressure, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z', ?)`,
      )
      .run(
        c.projectId, c.tag, c.type ?? 'Spool', c.area === undefined ? 'A1' : c.area, c.system === undefined ? 'S1' : c.system,
        c.testPackage === undefined ? 'TP1' : c.testPackage, c.status ?? 'IN_PROGRESS', c.completion ?? 0,
        c.workflow ?? 'MILESTONE_DISCRETE', c.testRequired ? 1 : 0, c.testPressure ?? null, c.updatedAt ?? '2026-01-01T00:00:00Z',
      ).lastInsertRowid,
  );
}

export interface MilestoneSpec {
  name: string;
  completedAt?: string | null;
  percentage?: number | null;
  updatedAt?: string;
  order?: number;
}

export function addMilestone(db: Db, componentId: number, m: MilestoneSpec): number {
  const done = m.completedAt !== undefined && m.completedAt !== null;
  return Number(
    db
      .prepare(
        `INSERT INTO component_milestones (component_id, name, milestone_order, is_completed, completed_at, percentage_value, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(componentId, m.name, m.order ?? 0, done ? 1 : 0, done ? m.completedAt : null, m.percentage ?? null, m.updatedAt ?? (done ? (m.completedAt as string) : '2026-01-01T00:00:00Z'))
      .lastInsertRowid,
  );
}

export function ctxFor(db: Db, code: string, now = '2026-06-15T12:00:00Z'): ReportContext {
  return { db, project: findProject(db, code), now: new Date(now) };
}
