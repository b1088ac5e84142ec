/**
 * Next run instants of a schedule spec (SPEC §10) in its IANA time zone: daily, weekly (ISO
 * weekdays, 1 = Monday … 7 = Sunday), monthly (a day past the month's end means its last day)
 * or a five-field cron expression (lists, ranges, steps, month and day names; when both day
 * fields are restricted a day matches either, as in cron). A local time skipped by DST runs
 * shifted forward by the gap; a repeated local time runs once, at its first occurrence.
 */
import { z } from 'zod';
import { isValidTimeZone, zonedTimeToUtc } from '../timeZones';

export const ScheduleSpecSchema = z
  .strictObject({
    frequency: z.enum(['daily', 'weekly', 'monthly', 'cron']),
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM on a 24-hour clock')
      .optional(),
    timezone: z.string().refine(isValidTimeZone, 'timezone must be an IANA time zone such as Europe/Berlin'),
    daysOfWeek: z.array(z.number().int().min(1, 'days of the week run from 1 (Monday) to 7 (Sunday)').max(7, 'days of the week run from 1 (Monday) to 7 (Sunday)')).max(7).optional(),
    dayOfMonth: z.number().int().min(1).max(31).optional(),
    cron: z.string().max(200).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.frequency !== 'cron' && !s.time) ctx.addIssue({ code: 'custom', path: ['time'], message: `a ${s.frequency} schedule needs a time (HH:MM)` });
    if (s.frequency === 'weekly' && (!s.daysOfWeek || s.daysOfWeek.length === 0)) ctx.addIssue({ code: 'custom', path: ['daysOfWeek'], message: 'a weekly schedule needs at least one day of the week' });
    if (s.frequency === 'monthly' && s.dayOfMonth === undefined) ctx.addIssue({ code: 'custom', path: ['dayOfMonth'], message: 'a monthly schedule needs a day of the month (1–31)' });
    if (s.frequency === 'cron') {
      if (!s.cron) ctx.addIssue({ code: 'custom', path: ['cron'], message: 'a cron schedule needs a cron expression such as "0 9 * * 1-5"' });
      else {
        try {
          parseCron(s.cron);
        } catch (err) {
          ctx.addIssue({ code: 'custom', path: ['cron'], message: (err as Error).message });
        }
      }
    }
  });

export type ScheduleSpec = z.infer<typeof ScheduleSpecSchema>;

interface CronFields {
  minutes: number[];
  hours: number[];
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>; // 0 = Sunday … 6 = Saturday
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function cronField(text: string, name: string, min: number, max: number, names: string[] = [], nameBase = 0): number[] {
  const value = (t: string): number => {
    const i = names.indexOf(t.toUpperCase());
    const n = i >= 0 ? i + nameBase : /^\d+$/.test(t) ? Number(t) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`cron ${name}: "${t}" is not between ${min} and ${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron ${name}: step "${stepText}" must be a whole number of 1 or more`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [lo, hi] = [value(a), value(b)];
      if (lo > hi) throw new Error(`cron ${name}: range "${range}" runs backwards`);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

export function parseCron(expression: string): CronFields {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`a cron expression has 5 fields (minute hour day-of-month month day-of-week), not ${parts.length}`);
  const [mi, ho, dom, mon, dow] = parts as [string, string, string, string, string];
  return {
    minutes: cronField(mi, 'minute', 0, 59),
    hours: cronField(ho, 'hour', 0, 23),
    days: new Set(cronField(dom, 'day of month', 1, 31)),
    months: new Set(cronField(mon, 'month', 1, 12, MONTH_NAMES, 1)),
    weekdays: new Set(cronField(dow, 'day of week', 0, 7, DAY_NAMES, 0).map((d) => d % 7)),
    dayRestricted: dom !== '*',
    weekdayRestricted: dow !== '*',
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Wall times (hour, minute) the spec runs at on a local date, in order. */
function timesOn(spec: ScheduleSpec, cron: CronFields | null, y: number, m: number, d: number): Array<[number, number]> {
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  const iso = weekday === 0 ? 7 : weekday;
  const [h, mi] = (spec.time ?? '00:00').split(':').map(Number) as [number, number];
  switch (spec.frequency) {
    case 'daily':
      return [[h, mi]];
    case 'weekly':
      return spec.daysOfWeek?.includes(iso) ? [[h, mi]] : [];
    case 'monthly':
      return d === Math.min(spec.dayOfMonth ?? 1, daysInMonth(y, m)) ? [[h, mi]] : [];
    case 'cron': {
      const c = cron as CronFields;
      if (!c.months.has(m)) return [];
      const domOk = c.days.has(d);
      const dowOk = c.weekdays.has(weekday);
      const dayOk = c.dayRestricted && c.weekdayRestricted ? domOk || dowOk : domOk && dowOk;
      if (!dayOk) return [];
      return c.hours.flatMap((hh) => c.minutes.map((mm) => [hh, mm] as [number, number]));
    }
  }
}

/** The next `count` run instants strictly after `fromMs` (at most ~11 years ahead). */
export function nextRuns(spec: ScheduleSpec, fromMs: number, count: number): number[] {
  const cron = spec.frequency === 'cron' ? parseCron(spec.cron ?? '') : null;
  const out: number[] = [];
  // Start a day early: the local date of `fromMs` may be behind UTC's.
  const start = new Date(fromMs - 86_400_000);
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth() + 1;
  let d = start.getUTCDate();
  for (let i = 0; i < 4100 && out.length < count; i++) {
    const date = `${y}-${pad(m)}-${pad(d)}`;
    const instants = timesOn(spec, cron, y, m, d).map(([hh, mm]) => zonedTimeToUtc(date, hh, mm, spec.timezone));
    for (const t of [...new Set(instants)].sort((a, b) => a - b)) {
      if (t > fromMs && (out.length === 0 || t > (out[out.length - 1] as number)) && out.length < count) out.push(t);
    }
    d += 1;
    if (d > daysInMonth(y, m)) {
      d = 1;
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
  }
  return out;
}

/** The spec in words, for lists and the builder. */
export function describeSpec(spec: ScheduleSpec): string {
  const names = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  switch (spec.frequency) {
    case 'daily':
      return `Daily at ${spec.time} (${spec.timezone})`;
    case 'weekly':
      return `Weekly on ${(spec.daysOfWeek ?? []).slice().sort().map((d) => names[d]).join(', ')} at ${spec.time} (${spec.timezone})`;
    case 'monthly':
      return `Monthly on day ${spec.dayOfMonth}${(spec.dayOfMonth ?? 0) > 28 ? ' (or the month’s last day)' : ''} at ${spec.time} (${spec.timezone})`;
    case 'cron':
      return `Cron “${spec.cron}” (${spec.timezone})`;
  }
}
