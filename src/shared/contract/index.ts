/**
 * The one API contract: channel -> input schema -> output type. Main parses every input with
 * these schemas before any service sees it; the renderer's client is typed by the same map.
 */
import { z } from 'zod';
import type { Channel } from './channels';
import { BUILTIN_REPORT_IDS, RunBuiltinInputSchema, type BuiltinReportInfo } from '../domain/builtinReports';
import type { ReportMetaJson } from '../domain/reportResults';

export { CHANNELS, isChannel, type Channel } from './channels';

const Empty = z.strictObject({});

export const INPUT_SCHEMAS = {
  'app/info': Empty,
  'projects/list': Empty,
  'reports/list': Empty,
  'reports/run': RunBuiltinInputSchema,
} as const satisfies Record<Channel, z.ZodType>;

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

export interface ContractOutputs {
  'app/info': AppInfoJson;
  'projects/list': ProjectJson[];
  'reports/list': readonly BuiltinReportInfo[];
  'reports/run': ReportMetaJson & Record<string, unknown>;
}

export type ContractInput<C extends Channel> = z.input<(typeof INPUT_SCHEMAS)[C]>;
export type ContractOutput<C extends Channel> = ContractOutputs[C];

export { BUILTIN_REPORT_IDS };
