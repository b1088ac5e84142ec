/** The builder's step changes (SPEC §6): which step, what was done, and the draft's name. */
export const sql = `
CREATE TABLE builder_audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  step TEXT NOT NULL,
  action TEXT NOT NULL,
  report_name TEXT,
  definition_id INTEGER
);
CREATE INDEX idx_builder_audit_at ON builder_audit (at);
`;
