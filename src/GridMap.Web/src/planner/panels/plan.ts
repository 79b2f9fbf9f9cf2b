// Left panel, middle: the plan's status and totals, its warnings, the feedback line (every edit's answer), the
// auto-staff and publish buttons, and the two hand tools — move a compound, redraw a shared edge.
import type { PlanVersion } from '../../api/types';
import { h, panel } from '../../ui/dom';
import { beijingTime, historySection } from '../../ui/history';
import { int, shortCode } from '../format';
import { editable, type PlannerState } from '../state';
import { deviationSentence, exactOf, exactSentence, groupWarnings, summariseCells, windowSentence } from '../summary';
import { createMoveTool, type MoveTool } from './move';

/** ok/warn: the request went through (data-state accepted), warn when the result needs the planner's attention. */
export type Tone = 'ok' | 'warn' | 'error' | 'info';

export interface PlanPanel {
  element: HTMLElement;
  autoBtn: HTMLButtonElement;
  publishBtn: HTMLButtonElement;
  /** Move a compound: the preview of every neighbouring cell and the button. */
  move: MoveTool;
  edgeA: HTMLSelectElement;
  edgeB: HTMLSelectElement;
  edgeBtn: HTMLButtonElement;
  edgeStop: HTMLButtonElement;
  /** Shows the answer to the last action. */
  say(text: string, tone: Tone): void;
  renderSummary(state: PlannerState): void;
  /** The move tool for the selected compound: its neighbouring cells, best fit first, with the households after a move. */
  renderMove(state: PlannerState): Promise<void>;
  /** Lists the plan's cells in a select, except one. */
  cellOptions(sel: HTMLSelectElement, state: PlannerState, exclude: number | null, placeholder: string): void;
  /** While an edge is being redrawn: only the stop button. */
  setEditing(on: boolean): void;
  /** Shows the change history of the plan, a cell (`planId.idx`) or a compound. */
  showHistory(entity: string, id: string, title: string): void;
  /** Lists the published versions of the plan's area, each to view or restore as a new preview. */
  renderVersions(versions: PlanVersion[], state: PlannerState, on: VersionHandlers): void;
}

export interface VersionHandlers {
  view(planId: number): void;
  restore(v: PlanVersion): void;
}

