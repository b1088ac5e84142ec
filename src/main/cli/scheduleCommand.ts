/** `sitereport schedule preview SPEC.json [--from ISO] [--count N]` and `schedule list`. */
import fs from 'node:fs';
import { AppError } from '../../shared/errors';
import { parseWholeNumber, rejectLeftovers, takeFlag, type ParsedArgs } from './argv';
import { previewSpec, ScheduleStore } from '../services/scheduleStore';
import type { AppServices } from '../services/appServices';

export interface ScheduleIo {
  stdout: (text: string) => void;
  now: () => Date;
}

export function runSchedulePreview(args: ParsedArgs, io: ScheduleIo): void {
  const file = args.positionals[0];
  if (!file) throw new AppError('INVALID_INPUT', 'schedule preview needs a spec file, e.g. schedule preview weekly.json');
  args.positionals.shift();
  const fromText = takeFlag(args, 'from');
  const count = parseWholeNumber(takeFlag(args, 'count') ?? '5', 'count', 1, 1000);
  rejectLeftovers(args, 'schedule preview');
  const from = fromText === undefined ? io.now().getTime() : Date.parse(fromText);
  if (Number.isNaN(from)) throw new AppError('INVALID_INPUT', `--from must be an ISO date or instant, not "${fromText}"`);
  let spec: unknown;
  try {
    spec = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(code ? 'NOT_FOUND' : 'INVALID_INPUT', code ? `cannot read ${file}: ${code}` : `${file} is not valid JSON: ${(err as Error).message}`);
  }
  for (const run of previewSpec(spec, from, count)) io.stdout(`${run.replace('.000Z', 'Z')}\n`);
}

export function runScheduleList(services: AppServices, io: ScheduleIo): void {
  const list = new ScheduleStore(services.db, io.now).list();
  if (list.length === 0) {
    io.stdout('No schedules.\n');
    return;
  }
  for (const s of list) {
    io.stdout(`${String(s.id).padEnd(5)} ${s.enabled ? 'on ' : 'off'} ${s.name}  —  ${s.specText}; next ${s.nextRunAt ?? '—'}; ${s.formats.join(', ')} to ${s.folder}\n`);
  }
}
