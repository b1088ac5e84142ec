/**
 * `sitereport` — the headless command (SPEC §10). Errors: one line on stderr, non-zero exit,
 * and every argument is checked before the database is opened.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError, toErrorShape } from '../../shared/errors';
import { isIsoDate, utcDateOf } from '../../shared/dates';
import { exportReport, type ExportFormat, type ExportSource } from '../services/reportExports';
import { iterateComponentRows } from '../reports/componentDetails';
import { findProject } from '../db/projectRepository';
import { BUILTIN_REPORTS } from '../../shared/domain/builtinReports';
import { openAppServices, DEFAULT_DEMO_COMPONENTS, DEFAULT_DEMO_SEED, type AppServices } from '../services/appServices';
import { defaultDatabasePath } from '../services/dataDirectory';
import { createDemoDatabase } from '../demo/createDemoDatabase';
import { flattenBuiltin, type BuiltinResult } from '../reports/builtinRegistry';
import type { ComponentDetailsResult } from '../reports/componentDetails';
import type { AuditTrailResult } from '../reports/auditTrail';
import { csvLine, UTF8_BOM } from '../../shared/csv';
import { AtomicFileWriter } from '../export/atomicFile';
import { resolveExportTarget } from '../export/exportPath';
import { parseArgv, parseWholeNumber, rejectLeftovers, takeBoolean, takeFlag, type ParsedArgs } from './argv';
import { parseReportRun, type DefinitionRunRequest, type ReportRunRequest } from './reportRunArgs';
import { checkDefinition, describeIssues } from '../../shared/domain/reportDefinition';
import { runScheduleList, runSchedulePreview, runScheduleRunDue } from './scheduleCommand';
import { parseImport, runImport } from './importCommand';
import { parseSync, runSync } from './syncCommand';
import { toPlainTable } from '../../shared/domain/pivotTable';

const BOOLEAN_FLAGS = new Set(['overwrite', 'force', 'desc', 'include-audit', 'total', 'bom', 'raw-csv', 'help', 'quiet']);

const USAGE = `Usage: sitereport <command> [options]

  demo        [--db PATH] [--components N] [--seed S] [--anchor DATE] [--force]
  report list [--db PATH]
  report save FILE.json [--db PATH] [--replace ID]
  report run  ID|NUMBER|FILE.json [--db PATH] [--project CODE] [--format json|csv|xlsx|pdf] [--out PATH|-]
              [--as-of DATE] [--from DATE] [--to DATE] [--group-by day|week|month]
              [--limit N] [--cursor C] [--sort FIELD] [--desc] [--filter field=a,b]
              [--search TEXT] [--include-audit] [--total] [--test-package NAME]
              [--user NAME] [--component TAG] [--action NAME] [--bom] [--raw-csv] [--overwrite]
  schedule preview SPEC.json [--from ISO] [--count N]   next runs, ISO UTC, one a line
  schedule list [--db PATH]
  schedule run-due [--db PATH]   run what is due once (for cron or Task Scheduler while the app is closed)
  import      FILE.csv|FILE.xlsx [--sheet NAME] [--db PATH] [--project CODE] [--mapping FILE.json] [--errors-csv FILE]
              [--milestones FILE.csv|FILE.xlsx] [--milestones-sheet NAME]   one row per component tag and milestone
  sync        postgres://USER@HOST:PORT/DATABASE [--db PATH] [--batch N]
              pull the PipeTrak server (read-only); give the password in PGPASSWORD
  web         [--db PATH] [--port N]

The database defaults to $SITEREPORT_DB, else the per-user data folder; a missing database is
created with the demo project. SITEREPORT_NOW (ISO instant) fixes the clock for reproducible runs.
Built-in reports: ${BUILTIN_REPORTS.map((r) => r.id).join(', ')}`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

function clockFrom(env: NodeJS.ProcessEnv): () => Date {
  const fixed = env.SITEREPORT_NOW;
  if (!fixed) return () => new Date();
  const t = new Date(fixed);
  if (Number.isNaN(t.getTime())) throw new AppError('INVALID_INPUT', `SITEREPORT_NOW must be an ISO date or instant, not "${fixed}"`);
  return () => new Date(t.getTime());
}

function dbPathOf(args: ParsedArgs, env: NodeJS.ProcessEnv): string {
  const explicit = takeFlag(args, 'db');
  return explicit ? path.resolve(explicit) : defaultDatabasePath(env);
}

async function withServices<T>(dbPath: string, env: NodeJS.ProcessEnv, work: (s: AppServices) => T | Promise<T>): Promise<T> {
  const services = openAppServices({ dbPath, now: clockFrom(env), createIfMissing: true });
  try {
    return await work(services);
  } finally {
    services.close();
  }
}

function runDemo(args: ParsedArgs, io: CliIo): void {
  const dbPath = dbPathOf(args, io.env);
  const components = parseWholeNumber(takeFlag(args, 'components') ?? String(DEFAULT_DEMO_COMPONENTS), 'components', 1, 5_000_000);
  const seed = parseWholeNumber(takeFlag(args, 'seed') ?? String(DEFAULT_DEMO_SEED), 'seed', 0, 2 ** 32 - 1);
  const anchor = takeFlag(args, 'anchor') ?? utcDateOf(clockFrom(io.env)());
  if (!isIsoDate(anchor)) throw new AppError('INVALID_INPUT', `--anchor must be a date written YYYY-MM-DD, not "${anchor}"`);
  const overwrite = takeBoolean(args, 'force');
  const quiet = takeBoolean(args, 'quiet');
  rejectLeftovers(args, 'demo');
  const started = performance.now();
  const summary = createDemoDatabase(dbPath, {
    components,
    seed,
    anchorDate: anchor,
    overwrite,
    onProgress: quiet ? undefined : (done, total) => io.stderr(`\rgenerating components ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`),
  });
  if (!quiet) io.stderr('\n');
  io.stdout(
    `${dbPath}: ${summary.components} components, ${summary.milestones} milestones, ${summary.testPackages} test packages, ` +
      `${summary.drawings} drawings, ${summary.auditEntries} audit entries in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

async function runReportList(args: ParsedArgs, io: CliIo): Promise<void> {
  const dbPath = dbPathOf(args, io.env);
  rejectLeftovers(args, 'report list');
  await withServices(dbPath, io.env, (s) => {
    const projects = s.listProjects();
    io.stdout(`Projects: ${projects.map((p) => `${p.code} (${p.name})`).join(', ') || 'none'}\n`);
    io.stdout('Built-in reports:\n');
    for (const r of s.listReports()) io.stdout(`  ${r.id.padEnd(24)} ${r.description}\n`);
    const saved = s.library.list().filter((i) => i.kind === 'user');
    io.stdout(`Saved reports:${saved.length === 0 ? ' none (sitereport report save FILE.json)' : ''}\n`);
    for (const i of saved) io.stdout(`  ${i.id.padEnd(6)} ${i.name}${i.tags.length ? `  [${i.tags.join(', ')}]` : ''}  (${i.dataset}, rev ${i.revision})\n`);
  });
}

function writeOutput(out: string, io: CliIo, produce: (write: (text: string) => void) => void, overwrite = false): void {
  if (out === '-') {
    produce(io.stdout);
    return;
  }
  const ext = path.extname(out) || '.txt';
  const target = resolveExportTarget(path.dirname(path.resolve(out)), path.basename(out), ext, overwrite);
  const writer = new AtomicFileWriter(target.file);
  try {
    produce((text) => writer.write(text));
    writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
  if (target.file !== path.resolve(out)) io.stderr(`${path.basename(out)} exists; wrote ${target.file}\n`);
}

/** A report file through the shared export service (the one the app and scheduler use). */
async function writeReportFile(s: AppServices, source: ExportSource, format: ExportFormat, request: { out: string; overwrite: boolean; allRows?: boolean; csv: { bom: boolean; raw: boolean } }, io: CliIo): Promise<void> {
  const wanted = path.resolve(request.out);
  const result = await exportReport(
    s,
    { source, format, folder: path.dirname(wanted), fileName: path.basename(wanted), overwrite: request.overwrite, allRows: request.allRows },
    { bom: request.csv.bom, rawCsv: request.csv.raw },
  );
  if (format === 'xlsx' || format === 'pdf') io.stdout(`${result.file}\n`);
  else if (result.file !== wanted) io.stderr(`${path.basename(wanted)} exists; wrote ${result.file}\n`);
}

