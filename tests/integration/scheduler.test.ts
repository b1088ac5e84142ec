import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { openAppServices, type AppServices } from '../../src/main/services/appServices';
import { ScheduleStore } from '../../src/main/services/scheduleStore';
import { INPUT_SCHEMAS, type ScheduleJson } from '../../src/shared/contract';
import { ManualClock } from '../../src/main/scheduler/clock';
import { RunnerLease } from '../../src/main/scheduler/runnerLease';
import { runDue } from '../../src/main/scheduler/scheduleRunner';
import { messageIdFor, Outbox } from '../../src/main/delivery/outbox';
import { smtpMailer } from '../../src/main/delivery/smtpMailer';
import { saveSmtpSettings, SmtpSettingsSchema } from '../../src/main/delivery/smtpSettings';
import { CLI } from '../helpers/runCli';
import { tempDir } from '../helpers/fixtureDb';

const dir = tempDir('sitereport-scheduler-');
let dbCount = 0;

function freshDb(): string {
  dbCount += 1;
  const file = path.join(dir, `s${dbCount}.db`);
  createDemoDatabase(file, { components: 200, seed: 3, anchorDate: '2026-11-22' });
  return file;
}

const daily = { frequency: 'daily', time: '07:00', timezone: 'Europe/Berlin' };

function addSchedule(services: AppServices, at: string, folder: string, input: Record<string, unknown>): ScheduleJson {
  fs.mkdirSync(folder, { recursive: true });
  const parsed = INPUT_SCHEMAS['schedules/save'].parse({ name: 'Daily progress', target: { kind: 'builtin', reportId: 'progress-summary' }, spec: daily, formats: ['csv'], ...input });
  return new ScheduleStore(services.db, () => new Date(at)).save(parsed, folder);
}

const slotRows = (s: AppServices) => s.db.prepare('SELECT schedule_id AS scheduleId, slot, trigger, state FROM schedule_slots ORDER BY slot').all() as Array<{ scheduleId: number; slot: string; trigger: string; state: string }>;
const filesIn = (folder: string) => fs.readdirSync(folder).sort();

/** The CLI in its own process, at a fixed clock; resolves with its exit code or signal. */
function runDueProcess(dbPath: string, now: string, env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'schedule', 'run-due', '--db', dbPath], { env: { ...process.env, SITEREPORT_NOW: now, ...env } });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
  });
}

