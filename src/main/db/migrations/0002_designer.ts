/**
 * Report designer storage: user definitions (system templates live in code), run history, the result cache,
 * daily progress snapshots, and a per-project data version that every write bumps inside its
 * own transaction (so a cached result is valid exactly while its version is current).
 */
const bump = (projectExpr: string) => `INSERT INTO data_versions (project_id, version) SELECT ${projectExpr}, 1 WHERE ${projectExpr} IS NOT NULL
    ON CONFLICT (project_id) DO UPDATE SET version = version + 1;`;

function versionTriggers(table: string, projectOf: (row: 'NEW' | 'OLD') => string): string {
  return ['INSERT', 'UPDATE', 'DELETE']
    .map((event) => {
      const row = event === 'DELETE' ? 'OLD' : 'NEW';
      return `CREATE TRIGGER trg_version_${table}_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN
  ${bump(projectOf(row))}
END;`;
    })
    .join('\n');
}

function cubeDelta(row: 'NEW' | 'OLD', sign: '+' | '-'): string {
  if (sign === '+') {
    return `INSERT INTO component_cube VALUES (${row}.project_id, coalesce(${row}.area, 'Unassigned'), coalesce(${row}.system, 'Unassigned'),
    ${row}.type, ${row}.status, ${row}.workflow_type, 1, ${row}.status = 'COMPLETED', CAST(round(${row}.completion_percent * 1000000.0) AS INTEGER),
    ${row}.roc_micro, ${row}.test_required, coalesce(${row}.test_pressure, 0), ${row}.test_pressure IS NOT NULL)
  ON CONFLICT (project_id, area, system, type, status, workflow_type) DO UPDATE SET
    total = total + 1, completed = completed + excluded.completed,
    completion_micro_sum = completion_micro_sum + excluded.completion_micro_sum, roc_micro_sum = roc_micro_sum + excluded.roc_micro_sum,
    test_required_sum = test_required_sum + excluded.test_required_sum, test_pressure_sum = test_pressure_sum + excluded.test_pressure_sum,
    test_pressure_count = test_pressure_count + excluded.test_pressure_count;`;
  }
  return `UPDATE component_cube SET
    total = total - 1, completed = completed - (${row}.status = 'COMPLETED'),
    completion_micro_sum = completion_micro_sum - CAST(round(${row}.completion_percent * 1000000.0) AS INTEGER),
    roc_micro_sum = roc_micro_sum - ${row}.roc_micro, test_required_sum = test_required_sum - ${row}.test_required,
    test_pressure_sum = test_pressure_sum - coalesce(${row}.test_pressure, 0), test_pressure_count = test_pressure_count - (${row}.test_pressure IS NOT NULL)
  WHERE project_id = ${row}.project_id AND area = coalesce(${row}.area, 'Unassigned') AND system = coalesce(${row}.system, 'Unassigned')
    AND type = ${row}.type AND status = ${row}.status AND workflow_type = ${row}.workflow_type;
  DELETE FROM component_cube WHERE project_id = ${row}.project_id AND total = 0;`;
}

function cubeTriggers(): string {
  return `CREATE TRIGGER trg_cube_insert AFTER INSERT ON components BEGIN
  ${cubeDelta('NEW', '+')}
END;
CREATE TRIGGER trg_cube_delete AFTER DELETE ON components BEGIN
  ${cubeDelta('OLD', '-')}
END;
CREATE TRIGGER trg_cube_update
AFTER UPDATE OF project_id, area, system, type, status, workflow_type, completion_percent, roc_micro, test_required, test_pressure ON components BEGIN
  ${cubeDelta('OLD', '-')}
  ${cubeDelta('NEW', '+')}
END;`;
}

