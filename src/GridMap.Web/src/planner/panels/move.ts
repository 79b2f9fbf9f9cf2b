// The move tool of the plan panel: for the compound clicked on the map, the server's move preview (GET …/compounds/{id}/moves)
// — only the cells it borders, best fit first, each with both cells' households after the move — one radio per cell, and
// the effect of the chosen one spelt out in green (both stay in the window), amber (closer to it) or red (a cell ends up
// outside it) before the planner presses the button.
import type Feature from 'ol/Feature';
import { chinesePart } from '../../api/messages';
import { humanMessage } from '../../api/problem';
import type { MoveOption, MoveOptions } from '../../api/types';
import { h } from '../../ui/dom';
import { int, shortCode } from '../format';
import { planning } from '../planningApi';
import { editable, type PlannerState } from '../state';

const NO_COMPOUND = '点击地图上的小区：这里会列出它可以移入的相邻网格，以及移入后两个网格的户数。';

/** Rules about the compound's own cell: they refuse a move into any neighbour alike. */
const SOURCE_RULES = new Set(['last-compound', 'cell-locked', 'would-split-cell']);

const sideWord: Record<string, string> = { within: '在范围内', below: '低于下限', above: '超过上限' };
const fitWord: Record<string, string> = { 'both-within': '两格均在范围内', closer: '仍超出范围，但更接近', 'out-of-window': '移入后超出范围' };

export interface MoveTool {
  element: HTMLElement;
  button: HTMLButtonElement;
  /** The cell chosen (null when none can be chosen). */
  target(): number | null;
  /** The option chosen, as previewed. */
  chosen(): MoveOption | null;
  /** Shows the preview for the selected compound (fetched from the server), or the hint when none is selected. */
  render(state: PlannerState, compound: Feature | null): Promise<void>;
}

/** A cell's households before → after, coloured by where it ends against the window. */
function change(label: string, before: number, after: number, side: string): HTMLElement {
  return h('span', { class: `after ${side}`, title: sideWord[side] }, `${label} ${int(before)}→`, h('b', {}, int(after)), ' 户');
}

