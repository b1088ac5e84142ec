/**
 * Fault injection for the crash tests: with SITEREPORT_CRASH_AT=<point> the process kills
 * itself (SIGKILL, no cleanup) the first time it reaches that point, exactly where a power cut
 * would hurt most. Unset, this costs one comparison.
 */
export type CrashPoint = 'after-file-rename' | 'after-smtp-accept' | 'after-backfill-segment' | 'sync-mid-batch' | 'sync-after-batch' | 'sync-mid-move';

const reached = new Map<CrashPoint, number>();

/** SITEREPORT_CRASH_AT=<point> dies the first time; <point>:N the N-th time. */
export function crashPoint(point: CrashPoint): void {
  const want = process.env.SITEREPORT_CRASH_AT;
  if (!want?.startsWith(point)) return;
  const n = (reached.get(point) ?? 0) + 1;
  reached.set(point, n);
  if (want === point || want === `${point}:${n}`) process.kill(process.pid, 'SIGKILL');
}

/**
 * Backfill retries under test: SITEREPORT_FAIL_SEGMENTS="2026-10-31:2,2026-11-07:9" makes the
 * segment ending 2026-10-31 fail on its first two attempts and the one ending 2026-11-07 on
 * its first nine.
 */
export function segmentShouldFail(periodEnd: string, attempt: number): boolean {
  const spec = process.env.SITEREPORT_FAIL_SEGMENTS;
  if (!spec) return false;
  for (const part of spec.split(',')) {
    const [end, times] = part.split(':');
    if (end === periodEnd && attempt <= Number(times ?? 1)) return true;
  }
  return false;
}
