import type { Db } from './connection';
import { AppError } from '../../shared/errors';
import type { RocConfigRow } from '../reports/rocMath';

import type { ProjectJson } from '../../shared/contract';

export type ProjectRow = ProjectJson;

const PROJECT_COLUMNS = `id, code, name, organization, created_at AS createdAt, source,
  last_synced_at AS lastSyncedAt, time_zone AS timeZone`;

export function listProjects(db: Db): ProjectRow[] {
  return db.prepare(`SELECT ${PROJECT_COLUMNS} FROM projects ORDER BY id`).all() as ProjectRow[];
}

/** The project named by code, or the first project when no code is given. */
export function findProject(db: Db, code?: string): ProjectRow {
  const row = (
    code === undefined
      ? db.prepare(`SELECT ${PROJECT_COLUMNS} FROM projects ORDER BY id LIMIT 1`).get()
      : db.prepare(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE code = ?`).get(code)
  ) as ProjectRow | undefined;
  if (!row) {
    throw new AppError('NOT_FOUND', code === undefined ? 'the database holds no project' : `no project with code "${code}"`);
  }
  return row;
}

/** The configurations that can apply to the project: its own, and the defaults of its source
    (a synced project takes its server's defaults, a local one the local defaults). */
export function loadRocConfigs(db: Db, projectId: number): RocConfigRow[] {
  const rows = db
    .prepare(
      `SELECT id, project_id AS projectId, component_type AS componentType, effective_date AS effectiveDate,
              weights_json AS weightsJson FROM roc_configurations r
       WHERE r.project_id = @projectId
          OR (r.project_id IS NULL AND (r.source_id IS NULL) = (SELECT source_id IS NULL FROM projects WHERE id = @projectId))`,
    )
    .all({ projectId }) as Array<Omit<RocConfigRow, 'weights'> & { weightsJson: string }>;
  return rows.map(({ weightsJson, ...rest }) => ({ ...rest, weights: JSON.parse(weightsJson) as Record<string, number> }));
}
