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

  // One list of the branch's workers for every row's type-ahead (a district has hundreds of rows: one shared datalist,
  // not a 72-option drop-down per row).
  const staffList = h('datalist', { id: 'planner-staff-options', 'data-testid': 'staff-options' });
  const optionValue = (s: { id: number; name: string }) => `${s.name} #${s.id}`;

  const row = (state: PlannerState, c: CellStats): HTMLElement => {
    const staff = state.staff;
    const current = c.staffId === null ? '' : optionValue({ id: c.staffId, name: c.staffName ?? String(c.staffId) });
    const staffInput = h('input', {
      type: 'text', class: 'staff-input', list: 'planner-staff-options', value: current, placeholder: '输入姓名查找',
      'data-testid': `cell-staff-${c.idx}`, 'aria-label': `${c.name} 网格员（输入姓名查找）`, disabled: !editable(state), autocomplete: 'off',
    });
    // Chromium commits the box on Enter or on leaving it ('change'); one answer per row: the table is redrawn after it, and a
    // second write with the same ETag would only meet a conflict.
    let sent = false;
    staffInput.addEventListener('change', () => {
      const text = staffInput.value.trim();
      if (text === current || sent) return;
      sent = true;
      if (text === '') {
        on.assign(c, null, '');
        return;
      }
      // "姓名 #id" from the list, or a name that only one worker has.
      const byId = /#(\d+)$/.exec(text);
      const matches = (staff?.staff ?? []).filter((s) => (byId ? s.id === Number(byId[1]) : s.name === text || s.name.includes(text)));
      if (matches.length === 1) on.assign(c, matches[0].id, matches[0].name);
      else {
        staffInput.setCustomValidity(matches.length ? `有 ${matches.length} 位网格员的姓名包含「${text}」，请从列表中选择` : `没有名为「${text}」的网格员`);
        staffInput.reportValidity();
        staffInput.value = current;
        staffInput.setCustomValidity('');
        sent = false;
      }
    });
    const lock = h('input', { type: 'checkbox', checked: c.locked, 'data-testid': `cell-lock-${c.idx}`, 'aria-label': `锁定 ${c.name}`, disabled: !editable(state) });
    lock.addEventListener('change', () => on.lock(c, lock.checked));
    const badge = c.oversize ? h('span', { class: 'badge oversize', 'data-testid': `cell-oversize-${c.idx}`, title: '单个小区户数超过上限，单独成格' }, '超大')
      : c.undersize ? h('span', { class: 'badge undersize', 'data-testid': `cell-undersize-${c.idx}`, title: '户数低于下限，且无法与相邻小区合并' }, '不足额') : '';
    const plan = state.plan!;
    const outside = c.households < plan.lowerBound || c.households > plan.upperBound;
    // The lock comes first: at 1366×768 the table is wider than its column and the last columns scroll out of view.
    const tr = h('tr', { 'data-testid': `cell-row-${c.idx}`, class: `${outside ? 'out' : ''} ${c.contiguous ? '' : 'broken'} ${c.oversize ? 'oversize' : ''} ${c.undersize ? 'undersize' : ''}` },
      h('td', { class: 'lock' }, lock),
      h('td', {}, h('span', { class: 'dot', style: `background:${cellColour(c.idx, 0.9)}` }), shortCode(c.code)),
      h('td', { class: 'name', title: `${c.name} · ${c.compounds} 个小区` }, badge, c.name),
      h('td', { class: `num ${outside ? 'warn' : ''}` }, int(c.households)),
      h('td', { class: `num ${outside ? 'warn' : ''}` }, pct(c.deviation)),
      h('td', { class: 'num', title: '形状规整度：1 为圆形，越大越规整' }, c.polsbyPopper.toFixed(2)),
      h('td', {}, staffInput, travelCell(state, c)),
    );
    tr.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('select,input')) return;
      on.focus(c);
    });
    return tr;
  };

  /** A few names, and how many more: a district has hundreds of cells without staff. */
  const some = (items: { label: string; onClick?: () => void }[], max: number): (Node | string)[] => {
    const shown = items.slice(0, max).flatMap((it, i) => {
      const el = it.onClick ? h('button', { type: 'button', class: 'link', onclick: it.onClick }, it.label) : it.label;
      return i ? ['、', el] : [el];
    });
    return items.length > max ? [...shown, ` 等 ${items.length} 个`] : shown;
  };
  let nextUnstaffed = 0;

  return {
    element,
    render(state) {
      const { plan, staff, travel } = state;
      if (!plan) return;
      staffList.replaceChildren(...(staff?.staff ?? []).map((s) => {
        const other = s.cell !== null ? plan.cells.find((x) => x.idx === s.cell) : undefined;
        const note = other ? `已负责 ${shortCode(other.code)}` : s.busyElsewhere ? '负责其他方案' : '空闲';
        return h('option', { value: optionValue(s), label: note });
      }));
      const head = h('tr', {}, h('th', { class: 'lock', title: '锁定：重新划分和移动小区都不改动该网格' }, '🔒'),
        ...['编号', '名称', '户数', '偏差', '规整度', '网格员 · 路网距离'].map((t) => h('th', {}, t)));
      table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...plan.cells.map((c) => row(state, c))));
      const noStaff = staff?.cellsWithoutStaff ?? [];
      const idle = staff?.staffWithoutCells ?? [];
      const cellByIdx = new Map(plan.cells.map((c) => [c.idx, c]));
      const locate = h('button', { type: 'button', class: 'link', 'data-testid': 'locate-unstaffed', hidden: noStaff.length === 0 }, '逐个定位');
      locate.addEventListener('click', () => {
        const c = cellByIdx.get(noStaff[nextUnstaffed++ % noStaff.length].idx);
        if (c) on.focus(c);
      });
      staffSummary.replaceChildren(
        h('div', { 'data-testid': 'cells-without-staff', 'data-count': noStaff.length }, `未分配网格员的网格：${noStaff.length} 个`,
          ...(noStaff.length ? [' (', ...some(noStaff.map((x) => ({ label: shortCode(x.code), onClick: () => { const c = cellByIdx.get(x.idx); if (c) on.focus(c); } })), 8), ') ', locate] : [])),
        h('div', { 'data-testid': 'staff-without-cells', 'data-count': idle.length }, `没有网格的网格员：${idle.length} 人`,
          ...(idle.length ? [' (', ...some(idle.map((s) => ({ label: s.name })), 8), ')'] : [])),
        ...(travel ? [h('div', { 'data-testid': 'staff-travel', title: travel.method }, `网格员驻地到网格路网距离合计：${travel.totalKm.toFixed(1)} km${travel.estimated ? `（${travel.estimated} 个按直线×${travel.detourFactor}估算）` : ''}`)] : []),
        staffList,
      );
    },
  };
}