describe('the runner on a controllable clock (wall and monotonic apart)', () => {
  const clock = new ManualClock('2026-11-23T05:59:00Z'); // Monday 06:59 in Berlin
  const folder = path.join(dir, 'clock-out');
  let s: AppServices;
  let schedule: ScheduleJson;

  beforeAll(() => {
    s = openAppServices({ dbPath: freshDb(), now: () => new Date(clock.wallMs()) });
    schedule = addSchedule(s, '2026-11-23T05:00:00Z', folder, {});
  });
  afterAll(() => s.close());

  it('runs a slot once, at its time, into a file named for the slot', async () => {
    expect((await runDue(s, { clock })).slots).toEqual([]);
    clock.advance(2 * 60_000);
    const r = await runDue(s, { clock });
    expect(r.slots).toHaveLength(1);
    expect(r.slots[0]).toMatchObject({ slot: '2026-11-23T06:00:00.000Z', trigger: 'scheduled', state: 'delivered', skipped: 0 });
    expect(filesIn(folder)).toEqual(['Daily progress - DEMO-ETH - 2026-11-23 07.00.csv']);
    expect((await runDue(s, { clock })).slots).toEqual([]);
    expect(new ScheduleStore(s.db, () => new Date(clock.wallMs())).get(schedule.id)).toMatchObject({ nextRunAt: '2026-11-24T06:00:00.000Z', lastRunAt: '2026-11-23T06:00:00.000Z' });
  });

  it('sleep over three slots gives exactly one catch-up run, for the latest, and later slots keep their time', async () => {
    clock.sleep(3 * 86_400_000 + 3 * 3_600_000); // wakes Thursday 10:01 Berlin; monotonic did not move
    const r = await runDue(s, { clock });
    expect(r.slots.map((x) => ({ slot: x.slot, trigger: x.trigger, skipped: x.skipped }))).toEqual([{ slot: '2026-11-26T06:00:00.000Z', trigger: 'catch-up', skipped: 2 }]);
    expect((await runDue(s, { clock })).slots).toEqual([]);
    expect(new ScheduleStore(s.db, () => new Date(clock.wallMs())).get(schedule.id).nextRunAt).toBe('2026-11-27T06:00:00.000Z');
    const run = s.runs.list({ limit: 1 }).runs[0];
    expect(run).toMatchObject({ trigger: 'catch-up', slot: '2026-11-26T06:00:00.000Z', status: 'succeeded', scheduleId: schedule.id });
  });

  it('a wall clock set back a day runs nothing again, and the next real slot runs once', async () => {
    clock.jumpWall(-86_400_000);
    for (let i = 0; i < 4; i++) {
      expect((await runDue(s, { clock })).slots).toEqual([]);
      clock.advance(3_600_000);
    }
    clock.jumpWall(86_400_000 - 4 * 3_600_000);
    clock.advance(21 * 3_600_000); // Friday 07:01 Berlin
    const r = await runDue(s, { clock });
    expect(r.slots.map((x) => [x.slot, x.trigger])).toEqual([['2026-11-27T06:00:00.000Z', 'scheduled']]);
    expect(slotRows(s).map((x) => x.slot)).toEqual(['2026-11-23T06:00:00.000Z', '2026-11-26T06:00:00.000Z', '2026-11-27T06:00:00.000Z']);
    expect(filesIn(folder)).toHaveLength(3);
  });
});

describe('one runner at a time', () => {
  it('a second holder is refused while the first lives; a dead holder or a lease from a clock set back is taken over', () => {
    const clock = new ManualClock('2026-11-23T06:00:00Z');
    const s = openAppServices({ dbPath: freshDb(), now: () => new Date(clock.wallMs()) });
    try {
      const first = new RunnerLease(s.db, clock);
      const second = new RunnerLease(s.db, clock);
      expect(first.acquire()).toBe(true);
      expect(second.acquire()).toBe(false);
      const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      s.db.prepare('UPDATE runner_leases SET pid = ?').run(Number(gone.stdout));
      expect(second.acquire()).toBe(true);
      expect(first.renew()).toBe(false);
      s.db.prepare("UPDATE runner_leases SET holder = 'elsewhere', host = 'another-machine', expires_at = '2026-11-25T00:00:00.000Z'").run();
      expect(first.acquire()).toBe(true);
    } finally {
      s.close();
    }
  });

  it('two runner processes started together deliver each slot once', async () => {
    const dbPath = freshDb();
    const folder = path.join(dir, 'two-runners');
    const s = openAppServices({ dbPath, now: () => new Date('2026-11-23T05:00:00Z') });
    for (const name of ['A', 'B', 'C', 'D']) addSchedule(s, '2026-11-23T05:00:00Z', folder, { name: `Report ${name}`, formats: ['csv', 'json'] });
    s.close();
    const [one, two] = await Promise.all([runDueProcess(dbPath, '2026-11-23T06:01:00Z'), runDueProcess(dbPath, '2026-11-23T06:01:00Z')]);
    expect([one.code, two.code]).toEqual([0, 0]);
    const again = openAppServices({ dbPath, now: () => new Date('2026-11-23T06:01:00Z') });
    try {
      expect(slotRows(again).map((r) => r.state)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
      expect(filesIn(folder)).toHaveLength(8);
      const runs = again.runs.list({ trigger: 'scheduled' }).runs;
      expect(runs).toHaveLength(8);
      expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    } finally {
      again.close();
    }
  });
});

describe('a crash between the file rename and the database mark', () => {
  it('leaves one file per format for the slot after a restart, and an honest history', async () => {
    const dbPath = freshDb();
    const folder = path.join(dir, 'crash-files');
    const s = openAppServices({ dbPath, now: () => new Date('2026-11-23T05:00:00Z') });
    addSchedule(s, '2026-11-23T05:00:00Z', folder, { formats: ['csv', 'json'] });
    s.close();
    const killed = await runDueProcess(dbPath, '2026-11-23T06:01:00Z', { SITEREPORT_CRASH_AT: 'after-file-rename' });
    expect(killed.signal).toBe('SIGKILL');
    expect(filesIn(folder)).toEqual(['Daily progress - DEMO-ETH - 2026-11-23 07.00.csv']);
    const restarted = await runDueProcess(dbPath, '2026-11-23T06:02:00Z');
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain('redone after an interrupted run');
    expect(filesIn(folder)).toEqual(['Daily progress - DEMO-ETH - 2026-11-23 07.00.csv', 'Daily progress - DEMO-ETH - 2026-11-23 07.00.json']);
    expect((await runDueProcess(dbPath, '2026-11-23T06:03:00Z')).stdout).toContain('No schedule is due.');
    const check = openAppServices({ dbPath, now: () => new Date('2026-11-23T06:03:00Z') });
    try {
      expect(slotRows(check)).toEqual([{ scheduleId: 1, slot: '2026-11-23T06:00:00.000Z', trigger: 'scheduled', state: 'delivered' }]);
      const runs = check.runs.list({}).runs;
      expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'succeeded', 'succeeded']);
      expect(runs.find((r) => r.status === 'failed')?.error).toMatch(/interrupted/);
      expect((check.db.pragma('integrity_check', { simple: true }) as string)).toBe('ok');
    } finally {
      check.close();
    }
  });
});

