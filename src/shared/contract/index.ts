/**
 * The one API contract: channel -> input schema -> output type. Main parses every input with
 * these schemas before any service sees it; the renderer's client is typed by the same map.
 */
import { z } from 'zod';
import type { Channel } from './channels';
import { BUILTIN_REPORT_IDS, ComponentDetailsParamsSchema, RunBuiltinInputSchema, type BuiltinReportInfo } from '../domain/builtinReports';
import type { ReportMetaJson } from '../domain/reportResults';
import { DATASETS, type FieldInfo } from '../domain/fieldCatalog';
import { LookbackSchema, type ReportDefinition } from '../domain/reportDefinition';
import type { ScheduleSpec } from '../schedule/recurrence';

export { CHANNELS, isChannel, type Channel } from './channels';

const Empty = z.strictObject({});
const LibraryId = z.string().min(1).max(80);
const ProjectCode = z.string().max(200).optional();

const ImportFileInput = z.strictObject({
  fileName: z.string().min(1).max(255),
  contentBase64: z.string().max(30 * 1024 * 1024, 'files over about 22 MB are imported with the command line (sitereport import)'),
  projectCode: ProjectCode,
  sheet: z.string().max(100).optional(),
  mapping: z.record(z.string(), z.string().max(255)).optional(),
  // An optional milestones file (or a sheet of the same workbook: same bytes, another sheet).
  milestones: z
    .strictObject({ fileName: z.string().min(1).max(255), contentBase64: z.string().max(30 * 1024 * 1024).optional(), sheet: z.string().max(100).optional() })
    .optional(),
});

