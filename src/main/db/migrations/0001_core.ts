/**
 * Core project data (SPEC §3) plus the figures kept up to date by triggers so that reading a
 * summary never joins millions of milestones:
 *   components.roc_config_id  the ROC configuration that applies today (NULL = system default)
 *   components.roc_micro      ROC percent x 1e6, an integer so that sums are exact
 *   components.completed_at   when the last milestone completed, once all are complete
 *   components.last_activity_at   latest change to the component or any of its milestones
 *   components.milestones_total / milestones_completed   counts for lists and exports
 *   component_milestones.earned_micro  the milestone's current contribution (x 1e6)
 *   progress_rollups          per area / system / test package totals
 *   progress_daily            per day: milestone completions, earned points, components completed
 * A milestone's contribution is rounded to 1e-6 points before summing; the component figure is
 * that sum clamped to [0, 100e6]. Trigger names start with `trg_` so bulk loads can lift them.
 *
 * Credit events (what as-of and trends reconstruct from): a completed milestone earns its
 * contribution on its completed_at day; an open percentage milestone earns its partial credit on
 * its updated_at day (a value recorded after D is not visible on D); a quantity-workflow
 * component earns its completion on its updated_at day. progress_daily sums them per day.
 */
export const sql = /* sql */ `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  organization TEXT,
  created_at TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT 'demo',
  last_synced_at TEXT,
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  source_id TEXT
);

CREATE TABLE drawings (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  number TEXT NOT NULL,
  title TEXT,
  revision TEXT,
  source_id TEXT,
  UNIQUE (project_id, number)
);

CREATE TABLE components (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  display_id TEXT,
  type TEXT NOT NULL,
  spec TEXT,
  size TEXT,
  material TEXT,
  area TEXT,
  system TEXT,
  test_package TEXT,
  drawing_id INTEGER REFERENCES drawings(id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'NOT_STARTED'
    CHECK (status IN ('NOT_STARTED', 'IN_PROGRESS', 'COMPLETED', 'ON_HOLD')),
  completion_percent REAL NOT NULL DEFAULT 0,
  workflow_type TEXT NOT NULL DEFAULT 'MILESTONE_DISCRETE'
    CHECK (workflow_type IN ('MILESTONE_DISCRETE', 'MILESTONE_PERCENTAGE', 'MILESTONE_QUANTITY')),
  test_required INTEGER NOT NULL DEFAULT 0 CHECK (test_required IN (0, 1)),
  test_pressure REAL,
  installation_date TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  roc_config_id INTEGER,
  roc_micro INTEGER NOT NULL DEFAULT 0,
  completed_at TEXT,
  last_activity_at TEXT,
  milestones_total INTEGER NOT NULL DEFAULT 0,
  milestones_completed INTEGER NOT NULL DEFAULT 0,
  source_id TEXT,
  UNIQUE (project_id, tag)
);

CREATE TABLE component_milestones (
  id INTEGER PRIMARY KEY,
  component_id INTEGER NOT NULL REFERENCES components(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  milestone_order INTEGER NOT NULL DEFAULT 0,
  is_completed INTEGER NOT NULL DEFAULT 0 CHECK (is_completed IN (0, 1)),
  completed_at TEXT,
  completed_by TEXT,
  percentage_value REAL,
  quantity_value REAL,
  updated_at TEXT NOT NULL,
  project_id INTEGER,
  earned_micro INTEGER NOT NULL DEFAULT 0,
  share_micro INTEGER NOT NULL DEFAULT 0,
  source_id TEXT
);

CREATE TABLE roc_configurations (
  id INTEGER PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  component_type TEXT,
  weights_json TEXT NOT NULL CHECK (json_valid(weights_json) AND json_type(weights_json) = 'object'),
  effective_date TEXT NOT NULL CHECK (effective_date GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default = (project_id IS NULL)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  source_id TEXT
);

-- Weights of each configuration by milestone name; config_id 0 holds the system default.
CREATE TABLE roc_weights (
  config_id INTEGER NOT NULL,
  milestone_name TEXT NOT NULL,
  weight REAL NOT NULL,
  PRIMARY KEY (config_id, milestone_name)
) WITHOUT ROWID;

INSERT INTO roc_weights (config_id, milestone_name, weight) VALUES
  (0, 'Receive', 10), (0, 'Erect', 30), (0, 'Connect', 40), (0, 'Test', 15), (0, 'Complete', 5);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  component_id INTEGER REFERENCES components(id) ON DELETE SET NULL,
  user_name TEXT NOT NULL,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  changes_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes_json)),
  source_id TEXT
);

CREATE TABLE progress_rollups (
  project_id INTEGER NOT NULL,
  dimension TEXT NOT NULL CHECK (dimension IN ('area', 'system', 'test_package')),
  key TEXT NOT NULL,
  total INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  completion_micro_sum INTEGER NOT NULL,
  roc_micro_sum INTEGER NOT NULL,
  PRIMARY KEY (project_id, dimension, key)
) WITHOUT ROWID;

-- Credit events per day and per area / system / test package (project totals = the area rows).
CREATE TABLE progress_daily (
  project_id INTEGER NOT NULL,
  dimension TEXT NOT NULL CHECK (dimension IN ('area', 'system', 'test_package')),
  key TEXT NOT NULL,
  day TEXT NOT NULL,
  milestone_completions INTEGER NOT NULL DEFAULT 0,
  earned_micro INTEGER NOT NULL DEFAULT 0,
  share_micro INTEGER NOT NULL DEFAULT 0,
  components_completed INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, dimension, key, day)
) WITHOUT ROWID;

CREATE TABLE progress_orphan_events (
  component_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  milestone_completions INTEGER NOT NULL,
  earned_micro INTEGER NOT NULL,
  share_micro INTEGER NOT NULL
);

CREATE TABLE dimensions (dimension TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO dimensions (dimension) VALUES ('area'), ('system'), ('test_package');

-- Per-component ROC as the current configuration gives it; the one formula the triggers use.
CREATE VIEW component_roc_calc AS
SELECT
  c.id AS component_id,
  CASE WHEN c.workflow_type = 'MILESTONE_QUANTITY'
    THEN CAST(round(max(0.0, min(100.0, c.completion_percent)) * 1000000.0) AS INTEGER)
    ELSE max(0, min(100000000, coalesce((
      SELECT sum(CASE
          WHEN m.is_completed = 1 THEN CAST(round(coalesce(w.weight, 0) * 1000000.0) AS INTEGER)
          WHEN c.workflow_type = 'MILESTONE_PERCENTAGE' THEN CAST(round(coalesce(w.weight, 0)
               * max(0.0, min(100.0, coalesce(m.percentage_value, 0))) / 100.0 * 1000000.0) AS INTEGER)
          ELSE 0 END)
      FROM component_milestones m
      LEFT JOIN roc_weights w ON w.config_id = coalesce(c.roc_config_id, 0) AND w.milestone_name = m.name
      WHERE m.component_id = c.id), 0)))
  END AS roc_micro,
  (SELECT CASE WHEN count(*) > 0 AND min(m.is_completed) = 1 THEN max(m.completed_at) END
     FROM component_milestones m WHERE m.component_id = c.id) AS completed_at,
  max(c.updated_at, coalesce((SELECT max(max(m.updated_at, coalesce(m.completed_at, ''))) FROM component_milestones m
     WHERE m.component_id = c.id), '')) AS last_activity_at,
  (SELECT count(*) FROM component_milestones m WHERE m.component_id = c.id) AS milestones_total,
  (SELECT count(*) FROM component_milestones m WHERE m.component_id = c.id AND m.is_completed = 1) AS milestones_completed
FROM components c;

-- A milestone's current ROC contribution under its component's configuration, and its
-- equal share of completion (100 / milestone count x credit); both 0 for quantity workflow.
CREATE VIEW milestone_earned_calc AS
SELECT
  m.id AS milestone_id,
  c.project_id AS project_id,
  CASE
    WHEN c.workflow_type = 'MILESTONE_QUANTITY' THEN 0
    WHEN m.is_completed = 1 THEN CAST(round(coalesce(w.weight, 0) * 1000000.0) AS INTEGER)
    WHEN c.workflow_type = 'MILESTONE_PERCENTAGE' THEN CAST(round(coalesce(w.weight, 0)
         * max(0.0, min(100.0, coalesce(m.percentage_value, 0))) / 100.0 * 1000000.0) AS INTEGER)
    ELSE 0
  END AS earned_micro,
  CASE
    WHEN c.workflow_type = 'MILESTONE_QUANTITY' THEN 0
    WHEN m.is_completed = 1 THEN CAST(round(100000000.0
         / (SELECT count(*) FROM component_milestones s WHERE s.component_id = m.component_id)) AS INTEGER)
    WHEN c.workflow_type = 'MILESTONE_PERCENTAGE' THEN CAST(round(max(0.0, min(100.0, coalesce(m.percentage_value, 0)))
         * 1000000.0 / (SELECT count(*) FROM component_milestones s WHERE s.component_id = m.component_id)) AS INTEGER)
    ELSE 0
  END AS share_micro
FROM component_milestones m
JOIN components c ON c.id = m.component_id
LEFT JOIN roc_weights w ON w.config_id = coalesce(c.roc_config_id, 0) AND w.milestone_name = m.name;

-- The configuration that applies to a component today: (P,T) > (P,*) > (default,T) > (default,*).
CREATE VIEW component_roc_resolution AS
SELECT c.id AS component_id, (
  SELECT r.id FROM roc_configurations r
  WHERE r.effective_date <= date('now')
    AND (r.project_id = c.project_id OR r.project_id IS NULL)
    AND (r.component_type = c.type OR r.component_type IS NULL)
  ORDER BY r.project_id IS NULL, r.component_type IS NULL, r.effective_date DESC, r.id DESC
  LIMIT 1) AS config_id
FROM components c;
`;



