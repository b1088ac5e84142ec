/**
 * The five built-in reports and the parameters each accepts, validated with the same schema in
 * the CLI, the IPC adapter and web mode.
 */
import { z } from 'zod';
import { isIsoDate } from '../dates';

export const BUILTIN_REPORT_IDS = [
  'progress-summary',
  'component-details',
  'test-package-readiness',
  'trend-analysis',
  'audit-trail',
] as const;
export type BuiltinReportId = (typeof BUILTIN_REPORT_IDS)[number];

export const IsoDateSchema = z
  .string()
  .refine(isIsoDate, { message: 'must be a date written YYYY-MM-DD (for example 2026-03-31)' });

const ShortText = z.string().max(200);
const ValueList = z.array(ShortText).max(1000);

export const ProgressSummaryParamsSchema = z.strictObject({ asOf: IsoDateSchema.optional() });

/** The component list's columns in exports, in their default order. */
export const COMPONENT_EXPORT_COLUMNS = ['tag', 'displayId', 'type', 'area', 'system', 'testPackage', 'status', 'completionPercent', 'rocWeightedPercent', 'workflowType', 'drawingNumber', 'drawingTitle', 'milestonesCompleted', 'milestonesTotal', 'lastActivity'] as const;

export const ComponentDetailsParamsSchema = z.strictObject({
  filters: z
    .strictObject({
      area: ValueList.optional(),
      system: ValueList.optional(),
      testPackage: ValueList.optional(),
      type: ValueList.optional(),
      status: z.array(z.enum(['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED', 'ON_HOLD'])).optional(),
    })
    .optional(),
  search: ShortText.optional(),
  sort: z
    .enum(['tag', 'type', 'area', 'system', 'testPackage', 'status', 'completionPercent', 'rocWeightedPercent', 'updatedAt', 'id'])
    .optional(),
  descending: z.boolean().optional(),
  limit: z.number().int().min(1).max(5000).optional(),
  cursor: z.string().max(2000).optional(),
  includeAudit: z.boolean().optional(),
  includeTotal: z.boolean().optional(),
  /** Exports only: these columns, in this order (the grid's visible columns). */
  columns: z.array(z.enum(COMPONENT_EXPORT_COLUMNS)).min(1, 'choose at least one column').max(15).optional(),
});

export const TestPackageReadinessParamsSchema = z.strictObject({
  testPackage: ShortText.optional(),
  blockingLimit: z.number().int().min(0).max(100000).optional(),
});

export const TrendAnalysisParamsSchema = z.strictObject({
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  groupBy: z.enum(['day', 'week', 'month']).optional(),
});

export const AuditTrailParamsSchema = z.strictObject({
  componentTag: ShortText.optional(),
  user: ShortText.optional(),
  action: ShortText.optional(),
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  limit: z.number().int().min(1).max(5000).optional(),
  cursor: z.string().max(2000).optional(),
});

export const BUILTIN_PARAM_SCHEMAS = {
  'progress-summary': ProgressSummaryParamsSchema,
  'component-details': ComponentDetailsParamsSchema,
  'test-package-readiness': TestPackageReadinessParamsSchema,
  'trend-analysis': TrendAnalysisParamsSchema,
  'audit-trail': AuditTrailParamsSchema,
} as const satisfies Record<BuiltinReportId, z.ZodType>;

export interface BuiltinReportInfo {
  id: BuiltinReportId;
  title: string;
  description: string;
}

export const BUILTIN_REPORTS: readonly BuiltinReportInfo[] = [
  { id: 'progress-summary', title: 'Progress summary', description: 'ROC-weighted and plain progress, overall and by area, system and test package' },
  { id: 'component-details', title: 'Component details', description: 'Components with drawing, milestones, last activity and recent audit entries' },
  { id: 'test-package-readiness', title: 'Test package readiness', description: 'Which packages can be pressure-tested, what blocks the rest, when they will be ready' },
  { id: 'trend-analysis', title: 'Trend analysis', description: 'Completions and ROC progress over time, velocity and forecast completion' },
  { id: 'audit-trail', title: 'Audit trail', description: 'Who changed what and when, filtered by component, user and dates' },
];

export const RunBuiltinInputSchema = z.strictObject({
  reportId: z.enum(BUILTIN_REPORT_IDS),
  projectCode: ShortText.optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});
export type RunBuiltinInput = z.infer<typeof RunBuiltinInputSchema>;

/** Turns a zod failure into one plain sentence naming the path. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
  return `${path}: ${issue.message}`;
}
