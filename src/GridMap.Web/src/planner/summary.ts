// What the plan panel says about a plan, in a planner's words: how far the ordinary cells are from the target, which
// cells lie outside the household window (and why: one compound too big, too small to merge, or just unbalanced), the
// engine's notes grouped by kind, and the exact method's answer when there is one. Pure functions of the plan.
import type { CellStats, Plan } from '../api/types';
import { int, pct } from './format';

export interface CellSummary {
  /** Largest |deviation| over the ordinary cells (not oversize, not undersize): what balancing can still change. */
  maxDeviation: number;
  /** Cells whose households lie outside [lower, upper], whatever the reason. */
  outside: CellStats[];
  oversize: number;
  undersize: number;
  /** Ordinary cells outside the window (neither oversize nor undersize). */
  unbalanced: number;
}

export function summariseCells(plan: Plan): CellSummary {
  const lower = plan.lowerBound;
  const upper = plan.upperBound;
  const ordinary = plan.cells.filter((c) => !c.oversize && !c.undersize);
  const outside = plan.cells.filter((c) => c.households < lower - 1e-9 || c.households > upper + 1e-9);
  return {
    maxDeviation: ordinary.reduce((m, c) => (Math.abs(c.deviation) > Math.abs(m) ? c.deviation : m), 0),
    outside,
    oversize: outside.filter((c) => c.oversize).length,
    undersize: outside.filter((c) => c.undersize).length,
    unbalanced: outside.filter((c) => !c.oversize && !c.undersize).length,
  };
}

/** The sentence about the window: never "all in range" while a cell is outside it. */
export function windowSentence(plan: Plan, s: CellSummary): string {
  const window = `${int(plan.lowerBound)}–${int(plan.upperBound)} 户`;
  if (s.outside.length === 0) return `每个网格的户数都在 ${window} 之间`;
  const why = [
    s.unbalanced ? `${s.unbalanced} 个偏多或偏少，可移动小区调整` : '',
    s.oversize ? `${s.oversize} 个超大（单个小区已超上限）` : '',
    s.undersize ? `${s.undersize} 个不足额（无法与邻格合并）` : '',
  ].filter(Boolean);
  return `${s.outside.length} 个网格不在 ${window} 之间：${why.join('，')}`;
}

/** "最大偏差" as planners read it: over the ordinary cells only, saying so when exception cells were left out. */
export function deviationSentence(s: CellSummary): string {
  const left = s.oversize + s.undersize;
  return `普通网格户数与目标最多相差 ${pct(s.maxDeviation)}${left ? `（不含 ${left} 个超大/不足额网格）` : ''}`;
}

export interface WarningGroup {
  kind: string;
  title: string;
  items: string[];
}

const kinds: { kind: string; title: string; test: RegExp }[] = [
  { kind: 'infeasible', title: '没有每格都在范围内的方案', test: /^未找到/ },
  { kind: 'oversize', title: '超大网格', test: /^超大网格/ },
  { kind: 'undersize', title: '不足额网格', test: /^不足额网格/ },
  { kind: 'crossing', title: '跨主干道', test: /跨主干道/ },
];

/** The engine's notes grouped by kind (in this order), the rest as 其他提示; empty groups left out. */
export function groupWarnings(warnings: readonly string[]): WarningGroup[] {
  const groups = new Map<string, WarningGroup>();
  for (const k of [...kinds, { kind: 'other', title: '其他提示', test: /.*/ }]) groups.set(k.kind, { kind: k.kind, title: k.title, items: [] });
  for (const w of warnings) {
    const k = kinds.find((x) => x.test.test(w))?.kind ?? 'other';
    groups.get(k)!.items.push(w);
  }
  return [...groups.values()].filter((g) => g.items.length > 0);
}

/** The exact method's answer (issue 12 §1), typed here until the server's OpenAPI document carries it. */
export interface ExactAnswer {
  status: 'optimal' | 'feasible' | 'impossible' | 'unknown';
  gap: number | null;
  objective: number | null;
  heuristicObjective: number | null;
  reason: string | null;
  smallestWindow: { minHouseholds: number; maxHouseholds: number } | null;
  seconds: number;
}

/** The plan's exact answer, wherever the server put it (on the plan or in its search report); null when there is none. */
export function exactOf(plan: Plan): ExactAnswer | null {
  const onPlan = (plan as { exact?: ExactAnswer | null }).exact;
  const inSearch = (plan.search as { exact?: ExactAnswer | null } | null | undefined)?.exact;
  return onPlan ?? inSearch ?? null;
}

/** The exact answer in a planner's words, with its tone: proved, found, proved impossible (and what would work), or unknown —
 * "unknown" is never told as impossible. */
export function exactSentence(e: ExactAnswer, plan: Plan): { text: string; tone: 'ok' | 'warn' | 'error' | 'info' } {
  const secs = `用时 ${e.seconds.toFixed(1)} 秒`;
  switch (e.status) {
    case 'optimal':
      return { text: `精确求解：最优（已证明），${secs}`, tone: 'ok' };
    case 'feasible':
      return { text: `精确求解：可行（与最优差距 ≤ ${e.gap === null ? '未知' : `${(e.gap * 100).toFixed(1)}%`}，未证明最优），${secs}`, tone: 'ok' };
    case 'impossible': {
      const window = `${int(plan.lowerBound)}–${int(plan.upperBound)} 户`;
      const w = e.smallestWindow;
      // The server's reason repeats the windows (in Chinese and English): with a smallest window, say it once here and
      // keep only whether that window was proved the narrowest; without one, the reason is all there is.
      const proved = e.reason?.includes('未证明为最小放宽') ? '未证明是最小放宽' : '已证明是最小放宽';
      const fits = w ? `；放宽到 ${int(w.minHouseholds)}–${int(w.maxHouseholds)} 户即有方案（${proved}）` : e.reason ? `（${e.reason}）` : '';
      return { text: `精确求解：已证明 ${window}内没有可行方案${fits}。下面是范围外最接近的方案`, tone: 'error' };
    }
    default:
      return { text: `精确求解：未知——时间用完（${secs}），不代表无解；可延长时间上限再试`, tone: 'info' };
  }
}