/* Builders for the component and milestone triggers: each figure has one formula, used for the
   row before (OLD, sign -) and after (NEW, sign +) a change. */
function dimensionKey(row: string): string {
  return `CASE d.dimension WHEN 'area' THEN coalesce(${row}.area, 'Unassigned') WHEN 'system' THEN coalesce(${row}.system, 'Unassigned') ELSE coalesce(${row}.test_package, 'Unassigned') END`;
}

function micro(expr: string): string {
  return `CAST(round(${expr} * 1000000.0) AS INTEGER)`;
}

function rollupAdd(row: string): string {
  return `INSERT INTO progress_rollups (project_id, dimension, key, total, completed, completion_micro_sum, roc_micro_sum)
  SELECT ${row}.project_id, d.dimension, ${dimensionKey(row)}, 1, ${row}.status = 'COMPLETED',
         ${micro(`${row}.completion_percent`)}, ${row}.roc_micro
  FROM dimensions d WHERE true
  ON CONFLICT (project_id, dimension, key) DO UPDATE SET
    total = total + excluded.total,
    completed = completed + excluded.completed,
    completion_micro_sum = completion_micro_sum + excluded.completion_micro_sum,
    roc_micro_sum = roc_micro_sum + excluded.roc_micro_sum;`;
}

function rollupRemove(row: string): string {
  return `UPDATE progress_rollups SET
    total = total - 1,
    completed = completed - (${row}.status = 'COMPLETED'),
    completion_micro_sum = completion_micro_sum - ${micro(`${row}.completion_percent`)},
    roc_micro_sum = roc_micro_sum - ${row}.roc_micro
  WHERE project_id = ${row}.project_id AND (
       (dimension = 'area' AND key = coalesce(${row}.area, 'Unassigned'))
    OR (dimension = 'system' AND key = coalesce(${row}.system, 'Unassigned'))
    OR (dimension = 'test_package' AND key = coalesce(${row}.test_package, 'Unassigned')));
  DELETE FROM progress_rollups WHERE project_id = ${row}.project_id AND total = 0;`;
}

