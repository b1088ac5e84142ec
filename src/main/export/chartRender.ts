/**
 * Charts rendered headless with echarts' server-side SVG renderer from the shared option
 * builder, then rasterised with resvg for spreadsheets (PDFs draw the SVG as vectors).
 * Only the parts of echarts the shared options use are loaded (as in the app): the whole
 * package cost an export 80 MB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { LegacyGridContainLabel } from 'echarts/features';
import { Resvg } from '@resvg/resvg-js';
import { chartOption } from '../../shared/charts/chartOption';
import type { ChartSpec } from '../../shared/charts/chartSpec';

const require = createRequire(import.meta.url);

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, LegacyGridContainLabel, SVGRenderer]);

export function renderChartSvg(spec: ChartSpec, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(chartOption(spec));
    return chart.renderToSVGString();
  } finally {
    // An undisposed SSR chart keeps a timer alive and the process never exits.
    chart.dispose();
  }
}

let fontFiles: string[] | null = null;

function dejaVuFiles(): string[] {
  if (!fontFiles) {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
  }
  return fontFiles;
}

/** A PNG at twice the pixel size, so the picture stays sharp when Excel scales it. */
export function renderChartPng(spec: ChartSpec, width: number, height: number): Buffer {
  const resvg = new Resvg(renderChartSvg(spec, width, height), {
    fitTo: { mode: 'zoom', value: 2 },
    background: '#ffffff',
    font: { fontFiles: dejaVuFiles(), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
