/**
 * What a user can drag: each dataset's fields with label, type, the aggregations that make
 * sense for that type, and whether it can be filtered. The SQL behind each field lives in main
 * (src/main/query/catalogSql.ts); this part is shared so the renderer's palette and the
 * validator agree.
 */
export const DATASETS = ['components', 'milestones', 'audit', 'snapshots'] as const;
export type Dataset = (typeof DATASETS)[number];

export const FIELD_TYPES = ['text', 'enum', 'number', 'percent', 'boolean', 'date', 'datetime'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const AGGREGATIONS = [
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'distinctCount',
  'rocWeightedPercent',
  'completionPercent',
  'completedCount',
] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** Aggregations computed over the dataset's rows, not over a field. */
export const DATASET_MEASURES: Record<Dataset, readonly Aggregation[]> = {
  components: ['count', 'rocWeightedPercent', 'completionPercent', 'completedCount'],
  milestones: ['count', 'completedCount'],
  audit: ['count'],
  snapshots: ['count'],
};

export const AGGREGATIONS_BY_TYPE: Record<FieldType, readonly Aggregation[]> = {
  text: ['count', 'distinctCount', 'min', 'max'],
  enum: ['count', 'distinctCount', 'min', 'max'],
  number: ['count', 'sum', 'avg', 'min', 'max', 'distinctCount'],
  percent: ['count', 'sum', 'avg', 'min', 'max', 'distinctCount'],
  boolean: ['count', 'sum', 'avg', 'distinctCount'],
  date: ['count', 'distinctCount', 'min', 'max'],
  datetime: ['count', 'distinctCount', 'min', 'max'],
};

export interface FieldInfo {
  name: string;
  label: string;
  type: FieldType;
  group: string;
  filterable: boolean;
  aggregations: readonly Aggregation[];
  /** For enums: the allowed values. */
  values?: readonly string[];
}

const STATUS_VALUES = ['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED', 'ON_HOLD'] as const;
const WORKFLOW_VALUES = ['MILESTONE_DISCRETE', 'MILESTONE_PERCENTAGE', 'MILESTONE_QUANTITY'] as const;

function field(name: string, label: string, type: FieldType, group: string, extra: Partial<FieldInfo> = {}): FieldInfo {
  return { name, label, type, group, filterable: true, aggregations: AGGREGATIONS_BY_TYPE[type], ...extra };
}

const COMPONENT_FIELDS: FieldInfo[] = [
  field('tag', 'Tag', 'text', 'Component'),
  field('displayId', 'Display ID', 'text', 'Component'),
  field('type', 'Type', 'text', 'Component'),
  field('spec', 'Spec', 'text', 'Component'),
  field('size', 'Size', 'text', 'Component'),
  field('material', 'Material', 'text', 'Component'),
  field('area', 'Area', 'text', 'Location'),
  field('system', 'System', 'text', 'Location'),
  field('testPackage', 'Test package', 'text', 'Location'),
  field('drawingNumber', 'Drawing', 'text', 'Location'),
  field('status', 'Status', 'enum', 'Progress', { values: STATUS_VALUES }),
  field('workflowType', 'Workflow', 'enum', 'Progress', { values: WORKFLOW_VALUES }),
  field('completionPercent', 'Completion %', 'percent', 'Progress'),
  field('rocPercent', 'ROC %', 'percent', 'Progress'),
  field('testRequired', 'Test required', 'boolean', 'Testing'),
  field('testPressure', 'Test pressure', 'number', 'Testing'),
  field('installationDate', 'Installation date', 'date', 'Dates'),
  field('createdAt', 'Created', 'datetime', 'Dates'),
  field('updatedAt', 'Updated', 'datetime', 'Dates'),
  field('completedAt', 'Completed', 'datetime', 'Dates'),
  field('lastActivityAt', 'Last activity', 'datetime', 'Dates'),
];

const COMPONENT_CONTEXT: FieldInfo[] = COMPONENT_FIELDS.filter((f) =>
  ['tag', 'type', 'area', 'system', 'testPackage', 'status'].includes(f.name),
).map((f) => ({ ...f, group: 'Component' }));

const MILESTONE_FIELDS: FieldInfo[] = [
  field('milestone', 'Milestone', 'text', 'Milestone'),
  field('order', 'Order', 'number', 'Milestone'),
  field('isCompleted', 'Completed', 'boolean', 'Milestone'),
  field('completedAt', 'Completed at', 'datetime', 'Milestone'),
  field('completedBy', 'Completed by', 'text', 'Milestone'),
  field('percentageValue', 'Percent complete', 'percent', 'Milestone'),
  field('quantityValue', 'Quantity', 'number', 'Milestone'),
  field('earnedPoints', 'ROC points', 'number', 'Milestone'),
  field('updatedAt', 'Updated', 'datetime', 'Milestone'),
  ...COMPONENT_CONTEXT,
];

const AUDIT_FIELDS: FieldInfo[] = [
  field('at', 'When', 'datetime', 'Audit'),
  field('user', 'User', 'text', 'Audit'),
  field('action', 'Action', 'text', 'Audit'),
  ...COMPONENT_CONTEXT.filter((f) => f.name !== 'status'),
];

const SNAPSHOT_FIELDS: FieldInfo[] = [
  field('snapshotDate', 'Snapshot date', 'date', 'Snapshot'),
  field('dimension', 'Breakdown', 'enum', 'Snapshot', { values: ['project', 'area', 'system', 'test_package'] }),
  field('key', 'Group', 'text', 'Snapshot'),
  field('totalComponents', 'Components', 'number', 'Figures'),
  field('completedComponents', 'Completed', 'number', 'Figures'),
  field('completionPercent', 'Completion %', 'percent', 'Figures'),
  field('rocPercent', 'ROC %', 'percent', 'Figures'),
];

export const FIELD_CATALOG: Record<Dataset, readonly FieldInfo[]> = {
  components: COMPONENT_FIELDS,
  milestones: MILESTONE_FIELDS,
  audit: AUDIT_FIELDS,
  snapshots: SNAPSHOT_FIELDS,
};

/** The date field a lookback window applies to when the definition names none. */
export const DEFAULT_DATE_FIELD: Record<Dataset, string> = {
  components: 'lastActivityAt',
  milestones: 'completedAt',
  audit: 'at',
  snapshots: 'snapshotDate',
};

export function findField(dataset: Dataset, name: string): FieldInfo | undefined {
  return FIELD_CATALOG[dataset].find((f) => f.name === name);
}

export const MEASURE_LABELS: Record<Aggregation, string> = {
  count: 'Count',
  sum: 'Sum',
  avg: 'Average',
  min: 'Minimum',
  max: 'Maximum',
  distinctCount: 'Distinct count',
  rocWeightedPercent: 'ROC %',
  completionPercent: 'Completion %',
  completedCount: 'Completed',
};