function refreshComponents(ids: string): string {
  return `UPDATE components SET
    roc_micro = (SELECT roc_micro FROM component_roc_calc WHERE component_id = components.id),
    completed_at = (SELECT completed_at FROM component_roc_calc WHERE component_id = components.id),
    last_activity_at = (SELECT last_activity_at FROM component_roc_calc WHERE component_id = components.id),
    milestones_total = (SELECT milestones_total FROM component_roc_calc WHERE component_id = components.id),
    milestones_completed = (SELECT milestones_completed FROM component_roc_calc WHERE component_id = components.id)
  WHERE id IN (${ids});`;
}

function refreshMilestones(where: string, columns = ['project_id', 'earned_micro', 'share_micro']): string {
  const sets = columns.map((c) => `${c} = (SELECT ${c} FROM milestone_earned_calc WHERE milestone_id = component_milestones.id)`);
  return `UPDATE component_milestones SET ${sets.join(', ')} WHERE ${where};`;
}

const DAILY_COLUMNS = 'project_id, dimension, key, day, milestone_completions, earned_micro, share_micro, components_completed';
const DAILY_UPSERT = `ON CONFLICT (project_id, dimension, key, day) DO UPDATE SET
    milestone_completions = milestone_completions + excluded.milestone_completions,
    earned_micro = earned_micro + excluded.earned_micro,
    share_micro = share_micro + excluded.share_micro,
    components_completed = components_completed + excluded.components_completed`;

