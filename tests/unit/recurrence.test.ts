/**
 * Next runs per SPEC §10, each expected instant worked out by hand from the zone's offsets:
 * New York EST −5 / EDT −4 (2026: forward 8 Mar 02:00, back 1 Nov 02:00); Berlin CET +1 /
 * CEST +2 (29 Mar 02:00, 25 Oct 03:00); London GMT / BST +1 (29 Mar 01:00, 25 Oct 02:00;
 * 2028: 26 Mar); Sydney AEDT +11 / AEST +10 (back 5 Apr 03:00, forward 4 Oct 02:00);
 * Kolkata +5:30, no DST.
 */
import { describe, expect, it } from 'vitest';
import { nextRuns, ScheduleSpecSchema, type ScheduleSpec } from '../../src/shared/schedule/recurrence';

type Case = [string, Partial<ScheduleSpec> & { frequency: ScheduleSpec['frequency']; timezone: string }, string, string[]];

const NY = 'America/New_York';
const BER = 'Europe/Berlin';
const LON = 'Europe/London';
const SYD = 'Australia/Sydney';
const KOL = 'Asia/Kolkata';

const cases: Case[] = [
  ['NY daily 09:00 across spring forward', { frequency: 'daily', time: '09:00', timezone: NY }, '2026-03-06T00:00:00Z', ['2026-03-06T14:00:00Z', '2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z', '2026-03-09T13:00:00Z']],
  ['NY daily 02:30 in the spring gap runs at 03:30', { frequency: 'daily', time: '02:30', timezone: NY }, '2026-03-07T00:00:00Z', ['2026-03-07T07:30:00Z', '2026-03-08T07:30:00Z', '2026-03-09T06:30:00Z']],
  ['NY daily 01:30 repeated at fall back runs once, first', { frequency: 'daily', time: '01:30', timezone: NY }, '2026-10-31T00:00:00Z', ['2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']],
  ['NY weekly on Sundays across fall back', { frequency: 'weekly', time: '07:00', daysOfWeek: [7], timezone: NY }, '2026-10-25T12:00:00Z', ['2026-11-01T12:00:00Z', '2026-11-08T12:00:00Z', '2026-11-15T12:00:00Z']],
  ['NY weekly Sat and Sun at noon across fall back', { frequency: 'weekly', time: '12:00', daysOfWeek: [6, 7], timezone: NY }, '2026-10-30T00:00:00Z', ['2026-10-31T16:00:00Z', '2026-11-01T17:00:00Z', '2026-11-07T17:00:00Z']],
  ['NY monthly 31st: October, then November’s last day', { frequency: 'monthly', time: '09:00', dayOfMonth: 31, timezone: NY }, '2026-10-01T00:00:00Z', ['2026-10-31T13:00:00Z', '2026-11-30T14:00:00Z']],
  ['NY daily: a run exactly at "from" is not next', { frequency: 'daily', time: '09:00', timezone: NY }, '2026-06-01T13:00:00Z', ['2026-06-02T13:00:00Z']],
  ['NY cron 02:30 daily through the gap', { frequency: 'cron', cron: '30 2 * * *', timezone: NY }, '2026-03-07T12:00:00Z', ['2026-03-08T07:30:00Z', '2026-03-09T06:30:00Z']],
  ['NY cron 01:00 and 01:30 on fall back: first occurrences only', { frequency: 'cron', cron: '0,30 1 * * *', timezone: NY }, '2026-11-01T00:00:00Z', ['2026-11-01T05:00:00Z', '2026-11-01T05:30:00Z', '2026-11-02T06:00:00Z']],
  ['NY cron 02:00 and 03:00 on spring day collapse into one run', { frequency: 'cron', cron: '0 2,3 8 3 *', timezone: NY }, '2026-03-01T00:00:00Z', ['2026-03-08T07:00:00Z', '2027-03-08T07:00:00Z']],
  ['Berlin weekly Mon, Wed, Fri across spring forward', { frequency: 'weekly', time: '07:00', daysOfWeek: [1, 3, 5], timezone: BER }, '2026-03-26T00:00:00Z', ['2026-03-27T06:00:00Z', '2026-03-30T05:00:00Z', '2026-04-01T05:00:00Z', '2026-04-03T05:00:00Z']],
  ['Berlin daily 02:30 in the gap runs at 03:30 CEST', { frequency: 'daily', time: '02:30', timezone: BER }, '2026-03-28T12:00:00Z', ['2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z']],
  ['Berlin daily 02:30 repeated at fall back: CEST first', { frequency: 'daily', time: '02:30', timezone: BER }, '2026-10-24T12:00:00Z', ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z']],
  ['Berlin monthly 30th: February’s last day, then March', { frequency: 'monthly', time: '12:00', dayOfMonth: 30, timezone: BER }, '2026-02-01T00:00:00Z', ['2026-02-28T11:00:00Z', '2026-03-30T10:00:00Z']],
  ['Berlin cron 1st and 15th at 08:00', { frequency: 'cron', cron: '0 8 1,15 * *', timezone: BER }, '2026-03-02T00:00:00Z', ['2026-03-15T07:00:00Z', '2026-04-01T06:00:00Z', '2026-04-15T06:00:00Z']],
  ['Berlin cron every 20 min 06–07 on Saturdays', { frequency: 'cron', cron: '*/20 6-7 * * 6', timezone: BER }, '2026-11-21T00:00:00Z', ['2026-11-21T05:00:00Z', '2026-11-21T05:20:00Z', '2026-11-21T05:40:00Z', '2026-11-21T06:00:00Z']],
  ['London monthly 31st through short months and BST', { frequency: 'monthly', time: '09:00', dayOfMonth: 31, timezone: LON }, '2026-01-01T00:00:00Z', ['2026-01-31T09:00:00Z', '2026-02-28T09:00:00Z', '2026-03-31T08:00:00Z', '2026-04-30T08:00:00Z', '2026-05-31T08:00:00Z', '2026-06-30T08:00:00Z']],
  ['London monthly 29th in a leap year: 29 Feb 2028', { frequency: 'monthly', time: '10:00', dayOfMonth: 29, timezone: LON }, '2027-12-31T00:00:00Z', ['2028-01-29T10:00:00Z', '2028-02-29T10:00:00Z', '2028-03-29T09:00:00Z']],
  ['London monthly 29th in 2026: 28 Feb', { frequency: 'monthly', time: '10:00', dayOfMonth: 29, timezone: LON }, '2026-02-01T00:00:00Z', ['2026-02-28T10:00:00Z']],
  ['London daily 01:30 in the gap runs at 02:30 BST', { frequency: 'daily', time: '01:30', timezone: LON }, '2026-03-28T12:00:00Z', ['2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z']],
  ['London daily 01:30 repeated at fall back: BST first', { frequency: 'daily', time: '01:30', timezone: LON }, '2026-10-24T12:00:00Z', ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z']],
  ['London cron 29 Feb only: next in 2028', { frequency: 'cron', cron: '0 0 29 2 *', timezone: LON }, '2026-01-01T00:00:00Z', ['2028-02-29T00:00:00Z']],
  ['London cron with month names', { frequency: 'cron', cron: '0 6 1 JAN,JUL *', timezone: LON }, '2026-02-01T00:00:00Z', ['2026-07-01T05:00:00Z', '2027-01-01T06:00:00Z']],
  ['Sydney daily 02:30 repeated at DST end: AEDT first', { frequency: 'daily', time: '02:30', timezone: SYD }, '2026-04-04T00:00:00Z', ['2026-04-04T15:30:00Z', '2026-04-05T16:30:00Z']],
  ['Sydney daily 02:30 in the DST-start gap runs at 03:30 AEDT', { frequency: 'daily', time: '02:30', timezone: SYD }, '2026-10-03T00:00:00Z', ['2026-10-03T16:30:00Z', '2026-10-04T15:30:00Z']],
  ['Sydney weekly Sundays 09:00 across DST start', { frequency: 'weekly', time: '09:00', daysOfWeek: [7], timezone: SYD }, '2026-09-26T00:00:00Z', ['2026-09-26T23:00:00Z', '2026-10-03T22:00:00Z', '2026-10-10T22:00:00Z']],
  ['Sydney monthly 31st at midnight, February’s last day', { frequency: 'monthly', time: '00:00', dayOfMonth: 31, timezone: SYD }, '2026-02-01T00:00:00Z', ['2026-02-27T13:00:00Z', '2026-03-30T13:00:00Z']],
  ['Kolkata daily 09:00', { frequency: 'daily', time: '09:00', timezone: KOL }, '2026-06-01T00:00:00Z', ['2026-06-01T03:30:00Z', '2026-06-02T03:30:00Z']],
  ['Kolkata monthly 31st at 23:45', { frequency: 'monthly', time: '23:45', dayOfMonth: 31, timezone: KOL }, '2026-04-01T00:00:00Z', ['2026-04-30T18:15:00Z', '2026-05-31T18:15:00Z', '2026-06-30T18:15:00Z']],
  ['Kolkata cron weekdays 09:00', { frequency: 'cron', cron: '0 9 * * 1-5', timezone: KOL }, '2026-11-20T00:00:00Z', ['2026-11-20T03:30:00Z', '2026-11-23T03:30:00Z', '2026-11-24T03:30:00Z']],
  ['Kolkata cron 13th or Friday (either day field matches)', { frequency: 'cron', cron: '0 12 13 * 5', timezone: KOL }, '2026-12-01T00:00:00Z', ['2026-12-04T06:30:00Z', '2026-12-11T06:30:00Z', '2026-12-13T06:30:00Z']],
  ['Kolkata cron Sunday written 7', { frequency: 'cron', cron: '0 10 * * 7', timezone: KOL }, '2026-11-20T00:00:00Z', ['2026-11-22T04:30:00Z']],
  ['Kolkata cron Sunday written 0', { frequency: 'cron', cron: '0 10 * * SUN', timezone: KOL }, '2026-11-20T00:00:00Z', ['2026-11-22T04:30:00Z']],
];

describe('schedule recurrence', () => {
  it.each(cases)('%s', (_name, spec, from, expected) => {
    const parsed = ScheduleSpecSchema.parse(spec);
    const runs = nextRuns(parsed, Date.parse(from), expected.length).map((t) => new Date(t).toISOString().replace('.000Z', 'Z'));
    expect(runs).toEqual(expected);
  });

  it.each([
    [{ frequency: 'weekly', time: '09:00', timezone: NY }, 'daysOfWeek: a weekly schedule needs at least one day of the week'],
    [{ frequency: 'daily', time: '9am', timezone: NY }, 'time must be HH:MM'],
    [{ frequency: 'daily', time: '09:00', timezone: 'Mars/Olympus' }, 'timezone must be an IANA time zone'],
    [{ frequency: 'cron', cron: '0 9 * *', timezone: NY }, 'a cron expression has 5 fields'],
    [{ frequency: 'cron', cron: '60 9 * * *', timezone: NY }, 'cron minute: "60" is not between 0 and 59'],
    [{ frequency: 'monthly', time: '09:00', timezone: NY }, 'a monthly schedule needs a day of the month'],
    [{ frequency: 'weekly', time: '09:00', daysOfWeek: [0], timezone: NY }, 'days of the week run from 1 (Monday) to 7 (Sunday)'],
  ])('refuses %j with a message in words', (spec, message) => {
    const r = ScheduleSpecSchema.safeParse(spec);
    expect(r.success).toBe(false);
    expect((r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toContain(message);
  });
});
