/**
 * One echarts option per chart spec, used by the app's charts and by the headless renderer
 * behind the exports, so a chart in a PDF looks like the chart on screen.
 */
import type { EChartsOption } from 'echarts';
import { PALETTE, type ChartSpec } from './chartSpec';

export interface ChartLook {
  /** Text and axis colours for a dark background. */
  dark?: boolean;
  fontFamily?: string;
  /** Interactive charts get tooltips; files do not. */
  interactive?: boolean;
}

function axisValue(percent: boolean | undefined, v: number): string {
  if (percent) return `${Math.round(v)} %`;
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 10) / 10);
}

export function chartOption(spec: ChartSpec, look: ChartLook = {}): EChartsOption {
  const ink = look.dark ? '#e6e9ee' : '#1b2430';
  const muted = look.dark ? '#a9b4c2' : '#5b6878';
  const grid = look.dark ? '#334155' : '#dde3ea';
  const fontFamily = look.fontFamily ?? 'DejaVu Sans, sans-serif';
  const manyLabels = spec.labels.length > 12;
  return {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily, color: ink },
    title: { text: spec.title, left: 0, top: 0, textStyle: { fontSize: 14, fontWeight: 'bold', color: ink, fontFamily } },
    legend: spec.series.length > 1 ? { bottom: 0, textStyle: { color: ink, fontFamily }, icon: 'rect', itemWidth: 12, itemHeight: 8 } : { show: false },
    tooltip: look.interactive ? { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? axisValue(spec.percent, v) : String(v ?? '')) } : undefined,
    grid: { left: 8, right: 16, top: 36, bottom: spec.series.length > 1 ? 36 : 12, containLabel: true },
    xAxis: {
      type: 'category',
      data: spec.labels,
      axisLabel: { color: muted, fontFamily, rotate: manyLabels ? 40 : 0, hideOverlap: true, fontSize: 10 },
      axisLine: { lineStyle: { color: muted } },
      axisTick: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: spec.percent ? 100 : undefined,
      axisLabel: { color: muted, fontFamily, fontSize: 10, formatter: (v: number) => axisValue(spec.percent, v) },
      splitLine: { lineStyle: { color: grid } },
    },
    series: spec.series.map((s) =>
      spec.type === 'bar'
        ? { type: 'bar' as const, name: s.name, data: s.values, barMaxWidth: 36 }
        : { type: 'line' as const, name: s.name, data: s.values, showSymbol: spec.labels.length <= 30, symbolSize: 4, lineStyle: { width: 2.5 }, connectNulls: false },
    ),
  };
}