function milestoneDay(row: string): string {
  return `substr(CASE WHEN ${row}.is_completed = 1 THEN coalesce(${row}.completed_at, ${row}.updated_at) ELSE ${row}.updated_at END, 1, 10)`;
}

function hasEvent(row: string): string {
  return `(${row}.is_completed = 1 OR ${row}.earned_micro <> 0 OR ${row}.share_micro <> 0)`;
}

/** One milestone's event under its component's three keys. */
function milestoneEvent(row: string, sign: '+' | '-'): string {
  return `INSERT INTO progress_daily (${DAILY_COLUMNS})
  SELECT c.project_id, d.dimension, ${dimensionKey('c')}, ${milestoneDay(row)},
         ${sign}${row}.is_completed, ${sign}${row}.earned_micro, ${sign}${row}.share_micro, 0
  FROM components c JOIN dimensions d
  WHERE c.id = ${row}.component_id AND ${hasEvent(row)}
  ${DAILY_UPSERT};`;
}

/** A component's own events: a quantity completion on its updated_at day; its completion. */
function componentEvents(row: string, sign: '+' | '-'): string {
  return `INSERT INTO progress_daily (${DAILY_COLUMNS})
  SELECT ${row}.project_id, d.dimension, ${dimensionKey(row)}, substr(${row}.updated_at, 1, 10), 0,
         ${sign}${row}.roc_micro, ${sign}${micro(`${row}.completion_percent`)}, 0
  FROM dimensions d WHERE ${row}.workflow_type = 'MILESTONE_QUANTITY'
  ${DAILY_UPSERT};
  INSERT INTO progress_daily (${DAILY_COLUMNS})
  SELECT ${row}.project_id, d.dimension, ${dimensionKey(row)}, substr(coalesce(${row}.completed_at, ${row}.updated_at), 1, 10),
         0, 0, 0, ${sign}1
  FROM dimensions d WHERE ${row}.status = 'COMPLETED'
  ${DAILY_UPSERT};`;
}

/** Every milestone event of one component, summed per day, under the component row's keys. */
function allMilestoneEvents(row: string, sign: '+' | '-'): string {
  return `INSERT INTO progress_daily (${DAILY_COLUMNS})
  SELECT ${row}.project_id, d.dimension, ${dimensionKey(row)}, ev.day, ${sign}ev.n, ${sign}ev.e, ${sign}ev.s, 0
  FROM (SELECT ${milestoneDay('m')} AS day, sum(m.is_completed) AS n, sum(m.earned_micro) AS e, sum(m.share_micro) AS s
        FROM component_milestones m
        WHERE m.component_id = ${row}.id AND ${hasEvent('m')}
        GROUP BY 1) ev
  JOIN dimensions d WHERE true
  ${DAILY_UPSERT};`;
}

