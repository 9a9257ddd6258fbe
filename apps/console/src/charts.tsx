/**
 * Charts, drawn by Apache ECharts on a canvas. Only the parts used are imported (bar and line charts, grid,
 * tooltip, legend, aria), so the bundle carries no more of ECharts than that. Each chart has a text label for
 * assistive technology; the figures themselves are always in a table beside it.
 */
import { BarChart, LineChart } from 'echarts/charts';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption, ECharts } from 'echarts/core';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

export const PALETTE = ['#1f4e79', '#c0504d', '#2e7d32', '#8064a2', '#b36b00'];

export function Chart({ option, label, id }: { option: ChartOption; label: string; id?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  useEffect(() => {
    if (!host.current) return;
    const instance = init(host.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, animation: false, aria: { enabled: false }, ...option }, true);
  }, [option]);
  return <div class="chart" ref={host} role="img" aria-label={label} id={id} />;
}
