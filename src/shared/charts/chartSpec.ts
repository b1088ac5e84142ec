/** A chart as data, drawn the same way by every renderer (PDF primitives today). */
export interface ChartSpec {
  type: 'bar' | 'line';
  title: string;
  labels: string[];
  series: Array<{ name: string; values: Array<number | null> }>;
  /** Values are percents: the axis runs 0–100. */
  percent?: boolean;
}

/** The app's palette, shared with the renderer's charts. */
export const PALETTE = ['#0b5cad', '#0b7a53', '#e08a00', '#b3261e', '#6a4fb3', '#00838f', '#8d6e63', '#5b6878'];
