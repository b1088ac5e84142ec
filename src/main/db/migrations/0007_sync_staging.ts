/**
 * A first sync lands its components and milestones here, batch by batch, and moves them into
 * the real tables in one transaction once the server has given them all (SPEC §9). The tables
 * have no index but their row order: a batch is an append, where writing it into components and
 * component_milestones inserted every row at a random place in the source-id indexes and each
 * commit rewrote most of their pages. `seq` is arrival order; a later row of the same source id
 * (read again after a resumed sync) replaces an earlier one. Empty whenever no first sync is
 * under way.
 */
export const sql = /* sql */ `
CREATE TABLE sync_stage_components (
  seq INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL,
  tag TEXT NOT NULL,
  display_id TEXT,
  type TEXT NOT NULL,
  spec TEXT,
  size TEXT,
  material TEXT,
  area TEXT,
  system TEXT,
  test_package TEXT,
  drawing_source TEXT,
  status TEXT NOT NULL,
  completion_percent REAL NOT NULL,
  workflow_type TEXT NOT NULL,
  test_required INTEGER NOT NULL,
  test_pressure REAL,
  installation_date TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  source_id TEXT NOT NULL
);

CREATE TABLE sync_stage_milestones (
  seq INTEGER PRIMARY KEY,
  component_source TEXT NOT NULL,
  name TEXT NOT NULL,
  milestone_order INTEGER NOT NULL,
  is_completed INTEGER NOT NULL,
  completed_at TEXT,
  completed_by TEXT,
  percentage_value REAL,
  quantity_value REAL,
  updated_at TEXT NOT NULL,
  source_id TEXT NOT NULL
);
`;