describe('e-mail through a local SMTP server process', () => {
  let server: ChildProcess;
  let port = 0;
  const received = path.join(dir, 'received.jsonl');
  const messages = (to: string) =>
    (fs.existsSync(received) ? fs.readFileSync(received, 'utf8').trim().split('\n').filter(Boolean) : [])
      .map((l) => JSON.parse(l) as { messageId: string; to: string[]; subject: string; attachments: string[]; text: string })
      .filter((m) => m.to.includes(to));

  beforeAll(async () => {
    server = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../helpers/smtpServerProcess.ts'), '0', received]);
    port = await new Promise<number>((resolve, reject) => {
      server.stdout?.on('data', (d: Buffer) => {
        const m = /ready (\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      });
      server.on('exit', (code) => reject(new Error(`SMTP server exited ${code}`)));
    });
  });
  afterAll(() => {
    server.kill('SIGTERM');
  });

  const smtp = (maxAttachmentMb = 10) => ({ host: '127.0.0.1', port, security: 'none', from: 'sitereport@example.com', maxAttachmentMb });

  it('sends each recipient one message with a stable Message-ID, attaching small files and naming the folder of large ones', async () => {
    const dbPath = freshDb();
    const folder = path.join(dir, 'mail-out');
    const s = openAppServices({ dbPath, now: () => new Date('2026-11-23T05:00:00Z') });
    const schedule = addSchedule(s, '2026-11-23T05:00:00Z', folder, { formats: ['csv', 'pdf'], recipients: ['pm@example.com', 'qa@example.com'] });
    saveSmtpSettings(s.db, smtp(0.02));
    s.close();
    const r = await runDueProcess(dbPath, '2026-11-23T06:01:00Z');
    expect(r.stdout).toContain('E-mail: 2 sent, 0 waiting to retry, 0 refused.');
    for (const to of ['pm@example.com', 'qa@example.com']) {
      const got = messages(to);
      expect(got).toHaveLength(1);
      expect(got[0]?.messageId).toBe(messageIdFor(schedule.id, '2026-11-23T06:00:00.000Z', to, null));
      expect(got[0]?.attachments).toEqual(['Daily progress - DEMO-ETH - 2026-11-23 07.00.csv']);
      expect(got[0]?.text).toContain(`It is in the folder ${folder}`);
      expect(got[0]?.subject).toBe('Daily progress · Riverside Ethylene Cracker — Piping Installation · 2026-11-23 07.00');
    }
  });

  it('retries a 4xx and an unreachable server later with backoff, fails a 5xx and says why', async () => {
    const clock = new ManualClock('2026-11-23T06:01:00Z');
    const s = openAppServices({ dbPath: freshDb(), now: () => new Date(clock.wallMs()) });
    try {
      const outbox = new Outbox(s.db, clock);
      outbox.enqueue(['busy@example.com', 'nobody@example.com', 'later@example.com'].map((recipient) => ({ scheduleId: null, slot: null, runId: null, recipient, subject: 'Weekly', body: 'Hello', attachments: [] })));
      // Offline: nothing listens on this port.
      const offline = await outbox.drain(smtpMailer(SmtpSettingsSchema.parse({ ...smtp(), port: 1 }), null), 'sitereport@example.com');
      expect(offline).toEqual({ sent: 0, retrying: 3, failed: 0 });
      const afterOffline = outbox.list();
      expect(afterOffline.every((m) => m.state === 'pending' && m.attempts === 1 && m.lastError?.includes('no connection'))).toBe(true);
      expect(afterOffline.every((m) => Date.parse(m.nextAttemptAt) >= clock.wallMs() + 24_000)).toBe(true);
      // Not due yet: nothing is tried.
      const live = smtpMailer(SmtpSettingsSchema.parse(smtp()), null);
      expect(await outbox.drain(live, 'sitereport@example.com')).toEqual({ sent: 0, retrying: 0, failed: 0 });
      clock.advance(60_000);
      expect(await outbox.drain(live, 'sitereport@example.com')).toEqual({ sent: 1, retrying: 1, failed: 1 });
      const byRecipient = Object.fromEntries(outbox.list().map((m) => [m.recipient, m]));
      expect(byRecipient['later@example.com']).toMatchObject({ state: 'sent', attempts: 2 });
      expect(byRecipient['busy@example.com']).toMatchObject({ state: 'pending', attempts: 2 });
      expect(byRecipient['busy@example.com']?.lastError).toMatch(/try later \(451\)/);
      expect(Date.parse(byRecipient['busy@example.com']?.nextAttemptAt ?? '') - clock.wallMs()).toBeGreaterThanOrEqual(48_000);
      expect(byRecipient['nobody@example.com']).toMatchObject({ state: 'failed' });
      expect(byRecipient['nobody@example.com']?.lastError).toMatch(/refused the message \(550\)/);
      expect(messages('later@example.com')).toHaveLength(1);
      live.close();
    } finally {
      s.close();
    }
  });

  it('killed between the server accepting and the outbox mark: one duplicate at most, under the same Message-ID', async () => {
    const dbPath = freshDb();
    const s = openAppServices({ dbPath, now: () => new Date('2026-11-23T05:00:00Z') });
    addSchedule(s, '2026-11-23T05:00:00Z', path.join(dir, 'crash-mail'), { recipients: ['c1@example.com', 'c2@example.com', 'c3@example.com'] });
    saveSmtpSettings(s.db, smtp());
    s.close();
    const killed = await runDueProcess(dbPath, '2026-11-23T06:01:00Z', { SITEREPORT_CRASH_AT: 'after-smtp-accept' });
    expect(killed.signal).toBe('SIGKILL');
    expect(messages('c1@example.com')).toHaveLength(1);
    expect(messages('c2@example.com')).toHaveLength(0);
    const restarted = await runDueProcess(dbPath, '2026-11-23T06:02:00Z');
    expect(restarted.stdout).toContain('E-mail: 3 sent');
    const first = messages('c1@example.com');
    expect(first).toHaveLength(2);
    expect(first[0]?.messageId).toBe(first[1]?.messageId);
    expect(messages('c2@example.com')).toHaveLength(1);
    expect(messages('c3@example.com')).toHaveLength(1);
    expect((await runDueProcess(dbPath, '2026-11-23T06:03:00Z')).stdout).toContain('E-mail: 0 sent, 0 waiting to retry, 0 refused.');
  });
});

describe('the scheduler through the contract (as the app calls it)', () => {
  it('saves SMTP settings without a password in web mode, starts a backfill with a schedule, and runs a pass on request', async () => {
    const { createHandlers, dispatch } = await import('../../src/main/ipc/handlers');
    const { ExportFolders, ExportJobs } = await import('../../src/main/services/exportJobs');
    const { SchedulerHost } = await import('../../src/main/scheduler/schedulerHost');
    const { environmentPassword } = await import('../../src/main/delivery/smtpSettings');
    const clock = new ManualClock('2026-11-22T12:00:00Z');
    const s = openAppServices({ dbPath: freshDb(), now: () => new Date(clock.wallMs()) });
    const host = new SchedulerHost(s, { clock, password: environmentPassword({}) });
    const handlers = createHandlers(s, new ExportJobs(s, new ExportFolders(path.join(dir, 'contract-out'))), host);
    const call = (channel: string, input: unknown) => dispatch(handlers, channel, input);
    try {
      const settings = { host: '127.0.0.1', port: 2525, security: 'none', from: 'site@example.com' };
      expect(call('settings/smtpSave', { settings, password: 'secret' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('set SITEREPORT_SMTP_PASSWORD') } });
      expect(call('settings/smtpGet', {})).toMatchObject({ ok: true, value: { settings: null } });
      expect(call('settings/smtpSave', { settings: { ...settings, from: 'not-an-address' } })).toMatchObject({ ok: false, error: { message: 'the sender must be an e-mail address' } });
      expect(call('settings/smtpSave', { settings })).toMatchObject({ ok: true, value: { settings: { ...settings, user: '', maxAttachmentMb: 10 }, passwordStore: 'environment', passwordAvailable: false } });
      expect(JSON.stringify(s.db.prepare('SELECT * FROM meta').all())).not.toContain('secret');

      const saved = call('schedules/save', { name: 'Weekly curve', target: { kind: 'builtin', reportId: 'progress-summary' }, spec: { frequency: 'daily', time: '12:30', timezone: 'UTC' }, formats: ['csv'], recipients: ['pm@example.com'], backfill: { days: 28, segment: 'weekly' } }) as { ok: true; value: ScheduleJson };
      expect(saved.ok).toBe(true);
      const jobs = call('backfill/list', {}) as { ok: true; value: Array<{ id: number; scheduleId: number; from: string; to: string }> };
      expect(jobs.value[0]).toMatchObject({ scheduleId: saved.value.id, from: '2026-10-26', to: '2026-11-22' });
      expect(await host.backfills.settled(jobs.value[0]?.id ?? 0)).toMatchObject({ status: 'completed', segments: { total: 4, completed: 4 } });
      expect(call('backfill/start', { from: '2025-01-01', to: '2026-11-22', segment: 'monthly' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('at most 365 days') } });

      clock.advance(31 * 60_000);
      expect(call('schedules/runDue', {})).toMatchObject({ ok: true, value: { started: true } });
      await host.idle();
      expect(call('schedules/runDue', {})).toMatchObject({ ok: true, value: { lastPassSummary: '1 delivered, 0 e-mail sent, 1 waiting to retry' } });
    } finally {
      await host.stop();
      s.close();
    }
  });
});