export const INPUT_SCHEMAS = {
  'app/info': Empty,
  'projects/list': Empty,
  'reports/list': Empty,
  'reports/run': RunBuiltinInputSchema,
  'reports/runDefinition': z.strictObject({
    id: LibraryId.optional(),
    definition: z.unknown().optional(),
    projectCode: ProjectCode,
    parameters: z.strictObject({ lookback: LookbackSchema.nullable().optional() }).optional(),
  }),
  'catalog/fields': z.strictObject({ dataset: z.enum(DATASETS) }),
  'catalog/distinct': z.strictObject({ dataset: z.enum(DATASETS), field: z.string().max(64), projectCode: ProjectCode }),
  'library/list': z.strictObject({ search: z.string().max(200).optional(), tag: z.string().max(40).optional(), includeDeleted: z.boolean().optional() }),
  'library/get': z.strictObject({ id: LibraryId }),
  'library/save': z.strictObject({ id: LibraryId.optional(), definition: z.unknown() }),
  'library/duplicate': z.strictObject({ id: LibraryId, name: z.string().max(120).optional() }),
  'library/rename': z.strictObject({ id: LibraryId, name: z.string().max(120) }),
  'library/tags': z.strictObject({ id: LibraryId, tags: z.array(z.string().max(40)).max(20) }),
  'library/delete': z.strictObject({ id: LibraryId }),
  'library/restore': z.strictObject({ id: LibraryId }),
  'runs/list': z.strictObject({
    definitionId: z.number().int().optional(),
    builtinId: z.string().max(60).optional(),
    status: z.enum(['running', 'succeeded', 'failed', 'cancelled']).optional(),
    trigger: z.enum(['manual', 'scheduled', 'backfill', 'catch-up']).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    beforeId: z.number().int().optional(),
  }),
  'exports/start': z.strictObject({
    source: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('builtin'), reportId: z.enum(BUILTIN_REPORT_IDS), projectCode: ProjectCode, params: z.record(z.string(), z.unknown()).optional() }),
      z.strictObject({
        kind: z.literal('definition'),
        id: LibraryId.optional(),
        definition: z.unknown().optional(),
        projectCode: ProjectCode,
        parameters: z.strictObject({ lookback: LookbackSchema.nullable().optional() }).optional(),
      }),
    ]),
    format: z.enum(['csv', 'json', 'xlsx', 'pdf']),
    folderId: z.string().max(40).optional(),
    fileName: z.string().min(1).max(200).optional(),
    overwrite: z.boolean().optional(),
    bom: z.boolean().optional(),
  }),
  'exports/list': Empty,
  'exports/cancel': z.strictObject({ id: z.string().uuid() }),
  'exports/folders': Empty,
  /** Desktop only: main shows a folder dialog; the renderer never sends a path. */
  'exports/chooseFolder': Empty,
  'app/dataVersion': Empty,
  'builder/audit': z.strictObject({
    step: z.enum(['parameters', 'schedule', 'review', 'submit']),
    action: z.enum(['enter', 'save', 'generate', 'schedule', 'reset']),
    reportName: z.string().max(120).optional(),
    definitionId: z.number().int().optional(),
  }),
  /** A file a run wrote, by run and position: the desktop app opens it or shows its folder. */
  'files/open': z.strictObject({ runId: z.number().int(), file: z.number().int().min(0).default(0), reveal: z.boolean().default(false) }),
  'dashboard/get': z.strictObject({ projectCode: ProjectCode }),
  'components/grid': z.strictObject({
    projectCode: ProjectCode,
    filters: ComponentDetailsParamsSchema.shape.filters,
    search: z.string().max(200).optional(),
    sort: ComponentDetailsParamsSchema.shape.sort,
    descending: z.boolean().optional(),
    offset: z.number().int().min(0).max(50_000_000).default(0),
    limit: z.number().int().min(1).max(1000).default(200),
    /** The previous block's `next`: continue by keyset instead of offset. */
    after: z.string().max(2000).optional(),
    withTotal: z.boolean().optional(),
  }),
  'schedules/list': Empty,
  'schedules/save': z.strictObject({
    id: z.number().int().optional(),
    name: z.string().trim().min(1, 'give the schedule a name').max(120),
    projectCode: ProjectCode,
    target: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('builtin'), reportId: z.enum(BUILTIN_REPORT_IDS) }), z.strictObject({ kind: z.literal('definition'), id: z.string().regex(/^\d+$/, 'schedule a saved report (its number)') })]),
    parameters: z.record(z.string(), z.unknown()).optional(),
    spec: z.unknown(),
    formats: z.array(z.enum(['csv', 'json', 'xlsx', 'pdf'])).min(1, 'choose at least one file format').max(4),
    folderId: z.string().max(40).optional(),
    recipients: z.array(z.string().max(254).regex(/^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/, 'is not an e-mail address')).max(50).optional(),
    backfill: z.strictObject({ days: z.number().int().min(1).max(365, 'a backfill covers at most 365 days'), segment: z.enum(['daily', 'weekly', 'monthly']) }).nullable().optional(),
    enabled: z.boolean().optional(),
  }),
  'schedules/setEnabled': z.strictObject({ id: z.number().int(), enabled: z.boolean() }),
  'schedules/delete': z.strictObject({ id: z.number().int() }),
  'schedules/preview': z.strictObject({ spec: z.unknown(), from: z.iso.datetime({ offset: true }).optional(), count: z.number().int().min(1).max(100).default(5) }),
  'schedules/runDue': Empty,
  'backfill/start': z.strictObject({
    projectCode: ProjectCode,
    scheduleId: z.number().int().nullable().optional(),
    from: z.iso.date('the backfill needs a start date (YYYY-MM-DD)'),
    to: z.iso.date('the backfill needs an end date (YYYY-MM-DD)'),
    segment: z.enum(['daily', 'weekly', 'monthly']),
    parallel: z.number().int().min(1).max(8).optional(),
    maxAttempts: z.number().int().min(1).max(10).optional(),
  }),
  'backfill/list': Empty,
  'backfill/cancel': z.strictObject({ id: z.number().int() }),
  'outbox/list': Empty,
  'outbox/retry': z.strictObject({ id: z.number().int() }),
  'settings/smtpGet': Empty,
  'settings/smtpSave': z.strictObject({ settings: z.unknown(), password: z.string().max(500).optional() }),
  // The file's bytes, read by the page: the window never names a path on disk.
  'import/preview': ImportFileInput,
  'import/apply': ImportFileInput,
  // The address with its password: used for this sync only, never stored or logged.
  'sync/start': z.strictObject({ url: z.string().trim().min(1, 'enter the server address').max(2000) }),
  'sync/status': Empty,
  'sync/cancel': Empty,
} as const satisfies Record<Channel, z.ZodType>;

export interface SyncProgressJson {
  table: 'Project' | 'ROCConfigurations' | 'Drawing' | 'Component' | 'ComponentMilestone' | 'AuditLog';
  phase: 'reading' | 'deleting' | 'refreshing';
  done: number;
  total: number;
}

export interface SyncTableFiguresJson {
  rowsIn: number;
  changed: number;
  deleted: number;
  skipped: number;
}

export interface SyncResultJson extends SyncTableFiguresJson {
  source: string;
  durationMs: number;
  tables: Partial<Record<SyncProgressJson['table'], SyncTableFiguresJson>>;
}