export function createMoveTool(): MoveTool {
  const title = h('div', { class: 'move-title', 'data-testid': 'move-compound' }, NO_COMPOUND);
  const list = h('div', { class: 'move-options', role: 'radiogroup', 'aria-label': '移入哪个相邻网格', 'data-testid': 'move-options' });
  const effect = h('div', { class: 'move-effect', 'data-testid': 'move-effect', hidden: true });
  const button = h('button', { type: 'button', class: 'primary', 'data-testid': 'move-apply', disabled: true }, '移入');
  const element = h('div', { class: 'tool move-tool', 'data-testid': 'move-tool' }, h('h4', {}, '移动小区'), title, list, effect, h('div', { class: 'row buttons' }, button));
  let options: MoveOptions | null = null;
  let request = 0;

  const chosen = (): MoveOption | null => {
    const r = list.querySelector<HTMLInputElement>('input[type=radio]:checked');
    return r && options ? options.targets.find((t) => String(t.toCell) === r.value) ?? null : null;
  };

  const showEffect = (canEdit: boolean) => {
    const t = chosen();
    if (!t || !options) {
      effect.hidden = true;
      button.disabled = true;
      button.textContent = '移入';
      return;
    }
    const window = `${int(options.lowerBound)}–${int(options.upperBound)} 户`;
    const from = shortCode(options.fromCode);
    const to = shortCode(t.code);
    const out = [t.fromSide !== 'within' ? `网格 ${from} ${sideWord[t.fromSide]}` : '', t.toSide !== 'within' ? `网格 ${to} ${sideWord[t.toSide]}` : ''].filter(Boolean);
    effect.hidden = false;
    effect.dataset.fit = t.fit;
    effect.replaceChildren(
      h('div', {}, `移入网格 ${to} 后：`, change(`网格 ${from}`, options.fromHouseholds, t.fromAfter, t.fromSide), '，', change(`网格 ${to}`, t.toHouseholds, t.toAfter, t.toSide)),
      h('div', { class: 'verdict' }, t.fit === 'both-within' ? `两个网格都在 ${window} 之间` : `${out.join('，')}（范围 ${window}）${t.fit === 'closer' ? '；比移动前更接近范围' : ''}`),
    );
    button.disabled = !canEdit || !t.allowed;
    button.textContent = t.fit === 'both-within' ? '移入' : '仍然移入（会超出范围）';
    button.dataset.fit = t.fit;
  };

  const row = (o: MoveOptions, t: MoveOption, first: boolean, canEdit: boolean): HTMLElement => {
    const radio = h('input', { type: 'radio', name: 'move-target', value: t.toCell, 'data-testid': `move-target-${t.toCell}`, disabled: !t.allowed || !canEdit, checked: first });
    radio.addEventListener('change', () => showEffect(canEdit));
    const reason = t.allowed ? null : h('div', { class: 'reason' }, chinesePart(t.reason) ?? t.reason ?? '不能移入');
    return h('label', { class: `move-option fit-${t.fit} ${t.allowed ? '' : 'refused'}`, 'data-testid': `move-option-${t.toCell}`, 'data-fit': t.fit, 'data-allowed': String(t.allowed) },
      radio,
      h('span', { class: 'target' }, h('b', {}, shortCode(t.code)), ' ', t.name),
      h('span', { class: 'fit', title: fitWord[t.fit] }, fitWord[t.fit]),
      h('span', { class: 'numbers' }, change('本格', o.fromHouseholds, t.fromAfter, t.fromSide), ' · ', change('目标', t.toHouseholds, t.toAfter, t.toSide)),
      reason,
    );
  };

  return {
    element,
    button,
    target: () => chosen()?.toCell ?? null,
    chosen,
    async render(state, compound) {
      const mine = ++request;
      if (!compound || !state.plan) {
        options = null;
        title.textContent = NO_COMPOUND;
        delete title.dataset.compound;
        list.replaceChildren();
        showEffect(false);
        return;
      }
      const id = Number(compound.getId());
      const p = compound.getProperties();
      title.textContent = `${p.name ?? `#${id}`}（${int(p.households)} 户）· 正在计算可移入的相邻网格…`;
      title.dataset.compound = String(id);
      title.dataset.ready = 'false';
      list.replaceChildren();
      showEffect(false);
      try {
        const o = await planning.moveOptions(state.plan.id, id);
        if (mine !== request) return;
        options = o;
        const canEdit = editable(state) && o.editable;
        title.textContent = `${o.name}（${int(o.households)} 户）· 当前网格 ${shortCode(o.fromCode)}（${int(o.fromHouseholds)} 户）`;
        const firstAllowed = o.targets.find((t) => t.allowed);
        // A rule about the compound's own cell (its last compound, locked, would fall apart) refuses every target alike:
        // said once, not once per neighbour.
        const own = o.targets[0]?.rule;
        const refusedAlike = own !== undefined && own !== null && SOURCE_RULES.has(own) && o.targets.every((t) => !t.allowed && t.rule === own);
        list.replaceChildren(
          ...(refusedAlike
            ? [h('div', { class: 'hint error', 'data-testid': 'move-refused', 'data-rule': own },
                `不能移出：${chinesePart(o.targets[0].reason) ?? o.targets[0].reason}（相邻网格：${o.targets.map((t) => shortCode(t.code)).join('、')}）`)]
            : o.targets.length
            ? o.targets.map((t) => row(o, t, t === firstAllowed, canEdit))
            : [h('div', { class: 'hint' }, '该小区没有可移入的相邻网格（四周都是同一网格，或只隔着主干道与其他网格相邻）。')]),
          ...(canEdit ? [] : [h('div', { class: 'hint' }, '只有预览方案可以移动小区。')]),
        );
        showEffect(canEdit);
      } catch (e) {
        if (mine !== request) return;
        options = null;
        list.replaceChildren(h('div', { class: 'hint error' }, `无法计算可移入的网格：${humanMessage(e)}`));
      } finally {
        if (mine === request) title.dataset.ready = 'true';
      }
    },
  };
}