export const sql = /* sql */ `
CREATE TABLE data_versions (
  project_id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL
);
INSERT INTO data_versions (project_id, version) SELECT id, 1 FROM projects;

CREATE TABLE report_definitions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  tags_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags_json)),
  definition_json TEXT NOT NULL CHECK (json_valid(definition_json)),
  source_template TEXT,
  revision INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX idx_report_definitions_name ON report_definitions (name);

CREATE TABLE report_runs (
  id INTEGER PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  definition_id INTEGER REFERENCES report_definitions(id) ON DELETE SET NULL,
  builtin_id TEXT,
  schedule_id INTEGER,
  report_name TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'scheduled', 'backfill', 'catch-up')),
  parameters_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(parameters_json)),
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  query_ms REAL,
  render_ms REAL,
  row_count INTEGER,
  bytes INTEGER,
  files_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files_json)),
  error TEXT,
  cache_hit INTEGER NOT NULL DEFAULT 0 CHECK (cache_hit IN (0, 1))
);
CREATE INDEX idx_report_runs_started ON report_runs (started_at);
CREATE INDEX idx_report_runs_definition ON report_runs (definition_id, started_at);
CREATE INDEX idx_report_runs_schedule ON report_runs (schedule_id, status, started_at);

CREATE TABLE report_cache (
  cache_key TEXT PRIMARY KEY,
  project_id INTEGER NOT NULL,
  data_version INTEGER NOT NULL,
  result_json TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX idx_report_cache_project ON report_cache (project_id, data_version);

CREATE TABLE progress_snapshots (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  snapshot_date TEXT NOT NULL,
  dimension TEXT NOT NULL CHECK (dimension IN ('project', 'area', 'system', 'test_package')),
  key TEXT NOT NULL,
  total_components INTEGER NOT NULL,
  completed_components INTEGER NOT NULL,
  completion_percent REAL NOT NULL,
  roc_percent REAL NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (project_id, snapshot_date, dimension, key)
) WITHOUT ROWID;

-- Components pre-aggregated over their categorical fields: a group-by on these answers from a
-- few thousand cells instead of a million rows. Keys hold 'Unassigned' for a missing value.
CREATE TABLE component_cube (
  project_id INTEGER NOT NULL,
  area TEXT NOT NULL,
  system TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  workflow_type TEXT NOT NULL,
  total INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  completion_micro_sum INTEGER NOT NULL,
  roc_micro_sum INTEGER NOT NULL,
  test_required_sum INTEGER NOT NULL,
  test_pressure_sum REAL NOT NULL,
  test_pressure_count INTEGER NOT NULL,
  PRIMARY KEY (project_id, area, system, type, status, workflow_type)
) WITHOUT ROWID;

INSERT INTO component_cube
SELECT project_id, coalesce(area, 'Unassigned'), coalesce(system, 'Unassigned'), type, status, workflow_type,
       count(*), sum(status = 'COMPLETED'), sum(CAST(round(completion_percent * 1000000.0) AS INTEGER)), sum(roc_micro),
       sum(test_required), coalesce(sum(test_pressure), 0), count(test_pressure)
FROM components GROUP BY 1, 2, 3, 4, 5, 6;

${cubeTriggers()}

${versionTriggers('components', (r) => `${r}.project_id`)}
${versionTriggers('component_milestones', (r) => `coalesce(${r}.project_id, (SELECT project_id FROM components WHERE id = ${r}.component_id))`)}
${versionTriggers('audit_log', (r) => `${r}.project_id`)}
${versionTriggers('drawings', (r) => `${r}.project_id`)}
${versionTriggers('progress_snapshots', (r) => `${r}.project_id`)}
${versionTriggers('projects', (r) => `${r}.id`)}
CREATE TRIGGER trg_version_roc_configurations AFTER UPDATE ON roc_configurations BEGIN
  UPDATE data_versions SET version = version + 1 WHERE NEW.project_id IS NULL OR project_id = NEW.project_id OR project_id = OLD.project_id;
END;
CREATE TRIGGER trg_version_roc_configurations_insert AFTER INSERT ON roc_configurations BEGIN
  UPDATE data_versions SET version = version + 1 WHERE NEW.project_id IS NULL OR project_id = NEW.project_id;
END;
CREATE TRIGGER trg_version_roc_configurations_delete AFTER DELETE ON roc_configurations BEGIN
  UPDATE data_versions SET version = version + 1 WHERE OLD.project_id IS NULL OR project_id = OLD.project_id;
END;
`;