export function createPlanPanel(): PlanPanel {
  const statusEl = h('div', { class: 'plan-status', 'data-testid': 'plan-status' }, '还没有方案');
  const totalsEl = h('div', { class: 'plan-totals', 'data-testid': 'plan-totals' });
  const exactEl = h('div', { class: 'plan-exact', 'data-testid': 'plan-exact', hidden: true });
  const warningsEl = h('div', { class: 'plan-warnings', 'data-testid': 'plan-warnings', hidden: true });
  const message = h('div', { class: 'plan-message', role: 'status', 'aria-live': 'polite', 'data-testid': 'plan-message', 'data-state': 'idle' });
  const autoBtn = h('button', { type: 'button', 'data-testid': 'plan-autostaff', disabled: true }, '自动分配网格员');
  const publishBtn = h('button', { type: 'button', class: 'primary', 'data-testid': 'plan-publish', disabled: true }, '发布方案');
  const move = createMoveTool();
  const edgeA = h('select', { 'data-testid': 'edge-a', 'aria-label': '网格甲' });
  const edgeB = h('select', { 'data-testid': 'edge-b', 'aria-label': '网格乙' });
  const edgeBtn = h('button', { type: 'button', 'data-testid': 'edge-start', disabled: true }, '编辑共用边界');
  const edgeStop = h('button', { type: 'button', 'data-testid': 'edge-stop', hidden: true }, '结束编辑');
  const versionsList = h('ol', { class: 'versions', 'data-testid': 'plan-versions' });
  const versionsHint = h('div', { class: 'hint' }, '发布后的每一版都会保留，可查看或恢复为新的预览。');
  const historyBox = h('div', { 'data-testid': 'planner-history' });
  const element = panel(
    '方案',
    'planner-plan',
    'planner-plan',
    statusEl,
    totalsEl,
    exactEl,
    // The answer, then the move tool, right under the totals: at 1366×768 both stay in view without scrolling.
    message,
    move.element,
    h('div', { class: 'row buttons' }, autoBtn, publishBtn),
    warningsEl,
    h('div', { class: 'tool' }, h('h4', {}, '调整边界'), h('div', { class: 'row' }, edgeA, ' 与 ', edgeB), h('div', { class: 'row buttons' }, edgeBtn, edgeStop),
      h('div', { class: 'hint' }, '拖动蓝色虚线上的节点（自动吸附到网格边界），松开后两侧网格同时更新。')),
    h('div', { class: 'tool' }, h('h4', {}, '历史版本'), versionsHint, versionsList),
    h('div', { class: 'tool planner-history' }, historyBox),
  );

  const cellOptions = (sel: HTMLSelectElement, state: PlannerState, exclude: number | null, placeholder: string) => {
    sel.replaceChildren(
      h('option', { value: '' }, placeholder),
      ...(state.plan?.cells ?? []).filter((c) => c.idx !== exclude).map((c) => h('option', { value: c.idx }, `${shortCode(c.code)} ${c.name}`)),
    );
  };

  return {
    element,
    autoBtn,
    publishBtn,
    move,
    edgeA,
    edgeB,
    edgeBtn,
    edgeStop,
    cellOptions,
    say(text, tone) {
      message.textContent = text;
      message.dataset.state = tone === 'ok' || tone === 'warn' ? 'accepted' : tone === 'error' ? 'rejected' : 'info';
      message.dataset.tone = tone;
      // Whatever the column was scrolled to, the answer comes into view.
      message.scrollIntoView({ block: 'nearest' });
    },
    renderSummary(state) {
      const p = state.plan;
      if (!p) return;
      const statusText = p.status === 'preview' ? '预览（未发布，可编辑）' : p.status === 'published' ? `已发布 · 第 ${p.version} 版（现行方案）` : `已被第 ${p.supersededBy} 号方案取代 · 第 ${p.version} 版`;
      statusEl.textContent = `${p.area.name} · 方案 #${p.id} · ${statusText}`;
      statusEl.dataset.status = p.status;
      const bounds = p.params.cells ? `${p.params.cells} 格 ±${Math.round(Number(p.params.tolerance) * 100)}%，即每格 ${int(p.lowerBound)}–${int(p.upperBound)} 户` : `每格 ${int(p.lowerBound)}–${int(p.upperBound)} 户`;
      const sum = summariseCells(p);
      totalsEl.replaceChildren(
        h('div', {}, `${p.totals.cells} 个网格 · ${p.totals.compounds} 个小区 · ${int(p.totals.households)} 户（${bounds}）`),
        h('div', { 'data-testid': 'plan-window', 'data-outside': sum.outside.length, class: sum.outside.length ? 'out' : 'in' }, windowSentence(p, sum)),
        h('div', { 'data-testid': 'plan-deviation' }, `${deviationSentence(sum)} · ${p.totals.allContiguous ? '每个网格连成一片' : '有网格不连成一片（表中标红）'}`),
        h('div', { class: 'hint', title: '周长相同时圆形面积最大：形状越接近方、圆，网格员走动越近。数值 1 为圆形，0.5 左右已较规整。' },
          `形状规整度平均 ${p.totals.meanPolsbyPopper.toFixed(2)}（1 为圆形，越大越规整）`),
        ...(p.totals.oversizeCells || p.totals.undersizeCells || p.barrierCrossings.length
          ? [h('div', { 'data-testid': 'plan-exceptions' }, `超大网格 ${p.totals.oversizeCells} 个 · 不足额网格 ${p.totals.undersizeCells} 个 · 跨主干道 ${p.barrierCrossings.length} 处`)]
          : []),
      );
      const exact = exactOf(p);
      exactEl.hidden = exact === null;
      if (exact) {
        const e = exactSentence(exact, p);
        exactEl.textContent = e.text;
        exactEl.dataset.status = exact.status;
        exactEl.dataset.tone = e.tone;
      }
      const groups = groupWarnings((p.search?.warnings as string[] | undefined) ?? []);
      warningsEl.replaceChildren(...groups.map((g) => {
        const d = h('details', { class: 'warning-group', 'data-testid': `warning-group-${g.kind}`, 'data-kind': g.kind, 'data-count': g.items.length },
          h('summary', {}, `${g.title} · ${g.items.length} 条`),
          h('ul', {}, ...g.items.slice(0, 200).map((w) => h('li', {}, w)), g.items.length > 200 ? h('li', {}, `…另有 ${g.items.length - 200} 条`) : null));
        // Few notes are read at once; many are summarised until asked for.
        d.open = g.items.length <= 2 && groups.length <= 2;
        return d;
      }));
      warningsEl.hidden = groups.length === 0;
      autoBtn.disabled = publishBtn.disabled = !editable(state);
      edgeBtn.disabled = !editable(state);
      cellOptions(edgeA, state, null, '网格甲');
      cellOptions(edgeB, state, null, '网格乙');
    },
    renderMove: (state) => move.render(state, state.selectedCompound),
    setEditing(on) {
      edgeStop.hidden = !on;
      edgeBtn.hidden = on;
    },
    showHistory(entity, id, title) {
      historyBox.replaceChildren(historySection(entity, id, title));
    },
    renderVersions(versions, state, on) {
      versionsHint.textContent = versions.length ? '发布后的每一版都会保留，可查看或恢复为新的预览（恢复不改动现行方案）。' : '该区域还没有发布过方案。';
      versionsList.replaceChildren(...versions.map((v) => {
        const shown = state.plan?.id === v.planId;
        const view = h('button', { type: 'button', class: 'link', 'data-testid': `version-view-${v.version}`, disabled: shown }, shown ? '正在查看' : '查看');
        view.addEventListener('click', () => on.view(v.planId));
        const restore = h('button', { type: 'button', class: 'link', 'data-testid': `version-restore-${v.version}` }, '恢复为预览');
        restore.addEventListener('click', () => on.restore(v));
        return h('li', { 'data-testid': `version-${v.version}`, 'data-plan': v.planId, class: shown ? 'shown' : '' },
          h('b', {}, `第 ${v.version} 版`), v.status === 'published' ? '（现行）' : '',
          ` · ${beijingTime(v.publishedAt)} · ${v.publishedBy ?? '—'} · ${v.cells} 格 ${int(v.households)} 户`,
          v.restoredFrom ? ` · 恢复自方案 #${v.restoredFrom}` : '', ' ', view, ' ', restore);
      }));
    },
  };
}
