import { describe, expect, it } from 'vitest';
import {
  componentRocMicro,
  contributionMicro,
  meanPercent,
  resolveRocConfig,
  roundHalfAwayFromZero,
  type RocConfigRow,
} from '../../src/main/reports/rocMath';

describe('rounding', () => {
  it('rounds halves away from zero, like SQLite round()', () => {
    expect(roundHalfAwayFromZero(2.5)).toBe(3);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(roundHalfAwayFromZero(2.4999)).toBe(2);
    expect(roundHalfAwayFromZero(-0.5)).toBe(-1);
  });

  it('rounds a mean of micro units to 2 decimals exactly, halves away from zero', () => {
    // 0.005 % is exactly half a hundredth: floats would give 0.00499999… and round down.
    expect(meanPercent(10_000, 2)).toBe(0.01);
    expect(meanPercent(-10_000, 2)).toBe(-0.01);
    expect(meanPercent(12_345_000, 1)).toBe(12.35);
    expect(meanPercent(12_344_999, 1)).toBe(12.34);
    expect(meanPercent(200_000_000, 3)).toBe(66.67);
    expect(meanPercent(0, 0)).toBe(0);
  });
});

describe('milestone credit', () => {
  const w = { Receive: 10, Erect: 30, Connect: 40, Test: 15, Complete: 5 };

  it('gives discrete milestones all or nothing', () => {
    expect(contributionMicro(30, 'MILESTONE_DISCRETE', { name: 'Erect', isCompleted: true, percentageValue: null })).toBe(30_000_000);
    expect(contributionMicro(30, 'MILESTONE_DISCRETE', { name: 'Erect', isCompleted: false, percentageValue: 80 })).toBe(0);
  });

  it('rolls up percentage milestones by their recorded value, clamped to 0..100', () => {
    const m = (pv: number | null, done = false) => ({ name: 'Connect', isCompleted: done, percentageValue: pv });
    expect(contributionMicro(40, 'MILESTONE_PERCENTAGE', m(25))).toBe(10_000_000);
    expect(contributionMicro(40, 'MILESTONE_PERCENTAGE', m(150))).toBe(40_000_000);
    expect(contributionMicro(40, 'MILESTONE_PERCENTAGE', m(-20))).toBe(0);
    expect(contributionMicro(40, 'MILESTONE_PERCENTAGE', m(10, true))).toBe(40_000_000);
    expect(contributionMicro(15, 'MILESTONE_PERCENTAGE', m(33.3333))).toBe(4_999_995);
  });

  it('uses completion_percent for quantity workflows and ignores milestones', () => {
    expect(componentRocMicro('MILESTONE_QUANTITY', 42.5, [{ name: 'Receive', isCompleted: true, percentageValue: null }], w)).toBe(42_500_000);
    expect(componentRocMicro('MILESTONE_QUANTITY', 140, [], w)).toBe(100_000_000);
  });

  it('gives unknown milestone names weight 0 and clamps the sum to 0..100', () => {
    const done = (name: string) => ({ name, isCompleted: true, percentageValue: null });
    expect(componentRocMicro('MILESTONE_DISCRETE', 0, [done('Receive'), done('Paint')], w)).toBe(10_000_000);
    expect(componentRocMicro('MILESTONE_DISCRETE', 0, [done('A'), done('B')], { A: 80, B: 80 })).toBe(100_000_000);
    expect(componentRocMicro('MILESTONE_DISCRETE', 0, [done('A')], { A: -50 })).toBe(0);
  });
});

describe('ROC configuration precedence', () => {
  const cfg = (id: number, projectId: number | null, componentType: string | null, effectiveDate: string): RocConfigRow => ({
    id,
    projectId,
    componentType,
    effectiveDate,
    weights: {},
  });
  const configs = [
    cfg(1, null, null, '2020-01-01'),
    cfg(2, null, 'Valve', '2020-01-01'),
    cfg(3, 7, null, '2020-01-01'),
    cfg(4, 7, 'Spool', '2020-01-01'),
    cfg(5, 7, 'Spool', '2026-03-01'),
    cfg(6, 8, null, '2027-01-01'),
  ];

  it('prefers (project, type) then (project, any) then (default, type) then (default, any)', () => {
    expect(resolveRocConfig(configs, 7, 'Spool', '2025-01-01')?.id).toBe(4);
    expect(resolveRocConfig(configs, 7, 'Valve', '2025-01-01')?.id).toBe(3);
    expect(resolveRocConfig(configs, 9, 'Valve', '2025-01-01')?.id).toBe(2);
    expect(resolveRocConfig(configs, 9, 'Pipe', '2025-01-01')?.id).toBe(1);
  });

  it('takes the latest configuration effective on or before the date', () => {
    expect(resolveRocConfig(configs, 7, 'Spool', '2026-02-28')?.id).toBe(4);
    expect(resolveRocConfig(configs, 7, 'Spool', '2026-03-01')?.id).toBe(5);
  });

  it('ignores configurations not yet effective and falls back to the system default', () => {
    expect(resolveRocConfig(configs, 8, 'Pipe', '2026-06-01')?.id).toBe(1);
    expect(resolveRocConfig([], 8, 'Pipe', '2026-06-01')).toBeNull();
    expect(resolveRocConfig([cfg(6, 8, null, '2027-01-01')], 8, 'Pipe', '2026-06-01')).toBeNull();
  });
});
