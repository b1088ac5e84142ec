/**
 * Calendar helpers on UTC dates written as `YYYY-MM-DD`. All date arithmetic goes through
 * epoch days so that month ends, leap years and ISO weeks follow one rule.
 */
const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function toEpochDay(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

export function fromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(toEpochDay(date) + days);
}

export function utcDateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** ISO-8601 UTC without milliseconds: the timestamp format stored in the database. */
export function isoInstant(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Exclusive upper bound for "on or before date D" comparisons on ISO timestamps. */
export function endOfDayBound(date: string): string {
  return `${addDays(date, 1)}T00:00:00Z`;
}

/** Monday of the ISO week containing the date. */
export function isoWeekStart(date: string): string {
  const day = toEpochDay(date);
  const weekday = (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Monday
  return fromEpochDay(day - weekday);
}

export function isoWeekLabel(date: string): string {
  const day = toEpochDay(date);
  const weekday = (((day + 3) % 7) + 7) % 7;
  const thursday = day - weekday + 3;
  const year = Number(fromEpochDay(thursday).slice(0, 4));
  const jan1 = toEpochDay(`${year}-01-01`);
  const week = Math.floor((thursday - jan1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

export function monthEnd(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return `${date.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
}