function componentTriggers(): string {
  return `
CREATE TRIGGER trg_component_insert AFTER INSERT ON components BEGIN
  ${rollupAdd('NEW')}
  -- Setting roc_config_id always fires trg_component_roc_inputs, which computes roc_micro.
  UPDATE components SET
    roc_config_id = (SELECT config_id FROM component_roc_resolution WHERE component_id = NEW.id),
    last_activity_at = max(NEW.updated_at, coalesce(NEW.last_activity_at, ''))
  WHERE id = NEW.id;
END;

CREATE TRIGGER trg_component_delete AFTER DELETE ON components BEGIN
  ${rollupRemove('OLD')}
END;

CREATE TRIGGER trg_component_rollup_move
AFTER UPDATE OF project_id, area, system, test_package, status, completion_percent, roc_micro ON components BEGIN
  ${rollupRemove('OLD')}
  ${rollupAdd('NEW')}
END;

CREATE TRIGGER trg_component_reresolve AFTER UPDATE OF project_id, type ON components BEGIN
  UPDATE components SET
    roc_config_id = (SELECT config_id FROM component_roc_resolution WHERE component_id = NEW.id)
  WHERE id = NEW.id;
  UPDATE component_milestones SET project_id = NEW.project_id WHERE component_id = NEW.id;
END;

CREATE TRIGGER trg_component_roc_inputs
AFTER UPDATE OF roc_config_id, workflow_type, completion_percent ON components BEGIN
  UPDATE components SET roc_micro = (SELECT roc_micro FROM component_roc_calc WHERE component_id = NEW.id)
  WHERE id = NEW.id;
  ${refreshMilestones('component_id = NEW.id', ['earned_micro', 'share_micro'])}
END;

CREATE TRIGGER trg_component_activity AFTER UPDATE OF updated_at ON components BEGIN
  UPDATE components SET last_activity_at = (SELECT last_activity_at FROM component_roc_calc WHERE component_id = NEW.id)
  WHERE id = NEW.id;
END;

CREATE TRIGGER trg_milestone_insert AFTER INSERT ON component_milestones BEGIN
  -- The milestone count changed, so every sibling's completion share changes too.
  ${refreshMilestones('component_id = NEW.component_id')}
  ${refreshComponents('NEW.component_id')}
END;

CREATE TRIGGER trg_milestone_update
AFTER UPDATE OF component_id, name, is_completed, completed_at, percentage_value, updated_at ON component_milestones BEGIN
  ${refreshMilestones('id = NEW.id OR (OLD.component_id <> NEW.component_id AND component_id IN (OLD.component_id, NEW.component_id))')}
  ${refreshComponents('OLD.component_id, NEW.component_id')}
END;

CREATE TRIGGER trg_milestone_delete AFTER DELETE ON component_milestones BEGIN
  ${refreshMilestones('component_id = OLD.component_id AND EXISTS (SELECT 1 FROM components WHERE id = OLD.component_id)', ['share_micro'])}
  ${refreshComponents('OLD.component_id')}
END;

-- progress_daily follows every credit event (see the header): each milestone event and each
-- component-level event (quantity completion, component completed) under its three keys.
CREATE TRIGGER trg_daily_milestone_insert AFTER INSERT ON component_milestones BEGIN
  ${milestoneEvent('NEW', '+')}
END;

CREATE TRIGGER trg_daily_milestone_update
AFTER UPDATE OF component_id, is_completed, completed_at, updated_at, earned_micro, share_micro ON component_milestones BEGIN
  ${milestoneEvent('OLD', '-')}
  ${milestoneEvent('NEW', '+')}
END;

CREATE TRIGGER trg_daily_milestone_delete AFTER DELETE ON component_milestones BEGIN
  ${milestoneEvent('OLD', '-')}
  -- Deleted by the cascade of its component's deletion: the component's keys are gone, so the
  -- event waits here for trg_daily_component_delete, which still has them in OLD.
  INSERT INTO progress_orphan_events (component_id, day, milestone_completions, earned_micro, share_micro)
  SELECT OLD.component_id, ${milestoneDay('OLD')}, OLD.is_completed, OLD.earned_micro, OLD.share_micro
  WHERE NOT EXISTS (SELECT 1 FROM components WHERE id = OLD.component_id) AND ${hasEvent('OLD')};
END;

CREATE TRIGGER trg_daily_component_insert AFTER INSERT ON components BEGIN
  ${componentEvents('NEW', '+')}
END;

CREATE TRIGGER trg_daily_component_update
AFTER UPDATE OF project_id, area, system, test_package, status, completed_at, updated_at, roc_micro, completion_percent, workflow_type
ON components BEGIN
  ${componentEvents('OLD', '-')}
  ${componentEvents('NEW', '+')}
END;

CREATE TRIGGER trg_daily_component_move AFTER UPDATE OF project_id, area, system, test_package ON components BEGIN
  ${allMilestoneEvents('OLD', '-')}
  ${allMilestoneEvents('NEW', '+')}
END;

CREATE TRIGGER trg_daily_component_delete AFTER DELETE ON components BEGIN
  ${componentEvents('OLD', '-')}
  INSERT INTO progress_daily (${DAILY_COLUMNS})
  SELECT OLD.project_id, d.dimension, ${dimensionKey('OLD')}, o.day,
         -sum(o.milestone_completions), -sum(o.earned_micro), -sum(o.share_micro), 0
  FROM progress_orphan_events o JOIN dimensions d
  WHERE o.component_id = OLD.id
  GROUP BY d.dimension, o.day
  ${DAILY_UPSERT};
  DELETE FROM progress_orphan_events WHERE component_id = OLD.id;
END;
`;
}


