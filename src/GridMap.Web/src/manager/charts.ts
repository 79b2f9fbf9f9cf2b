// The dashboard's charts (npm echarts, only the parts used: bar + line charts, grid, tooltip, legend, mark lines,
// canvas renderer): progress by unit as a league table, households completed over time, units behind schedule.
// A click on a bar calls back with the unit's code; the view filters the map and the charts to it.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ProgressReport, ProgressUnit } from '../api/types';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const pct1 = new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const dateFmt = new Intl.DateTimeFormat('zh-CN', { year: '2-digit', month: 'numeric', day: 'numeric', timeZone: 'Asia/Shanghai' });
const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif';

/** Type sizes grow with the screen: a wall screen is read from across the room, a laptop from the desk. */
export const chartFont = () => (window.innerWidth >= 1700 ? 18 : 14);

export interface Chart {
  chart: echarts.ECharts;
  /** Page (CSS) coordinates of the centre of the bar of unit <code>, for tests and keyboard users' fallbacks. */
  barPoint(code: string): { x: number; y: number } | null;
}

function base(el: HTMLElement): echarts.ECharts {
  const c = echarts.init(el, undefined, { renderer: 'canvas' });
  new ResizeObserver(() => c.resize()).observe(el);
  return c;
}

function barPoint(c: echarts.ECharts, el: HTMLElement, codes: () => string[], value: (code: string) => number) {
  return (code: string) => {
    const i = codes().indexOf(code);
    if (i < 0) return null;
    const [x, y] = c.convertToPixel({ seriesIndex: 0 }, [value(code) / 2, i]) as number[];
    const r = el.getBoundingClientRect();
    return { x: r.left + x, y: r.top + y };
  };
}

/** League table: completed share per unit (largest first), with the share expected today as a thin grey bar. */
export function leagueChart(el: HTMLElement, onPick: (code: string) => void): Chart & { update(rows: ProgressUnit[]): void } {
  const c = base(el);
  let shown: ProgressUnit[] = [];
  c.on('click', (e) => {
    const u = shown[e.dataIndex as number];
    if (u) onPick(u.code);
  });
  return {
    chart: c,
    barPoint: barPoint(c, el, () => shown.map((u) => u.code), (code) => shown.find((u) => u.code === code)?.completedShare ?? 0),
    update(rows) {
      // Largest at the top: echarts draws category 0 at the bottom, so reverse.
      shown = rows.filter((r) => r.households > 0).sort((a, b) => a.completedShare - b.completedShare);
      const f = chartFont();
      el.style.height = `${Math.max(220, 70 + shown.length * (f + 18))}px`;
      c.resize();
      c.setOption(
        {
          textStyle: { fontFamily: FONT, fontSize: f },
          animation: false,
          grid: { left: 8, right: 70, top: 34, bottom: 8, containLabel: true },
          legend: { top: 0, textStyle: { fontSize: f }, data: ['已完成', '应完成（按目标进度）'] },
          tooltip: {
            trigger: 'axis',
            axisPointer: { type: 'shadow' },
            textStyle: { fontSize: f },
            formatter: (ps: unknown) => {
              const p = (ps as { dataIndex: number }[])[0];
              const u = shown[p.dataIndex];
              return `${u.name}<br/>已完成 ${int.format(u.householdsCompleted)} / ${int.format(u.households)} 户（${pct1.format(u.completedShare)}）`
                + (u.target ? `<br/>目标 ${pct1.format(u.target.share)}，截止 ${u.target.deadline}；今日应完成 ${pct1.format(u.target.expected)}` : '');
            },
          },
          xAxis: { type: 'value', max: 1, axisLabel: { fontSize: f, formatter: (v: number) => pct1.format(v).replace('.0', '') } },
          yAxis: { type: 'category', data: shown.map((u) => u.name), axisLabel: { fontSize: f, color: '#1f2328' } },
          series: [
            {
              name: '已完成',
              type: 'bar',
              barMaxWidth: 28,
              itemStyle: { color: '#31a354' },
              label: { show: true, position: 'right', fontSize: f, formatter: (p: { value: number }) => pct1.format(p.value) },
              data: shown.map((u) => ({ value: u.completedShare, itemStyle: u.behind ? { color: '#e6550d' } : undefined })),
            },
            {
              name: '应完成（按目标进度）',
              type: 'bar',
              barMaxWidth: 8,
              barGap: '10%',
              itemStyle: { color: '#8a939c' },
              data: shown.map((u) => u.target?.expected ?? null),
            },
          ],
        },
        true,
      );
    },
  };
}

