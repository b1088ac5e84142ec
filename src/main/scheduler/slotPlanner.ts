/**
 * Which slot of a schedule is due now. Slots come from the spec, never from "last run plus
 * an interval", so sleep never shifts later slots; a wall clock set back leaves next_run_at in
 * the future, so nothing runs twice. Several missed slots give one run, for the latest, marked
 * catch-up; so does a single slot found long after its time.
 */
import { nextRuns, type ScheduleSpec } from '../../shared/schedule/recurrence';

export interface SlotPlan {
  slot: string;
  trigger: 'scheduled' | 'catch-up';
  /** Slots passed over without a run. */
  skipped: number;
  nextRunAt: string | null;
}

/** A slot found later than this after its time is a catch-up. */
export const LATE_AFTER_MS = 10 * 60_000;
const MAX_SLOTS_SCANNED = 200_000;

export function planSlot(spec: ScheduleSpec, nextRunAt: string | null, nowMs: number): SlotPlan | null {
  if (!nextRunAt) return null;
  const first = Date.parse(nextRunAt);
  if (!(first <= nowMs)) return null;
  let latest = first;
  let count = 1;
  for (let from = first; count < MAX_SLOTS_SCANNED; ) {
    const batch = nextRuns(spec, from, 256);
    const due = batch.filter((t) => t <= nowMs);
    if (due.length > 0) {
      latest = due[due.length - 1] as number;
      count += due.length;
    }
    if (due.length < batch.length || batch.length === 0) break;
    from = latest;
  }
  const next = nextRuns(spec, nowMs, 1)[0];
  return {
    slot: new Date(latest).toISOString(),
    trigger: count > 1 || nowMs - latest > LATE_AFTER_MS ? 'catch-up' : 'scheduled',
    skipped: count - 1,
    nextRunAt: next === undefined ? null : new Date(next).toISOString(),
  };
}
