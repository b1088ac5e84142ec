/**
 * Report files for every caller — the CLI, the app (through export jobs) and the scheduler:
 * a built-in or a saved/ad-hoc definition in CSV, JSON, XLSX or PDF, written atomically into
 * the folder the caller chose, with progress and cancel.
 */
import path from 'node:path';
import { BUILTIN_REPORTS, type BuiltinReportId } from '../../shared/domain/builtinReports';
import { addDays } from '../../shared/dates';
import { AppError } from '../../shared/errors';
import { findProject } from '../db/projectRepository';
import type { BuiltinResult } from '../reports/builtinRegistry';
import { iterateComponentRows, type ComponentDetailsParams, type ComponentDetailsResult } from '../reports/componentDetails';
import type { AuditTrailResult } from '../reports/auditTrail';
import type { TrendResult } from '../reports/trendAnalysis';
import { csvLine, UTF8_BOM } from '../../shared/csv';
import { csvFormat, writeText } from '../export/csvFormat';
import { ExportCancelled, exportTable, type ExportOptions, type ExportResult, type ExportTable, type FormatWriter } from '../export/exporter';
import { resolveExportTarget } from '../export/exportPath';
import { jsonFormat } from '../export/jsonFormat';
import { appendComponentCsv } from '../export/parallelComponentCsv';
import { builtinCharts, builtinSections, builtinTable, definitionCharts, definitionTable } from '../export/reportTables';
import type { AppServices, RunDefinitionInput } from './appServices';
import type { RunTrigger } from './runHistory';

export type ExportFormat = 'csv' | 'json' | 'xlsx' | 'pdf';

export type ExportSource =
  | { kind: 'builtin'; reportId: BuiltinReportId; projectCode?: string; params?: Record<string, unknown> }
  | { kind: 'definition'; id?: string; definition?: unknown; projectCode?: string; parameters?: RunDefinitionInput['parameters'] };

export interface ExportRequest {
  source: ExportSource;
  format: ExportFormat;
  /** The folder the user chose; the file never lands outside it. */
  folder: string;
  /** Without extension; defaults to the report's title. */
  fileName?: string;
  overwrite?: boolean;
  /** Every row (component and audit lists), not just the first page. Default true. */
  allRows?: boolean;
}

export interface ExportRunOptions extends Pick<ExportOptions, 'onProgress' | 'signal' | 'bom' | 'rawCsv'> {
  trigger?: RunTrigger;
  scheduleId?: number | null;
  slot?: string | null;
  recipients?: string[];
  /** Called once the file is in place under its final name, before the run is marked. */
  afterRename?: (file: string) => void;
}

function nextCursorOf(result: BuiltinResult): string | null {
  return (result as Partial<ComponentDetailsResult | AuditTrailResult>).pagination?.nextCursor ?? null;
}

const PAGE = 5000;

/** A CSV of the whole component list, split between reader threads (see parallelComponentCsv). */
function componentCsvFormat(services: AppServices, projectId: number, params: ComponentDetailsParams, header: string[]): FormatWriter {
  return {
    extension: '.csv',
    write: async (_table, tempFile, options) => {
      await writeText(tempFile, _table, options, async (out) => {
        if (options.bom) out.write(UTF8_BOM);
        out.write(csvLine(header, options.rawCsv));
        return 0;
      });
      return appendComponentCsv(services.dbPath, projectId, params, tempFile, { raw: options.rawCsv ?? false, signal: options.signal, onProgress: options.onProgress });
    },
  };
}

interface Prepared {
  title: string;
  builtinId: string | null;
  definitionId: number | null;
  projectId: number;
  table: ExportTable;
  writer: FormatWriter | Promise<FormatWriter>;
}

