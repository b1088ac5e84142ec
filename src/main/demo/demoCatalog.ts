/**
 * What a realistic piping project looks like: areas, systems, component types with their
 * milestone sets and workflows, and the ROC weight configurations the demo installs.
 */
import type { WorkflowType } from '../reports/rocMath';

export const AREAS = [
  'A10 Furnaces',
  'A20 Quench',
  'A30 Compression',
  'A40 Cold Box',
  'A50 Fractionation',
  'A60 Utilities',
  'A70 Tank Farm',
  'A80 Pipe Rack',
] as const;

export const SYSTEMS = [
  'SYS-101 Cracked Gas',
  'SYS-102 Quench Water',
  'SYS-103 Dilution Steam',
  'SYS-104 Fuel Gas',
  'SYS-105 Boiler Feed Water',
  'SYS-201 HP Steam',
  'SYS-202 MP Steam',
  'SYS-203 LP Steam',
  'SYS-204 Condensate',
  'SYS-301 Ethylene Product',
  'SYS-302 Propylene Product',
  'SYS-303 Methane Off-gas',
  'SYS-304 Hydrogen',
  'SYS-401 Cooling Water Supply',
  'SYS-402 Cooling Water Return',
  'SYS-403 Instrument Air',
  'SYS-404 Plant Air',
  'SYS-405 Nitrogen',
  'SYS-501 Flare',
  'SYS-502 Closed Drain',
  'SYS-503 Oily Water Sewer',
  'SYS-601 Caustic Wash',
  'SYS-602 Spent Caustic',
  'SYS-701 Fire Water',
  'SYS-702 Potable Water',
] as const;

export interface ComponentTypeSpec {
  type: string;
  prefix: string;
  share: number;
  workflow: WorkflowType;
  milestones: readonly string[];
  testRequiredShare: number;
}

export const COMPONENT_TYPES: readonly ComponentTypeSpec[] = [
  { type: 'Spool', prefix: 'SP', share: 0.22, workflow: 'MILESTONE_DISCRETE', milestones: ['Receive', 'Erect', 'Connect', 'Test', 'Complete'], testRequiredShare: 1 },
  { type: 'Field Weld', prefix: 'FW', share: 0.24, workflow: 'MILESTONE_DISCRETE', milestones: ['Fit_Up', 'Weld', 'NDE', 'Pressure_Test', 'QC_Complete'], testRequiredShare: 1 },
  { type: 'Valve', prefix: 'VLV', share: 0.1, workflow: 'MILESTONE_DISCRETE', milestones: ['Receive', 'Install', 'Connect', 'Test', 'Complete'], testRequiredShare: 0.9 },
  { type: 'Support', prefix: 'PS', share: 0.16, workflow: 'MILESTONE_DISCRETE', milestones: ['Receive', 'Install', 'Complete'], testRequiredShare: 0 },
  { type: 'Instrument', prefix: 'INS', share: 0.06, workflow: 'MILESTONE_DISCRETE', milestones: ['Receive', 'Install', 'Calibrate', 'Connect', 'QC_Complete'], testRequiredShare: 0.5 },
  { type: 'Flange', prefix: 'FL', share: 0.08, workflow: 'MILESTONE_DISCRETE', milestones: ['Receive', 'Connect', 'Test'], testRequiredShare: 1 },
  { type: 'Gasket', prefix: 'GK', share: 0.06, workflow: 'MILESTONE_QUANTITY', milestones: ['Receive', 'Install'], testRequiredShare: 0 },
  { type: 'Pipe', prefix: 'PP', share: 0.08, workflow: 'MILESTONE_PERCENTAGE', milestones: ['Receive', 'Erect', 'Connect', 'Test', 'Complete'], testRequiredShare: 1 },
];

export interface DemoRocConfig {
  projectSpecific: boolean;
  componentType: string | null;
  weights: Record<string, number>;
  /** Days relative to the project's start (negative: before it). */
  effectiveOffsetDays: number;
}

/** Effective before any history exists, so a past date sees the same weights as today. */
export const DEMO_ROC_CONFIGS: readonly DemoRocConfig[] = [
  { projectSpecific: false, componentType: null, weights: { Receive: 10, Erect: 30, Connect: 40, Test: 15, Complete: 5 }, effectiveOffsetDays: -400 },
  { projectSpecific: false, componentType: 'Valve', weights: { Receive: 15, Install: 35, Connect: 30, Test: 15, Complete: 5 }, effectiveOffsetDays: -400 },
  { projectSpecific: false, componentType: 'Field Weld', weights: { Fit_Up: 15, Weld: 45, NDE: 20, Pressure_Test: 15, QC_Complete: 5 }, effectiveOffsetDays: -400 },
  { projectSpecific: false, componentType: 'Instrument', weights: { Receive: 10, Install: 30, Calibrate: 25, Connect: 25, QC_Complete: 10 }, effectiveOffsetDays: -400 },
  { projectSpecific: true, componentType: 'Support', weights: { Receive: 20, Install: 70, Complete: 10 }, effectiveOffsetDays: -30 },
  { projectSpecific: true, componentType: 'Flange', weights: { Receive: 20, Connect: 60, Test: 20 }, effectiveOffsetDays: -30 },
  { projectSpecific: true, componentType: 'Pipe', weights: { Receive: 5, Erect: 35, Connect: 40, Test: 15, Complete: 5 }, effectiveOffsetDays: -30 },
  // A revision agreed for next month: stored, not yet in force.
  { projectSpecific: true, componentType: 'Support', weights: { Receive: 15, Install: 75, Complete: 10 }, effectiveOffsetDays: 200 },
];

export const FOREMEN = [
  'J. Okafor',
  'M. Lindqvist',
  'R. Hernández',
  'S. Petrov',
  'A. Nakamura',
  'K. Mensah',
  'L. Dubois',
  'T. O\u2019Neill',
] as const;

export const MATERIALS = ['A106-B', 'A333-6', 'A312-TP316L', 'A335-P11', 'A105', 'A182-F316L'] as const;
export const SPECS = ['CS150', 'CS300', 'CS600', 'SS150', 'SS300', 'LT300', 'AS900'] as const;
export const SIZES = ['1/2"', '3/4"', '1"', '2"', '3"', '4"', '6"', '8"', '10"', '12"', '16"', '24"'] as const;