/** Triggers live apart from the tables so that bulk loads can drop and restore them. */
export const triggersSql = /* sql */ `
CREATE TRIGGER trg_roc_config_weights_check BEFORE INSERT ON roc_configurations
WHEN EXISTS (SELECT 1 FROM json_each(NEW.weights_json) WHERE type NOT IN ('integer', 'real'))
BEGIN
  SELECT RAISE(ABORT, 'roc weights must all be numbers');
END;

CREATE TRIGGER trg_roc_config_weights_check_update BEFORE UPDATE OF weights_json ON roc_configurations
WHEN EXISTS (SELECT 1 FROM json_each(NEW.weights_json) WHERE type NOT IN ('integer', 'real'))
BEGIN
  SELECT RAISE(ABORT, 'roc weights must all be numbers');
END;

CREATE TRIGGER trg_roc_config_insert AFTER INSERT ON roc_configurations BEGIN
  INSERT INTO roc_weights (config_id, milestone_name, weight)
    SELECT NEW.id, key, value FROM json_each(NEW.weights_json);
  UPDATE components SET roc_config_id = (
      SELECT config_id FROM component_roc_resolution WHERE component_id = components.id)
  WHERE (NEW.project_id IS NULL OR project_id = NEW.project_id)
    AND (NEW.component_type IS NULL OR type = NEW.component_type)
    AND roc_config_id IS NOT (SELECT config_id FROM component_roc_resolution WHERE component_id = components.id);
END;

CREATE TRIGGER trg_roc_config_update AFTER UPDATE ON roc_configurations BEGIN
  DELETE FROM roc_weights WHERE config_id = OLD.id;
  INSERT INTO roc_weights (config_id, milestone_name, weight)
    SELECT NEW.id, key, value FROM json_each(NEW.weights_json);
  UPDATE components SET roc_config_id = (
      SELECT config_id FROM component_roc_resolution WHERE component_id = components.id)
  WHERE roc_config_id IS NOT (SELECT config_id FROM component_roc_resolution WHERE component_id = components.id);
  UPDATE components SET roc_micro = (SELECT roc_micro FROM component_roc_calc WHERE component_id = components.id)
  WHERE roc_config_id = NEW.id;
  UPDATE component_milestones SET earned_micro = (
      SELECT earned_micro FROM milestone_earned_calc WHERE milestone_id = component_milestones.id)
  WHERE component_id IN (SELECT id FROM components WHERE roc_config_id = NEW.id);
END;

CREATE TRIGGER trg_roc_config_delete AFTER DELETE ON roc_configurations BEGIN
  DELETE FROM roc_weights WHERE config_id = OLD.id;
  UPDATE components SET roc_config_id = (
      SELECT config_id FROM component_roc_resolution WHERE component_id = components.id)
  WHERE roc_config_id IS OLD.id
     OR roc_config_id IS NOT (SELECT config_id FROM component_roc_resolution WHERE component_id = components.id);
END;

${componentTriggers()}`;

/** Indexes are kept apart so a bulk load into an empty table can build them afterwards. */
export const indexesSql = /* sql */ `
CREATE INDEX idx_components_area ON components (project_id, area);
CREATE INDEX idx_components_system ON components (project_id, system);
CREATE INDEX idx_components_test_package ON components (project_id, test_package);
CREATE INDEX idx_components_type ON components (project_id, type, roc_config_id);
CREATE INDEX idx_components_status ON components (project_id, status);
CREATE INDEX idx_components_completion ON components (project_id, completion_percent);
CREATE INDEX idx_components_roc ON components (project_id, roc_micro);
CREATE INDEX idx_components_updated ON components (project_id, updated_at);
CREATE INDEX idx_components_drawing ON components (drawing_id);
CREATE UNIQUE INDEX idx_milestones_component_name ON component_milestones (component_id, name);
CREATE INDEX idx_audit_project_at ON audit_log (project_id, at);
CREATE INDEX idx_audit_component ON audit_log (component_id, at);
CREATE INDEX idx_roc_configurations_scope ON roc_configurations (project_id, component_type, effective_date);
`;
