import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoDatabase } from '../../src/main/demo/createDemoDatabase';
import { openAppServices, type AppServices } from '../../src/main/services/appServices';
import { createHandlers, dispatch } from '../../src/main/ipc/handlers';
import { ExportFolders, ExportJobs } from '../../src/main/services/exportJobs';
import type { ScheduleJson } from '../../src/shared/contract';
import { SchedulerHost } from '../../src/main/scheduler/schedulerHost';
import { environmentPassword } from '../../src/main/delivery/smtpSettings';
import { runCli } from '../helpers/runCli';
import { tempDir } from '../helpers/fixtureDb';

const dir = tempDir('sitereport-schedules-');
const dbPath = path.join(dir, 'demo.db');
let services: AppServices;
let scheduler: SchedulerHost;
let call: (channel: string, input: unknown) => ReturnType<typeof dispatch>;

beforeAll(() => {
  createDemoDatabase(dbPath, { components: 300, seed: 2, anchorDate: '2026-11-22' });
  services = openAppServices({ dbPath, now: () => new Date('2026-11-22T12:00:00Z') });
  scheduler = new SchedulerHost(services, { password: environmentPassword({}) });
  const handlers = createHandlers(services, new ExportJobs(services, new ExportFolders(path.join(dir, 'out'))), scheduler);
  call = (channel, input) => dispatch(handlers, channel, input);
});

// The saved schedule starts a backfill in the background: it must end before the database closes.
afterAll(async () => {
  await scheduler.stop();
  services.close();
});

const weekly = { frequency: 'weekly', time: '07:00', timezone: 'Europe/Berlin', daysOfWeek: [1] };

describe('schedules through the contract', () => {
  it('stores a weekly schedule with its next run in UTC and lists it', () => {
    const r = call('schedules/save', { name: 'Monday progress', target: { kind: 'builtin', reportId: 'progress-summary' }, spec: weekly, formats: ['pdf', 'xlsx'], recipients: ['pm@example.com'], backfill: { days: 90, segment: 'weekly' } });
    expect(r).toMatchObject({ ok: true, value: { name: 'Monday progress', enabled: true, nextRunAt: '2026-11-23T06:00:00.000Z', specText: 'Weekly on Mon at 07:00 (Europe/Berlin)', folder: path.join(dir, 'out') } });
    const list = call('schedules/list', {}) as { ok: true; value: ScheduleJson[] };
    expect(list.value.map((s) => s.name)).toEqual(['Monday progress']);
  });

  it('disabling clears the next run; enabling computes it again from now', () => {
    const id = ((call('schedules/list', {}) as { value: ScheduleJson[] }).value[0] as ScheduleJson).id;
    expect(call('schedules/setEnabled', { id, enabled: false })).toMatchObject({ ok: true, value: { enabled: false, nextRunAt: null } });
    expect(call('schedules/setEnabled', { id, enabled: true })).toMatchObject({ ok: true, value: { enabled: true, nextRunAt: '2026-11-23T06:00:00.000Z' } });
  });

  it('refuses bad input in plain words and stores nothing', () => {
    const before = (services.db.prepare('SELECT count(*) AS n FROM report_schedules').get() as { n: number }).n;
    const base = { name: 'x', target: { kind: 'builtin', reportId: 'progress-summary' }, spec: weekly, formats: ['pdf'] };
    expect(call('schedules/save', { ...base, recipients: ['not-an-address'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/e-mail/) } });
    expect(call('schedules/save', { ...base, formats: [] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/at least one file format/) } });
    expect(call('schedules/save', { ...base, spec: { ...weekly, daysOfWeek: [] } })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/at least one day/) } });
    expect(call('schedules/save', { ...base, target: { kind: 'definition', id: '999' } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/save the report/) } });
    expect(call('schedules/save', { ...base, backfill: { days: 400, segment: 'daily' } })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/365 days/) } });
    expect((services.db.prepare('SELECT count(*) AS n FROM report_schedules').get() as { n: number }).n).toBe(before);
  });

  it('previews the next runs of a spec', () => {
    expect(call('schedules/preview', { spec: { frequency: 'daily', time: '02:30', timezone: 'America/New_York' }, from: '2026-03-07T00:00:00Z', count: 3 })).toEqual({
      ok: true,
      value: { runs: ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z'] },
    });
  });
});

describe('schedule CLI', () => {
  it('prints the next runs, ISO UTC, one a line', () => {
    const spec = path.join(dir, 'spec.json');
    fs.writeFileSync(spec, JSON.stringify({ frequency: 'monthly', time: '09:00', dayOfMonth: 31, timezone: 'Europe/London' }));
    const r = runCli(['schedule', 'preview', spec, '--from', '2026-01-01T00:00:00Z', '--count', '3']);
    expect(r.stdout).toBe('2026-01-31T09:00:00Z\n2026-02-28T09:00:00Z\n2026-03-31T08:00:00Z\n');
    expect(r.code).toBe(0);
  });

  it('refuses a bad spec with one line and exit 2', () => {
    const spec = path.join(dir, 'bad.json');
    fs.writeFileSync(spec, JSON.stringify({ frequency: 'cron', cron: '0 9 * *', timezone: 'UTC' }));
    const r = runCli(['schedule', 'preview', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sitereport: cron: a cron expression has 5 fields (minute hour day-of-month month day-of-week), not 4\n');
  });

  it('lists stored schedules', () => {
    const r = runCli(['schedule', 'list', '--db', dbPath], { SITEREPORT_NOW: '2026-11-22T12:00:00Z' });
    expect(r.stdout).toMatch(/^\d+\s+on  Monday progress  —  Weekly on Mon at 07:00 \(Europe\/Berlin\); next 2026-11-23T06:00:00.000Z; pdf, xlsx to /);
  });
});
