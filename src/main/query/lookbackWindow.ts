/**
 * A lookback turned into dates in the project's time zone and the UTC instants that bound
 * them: [start 00:00 local, end + 1 day 00:00 local). A DST change inside the window moves
 * the UTC bounds, never the local dates.
 */
import { addDays, daysInMonth, isoWeekStart } from '../../shared/dates';
import { localDate, startOfLocalDay } from '../../shared/timeZones';
import type { Lookback } from '../../shared/domain/reportDefinition';

export interface ResolvedWindow {
  start: string;
  end: string;
  timeZone: string;
  startUtc: string;
  endUtcExclusive: string;
}

function minusMonths(date: string, months: number): string {
  let y = Number(date.slice(0, 4));
  let m = Number(date.slice(5, 7)) - months;
  while (m < 1) {
    m += 12;
    y -= 1;
  }
  const d = Math.min(Number(date.slice(8, 10)), daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function resolveLookback(lb: Lookback, now: Date, timeZone: string): ResolvedWindow {
  const today = localDate(now.getTime(), timeZone);
  let start: string;
  let end = today;
  switch (lb.kind) {
    case 'relative':
      start = lb.unit === 'days' ? addDays(today, -(lb.count - 1)) : lb.unit === 'weeks' ? addDays(today, -(7 * lb.count - 1)) : addDays(minusMonths(today, lb.count), 1);
      break;
    case 'preset':
      switch (lb.preset) {
        case 'last7Days':
          start = addDays(today, -6);
          break;
        case 'last14Days':
          start = addDays(today, -13);
          break;
        case 'last30Days':
          start = addDays(today, -29);
          break;
        case 'thisWeek':
          start = isoWeekStart(today);
          break;
        case 'thisMonth':
          start = `${today.slice(0, 7)}-01`;
          break;
        case 'lastQuarter': {
          const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
          const y = Number(today.slice(0, 4)) - (q === 0 ? 1 : 0);
          const firstMonth = q === 0 ? 10 : (q - 1) * 3 + 1;
          start = `${y}-${String(firstMonth).padStart(2, '0')}-01`;
          const lastMonth = firstMonth + 2;
          end = `${y}-${String(lastMonth).padStart(2, '0')}-${String(daysInMonth(y, lastMonth)).padStart(2, '0')}`;
          break;
        }
      }
      break;
    case 'custom':
      start = lb.start;
      end = lb.end;
      break;
  }
  return {
    start,
    end,
    timeZone,
    startUtc: new Date(startOfLocalDay(start, timeZone)).toISOString().replace('.000Z', 'Z'),
    endUtcExclusive: new Date(startOfLocalDay(addDays(end, 1), timeZone)).toISOString().replace('.000Z', 'Z'),
  };
}
