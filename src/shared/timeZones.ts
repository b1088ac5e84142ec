/**
 * IANA time-zone arithmetic with Intl only (no tz database of our own). Invariants:
 * - offsetMinutes(instant, tz) is local time minus UTC at that instant;
 * - a local wall time that does not exist (spring-forward gap) is shifted forward by the gap;
 * - a local wall time that occurs twice (fall-back) resolves to its first occurrence.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(instantMs: number, tz: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year as number,
    month: parts.month as number,
    day: parts.day as number,
    hour: parts.hour as number,
    minute: parts.minute as number,
    second: parts.second as number,
  };
}

export function offsetMinutes(instantMs: number, tz: string): number {
  const p = localParts(instantMs, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60000);
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instantMs: number, tz: string): string {
  const p = localParts(instantMs, tz);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * The UTC instant of a local wall time. Gap: shifted forward by the gap. Overlap: the first
 * (earlier) occurrence.
 */
export function zonedTimeToUtc(date: string, hour: number, minute: number, tz: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  // Candidate offsets: those in force a day before and a day after cover every transition.
  const candidates = new Set([offsetMinutes(wall - 86_400_000, tz), offsetMinutes(wall + 86_400_000, tz), offsetMinutes(wall, tz)]);
  const matches: number[] = [];
  for (const off of candidates) {
    const instant = wall - off * 60_000;
    if (offsetMinutes(instant, tz) === off) matches.push(instant);
  }
  if (matches.length > 0) return Math.min(...matches);
  // In a gap: the wall time does not exist; use the offset from before the gap, which lands
  // the same distance after the transition as the wall time is after its start.
  const before = offsetMinutes(wall - 86_400_000, tz);
  return wall - before * 60_000;
}

/** UTC instant of local midnight starting the date. */
export function startOfLocalDay(date: string, tz: string): number {
  return zonedTimeToUtc(date, 0, 0, tz);
}

export interface OffsetSpan {
  /** First instant (ms) the offset applies from; -Infinity for the first span. */
  fromMs: number;
  offsetMinutes: number;
}

/** Offset changes between two instants (found to the minute), for bucketing by local date. */
export function offsetSpans(fromMs: number, toMs: number, tz: string): OffsetSpan[] {
  const spans: OffsetSpan[] = [{ fromMs: -Infinity, offsetMinutes: offsetMinutes(fromMs, tz) }];
  const step = 6 * 3_600_000;
  let prevT = fromMs;
  let prevOff = spans[0]?.offsetMinutes as number;
  for (let t = fromMs + step; t <= toMs + step; t += step) {
    const off = offsetMinutes(t, tz);
    if (off !== prevOff) {
      let lo = prevT;
      let hi = t;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetMinutes(mid, tz) === prevOff) lo = mid;
        else hi = mid;
      }
      spans.push({ fromMs: hi, offsetMinutes: off });
      prevOff = off;
    }
    prevT = t;
  }
  return spans;
}
