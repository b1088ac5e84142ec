/**
 * ROC arithmetic in plain JavaScript, the mirror of the SQL in migration 0001 (views
 * component_roc_calc and milestone_earned_calc). Invariants:
 * - a milestone's contribution is weight x credit rounded half away from zero to 1e-6 points;
 * - a component's ROC is the sum of contributions clamped to [0, 100] (quantity workflow:
 *   completion_percent clamped);
 * - means are rounded half away from zero to 2 decimals from exact integer sums.
 */
export const MICRO = 1_000_000;
export const FULL_MICRO = 100 * MICRO;

export const SYSTEM_DEFAULT_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  Receive: 10,
  Erect: 30,
  Connect: 40,
  Test: 15,
  Complete: 5,
});

export type WorkflowType = 'MILESTONE_DISCRETE' | 'MILESTONE_PERCENTAGE' | 'MILESTONE_QUANTITY';

/** Same arithmetic as SQLite's round(): add one half to the magnitude, then truncate. */
export function roundHalfAwayFromZero(x: number): number {
  if (x >= 0) return Math.trunc(x + 0.5);
  return -Math.trunc(-x + 0.5);
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

export function toMicro(percent: number): number {
  return roundHalfAwayFromZero(percent * MICRO);
}

export interface MilestoneState {
  name: string;
  isCompleted: boolean;
  percentageValue: number | null;
}

export function contributionMicro(weight: number, workflow: WorkflowType, m: MilestoneState): number {
  if (m.isCompleted) return roundHalfAwayFromZero(weight * 1000000.0);
  if (workflow === 'MILESTONE_PERCENTAGE') {
    return roundHalfAwayFromZero(((weight * clamp(m.percentageValue ?? 0, 0, 100)) / 100.0) * 1000000.0);
  }
  return 0;
}

/** A milestone's current contribution as stored in component_milestones.earned_micro. */
export function earnedMicro(weight: number, workflow: WorkflowType, m: MilestoneState): number {
  return workflow === 'MILESTONE_QUANTITY' ? 0 : contributionMicro(weight, workflow, m);
}

/** A milestone's equal share of completion (component_milestones.share_micro). */
export function shareMicro(workflow: WorkflowType, m: MilestoneState, milestoneCount: number): number {
  if (workflow === 'MILESTONE_QUANTITY' || milestoneCount === 0) return 0;
  if (m.isCompleted) return roundHalfAwayFromZero(100000000.0 / milestoneCount);
  if (workflow === 'MILESTONE_PERCENTAGE') return roundHalfAwayFromZero((clamp(m.percentageValue ?? 0, 0, 100) * 1000000.0) / milestoneCount);
  return 0;
}

export function componentRocMicro(
  workflow: WorkflowType,
  completionPercent: number,
  milestones: readonly MilestoneState[],
  weights: Readonly<Record<string, number>>,
): number {
  if (workflow === 'MILESTONE_QUANTITY') return roundHalfAwayFromZero(clamp(completionPercent, 0, 100) * 1000000.0);
  let sum = 0;
  for (const m of milestones) sum += contributionMicro(weights[m.name] ?? 0, workflow, m);
  return clamp(sum, 0, FULL_MICRO);
}

/** Mean of micro-unit values as a percent rounded half away from zero to 2 decimals, exactly. */
export function meanPercent(sumMicro: number, count: number): number {
  if (count === 0) return 0;
  const abs = Math.abs(sumMicro);
  const den = count * 10000; // micro -> hundredths of a percent
  let q: number;
  // Integer division in doubles is exact here: both operands below 2^53 and a quotient far
  // enough from the next integer (den <= 1e11) that rounding cannot cross it.
  if (2 * abs + den < Number.MAX_SAFE_INTEGER && den <= 1e11) q = Math.floor((2 * abs + den) / (2 * den));
  else q = Number((2n * BigInt(abs) + BigInt(den)) / (2n * BigInt(den)));
  return (sumMicro < 0 ? -q : q) / 100;
}

export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return roundHalfAwayFromZero(x * f) / f;
}

export interface RocConfigRow {
  id: number;
  projectId: number | null;
  componentType: string | null;
  effectiveDate: string;
  weights: Record<string, number>;
}

/** (P,T) -> (P,*) -> (default,T) -> (default,*) -> system default; latest effective date wins. */
export function resolveRocConfig(
  configs: readonly RocConfigRow[],
  projectId: number,
  componentType: string,
  asOf: string,
): RocConfigRow | null {
  let best: RocConfigRow | null = null;
  let bestRank = Infinity;
  for (const c of configs) {
    if (c.effectiveDate > asOf) continue;
    if (c.projectId !== null && c.projectId !== projectId) continue;
    if (c.componentType !== null && c.componentType !== componentType) continue;
    const rank = (c.projectId === null ? 2 : 0) + (c.componentType === null ? 1 : 0);
    if (
      best === null ||
      rank < bestRank ||
      (rank === bestRank &&
        (c.effectiveDate > best.effectiveDate || (c.effectiveDate === best.effectiveDate && c.id > best.id)))
    ) {
      best = c;
      bestRank = rank;
    }
  }
  return best;
}
