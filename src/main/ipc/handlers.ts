/**
 * Transport-free request handling: parse the input with the contract's schema, call the
 * service, return a Result. The IPC adapter, the utility process and web mode all call this.
 */
import fs from 'node:fs';
import type { z } from 'zod';
import { INPUT_SCHEMAS, isChannel, type Channel, type ContractOutputs, type ImportPreviewJson } from '../../shared/contract';
import { describeZodError } from '../../shared/domain/builtinReports';
import { AppError, toErrorShape, type Result } from '../../shared/errors';
import type { AppServices } from '../services/appServices';
import { ExportFolders, ExportJobs } from '../services/exportJobs';
import { defaultExportDirectory } from '../services/dataDirectory';
import { dashboard } from '../services/dashboard';
import { componentGrid } from '../services/componentGrid';
import { GridPositions } from '../services/gridPositions';
import { fileFingerprint, importComponents, openImportFile, previewImport, readMilestonesFile } from '../import/componentImport';
import type { RowSource } from '../import/csvRead';
import { previewSpec, ScheduleStore } from '../services/scheduleStore';
import { SchedulerHost } from '../scheduler/schedulerHost';
import { environmentPassword } from '../delivery/smtpSettings';
import { addDays } from '../../shared/dates';
import { recordBuilderStep } from '../services/builderAudit';
import { SyncJobs } from '../sync/syncJobs';

type ImportInput = z.output<(typeof INPUT_SCHEMAS)['import/apply']>;

/** The milestones file, or a sheet of the list's own workbook when no other file is sent. */
function milestonesOf(i: ImportInput): RowSource | undefined {
  if (!i.milestones) return undefined;
  const bytes = Buffer.from(i.milestones.contentBase64 ?? i.contentBase64, 'base64');
  return readMilestonesFile(i.milestones.contentBase64 ? i.milestones.fileName : i.fileName, bytes, { sheet: i.milestones.sheet });
}

/** Each handler receives its input already parsed by the channel's schema (see dispatch). */
export type Handlers = { [C in Channel]: (input: z.output<(typeof INPUT_SCHEMAS)[C]>) => ContractOutputs[C] };

