/**
 * Pulling from the project's PipeTrak PostgreSQL server (SPEC §9). Local rows remember the
 * server's id in source_id (unique where set). sync_state holds one (updatedAt, id) cursor per
 * server table, advanced in the same transaction as the batch it follows, so the cursor is never
 * ahead of the data. sync_status is the one line the Data screen and the CLI show.
 * sync_skipped lists server rows the mapping could not accept (reported, not retried forever).
 *
 * A default ROC configuration (no project) belongs to the organisation it came from: the
 * server's defaults apply to the server's projects, local ones (the demo's) to local projects.
 * Otherwise a demo default for Valves would outrank a synced project's own organisation default.
 */
export const sql = /* sql */ `
CREATE UNIQUE INDEX idx_projects_source ON projects (source_id) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX idx_drawings_source ON drawings (source_id) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX idx_components_source ON components (source_id) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX idx_milestones_source ON component_milestones (source_id) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX idx_roc_configurations_source ON roc_configurations (source_id) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX idx_audit_log_source ON audit_log (source_id) WHERE source_id IS NOT NULL;

DROP VIEW component_roc_resolution;
CREATE VIEW component_roc_resolution AS
SELECT c.id AS component_id, (
  SELECT r.id FROM roc_configurations r
  WHERE r.effective_date <= date('now')
    AND (r.project_id = c.project_id OR (r.project_id IS NULL AND (r.source_id IS NULL) = (p.source_id IS NULL)))
    AND (r.component_type = c.type OR r.component_type IS NULL)
  ORDER BY r.project_id IS NULL, r.component_type IS NULL, r.effective_date DESC, r.id DESC
  LIMIT 1) AS config_id
FROM components c JOIN projects p ON p.id = c.project_id;

CREATE TABLE sync_state (
  table_name TEXT PRIMARY KEY,
  cursor_at TEXT NOT NULL,
  cursor_id TEXT NOT NULL,
  rows_applied INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE sync_status (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  source TEXT,
  state TEXT NOT NULL DEFAULT 'never' CHECK (state IN ('never', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  phase TEXT,
  started_at TEXT,
  finished_at TEXT,
  last_success_at TEXT,
  rows_in INTEGER NOT NULL DEFAULT 0,
  rows_changed INTEGER NOT NULL DEFAULT 0,
  rows_deleted INTEGER NOT NULL DEFAULT 0,
  rows_skipped INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER,
  last_error TEXT,
  refresh_pending INTEGER NOT NULL DEFAULT 0 CHECK (refresh_pending IN (0, 1))
);
INSERT INTO sync_status (id) VALUES (1);

CREATE TABLE sync_skipped (
  table_name TEXT NOT NULL,
  source_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (table_name, source_id)
) WITHOUT ROWID;
`;
