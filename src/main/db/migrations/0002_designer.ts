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
