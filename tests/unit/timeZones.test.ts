import { describe, expect, it } from 'vitest';
import { localDate, offsetMinutes, offsetSpans, startOfLocalDay, zonedTimeToUtc } from '../../src/shared/timeZones';

const iso = (ms: number) => new Date(ms).toISOString();

describe('time zones', () => {
  it('knows offsets on both sides of a DST change', () => {
    expect(offsetMinutes(Date.parse('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe(120);
    expect(offsetMinutes(Date.parse('2026-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });

  it('converts local midnights to UTC', () => {
    expect(iso(startOfLocalDay('2026-03-29', 'Europe/Berlin'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(startOfLocalDay('2026-03-30', 'Europe/Berlin'))).toBe('2026-03-29T22:00:00.000Z');
    expect(iso(startOfLocalDay('2026-11-02', 'America/New_York'))).toBe('2026-11-02T05:00:00.000Z');
  });

  it('shifts a time in a spring-forward gap forward by the gap', () => {
    // 02:30 does not exist in New York on 8 March 2026; it runs at 03:30 EDT = 07:30Z.
    expect(iso(zonedTimeToUtc('2026-03-08', 2, 30, 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('takes the first occurrence of a repeated time', () => {
    // 01:30 happens twice in New York on 1 November 2026: first at EDT (05:30Z).
    expect(iso(zonedTimeToUtc('2026-11-01', 1, 30, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('finds the instants where the offset changes', () => {
    const spans = offsetSpans(Date.parse('2026-03-20T00:00:00Z'), Date.parse('2026-04-05T00:00:00Z'), 'Europe/Berlin');
    expect(spans.map((s) => [Number.isFinite(s.fromMs) ? iso(s.fromMs) : null, s.offsetMinutes])).toEqual([
      [null, 60],
      ['2026-03-29T01:00:00.000Z', 120],
    ]);
    expect(localDate(Date.parse('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29');
  });
});
