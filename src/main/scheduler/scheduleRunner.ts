/**
 * Running due schedules (SPEC §8), in the services host while the app runs and from
 * `schedule run-due` when it does not. One runner at a time (RunnerLease); each slot is claimed
 * by inserting its (schedule, slot) row together with the schedule's next run, so a slot runs
 * once whoever asks. A slot a dead runner left `running` is delivered again under the same
 * file names (the slot is in the name) and the same Message-IDs, so a crash and restart leave
 * at most one file per slot and per format.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunTrigger, ScheduleJson } from '../../shared/contract';
import { localParts } from '../../shared/timeZones';
import { Outbox, type DrainResult, type OutboxMessage } from '../delivery/outbox';
import type { Mailer } from '../delivery/mailer';
import type { AppServices } from '../services/appServices';
import { exportReport, type ExportSource } from '../services/reportExports';
import { ScheduleStore } from '../services/scheduleStore';
import type { Clock } from './clock';
import { crashPoint } from './crashPoints';
import { RunnerLease } from './runnerLease';
import { planSlot } from './slotPlanner';

export interface MailSetup {
  mailer: Mailer;
  from: string;
  maxAttachmentBytes: number;
}

export interface RunnerDeps {
  clock: Clock;
  /** The mail transport, or null when SMTP is not set up (messages wait in the outbox). */
  mail?: () => MailSetup | null;
}

export interface SlotOutcome {
  scheduleId: number;
  name: string;
  slot: string;
  trigger: 'scheduled' | 'catch-up';
  state: 'delivered' | 'failed';
  files: string[];
  rows: number;
  error: string | null;
  /** Slots passed over (the laptop was asleep or the app closed). */
  skipped: number;
  resumed: boolean;
}

export interface RunDueResult {
  lease: 'held' | 'busy';
  slots: SlotOutcome[];
  mail: DrainResult | null;
  queuedMail: number;
}

