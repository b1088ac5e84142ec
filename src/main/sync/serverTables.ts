/**
 * What SiteReport reads from each PipeTrak table (seeds/000 schema, camelCase quoted names) and
 * the columns it needs there. Timestamps come back as text the server formats, so nothing is
 * lost to JavaScript's millisecond dates: `cursor_at` keeps the microseconds the next batch
 * compares against.
 */
export type ServerTableName = 'Project' | 'ROCConfigurations' | 'Drawing' | 'Component' | 'ComponentMilestone' | 'AuditLog';

/** What a first sync orders a table by (SQL over alias `t`), and the SELECT column that carries it back. */
export interface FirstReadKey {
  expression: string;
  column: string;
}

export interface ServerTable {
  name: ServerTableName;
  /** The local table its rows land in. */
  local: 'projects' | 'roc_configurations' | 'drawings' | 'components' | 'component_milestones' | 'audit_log';
  /** What the server orders and resumes by, with `id` as the tie-break. */
  cursorColumn: string;
  /** Columns that must exist on the server (checked before anything is read). */
  required: readonly string[];
  /** Other tables a row joins for names (user names), with their required columns. */
  joins?: Readonly<Record<string, readonly string[]>>;
  /** SELECT list (alias `t` for the table) and any joins it needs. */
  select: string;
  join?: string;
  /**
   * A first sync reads the table ordered by this column and id instead of the cursor column, so
   * that a component's milestones arrive together and in the order of the components. `column`:
   * its name in the SELECT list, which carries the key back (not a second copy of it: five
   * million more values to parse cost ~1.2 s of the first sync's read).
   */
  firstReadKey?: FirstReadKey;
}

/** Fixed-width UTC text, so cursors compare as strings in the same order as on the server. */
export const cursorText = (column: string): string => `to_char((${column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`;
const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const day = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

/** In the order a sync applies them: every row's parents arrive before it. */
export const SERVER_TABLES: readonly ServerTable[] = [
  {
    name: 'Project',
    local: 'projects',
    cursorColumn: 'updatedAt',
    required: ['id', 'organizationId', 'name', 'createdAt', 'updatedAt'],
    select: `t.id, t."organizationId" AS organization, t.name, ${iso('t."createdAt"')} AS created_at`,
  },
  {
    name: 'ROCConfigurations',
    local: 'roc_configurations',
    cursorColumn: 'updatedAt',
    required: ['id', 'projectId', 'componentType', 'milestoneWeights', 'effectiveDate', 'createdAt', 'updatedAt'],
    select: `t.id, t."projectId" AS project, t."componentType" AS component_type, t."milestoneWeights"::text AS weights,
             ${day('t."effectiveDate"')} AS effective_date, ${iso('t."createdAt"')} AS created_at`,
  },
  {
    name: 'Drawing',
    local: 'drawings',
    cursorColumn: 'updatedAt',
    required: ['id', 'projectId', 'number', 'title', 'revision', 'updatedAt'],
    select: 't.id, t."projectId" AS project, t.number, t.title, t.revision',
  },
  {
    name: 'Component',
    local: 'components',
    cursorColumn: 'updatedAt',
    required: [
      'id', 'projectId', 'drawingId', 'componentId', 'instanceNumber', 'displayId', 'type', 'spec', 'size', 'material', 'area', 'system',
      'testPackage', 'status', 'completionPercent', 'workflowType', 'testRequired', 'testPressure', 'installationDate', 'createdAt', 'updatedAt',
    ],
    select: `t.id, t."projectId" AS project, t."drawingId" AS drawing, t."componentId" AS tag, t."instanceNumber" AS instance,
             t."displayId" AS display_id, t.type, t.spec, t.size, t.material, t.area, t.system, t."testPackage" AS test_package,
             t.status::text AS status, t."completionPercent"::float8 AS completion, t."workflowType"::text AS workflow,
             t."testRequired" AS test_required, t."testPressure"::float8 AS test_pressure, ${day('t."installationDate"')} AS installation_date,
             ${iso('t."createdAt"')} AS created_at, ${iso('t."updatedAt"')} AS updated_at`,
    firstReadKey: { expression: 't.id', column: 'id' },
  },
  {
    name: 'ComponentMilestone',
    local: 'component_milestones',
    cursorColumn: 'updatedAt',
    required: ['id', 'componentId', 'milestoneName', 'milestoneOrder', 'isCompleted', 'completedAt', 'completedBy', 'percentageValue', 'quantityValue', 'updatedAt'],
    joins: { user: ['id', 'name'] },
    select: `t.id, t."componentId" AS component, t."milestoneName" AS name, t."milestoneOrder" AS milestone_order,
             t."isCompleted" AS is_completed, ${iso('t."completedAt"')} AS completed_at, coalesce(u.name, t."completedBy") AS completed_by,
             t."percentageValue"::float8 AS percentage_value, t."quantityValue"::float8 AS quantity_value, ${iso('t."updatedAt"')} AS updated_at`,
    join: 'LEFT JOIN "user" u ON u.id = t."completedBy"',
    firstReadKey: { expression: 't."componentId"', column: 'component' },
  },
  {
    name: 'AuditLog',
    local: 'audit_log',
    cursorColumn: 'timestamp',
    required: ['id', 'projectId', 'componentId', 'userId', 'action', 'changes', 'timestamp'],
    joins: { user: ['id', 'name'] },
    select: `t.id, t."projectId" AS project, t."componentId" AS component, coalesce(u.name, t."userId", 'unknown') AS user_name,
             t.action, t.changes::text AS changes, ${iso('t."timestamp"')} AS at`,
    join: 'LEFT JOIN "user" u ON u.id = t."userId"',
  },
];
