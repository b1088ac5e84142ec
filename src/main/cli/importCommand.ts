/** `sitereport import FILE.csv|FILE.xlsx [--sheet NAME] [--milestones FILE | --milestones-sheet NAME] [--project CODE] [--mapping FILE] [--errors-csv FILE]`. */
import fs from 'node:fs';
import { AppError } from '../../shared/errors';
import { importComponentsFile, ImportRejected, problemsCsv, readMilestonesFile } from '../import/componentImport';
import type { AppServices } from '../services/appServices';
import { takeFlag, type ParsedArgs } from './argv';

function readFileOrFail(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new AppError('NOT_FOUND', `cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export interface ImportRequest {
  file: string;
  projectCode?: string;
  mappingFile?: string;
  errorsCsv?: string;
  sheet?: string;
  milestonesFile?: string;
  milestonesSheet?: string;
}

export function parseImport(args: ParsedArgs): ImportRequest {
  const file = args.positionals.shift();
  if (!file) throw new AppError('INVALID_INPUT', 'import needs a file, e.g. sitereport import components.csv');
  const request = { file, projectCode: takeFlag(args, 'project'), mappingFile: takeFlag(args, 'mapping'), errorsCsv: takeFlag(args, 'errors-csv'), sheet: takeFlag(args, 'sheet'), milestonesFile: takeFlag(args, 'milestones'), milestonesSheet: takeFlag(args, 'milestones-sheet') };
  if (request.milestonesSheet && !request.milestonesFile && !/\.xlsx$/i.test(file)) {
    throw new AppError('INVALID_INPUT', '--milestones-sheet names a sheet of the XLSX being imported; for a CSV list give the milestones as --milestones FILE');
  }
  return request;
}

export function runImport(services: AppServices, request: ImportRequest, stdout: (t: string) => void, stderr: (t: string) => void): void {
  const bytes = readFileOrFail(request.file, 'file');
  let mapping: unknown;
  if (request.mappingFile) {
    try {
      mapping = JSON.parse(readFileOrFail(request.mappingFile, 'mapping file').toString('utf8'));
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('INVALID_INPUT', `${request.mappingFile} is not valid JSON: ${(err as Error).message}`);
    }
  }
  try {
    const milestoneSource = request.milestonesFile ?? (request.milestonesSheet ? request.file : undefined);
    const milestones = milestoneSource
      ? readMilestonesFile(milestoneSource, milestoneSource === request.file ? bytes : readFileOrFail(milestoneSource, 'milestones file'), { sheet: request.milestonesSheet })
      : undefined;
    const r = importComponentsFile(services.db, request.file, bytes, { projectCode: request.projectCode, mapping, now: services.now(), sheet: request.sheet, milestones });
    const n = (x: number) => x.toLocaleString('en-US');
    stdout(`Imported ${n(r.rows)} rows: ${n(r.added)} added, ${n(r.changed)} changed, ${n(r.unchanged)} unchanged, ${n(r.removed)} removed.\n`);
    if (r.milestones) stdout(`Milestones: ${n(r.milestones.rows)} rows: ${n(r.milestones.added)} added, ${n(r.milestones.changed)} changed, ${n(r.milestones.unchanged)} unchanged, ${n(r.milestones.removed)} removed.\n`);
    stdout(`Columns: ${Object.entries(r.mapping).map(([field, column]) => `${field} ← "${column}"`).join(', ')}\n`);
  } catch (err) {
    if (err instanceof ImportRejected) {
      // The one-line reason comes last, from the caller; the row problems go first.
      stderr(`${err.message.split('\n').slice(1).join('\n')}\n`);
      if (request.errorsCsv) {
        fs.writeFileSync(request.errorsCsv, problemsCsv(err.problems));
        stderr(`All ${err.problems.length} problems are in ${request.errorsCsv}\n`);
      }
    }
    throw err;
  }
}