async function runReport(request: ReportRunRequest, dbPath: string, io: CliIo): Promise<void> {
  await withServices(dbPath, io.env, async (s) => {
    const run = (params: Record<string, unknown>): BuiltinResult =>
      s.runReport({ reportId: request.reportId, projectCode: request.projectCode, params });
    const first = run(request.params);
    const source: ExportSource = { kind: 'builtin', reportId: request.reportId, projectCode: request.projectCode, params: request.params };
    // Whole component lists into a file take the parallel CSV path of the export service.
    const wholeListCsv = request.format === 'csv' && request.out !== '-' && request.allRows && request.reportId === 'component-details';
    if (request.format === 'xlsx' || request.format === 'pdf' || wholeListCsv) {
      await writeReportFile(s, source, request.format, request, io);
      return;
    }
    writeOutput(request.out, io, (write) => {
      if (request.format === 'json') {
        write(`${JSON.stringify(first, null, 2)}\n`);
        return;
      }
      const table = flattenBuiltin(request.reportId, first);
      if (request.csv.bom) write(UTF8_BOM);
      write(csvLine(table.columns, request.csv.raw));
      if (request.allRows && request.reportId === 'component-details') {
        for (const row of iterateComponentRows(s.db, findProject(s.db, request.projectCode).id, request.params)) write(csvLine(row, request.csv.raw));
        return;
      }
      for (const row of table.rows) write(csvLine(row, request.csv.raw));
      if (!request.allRows) return;
      let cursor = nextCursorOf(first);
      while (cursor) {
        const page = run({ ...request.params, limit: 5000, cursor });
        for (const row of flattenBuiltin(request.reportId, page).rows) write(csvLine(row, request.csv.raw));
        cursor = nextCursorOf(page);
      }
    }, request.overwrite);
  });
}

function readDefinitionFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('NOT_FOUND', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('INVALID_INPUT', `${file} is not valid JSON: ${(err as Error).message}`);
  }
}

async function runDefinitionCommand(request: DefinitionRunRequest, dbPath: string, io: CliIo): Promise<void> {
  const definition = request.file ? readDefinitionFile(request.file) : undefined;
  if (definition !== undefined) {
    const check = checkDefinition(definition);
    if (!check.ok) throw new AppError('INVALID_INPUT', describeIssues(check.issues));
  }
  await withServices(dbPath, io.env, async (s) => {
    const result = s.runDefinition({
      id: request.id ?? undefined,
      definition,
      projectCode: request.projectCode,
      parameters: request.lookback ? { lookback: request.lookback } : undefined,
    });
    if (request.format === 'xlsx' || request.format === 'pdf') {
      await writeReportFile(s, { kind: 'definition', id: request.id ?? undefined, definition, projectCode: request.projectCode, parameters: request.lookback ? { lookback: request.lookback } : undefined }, request.format, request, io);
      return;
    }
    writeOutput(request.out, io, (write) => {
      if (request.format === 'json') {
        write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const table = toPlainTable(result);
      if (request.csv.bom) write(UTF8_BOM);
      write(csvLine(table.header, request.csv.raw));
      for (const row of table.rows) write(csvLine(row, request.csv.raw));
    }, request.overwrite);
  });
}

async function runReportSave(args: ParsedArgs, io: CliIo): Promise<void> {
  const dbPath = dbPathOf(args, io.env);
  const file = args.positionals[0];
  if (!file) throw new AppError('INVALID_INPUT', 'report save needs a definition file, e.g. report save weekly.json');
  const replace = takeFlag(args, 'replace');
  rejectLeftovers(args, 'report save');
  const definition = readDefinitionFile(file);
  const check = checkDefinition(definition);
  if (!check.ok) throw new AppError('INVALID_INPUT', describeIssues(check.issues));
  await withServices(dbPath, io.env, (s) => {
    const item = s.library.save(check.definition, replace);
    io.stdout(`${item.id}\n`);
  });
}

function nextCursorOf(result: BuiltinResult): string | null {
  const pagination = (result as Partial<ComponentDetailsResult | AuditTrailResult>).pagination;
  return pagination?.nextCursor ?? null;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseArgv(argv, BOOLEAN_FLAGS);
    const [command, sub] = args.positionals;
    if (command === undefined || takeBoolean(args, 'help') || command === 'help') {
      io.stdout(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === 'demo') {
      args.positionals.shift();
      runDemo(args, io);
      return 0;
    }
    if (command === 'report' && sub === 'list') {
      await runReportList(args, io);
      return 0;
    }
    if (command === 'report' && sub === 'run') {
      args.positionals.splice(0, 2);
      const dbPath = dbPathOf(args, io.env);
      const request = parseReportRun(args);
      rejectLeftovers(args, 'report run');
      if (request.kind === 'definition') await runDefinitionCommand(request, dbPath, io);
      else await runReport(request, dbPath, io);
      return 0;
    }
    if (command === 'report' && sub === 'save') {
      args.positionals.splice(0, 2);
      await runReportSave(args, io);
      return 0;
    }
    if (command === 'web') {
      args.positionals.shift();
      const { runWebCommand } = await import('./webCommand');
      return await runWebCommand(args, io, dbPathOf(args, io.env), clockFrom(io.env));
    }
    if (command === 'schedule' && sub === 'preview') {
      args.positionals.splice(0, 2);
      runSchedulePreview(args, { stdout: io.stdout, now: clockFrom(io.env) });
      return 0;
    }
    if (command === 'schedule' && sub === 'list') {
      args.positionals.splice(0, 2);
      const dbPath = dbPathOf(args, io.env);
      rejectLeftovers(args, 'schedule list');
      await withServices(dbPath, io.env, (s) => runScheduleList(s, { stdout: io.stdout, now: clockFrom(io.env) }));
      return 0;
    }
    if (command === 'schedule' && sub === 'run-due') {
      args.positionals.splice(0, 2);
      const dbPath = dbPathOf(args, io.env);
      rejectLeftovers(args, 'schedule run-due');
      await withServices(dbPath, io.env, (s) => runScheduleRunDue(s, { stdout: io.stdout, now: clockFrom(io.env), env: io.env }));
      return 0;
    }
    if (command === 'import') {
      args.positionals.shift();
      const request = parseImport(args);
      const dbPath = dbPathOf(args, io.env);
      rejectLeftovers(args, 'import');
      await withServices(dbPath, io.env, (s) => runImport(s, request, io.stdout, io.stderr));
      return 0;
    }
    if (command === 'sync') {
      args.positionals.shift();
      const request = parseSync(args);
      const dbPath = dbPathOf(args, io.env);
      rejectLeftovers(args, 'sync');
      await withServices(dbPath, io.env, (s) => runSync(s, request, { stdout: io.stdout, stderr: io.stderr, tty: Boolean(process.stderr.isTTY) }));
      return 0;
    }
    if (['import', 'schedule'].includes(command)) {
      throw new AppError('UNSUPPORTED_FORMAT', `"${[command, sub].filter(Boolean).join(' ')}" is not available in this build yet`);
    }
    throw new AppError('INVALID_INPUT', `unknown command "${[command, sub].filter(Boolean).join(' ')}"; run sitereport --help`);
  } catch (err) {
    const shape = toErrorShape(err);
    io.stderr(`sitereport: ${shape.message.split('\n')[0]}\n`);
    return shape.code === 'INVALID_INPUT' ? 2 : shape.code === 'INTERNAL' ? 70 : 1;
  }
}
