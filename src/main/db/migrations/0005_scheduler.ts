/**
 * The scheduler's state (SPEC §8): a lease so one runner works at a time across processes, one
 * row per (schedule, slot) so a crash and restart never deliver a slot twice, the e-mail
 * outbox, and backfill jobs with their segments. report_runs learns the slot and recipients.
 */
export const sql = `
CREATE TABLE runner_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  expires_at TEXT NOT NULL
);

CREATE TABLE schedule_slots (
  schedule_id INTEGER NOT NULL REFERENCES report_schedules(id) ON DELETE CASCADE,
  slot TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('scheduled', 'catch-up')),
  state TEXT NOT NULL CHECK (state IN ('running', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 1,
  files_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files_json)),
  rows INTEGER,
  error TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  PRIMARY KEY (schedule_id, slot)
);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  schedule_id INTEGER REFERENCES report_schedules(id) ON DELETE SET NULL,
  slot TEXT,
  run_id INTEGER REFERENCES report_runs(id) ON DELETE SET NULL,
  recipient TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  attachments_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attachments_json)),
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  sent_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX idx_outbox_due ON outbox (state, next_attempt_at);

CREATE TABLE backfill_jobs (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  schedule_id INTEGER REFERENCES report_schedules(id) ON DELETE SET NULL,
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  segment TEXT NOT NULL CHECK (segment IN ('daily', 'weekly', 'monthly')),
  parallel INTEGER NOT NULL CHECK (parallel BETWEEN 1 AND 8),
  max_attempts INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'partial', 'failed', 'cancelled')),
  created_at TEXT NOT NULL,
  finished_at TEXT
);

CREATE TABLE backfill_segments (
  job_id INTEGER NOT NULL REFERENCES backfill_jobs(id) ON DELETE CASCADE,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  rows INTEGER,
  error TEXT,
  finished_at TEXT,
  PRIMARY KEY (job_id, period_end)
);

ALTER TABLE report_runs ADD COLUMN slot TEXT;
ALTER TABLE report_runs ADD COLUMN recipients_json TEXT NOT NULL DEFAULT '[]';
`;