/** "2026-11-23 07.00" in the schedule's zone: readable, sortable, valid on every file system. */
export function slotLabel(slot: string, timeZone: string): string {
  const p = localParts(Date.parse(slot), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}.${two(p.minute)}`;
}

export async function runDue(services: AppServices, deps: RunnerDeps): Promise<RunDueResult> {
  const { db } = services;
  const lease = new RunnerLease(db, deps.clock);
  if (!lease.acquire()) return { lease: 'busy', slots: [], mail: null, queuedMail: 0 };
  const outbox = new Outbox(db, deps.clock);
  const store = new ScheduleStore(db, () => new Date(deps.clock.wallMs()));
  const slots: SlotOutcome[] = [];
  let queuedMail = 0;
  try {
    const mail = deps.mail?.() ?? null;
    // Slots a runner that died left half done: deliver them again, same names, same messages.
    const interrupted = db
      .prepare(`SELECT ss.schedule_id, ss.slot, ss.trigger FROM schedule_slots ss JOIN report_schedules s ON s.id = ss.schedule_id WHERE ss.state = 'running' ORDER BY ss.slot`)
      .all() as Array<{ schedule_id: number; slot: string; trigger: 'scheduled' | 'catch-up' }>;
    for (const i of interrupted) {
      const row = store.get(i.schedule_id);
      db.prepare('UPDATE schedule_slots SET attempts = attempts + 1 WHERE schedule_id = ? AND slot = ?').run(i.schedule_id, i.slot);
      // The attempt that died left its runs open; they end here, honestly marked.
      db.prepare("UPDATE report_runs SET status = 'failed', error = 'interrupted: the runner stopped before it finished', finished_at = ? WHERE schedule_id = ? AND slot = ? AND status = 'running'").run(new Date(deps.clock.wallMs()).toISOString(), i.schedule_id, i.slot);
      const outcome = await deliverSlot(services, outbox, deps.clock, row, i.slot, i.trigger, 0, true, mail);
      queuedMail += outcome.queued;
      slots.push(outcome.outcome);
      if (!lease.renew()) return { lease: 'held', slots, mail: null, queuedMail };
    }
    const now = deps.clock.wallMs();
    const due = db.prepare('SELECT id FROM report_schedules WHERE enabled = 1 AND next_run_at IS NOT NULL AND next_run_at <= ? ORDER BY next_run_at, id').all(new Date(now).toISOString()) as Array<{ id: number }>;
    for (const { id } of due) {
      const row = store.get(id);
      const plan = planSlot(row.spec, row.nextRunAt, now);
      if (!plan) continue;
      const claimed = db.transaction(() => {
        db.prepare('UPDATE report_schedules SET next_run_at = ? WHERE id = ?').run(plan.nextRunAt, row.id);
        return (
          db
            .prepare(`INSERT INTO schedule_slots (schedule_id, slot, trigger, state, started_at) VALUES (?, ?, ?, 'running', ?) ON CONFLICT (schedule_id, slot) DO NOTHING`)
            .run(row.id, plan.slot, plan.trigger, new Date(deps.clock.wallMs()).toISOString()).changes === 1
        );
      }).immediate();
      if (!claimed) continue;
      const outcome = await deliverSlot(services, outbox, deps.clock, row, plan.slot, plan.trigger, plan.skipped, false, mail);
      queuedMail += outcome.queued;
      slots.push(outcome.outcome);
      if (!lease.renew()) return { lease: 'held', slots, mail: null, queuedMail };
    }
    const drained = mail ? await outbox.drain(mail.mailer, mail.from) : null;
    mail?.mailer.close();
    return { lease: 'held', slots, mail: drained, queuedMail };
  } finally {
    lease.release();
  }
}

async function deliverSlot(
  services: AppServices,
  outbox: Outbox,
  clock: Clock,
  row: ScheduleJson,
  slot: string,
  trigger: 'scheduled' | 'catch-up',
  skipped: number,
  resumed: boolean,
  mail: MailSetup | null,
): Promise<{ outcome: SlotOutcome; queued: number }> {
  const { db } = services;
  const { recipients, parameters } = row;
  const label = slotLabel(slot, row.spec.timezone);
  const runTrigger: RunTrigger = trigger === 'catch-up' ? 'catch-up' : 'scheduled';
  const files: Array<{ file: string; runId: number }> = [];
  let rows = 0;
  try {
    for (const format of row.formats) {
      const source: ExportSource =
        row.target.kind === 'builtin'
          ? { kind: 'builtin', reportId: row.target.reportId as Extract<ExportSource, { kind: 'builtin' }>['reportId'], projectCode: row.project.code, params: parameters }
          : { kind: 'definition', id: row.target.id, projectCode: row.project.code, parameters };
      // The slot is in the name, so a redone slot replaces its own file and never another's.
      const result = await exportReport(
        services,
        { source, format, folder: row.folder, fileName: `${row.name} - ${row.project.code} - ${label}`, overwrite: true },
        { trigger: runTrigger, scheduleId: row.id, slot, recipients, afterRename: () => crashPoint('after-file-rename') },
      );
      files.push({ file: result.file, runId: result.runId });
      rows = Math.max(rows, result.rows);
    }
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    db.prepare("UPDATE schedule_slots SET state = 'failed', error = ?, finished_at = ? WHERE schedule_id = ? AND slot = ?").run(error, new Date(clock.wallMs()).toISOString(), row.id, slot);
    return { outcome: { scheduleId: row.id, name: row.name, slot, trigger, state: 'failed', files: files.map((f) => f.file), rows, error, skipped, resumed }, queued: 0 };
  }
  const maxBytes = mail?.maxAttachmentBytes ?? 10 * 1024 * 1024;
  const queued = db.transaction(() => {
    db.prepare("UPDATE schedule_slots SET state = 'delivered', files_json = ?, rows = ?, error = NULL, finished_at = ? WHERE schedule_id = ? AND slot = ?").run(
      JSON.stringify(files.map((f) => f.file)),
      rows,
      new Date(clock.wallMs()).toISOString(),
      row.id,
      slot,
    );
    db.prepare('UPDATE report_schedules SET last_run_at = ? WHERE id = ? AND (last_run_at IS NULL OR last_run_at < ?)').run(slot, row.id, slot);
    const messages: OutboxMessage[] = recipients.map((recipient) => mailFor(row, slot, label, trigger, files, recipient, maxBytes));
    return outbox.enqueue(messages);
  }).immediate();
  return { outcome: { scheduleId: row.id, name: row.name, slot, trigger, state: 'delivered', files: files.map((f) => f.file), rows, error: null, skipped, resumed }, queued };
}

function mailFor(row: ScheduleJson, slot: string, label: string, trigger: 'scheduled' | 'catch-up', files: Array<{ file: string; runId: number }>, recipient: string, maxBytes: number): OutboxMessage {
  const attachments: OutboxMessage['attachments'] = [];
  const lines = [`${row.name} for ${row.project.name} (${row.project.code}), ${label}${trigger === 'catch-up' ? ' — caught up after a missed run' : ''}.`, ''];
  for (const { file } of files) {
    const size = fs.statSync(file).size;
    if (size <= maxBytes) {
      attachments.push({ filename: path.basename(file), path: file });
      lines.push(`Attached: ${path.basename(file)}`);
    } else {
      lines.push(`Too large to attach (${(size / 1048576).toFixed(1)} MB): ${path.basename(file)}`, `It is in the folder ${path.dirname(file)}`);
    }
  }
  lines.push('', 'Sent by SiteReport.');
  return { scheduleId: row.id, slot, runId: files[0]?.runId ?? null, recipient, subject: `${row.name} · ${row.project.name} · ${label}`, body: lines.join('\n'), attachments };
}
