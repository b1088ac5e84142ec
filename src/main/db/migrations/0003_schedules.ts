/**
 * Schedules (SPEC §8): what to run (a saved definition or a built-in), when (a schedule spec in
 * its time zone, with next_run_at kept in UTC), where the files go and who gets them by e-mail.
 */
export const sql = `
CREATE TABLE report_schedules (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  definition_id INTEGER REFERENCES report_definitions(id) ON DELETE CASCADE,
  builtin_id TEXT,
  parameters_json TEXT NOT NULL DEFAULT '{}',
  spec_json TEXT NOT NULL,
  formats_json TEXT NOT NULL,
  folder TEXT NOT NULL,
  recipients_json TEXT NOT NULL DEFAULT '[]',
  backfill_json TEXT,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  last_run_at TEXT,
  next_run_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((definition_id IS NULL) <> (builtin_id IS NULL))
);
CREATE INDEX idx_report_schedules_due ON report_schedules (enabled, next_run_at);
`;