/** The status line: the last sync's outcome, and live progress while one runs in this process. */
export interface SyncStatusJson {
  state: 'never' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
  source: string | null;
  phase: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  lastSuccessAt: string | null;
  rowsIn: number;
  rowsChanged: number;
  rowsDeleted: number;
  rowsSkipped: number;
  durationMs: number | null;
  lastError: string | null;
  skipped: Array<{ table: string; id: string; reason: string }>;
  skippedCount: number;
  progress?: SyncProgressJson | null;
}

export type ExportStartInput = z.output<(typeof INPUT_SCHEMAS)['exports/start']>;

export interface ExportJobJson {
  id: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  format: 'csv' | 'json' | 'xlsx' | 'pdf';
  rowsWritten: number;
  totalRows: number | null;
  file: string | null;
  bytes: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface DashboardJson {
  project: { code: string; name: string };
  generatedAt: string;
  dataAsOf: string | null;
  summary: { totalComponents: number; completedComponents: number; completionPercent: number; rocWeightedPercent: number };
  areas: Array<{ area: string; totalComponents: number; completedComponents: number; completionPercent: number; rocWeightedPercent: number }>;
  scurve: Array<{ label: string; end: string; rocWeightedPercent: number }>;
  forecast: { completionDate: string | null; confidence: 'high' | 'medium' | 'low' };
  readiness: { ready: number; nearly: number; blocked: number; notStarted: number };
  stalled: { days7: number; days14: number; days21: number };
}

export type ComponentGridInput = z.output<(typeof INPUT_SCHEMAS)['components/grid']>;

export interface ComponentRowJson {
  id: number;
  tag: string;
  displayId: string | null;
  type: string;
  area: string | null;
  system: string | null;
  testPackage: string | null;
  status: string;
  completionPercent: number;
  rocWeightedPercent: number;
  workflowType: string;
  drawingNumber: string | null;
  drawingTitle: string | null;
  milestonesCompleted: number;
  milestonesTotal: number;
  lastActivity: string | null;
}

export interface ComponentGridJson {
  rows: ComponentRowJson[];
  total: number | null;
  next: string | null;
}

export type ScheduleSaveInput = z.output<(typeof INPUT_SCHEMAS)['schedules/save']>;

export interface ScheduleJson {
  id: number;
  name: string;
  project: { code: string; name: string };
  target: { kind: 'builtin'; reportId: string } | { kind: 'definition'; id: string };
  parameters: Record<string, unknown>;
  spec: ScheduleSpec;
  specText: string;
  formats: Array<'csv' | 'json' | 'xlsx' | 'pdf'>;
  folder: string;
  recipients: string[];
  backfill: { days: number; segment: 'daily' | 'weekly' | 'monthly' } | null;
  enabled: boolean;
  lastRunAt: string | null;
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface BackfillJobJson {
  id: number;
  projectCode: string;
  scheduleId: number | null;
  from: string;
  to: string;
  segment: 'daily' | 'weekly' | 'monthly';
  parallel: number;
  maxAttempts: number;
  status: 'running' | 'completed' | 'partial' | 'failed' | 'cancelled';
  segments: { total: number; completed: number; failed: number; pending: number };
  failures: Array<{ periodEnd: string; attempts: number; error: string | null }>;
  createdAt: string;
  finishedAt: string | null;
}

export interface OutboxJson {
  id: number;
  scheduleId: number | null;
  slot: string | null;
  recipient: string;
  subject: string;
  messageId: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
}

export interface SmtpSettingsJson {
  host: string;
  port: number;
  security: 'starttls' | 'tls' | 'none';
  user: string;
  from: string;
  maxAttachmentMb: number;
}

export interface SmtpStatusJson {
  settings: SmtpSettingsJson | null;
  /** Where the password is kept in this mode, and whether one is available now. */
  passwordStore: 'os-keychain' | 'environment';
  passwordAvailable: boolean;
}

export interface SchedulerStatusJson {
  /** A pass of the runner was started now (false: one is already running). */
  started: boolean;
  lastPassAt: string | null;
  lastPassSummary: string | null;
}

export interface ImportPreviewJson {
  header: string[];
  mapping: Record<string, string>;
  missing: string[];
  rows: Array<Record<string, string>>;
  totalRows: number;
  problems: Array<{ line: number; column: string; value: string; reason: string }>;
  problemCount: number;
}

export interface ExportFolderJson {
  id: string;
  path: string;
}

export interface AppInfoJson {
  dbPath: string;
  dbSizeBytes: number;
  schemaVersion: number;
  projects: number;
}

export interface ProjectJson {
  id: number;
  code: string;
  name: string;
  organization: string | null;
  createdAt: string;
  source: string;
  lastSyncedAt: string | null;
  timeZone: string;
}

export interface LibraryItemJson {
  id: string;
  kind: 'system' | 'user';
  name: string;
  description: string;
  tags: string[];
  dataset: string;
  builtinId: string | null;
  revision: number;
  updatedAt: string | null;
  deletedAt: string | null;
}

export type Cell = string | number | null;

export interface DefinitionResultJson {
  report: string;
  dataset: string;
  project: { code: string; name: string; timeZone: string };
  definition: ReportDefinition;
  generatedAt: string;
  dataAsOf: string | null;
  dataVersion: number;
  window: { start: string; end: string; timeZone: string; startUtc: string; endUtcExclusive: string } | null;
  columns: Array<{ key: string; label: string; role: 'row' | 'column' | 'value'; type: string; aggregation?: string }>;
  pivot: { key: string; label: string; values: Cell[] } | null;
  rows: Array<Record<string, Cell>>;
  rowCount: number;
  cacheHit: boolean;
  runId: number;
}

export type RunTrigger = 'manual' | 'scheduled' | 'backfill' | 'catch-up';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunJson {
  id: number;
  projectId: number | null;
  definitionId: number | null;
  builtinId: string | null;
  scheduleId: number | null;
  reportName: string;
  trigger: RunTrigger;
  parameters: unknown;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  queryMs: number | null;
  renderMs: number | null;
  rowCount: number | null;
  bytes: number | null;
  files: string[];
  error: string | null;
  cacheHit: boolean;
  /** Scheduled and catch-up runs: the slot (ISO UTC) delivered, and who was mailed. */
  slot: string | null;
  recipients: string[];
}

export interface ContractOutputs {
  'app/info': AppInfoJson;
  'projects/list': ProjectJson[];
  'reports/list': readonly BuiltinReportInfo[];
  'reports/run': ReportMetaJson & Record<string, unknown>;
  'reports/runDefinition': DefinitionResultJson;
  'catalog/fields': readonly FieldInfo[];
  'catalog/distinct': { values: Array<string | number>; truncated: boolean };
  'library/list': LibraryItemJson[];
  'library/get': { item: LibraryItemJson; definition: ReportDefinition };
  'library/save': LibraryItemJson;
  'library/duplicate': LibraryItemJson;
  'library/rename': LibraryItemJson;
  'library/tags': LibraryItemJson;
  'library/delete': LibraryItemJson;
  'library/restore': LibraryItemJson;
  'runs/list': { runs: RunJson[]; nextBeforeId: number | null };
  'exports/start': ExportJobJson;
  'exports/list': ExportJobJson[];
  'exports/cancel': ExportJobJson;
  'exports/folders': ExportFolderJson[];
  'exports/chooseFolder': ExportFolderJson;
  'app/dataVersion': { version: string };
  'builder/audit': { recorded: number };
  'files/open': { path: string; opened: boolean };
  'dashboard/get': DashboardJson;
  'components/grid': ComponentGridJson;
  'schedules/list': ScheduleJson[];
  'schedules/save': ScheduleJson;
  'schedules/setEnabled': ScheduleJson;
  'schedules/delete': { deleted: number };
  'schedules/preview': { runs: string[] };
  'schedules/runDue': SchedulerStatusJson;
  'backfill/start': BackfillJobJson;
  'backfill/list': BackfillJobJson[];
  'backfill/cancel': BackfillJobJson;
  'outbox/list': OutboxJson[];
  'outbox/retry': { retried: number };
  'settings/smtpGet': SmtpStatusJson;
  'settings/smtpSave': SmtpStatusJson;
  'import/preview': ImportPreviewJson;
  'import/apply': { rows: number; added: number; changed: number; unchanged: number; removed: number; milestones?: { rows: number; added: number; changed: number; unchanged: number; removed: number } };
  'sync/start': SyncStatusJson;
  'sync/status': SyncStatusJson;
  'sync/cancel': SyncStatusJson;
}

export type ContractInput<C extends Channel> = z.input<(typeof INPUT_SCHEMAS)[C]>;
export type ContractOutput<C extends Channel> = ContractOutputs[C];

export { BUILTIN_REPORT_IDS };
