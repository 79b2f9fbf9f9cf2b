// What the choropleth can show, how a unit's tile attributes (progress_* layers: hh_<stage>, completed_share,
// consent_rate, disputes, overdue_followups) map to a colour class, and the legend for it (zh-CN number formats).
import { palette } from '../palette';
import type { Level } from './dashboardApi';

export type MeasureId = 'completed' | 'stage' | 'consent' | 'disputes' | 'overdue';

export interface LegendClass {
  color: string;
  label: string;
}

export interface Measure {
  id: MeasureId;
  label: string;
  /** Class index of a unit's tile properties (−1 = no data). */
  classOf(props: Record<string, unknown>, level: Level): number;
  legend(level: Level): LegendClass[];
}

const pct = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 0 });
const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
// Sequential greens (completion, consent) and oranges-reds (problems), 5 classes each, readable on a wall and in print.
const greens = ['#edf8e9', '#bae4b3', '#74c476', '#31a354', '#006d2c'];
const reds = ['#fff5eb', '#fdd0a2', '#fd8d3c', '#e6550d', '#a63603'];

function shareClasses(breaks: number[], colors: string[]): { classOf: (v: number) => number; legend: LegendClass[] } {
  return {
    classOf: (v) => {
      let i = 0;
      while (i < breaks.length && v >= breaks[i]) i++;
      return i;
    },
    legend: colors.map((color, i) => ({
      color,
      label: i === 0 ? `< ${pct.format(breaks[0])}` : i === breaks.length ? `≥ ${pct.format(breaks[i - 1])}` : `${pct.format(breaks[i - 1])} – ${pct.format(breaks[i])}`,
    })),
  };
}

/** Count breaks grow with the unit's size: a branch has tens of disputes where a cell has a few. */
const countBreaks: Record<Level, number[]> = { branch: [1, 20, 40, 60], district: [1, 10, 20, 40], street: [1, 2, 4, 8], cell: [1, 2, 3, 5] };

function countClasses(level: Level) {
  const b = countBreaks[level];
  return {
    classOf: (v: number) => {
      let i = 0;
      while (i < b.length && v >= b[i]) i++;
      return i;
    },
    legend: reds.map((color, i) => ({
      color,
      label: i === 0 ? '0' : i === b.length ? `≥ ${int.format(b[i - 1])}` : b[i] - 1 === b[i - 1] ? int.format(b[i - 1]) : `${int.format(b[i - 1])} – ${int.format(b[i] - 1)}`,
    })),
  };
}

const completed = shareClasses([0.1, 0.2, 0.3, 0.5], greens);
const consent = shareClasses([0.3, 0.5, 0.7, 0.9], greens);
const stages = palette.retrofitStatus;
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));

export const measures: Measure[] = [
  {
    id: 'completed',
    label: '完成率（户）',
    classOf: (p) => (num(p.households) > 0 ? completed.classOf(num(p.completed_share)) : -1),
    legend: () => completed.legend,
  },
  {
    id: 'stage',
    label: '主要改造阶段（户数最多）',
    classOf: (p) => {
      if (num(p.households) <= 0) return -1;
      let best = 0;
      stages.forEach((s, i) => {
        if (num(p[`hh_${s.code}`]) > num(p[`hh_${stages[best].code}`])) best = i;
      });
      return best;
    },
    legend: () => stages.map((s) => ({ color: s.fill, label: s.label })),
  },
  {
    id: 'consent',
    label: '同意率（按户加权）',
    classOf: (p) => (num(p.households) > 0 ? consent.classOf(num(p.consent_rate)) : -1),
    legend: () => consent.legend,
  },
  {
    id: 'disputes',
    label: '争议小区数',
    classOf: (p, level) => (num(p.compounds) > 0 ? countClasses(level).classOf(num(p.disputes)) : -1),
    legend: (level) => countClasses(level).legend,
  },
  {
    id: 'overdue',
    label: '逾期回访小区数',
    classOf: (p, level) => (num(p.compounds) > 0 ? countClasses(level).classOf(num(p.overdue_followups)) : -1),
    legend: (level) => countClasses(level).legend,
  },
];

export const measureById = (id: string): Measure => measures.find((m) => m.id === id) ?? measures[0];

export const levelLabel: Record<Level, string> = { branch: '分公司', district: '行政区', street: '街道', cell: '网格' };