export function createHandlers(
  services: AppServices,
  jobs: ExportJobs = new ExportJobs(services, new ExportFolders(defaultExportDirectory())),
  scheduler: SchedulerHost = new SchedulerHost(services, { password: environmentPassword() }),
  sync: SyncJobs = new SyncJobs(services),
): Handlers {
  const schedules = new ScheduleStore(services.db, () => services.now());
  const gridPositions = new GridPositions(() => services.dataVersionStamp());
  return {
    'app/info': () => services.info(),
    'projects/list': () => services.listProjects(),
    'reports/list': () => services.listReports(),
    'reports/run': (i) => services.runReport(i) as unknown as ContractOutputs['reports/run'],
    'reports/runDefinition': (i) => services.runDefinition({ id: i.id, definition: i.definition, projectCode: i.projectCode, parameters: i.parameters }),
    'catalog/fields': (i) => services.fields(i.dataset),
    'catalog/distinct': (i) => services.distinctValues(i.dataset, i.field, i.projectCode),
    'library/list': (i) => services.library.list(i),
    'library/get': (i) => services.library.get(i.id),
    'library/save': (i) => services.library.save(i.definition, i.id),
    'library/duplicate': (i) => services.library.duplicate(i.id, i.name),
    'library/rename': (i) => services.library.rename(i.id, i.name),
    'library/tags': (i) => services.library.setTags(i.id, i.tags),
    'library/delete': (i) => services.library.remove(i.id),
    'library/restore': (i) => services.library.restore(i.id),
    'runs/list': (i) => services.runs.list(i),
    'exports/start': (i) => jobs.start(i),
    'exports/list': () => jobs.list(),
    'exports/cancel': (i) => jobs.cancel(i.id),
    'exports/folders': () => jobs.folders.list(),
    'exports/chooseFolder': () => {
      // The desktop app answers this in main with a folder dialog (src/main/index.ts).
      throw new AppError('UNSUPPORTED_FORMAT', 'choosing a folder needs the desktop app; in web mode files go to the default export folder');
    },
    'app/dataVersion': () => ({ version: services.dataVersionStamp() }),
    'builder/audit': (i) => ({ recorded: recordBuilderStep(services.db, services.now(), i) }),
    'files/open': (i) => {
      // Only files the app itself wrote, looked up by run: the window never names a path.
      const file = services.runs.get(i.runId).files[i.file];
      if (!file) throw new AppError('NOT_FOUND', `run ${i.runId} wrote no file ${i.file + 1}`);
      if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `${file} is no longer there`);
      // The desktop app's main process opens it (src/main/index.ts); web mode only shows where it is.
      return { path: file, opened: false };
    },
    'dashboard/get': (i) => dashboard(services, i.projectCode),
    'components/grid': (i) => componentGrid(services.db, i, gridPositions),
    'schedules/list': () => schedules.list(),
    'schedules/save': (i) => {
      const saved = schedules.save(i, jobs.folders.resolve(i.folderId ?? 'default'), i.id);
      // A backfill asked for with the schedule starts at once, ending today.
      if (i.backfill && i.id === undefined) {
        const today = services.now().toISOString().slice(0, 10);
        scheduler.backfills.start({ projectCode: i.projectCode, scheduleId: saved.id, from: addDays(today, 1 - i.backfill.days), to: today, segment: i.backfill.segment });
      }
      return saved;
    },
    'schedules/setEnabled': (i) => schedules.setEnabled(i.id, i.enabled),
    'schedules/delete': (i) => {
      schedules.remove(i.id);
      return { deleted: i.id };
    },
    'schedules/preview': (i) => ({ runs: previewSpec(i.spec, i.from ? Date.parse(i.from) : services.now().getTime(), i.count) }),
    'schedules/runDue': () => scheduler.runPass(),
    'backfill/start': (i) => scheduler.backfills.start(i),
    'backfill/list': () => scheduler.backfills.list(),
    'backfill/cancel': (i) => scheduler.backfills.cancel(i.id),
    'outbox/list': () => scheduler.outbox.list(),
    'outbox/retry': (i) => ({ retried: scheduler.outbox.retry(i.id) }),
    'settings/smtpGet': () => scheduler.smtpStatus(),
    'settings/smtpSave': (i) => scheduler.saveSmtp(i.settings, i.password),
    'import/preview': (i) => previewImport(services.db, openImportFile(i.fileName, Buffer.from(i.contentBase64, 'base64'), { sheet: i.sheet }), { projectCode: i.projectCode, mapping: i.mapping, now: services.now(), milestones: milestonesOf(i) }) as ImportPreviewJson,
    'import/apply': (i) => {
      const { mapping: _mapping, ...counts } = importComponents(services.db, openImportFile(i.fileName, Buffer.from(i.contentBase64, 'base64'), { sheet: i.sheet }), {
        projectCode: i.projectCode,
        mapping: i.mapping,
        now: services.now(),
        milestones: milestonesOf(i),
        fingerprint: fileFingerprint(i.contentBase64, i.sheet),
      });
      return counts;
    },
    'sync/start': (i) => sync.start(i.url),
    'sync/status': () => sync.status(),
    'sync/cancel': () => sync.cancel(),
  };
}

export function dispatch(handlers: Handlers, channel: unknown, input: unknown): Result<unknown> {
  try {
    if (!isChannel(channel)) throw new AppError('INVALID_INPUT', `unknown channel "${String(channel).slice(0, 60)}"`);
    const parsed = INPUT_SCHEMAS[channel].safeParse(input ?? {});
    if (!parsed.success) throw new AppError('INVALID_INPUT', describeZodError(parsed.error));
    // The schema and the handler belong to the same channel; TypeScript cannot pair them here.
    const handler = handlers[channel] as (input: unknown) => unknown;
    return { ok: true, value: handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toErrorShape(err) };
  }
}
