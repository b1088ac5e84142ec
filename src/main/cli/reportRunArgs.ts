/**
 * Maps `sitereport report run` flags onto a built-in's parameters. Every flag is checked
 * before the database is opened, so a bad flag never touches data.
 */
import { AppError } from '../../shared/errors';
import { isIsoDate } from '../../shared/dates';
import { BUILTIN_REPORT_IDS, type BuiltinReportId } from '../../shared/domain/builtinReports';
import { parseBuiltinParams } from '../reports/builtinRegistry';
import { parseWholeNumber, takeAll, takeBoolean, takeFlag, type ParsedArgs } from './argv';

export type OutputFormat = 'json' | 'csv' | 'xlsx' | 'pdf';

export interface DefinitionRunRequest {
  kind: 'definition';
  /** Saved id or system template id, or null with a file. */
  id: string | null;
  file: string | null;
  projectCode?: string;
  format: OutputFormat;
  out: string;
  lookback: { kind: 'custom'; start: string; end: string } | null;
  csv: { bom: boolean; raw: boolean };
  overwrite: boolean;
}

export interface ReportRunRequest {
  kind: 'builtin';
  reportId: BuiltinReportId;
  projectCode?: string;
  format: OutputFormat;
  out: string;
  params: Record<string, unknown>;
  csv: { bom: boolean; raw: boolean };
  /** CSV and XLSX of component-details and audit-trail page through every row unless --limit is given. */
  allRows: boolean;
  overwrite: boolean;
}

function date(args: ParsedArgs, name: string): string | undefined {
  const v = takeFlag(args, name);
  if (v !== undefined && !isIsoDate(v)) throw new AppError('INVALID_INPUT', `--${name} must be a date written YYYY-MM-DD, not "${v}"`);
  return v;
}

const FLAGS_BY_REPORT: Record<BuiltinReportId, readonly string[]> = {
  'progress-summary': ['as-of'],
  'component-details': ['limit', 'cursor', 'sort', 'desc', 'filter', 'search', 'include-audit', 'total'],
  'test-package-readiness': ['test-package', 'blocking-limit'],
  'trend-analysis': ['from', 'to', 'group-by'],
  'audit-trail': ['from', 'to', 'limit', 'cursor', 'user', 'component', 'action'],
};
const REPORT_FLAGS = new Set(Object.values(FLAGS_BY_REPORT).flat());

function parseFormat(args: ParsedArgs): OutputFormat {
  const format = (takeFlag(args, 'format') ?? 'json') as OutputFormat;
  if (!['json', 'csv', 'xlsx', 'pdf'].includes(format)) throw new AppError('INVALID_INPUT', `--format must be json, csv, xlsx or pdf, not "${format}"`);
  return format;
}

/** A saved definition (number or system:…), or a definition file (.json). */
function parseDefinitionRun(target: string, args: ParsedArgs): DefinitionRunRequest {
  const isFile = target.toLowerCase().endsWith('.json');
  for (const flag of args.flags.keys()) {
    if (REPORT_FLAGS.has(flag) && flag !== 'from' && flag !== 'to') throw new AppError('INVALID_INPUT', `--${flag} does not apply to a report definition`);
  }
  const format = parseFormat(args);
  if ((format === 'xlsx' || format === 'pdf') && (args.flags.get('out')?.[0] ?? '-') === '-') throw new AppError('INVALID_INPUT', `--format ${format} needs --out FILE.${format}`);
  const from = date(args, 'from');
  const to = date(args, 'to');
  if ((from === undefined) !== (to === undefined)) throw new AppError('INVALID_INPUT', '--from and --to go together for a report definition');
  if (from && to && from > to) throw new AppError('INVALID_INPUT', `--from ${from} is after --to ${to}`);
  return {
    kind: 'definition',
    id: isFile ? null : target,
    file: isFile ? target : null,
    projectCode: takeFlag(args, 'project'),
    format,
    out: takeFlag(args, 'out') ?? '-',
    lookback: from && to ? { kind: 'custom', start: from, end: to } : null,
    csv: { bom: takeBoolean(args, 'bom'), raw: takeBoolean(args, 'raw-csv') },
    overwrite: takeBoolean(args, 'overwrite'),
  };
}