function prepareBuiltin(services: AppServices, source: Extract<ExportSource, { kind: 'builtin' }>, format: ExportFormat, allRows: boolean): Prepared {
  const info = BUILTIN_REPORTS.find((r) => r.id === source.reportId);
  if (!info) throw new AppError('NOT_FOUND', `no built-in report "${source.reportId}"`);
  const params = source.params ?? {};
  const run = (p: Record<string, unknown>): BuiltinResult => services.queryReport({ reportId: source.reportId, projectCode: source.projectCode, params: p });
  const pageable = source.reportId === 'component-details' || source.reportId === 'audit-trail';
  const wholeList = allRows && source.reportId === 'component-details';
  // A whole component list streams its rows from one statement (below); its first page only
  // names the columns and types them, and a 5,000-row page with its milestones cost ~300 ms.
  const firstLimit = wholeList ? 1 : PAGE;
  const first = run(allRows && pageable && params.limit === undefined ? { ...params, limit: firstLimit } : params);
  function* more(): Iterable<BuiltinResult> {
    if (!allRows) return;
    for (let cursor = nextCursorOf(first); cursor; ) {
      const page = run({ ...params, limit: PAGE, cursor });
      yield page;
      cursor = nextCursorOf(page);
    }
  }
  const projectId = findProject(services.db, source.projectCode).id;
  // Component lists of any size stream from one statement instead of paging the report.
  const stream = wholeList ? () => iterateComponentRows(services.db, projectId, params as ComponentDetailsParams) : undefined;
  const table = builtinTable(source.reportId, info.title, first, more, stream);
  table.meta.context = { report: source.reportId, parameters: params, dataVersion: services.dataVersion() };
  const chosen = source.reportId === 'component-details' ? (params as ComponentDetailsParams).columns : undefined;
  if (format === 'csv' && wholeList && !chosen) return { title: info.title, builtinId: source.reportId, definitionId: null, projectId, table, writer: componentCsvFormat(services, projectId, params as ComponentDetailsParams, table.columns.map((c) => c.key)) };
  if (chosen) selectColumns(table, chosen);
  const weeklyTrend = (asOf: string) =>
    services.queryReport({ reportId: 'trend-analysis', projectCode: source.projectCode, params: { from: addDays(asOf, -181), to: asOf, groupBy: 'week' } }) as TrendResult;
  const charts = format === 'xlsx' || format === 'pdf' ? builtinCharts(source.reportId, first, weeklyTrend) : [];
  return { title: info.title, builtinId: source.reportId, definitionId: null, projectId, table, writer: writerFor(format, charts, builtinSections(source.reportId, first)) };
}

/** Keeps only the chosen columns, in the chosen order (the grid's "export this view"). */
function selectColumns(table: ExportTable, keys: readonly string[]): void {
  const at = keys.map((k) => table.columns.findIndex((c) => c.key === k));
  const missing = keys.filter((_, i) => at[i] === -1);
  if (missing.length > 0) throw new AppError('INVALID_INPUT', `no column ${missing.map((m) => `"${m}"`).join(', ')} in this report`);
  const rows = table.rows;
  table.columns = at.map((i) => table.columns[i] as ExportTable['columns'][number]);
  table.rows = (function* () {
    for (const r of rows) yield at.map((i) => r[i] ?? null);
  })();
}

/** The document formats load their libraries (jsPDF, echarts, resvg) only when used: a CSV
    export does not pay their memory. */
async function writerFor(format: ExportFormat, charts: ReturnType<typeof builtinCharts>, sections?: ReturnType<typeof builtinSections>): Promise<FormatWriter> {
  switch (format) {
    case 'csv':
      return csvFormat;
    case 'json':
      return jsonFormat;
    case 'xlsx':
      return (await import('../export/xlsxFormat')).makeXlsxFormat({ charts });
    case 'pdf':
      return (await import('../export/pdfFormat')).makePdfFormat({ charts, sections });
  }
}

function prepare(services: AppServices, request: ExportRequest): Prepared {
  const allRows = request.allRows ?? true;
  if (request.source.kind === 'builtin') return prepareBuiltin(services, request.source, request.format, allRows);
  const result = services.runDefinition({ id: request.source.id, definition: request.source.definition, projectCode: request.source.projectCode, parameters: request.source.parameters, recordRun: false });
  const table = definitionTable(result);
  const definitionId = request.source.id !== undefined && /^\d+$/.test(request.source.id) ? Number(request.source.id) : null;
  return { title: table.meta.title, builtinId: null, definitionId, projectId: findProject(services.db, request.source.projectCode).id, table, writer: writerFor(request.format, request.format === 'xlsx' || request.format === 'pdf' ? definitionCharts(result) : []) };
}

export async function exportReport(services: AppServices, request: ExportRequest, options: ExportRunOptions = {}): Promise<ExportResult & { runId: number }> {
  if (!path.isAbsolute(request.folder)) throw new AppError('INVALID_INPUT', 'the export folder must be an absolute path');
  const started = performance.now();
  const prepared = prepare(services, request);
  const queryMs = performance.now() - started;
  const runId = services.runs.start({
    projectId: prepared.projectId,
    builtinId: prepared.builtinId,
    definitionId: prepared.definitionId,
    scheduleId: options.scheduleId ?? null,
    reportName: prepared.title,
    trigger: options.trigger ?? 'manual',
    slot: options.slot ?? null,
    recipients: options.recipients ?? [],
    parameters: { format: request.format, source: request.source.kind === 'builtin' ? request.source.params ?? {} : request.source.parameters ?? {} },
  });
  try {
    const writer = await prepared.writer;
    const target = resolveExportTarget(request.folder, request.fileName ?? prepared.title, writer.extension, request.overwrite ?? false);
    const result = await exportTable(writer, prepared.table, target.file, options);
    options.afterRename?.(result.file);
    services.runs.finish(runId, { status: 'succeeded', queryMs, renderMs: performance.now() - started - queryMs, rowCount: result.rows, bytes: result.bytes, files: [result.file] });
    return { ...result, runId };
  } catch (err) {
    const cancelled = err instanceof ExportCancelled;
    services.runs.finish(runId, { status: cancelled ? 'cancelled' : 'failed', error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
