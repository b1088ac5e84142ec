/** An echarts chart from the shared chart spec, so it matches the exported files. */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { LegacyGridContainLabel } from 'echarts/features';

// Only what the app draws, so the first screen loads less script.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, LegacyGridContainLabel, CanvasRenderer]);
import { chartOption } from '../../../../shared/charts/chartOption';
import type { ChartSpec } from '../../../../shared/charts/chartSpec';
import { useApp } from '../../app/store';

export function EChart({ spec, height = 280, onBarClick, label }: { spec: ChartSpec; height?: number; onBarClick?: (index: number) => void; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useApp((s) => s.theme);
  const clickRef = useRef(onBarClick);
  clickRef.current = onBarClick;
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, null, { renderer: 'canvas' });
    chart.setOption(chartOption(spec, { dark: theme === 'dark', interactive: true, fontFamily: 'system-ui, sans-serif' }));
    chart.on('click', (p) => clickRef.current?.(p.dataIndex));
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(ref.current);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [spec, theme]);
  return <div ref={ref} className="chart" style={{ height }} role="img" aria-label={label} />;
}