export function parseReportRun(args: ParsedArgs): ReportRunRequest | DefinitionRunRequest {
  const target = args.positionals[0];
  if (target === undefined) throw new AppError('INVALID_INPUT', 'report run needs a report id, e.g. progress-summary');
  if (args.positionals.length > 1) throw new AppError('INVALID_INPUT', `unexpected argument "${args.positionals[1]}"`);
  if (/^\d+$/.test(target) || target.startsWith('system:') || target.toLowerCase().endsWith('.json')) return parseDefinitionRun(target, args);
  if (!(BUILTIN_REPORT_IDS as readonly string[]).includes(target)) {
    throw new AppError('NOT_FOUND', `unknown report "${target}"; built-in reports are ${BUILTIN_REPORT_IDS.join(', ')}, or give a saved report's number or a definition file`);
  }
  const reportId = target as BuiltinReportId;
  for (const flag of args.flags.keys()) {
    if (REPORT_FLAGS.has(flag) && !FLAGS_BY_REPORT[reportId].includes(flag)) {
      throw new AppError('INVALID_INPUT', `--${flag} does not apply to ${reportId}`);
    }
  }
  const format = parseFormat(args);
  if ((format === 'xlsx' || format === 'pdf') && (args.flags.get('out')?.[0] ?? '-') === '-') throw new AppError('INVALID_INPUT', `--format ${format} needs --out FILE.${format}`);
  const params: Record<string, unknown> = {};
  const projectCode = takeFlag(args, 'project');
  const out = takeFlag(args, 'out') ?? '-';
  const csv = { bom: takeBoolean(args, 'bom'), raw: takeBoolean(args, 'raw-csv') };
  const overwrite = takeBoolean(args, 'overwrite');
  let hasLimit = false;
  switch (reportId) {
    case 'progress-summary': {
      const asOf = date(args, 'as-of');
      if (asOf) params.asOf = asOf;
      break;
    }
    case 'trend-analysis': {
      const from = date(args, 'from');
      const to = date(args, 'to');
      const groupBy = takeFlag(args, 'group-by');
      if (from) params.from = from;
      if (to) params.to = to;
      if (from && to && from > to) throw new AppError('INVALID_INPUT', `--from ${from} is after --to ${to}`);
      if (groupBy !== undefined) {
        if (!['day', 'week', 'month'].includes(groupBy)) throw new AppError('INVALID_INPUT', `--group-by must be day, week or month, not "${groupBy}"`);
        params.groupBy = groupBy;
      }
      break;
    }
    case 'component-details': {
      const limit = takeFlag(args, 'limit');
      if (limit !== undefined) {
        params.limit = parseWholeNumber(limit, 'limit', 1, 5000);
        hasLimit = true;
      }
      const cursor = takeFlag(args, 'cursor');
      if (cursor) params.cursor = cursor;
      const sort = takeFlag(args, 'sort');
      if (sort) params.sort = sort;
      if (takeBoolean(args, 'desc')) params.descending = true;
      const search = takeFlag(args, 'search');
      if (search) params.search = search;
      if (takeBoolean(args, 'include-audit')) params.includeAudit = true;
      if (takeBoolean(args, 'total')) params.includeTotal = true;
      const filters: Record<string, string[]> = {};
      for (const f of takeAll(args, 'filter')) {
        const eq = f.indexOf('=');
        if (eq <= 0) throw new AppError('INVALID_INPUT', `--filter must look like field=value[,value], not "${f}"`);
        filters[f.slice(0, eq)] = f.slice(eq + 1).split(',');
      }
      if (Object.keys(filters).length > 0) params.filters = filters;
      break;
    }
    case 'test-package-readiness': {
      const pkg = takeFlag(args, 'test-package');
      if (pkg) params.testPackage = pkg;
      const limit = takeFlag(args, 'blocking-limit');
      if (limit !== undefined) params.blockingLimit = parseWholeNumber(limit, 'blocking-limit', 0, 100000);
      break;
    }
    case 'audit-trail': {
      const from = date(args, 'from');
      const to = date(args, 'to');
      if (from) params.from = from;
      if (to) params.to = to;
      const limit = takeFlag(args, 'limit');
      if (limit !== undefined) {
        params.limit = parseWholeNumber(limit, 'limit', 1, 5000);
        hasLimit = true;
      }
      const cursor = takeFlag(args, 'cursor');
      if (cursor) params.cursor = cursor;
      const user = takeFlag(args, 'user');
      if (user) params.user = user;
      const component = takeFlag(args, 'component');
      if (component) params.componentTag = component;
      const action = takeFlag(args, 'action');
      if (action) params.action = action;
      break;
    }
  }
  // The same schema the IPC adapter uses: fails here, before any file is touched.
  const validated = parseBuiltinParams(reportId, params);
  return {
    kind: 'builtin',
    reportId,
    projectCode,
    format,
    out,
    params: validated,
    csv,
    allRows: format !== 'json' && !hasLimit && (reportId === 'component-details' || reportId === 'audit-trail'),
    overwrite,
  };
}