/** Households completed over time for the scope, with the goal as a dashed line. */
export function timelineChart(el: HTMLElement): { chart: echarts.ECharts; update(report: ProgressReport): void } {
  const c = base(el);
  return {
    chart: c,
    update(report) {
      const t = report.timeline;
      const f = chartFont();
      const goal = report.total.target ? Math.round(report.total.target.share * report.total.households) : null;
      c.setOption(
        {
          textStyle: { fontFamily: FONT, fontSize: f },
          animation: false,
          grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
          tooltip: { trigger: 'axis', textStyle: { fontSize: f }, valueFormatter: (v: number) => `${int.format(v)} 户` },
          xAxis: { type: 'category', boundaryGap: false, data: (t?.dates ?? []).map((d) => dateFmt.format(new Date(d))), axisLabel: { fontSize: f } },
          yAxis: { type: 'value', axisLabel: { fontSize: f, formatter: (v: number) => int.format(v) } },
          series: [
            {
              name: '已完成户数',
              type: 'line',
              showSymbol: false,
              lineStyle: { width: 4, color: '#31a354' },
              areaStyle: { color: 'rgba(49,163,84,0.15)' },
              data: t?.total ?? [],
              markLine: goal
                ? { symbol: 'none', lineStyle: { type: 'dashed', color: '#e6550d', width: 2 }, label: { fontSize: f, formatter: `目标 ${int.format(goal)} 户` }, data: [{ yAxis: goal }] }
                : undefined,
            },
          ],
        },
        true,
      );
    },
  };
}

/** Units furthest behind schedule: percentage points short of the share expected today. */
export function behindChart(el: HTMLElement, onPick: (code: string) => void): Chart & { update(rows: ProgressUnit[]): void } {
  const c = base(el);
  let shown: ProgressUnit[] = [];
  const gap = (u: ProgressUnit) => Math.max(0, (u.target?.expected ?? 0) - u.completedShare);
  c.on('click', (e) => {
    const u = shown[e.dataIndex as number];
    if (u) onPick(u.code);
  });
  return {
    chart: c,
    barPoint: barPoint(c, el, () => shown.map((u) => u.code), (code) => gap(shown.find((u) => u.code === code)!)),
    update(rows) {
      shown = [...rows].reverse();
      const f = chartFont();
      el.style.height = `${Math.max(160, 50 + shown.length * (f + 14))}px`;
      c.resize();
      c.setOption(
        {
          textStyle: { fontFamily: FONT, fontSize: f },
          animation: false,
          // Room on the right for the bar labels ("差 24.2 个百分点"): about nine characters of the chart font.
          grid: { left: 8, right: Math.round(f * 9), top: 8, bottom: 8, containLabel: true },
          tooltip: {
            trigger: 'item',
            textStyle: { fontSize: f },
            formatter: (p: unknown) => {
              const u = shown[(p as { dataIndex: number }).dataIndex];
              return `${u.name}（${u.parentName ?? ''}）<br/>已完成 ${pct1.format(u.completedShare)}，应完成 ${pct1.format(u.target?.expected ?? 0)}<br/>${int.format(u.households)} 户`;
            },
          },
          xAxis: { type: 'value', axisLabel: { fontSize: f, formatter: (v: number) => `${Math.round(v * 100)}` } },
          yAxis: { type: 'category', data: shown.map((u) => u.name), axisLabel: { fontSize: f, color: '#1f2328' } },
          series: [
            {
              type: 'bar',
              barMaxWidth: 24,
              itemStyle: { color: '#e6550d' },
              label: { show: true, position: 'right', fontSize: f, formatter: (p: { value: number }) => `差 ${Math.round(p.value * 1000) / 10} 个百分点` },
              data: shown.map(gap),
            },
          ],
        },
        true,
      );
    },
  };
}
