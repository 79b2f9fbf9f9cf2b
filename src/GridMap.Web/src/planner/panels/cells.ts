// Right panel: one row per cell — code, name, households, deviation, compactness, compounds, grid worker (with the
// road distance from their base) and lock — and the staffing summary above it.
import { chinesePart } from '../../api/messages';
import type { CellStats } from '../../api/types';
import { h, panel } from '../../ui/dom';
import { cellColour, int, pct, shortCode } from '../format';
import { editable, type PlannerState } from '../state';

export interface CellHandlers {
  /** A worker picked for a cell (null: none); `label` is the option's text. */
  assign(cell: CellStats, staffId: number | null, label: string): void;
  lock(cell: CellStats, locked: boolean): void;
  /** A row clicked: show the cell. */
  focus(cell: CellStats): void;
}

export interface CellsPanel {
  element: HTMLElement;
  render(state: PlannerState): void;
}

/** 路网距离: road km from the worker's base to the cell; an estimate (straight line × detour) is marked ≈ and says why. */
function travelCell(state: PlannerState, c: CellStats): HTMLElement {
  const travel = state.travel;
  const t = c.staffId === null ? undefined : travel?.cells.find((x) => x.idx === c.idx && x.staffId === c.staffId);
  if (!travel || !t) return h('div', { class: 'travel', 'data-testid': `cell-travel-${c.idx}` }, '');
  const estimate = t.source === 'estimate';
  return h('div', {
    class: `travel ${estimate ? 'estimate' : ''}`, 'data-testid': `cell-travel-${c.idx}`, 'data-source': t.source,
    title: estimate ? `估算：直线 ${t.straightKm.toFixed(2)} km × ${travel.detourFactor}（${chinesePart(t.reason) ?? ''}）` : `沿道路 ${t.km.toFixed(2)} km（直线 ${t.straightKm.toFixed(2)} km）`,
  }, `路网距离 ${estimate ? '≈' : ''}${t.km.toFixed(1)} km`);
}

export function createCellsPanel(on: CellHandlers): CellsPanel {
  const table = h('table', { class: 'cell-table', 'data-testid': 'plan-cells' });
  const staffSummary = h('div', { class: 'staff-summary', 'data-testid': 'staff-summary' });
  const element = panel('网格列表', 'planner-cells', 'planner-cells', staffSummary, h('div', { class: 'table-wrap' }, table));

  const row = (state: PlannerState, c: CellStats): HTMLElement => {
    const plan = state.plan!;
    const staff = state.staff;
    const staffSel = h('select', { 'data-testid': `cell-staff-${c.idx}`, 'aria-label': `${c.name} 网格员`, disabled: !editable(state) });
    staffSel.append(h('option', { value: '' }, '— 未分配 —'));
    for (const s of staff?.staff ?? []) {
      const other = s.cell !== null && s.cell !== c.idx ? plan.cells.find((x) => x.idx === s.cell) : undefined;
      const note = s.cell !== null && s.cell !== c.idx ? `（已负责 ${other ? shortCode(other.code) : s.cell}）` : s.busyElsewhere ? '（负责其他方案）' : '';
      staffSel.append(h('option', { value: s.id, selected: s.id === c.staffId }, `${s.name}${note}`));
    }
    if (c.staffId !== null && !(staff?.staff ?? []).some((s) => s.id === c.staffId)) staffSel.append(h('option', { value: c.staffId, selected: true }, c.staffName ?? String(c.staffId)));
    staffSel.addEventListener('change', () => on.assign(c, staffSel.value === '' ? null : Number(staffSel.value), staffSel.selectedOptions[0]?.textContent ?? ''));
    const lock = h('input', { type: 'checkbox', checked: c.locked, 'data-testid': `cell-lock-${c.idx}`, 'aria-label': `锁定 ${c.name}`, disabled: !editable(state) });
    lock.addEventListener('change', () => on.lock(c, lock.checked));
    const badge = c.oversize ? h('span', { class: 'badge oversize', 'data-testid': `cell-oversize-${c.idx}`, title: '单个小区户数超过上限，单独成格' }, '超大')
      : c.undersize ? h('span', { class: 'badge undersize', 'data-testid': `cell-undersize-${c.idx}`, title: '户数低于下限，且无法与相邻小区合并' }, '不足额') : '';
    const tr = h('tr', { 'data-testid': `cell-row-${c.idx}`, class: `${c.withinBounds ? '' : 'out'} ${c.contiguous ? '' : 'broken'} ${c.oversize ? 'oversize' : ''} ${c.undersize ? 'undersize' : ''}` },
      h('td', {}, h('span', { class: 'dot', style: `background:${cellColour(c.idx, 0.9)}` }), shortCode(c.code)),
      h('td', { class: 'name' }, badge, c.name),
      h('td', { class: 'num' }, int(c.households)),
      h('td', { class: `num ${c.withinBounds ? '' : 'warn'}` }, pct(c.deviation)),
      h('td', { class: 'num' }, c.polsbyPopper.toFixed(2)),
      h('td', { class: 'num' }, c.compounds),
      h('td', {}, staffSel, travelCell(state, c)),
      h('td', {}, lock),
    );
    tr.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('select,input')) return;
      on.focus(c);
    });
    return tr;
  };

  return {
    element,
    render(state) {
      const { plan, staff, travel } = state;
      if (!plan) return;
      const head = h('tr', {}, ...['编号', '名称', '户数', '偏差', '紧凑度', '小区', '网格员 · 路网距离', '锁定'].map((t) => h('th', {}, t)));
      table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...plan.cells.map((c) => row(state, c))));
      const noStaff = staff?.cellsWithoutStaff ?? [];
      const idle = staff?.staffWithoutCells ?? [];
      staffSummary.replaceChildren(
        h('div', {}, `未分配网格员的网格：${noStaff.length} 个`, ...(noStaff.length ? [' (', noStaff.map((c) => shortCode(c.code)).join('、'), ')'] : [])),
        h('div', {}, `没有网格的网格员：${idle.length} 人`, ...(idle.length ? [' (', idle.slice(0, 12).map((s) => s.name).join('、'), idle.length > 12 ? '…' : '', ')'] : [])),
        ...(travel ? [h('div', { 'data-testid': 'staff-travel', title: travel.method }, `网格员驻地到网格路网距离合计：${travel.totalKm.toFixed(1)} km${travel.estimated ? `（${travel.estimated} 个按直线×${travel.detourFactor}估算）` : ''}`)] : []),
      );
    },
  };
}
