/**
 * Fault injection for the crash tests: with SITEREPORT_CRASH_AT=<point> the process kills
 * itself (SIGKILL, no cleanup) the first time it reaches that point, exactly where a power cut
 * would hurt most. Unset, this costs one comparison.
 */
export type CrashPoint = 'after-file-rename' | 'after-smtp-accept';

export function crashPoint(point: CrashPoint): void {
  if (process.env.SITEREPORT_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
