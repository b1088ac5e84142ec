/** `sitereport schedule preview SPEC.json [--from ISO] [--count N]`, `schedule list` and `schedule run-due`. */
import fs from 'node:fs';
import { AppError } from '../../shared/errors';
import { parseWholeNumber, rejectLeftovers, takeFlag, type ParsedArgs } from './argv';
import { previewSpec, ScheduleStore } from '../services/scheduleStore';
import type { AppServices } from '../services/appServices';
import type { Clock } from '../scheduler/clock';
import { runDue } from '../scheduler/scheduleRunner';
import { mailSetupFor } from '../delivery/mailSetup';
import { environmentPassword } from '../delivery/smtpSettings';

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

/** One pass of the scheduler, for an OS scheduler to call while the app is closed. */
export async function runScheduleRunDue(services: AppServices, io: ScheduleIo & { env: NodeJS.ProcessEnv }): Promise<void> {
  const clock: Clock = { wallMs: () => io.now().getTime(), monotonicMs: () => performance.now() };
  const result = await runDue(services, { clock, mail: () => mailSetupFor(services, environmentPassword(io.env)) });
  if (result.lease === 'busy') {
    io.stdout('Another SiteReport runner is working on the schedules; nothing done.\n');
    return;
  }
  if (result.slots.length === 0) io.stdout('No schedule is due.\n');
  for (const s of result.slots) {
    const how = [s.trigger === 'catch-up' ? `catch-up${s.skipped > 0 ? `, ${s.skipped} missed slot${s.skipped === 1 ? '' : 's'} passed over` : ''}` : null, s.resumed ? 'redone after an interrupted run' : null].filter(Boolean).join('; ');
    io.stdout(`${s.state === 'delivered' ? 'delivered' : 'FAILED   '} ${s.name} for ${s.slot.replace('.000Z', 'Z')}${how ? ` (${how})` : ''}: ${s.error ?? s.files.join(', ')}\n`);
  }
  if (result.mail) io.stdout(`E-mail: ${result.mail.sent} sent, ${result.mail.retrying} waiting to retry, ${result.mail.failed} refused.\n`);
  else if (result.queuedMail > 0) io.stdout(`E-mail: ${result.queuedMail} message(s) queued; SMTP is not set up, so they wait in the outbox.\n`);
}
