// Left panel, top: how to pick the area, the balance (households per cell, or a number of cells ± tolerance),
// barriers and nesting, seed and time limit; run / cancel and the job's progress. Checks the form before a request.
import { message } from '../../api/messages';
import type { JobState, PartitionRequest } from '../../api/types';
import { h, panel } from '../../ui/dom';
import type { AreaKind, SelectedArea } from '../state';

const stageName: Record<string, string> = { queued: '排队中', adjacency: '计算邻接', search: '搜索方案', saving: '保存预览', done: '完成' };
const modeHint: Record<AreaKind, string> = {
  street: '在地图上点击一个街道',
  district: '在地图上点击一个行政区',
  community: '在地图上点击一个社区',
  polygon: '在地图上点击绘制多边形，双击结束',
};

export interface SetupPanel {
  element: HTMLElement;
  /** What is selected (name, code, counts) and the link to an already published plan. */
  areaName: HTMLElement;
  modeSelect: HTMLSelectElement;
  runBtn: HTMLButtonElement;
  cancelBtn: HTMLButtonElement;
  /** Says how to pick an area in the mode chosen. */
  showModeHint(mode: AreaKind): void;
  showJob(job: JobState): void;
  /** The partition request for an area from the form, or the reason (Chinese) the form cannot be sent. */
  request(area: SelectedArea | null): { body: PartitionRequest } | { error: string };
}

/** The input's number; NaN when empty. */
const num = (input: HTMLInputElement): number => (input.value.trim() === '' ? Number.NaN : Number(input.value));

export function createSetupPanel(): SetupPanel {
  const areaName = h('div', { class: 'area-name', 'data-testid': 'planner-area' }, '尚未选择范围：在地图上点击一个街道');
  const modeSelect = h(
    'select',
    { 'data-testid': 'area-mode', 'aria-label': '选择范围的方式' },
    h('option', { value: 'street' }, '点选街道'),
    h('option', { value: 'district' }, '点选行政区'),
    h('option', { value: 'community' }, '点选社区'),
    h('option', { value: 'polygon' }, '绘制多边形'),
  );
  const byWindow = h('input', { type: 'radio', name: 'balance', value: 'window', checked: true, 'data-testid': 'balance-window' });
  const byCount = h('input', { type: 'radio', name: 'balance', value: 'count', 'data-testid': 'balance-count' });
  const minInput = h('input', { type: 'number', min: 0, step: 10, value: 300, 'data-testid': 'min-households', 'aria-label': '每格最少户数' });
  const maxInput = h('input', { type: 'number', min: 1, step: 10, value: 500, 'data-testid': 'max-households', 'aria-label': '每格最多户数' });
  const cellsInput = h('input', { type: 'number', min: 1, step: 1, value: 10, 'data-testid': 'cell-count', 'aria-label': '网格数', disabled: true });
  const tolInput = h('input', { type: 'number', min: 1, max: 50, step: 1, value: 10, 'data-testid': 'tolerance', 'aria-label': '允许偏差（%）', disabled: true });
  const barriers = h('input', { type: 'checkbox', checked: true, 'data-testid': 'barriers' });
  const nest = h('input', { type: 'checkbox', 'data-testid': 'nest' });
  const seedInput = h('input', { type: 'number', value: 1, step: 1, 'data-testid': 'seed', 'aria-label': '尝试序号' });
  const timeInput = h('input', { type: 'number', value: 10, min: 1, max: 120, step: 1, 'data-testid': 'time-limit', 'aria-label': '时间上限（秒）' });
  const formError = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const runBtn = h('button', { type: 'button', class: 'primary', 'data-testid': 'plan-run', disabled: true }, '开始划分');
  const cancelBtn = h('button', { type: 'button', 'data-testid': 'plan-cancel', hidden: true }, '取消');
  const progress = h('progress', { max: 1, value: 0, 'data-testid': 'plan-progress', hidden: true });
  const progressText = h('span', { class: 'progress-text', 'data-testid': 'plan-progress-text' });
  const syncBalance = () => {
    const w = byWindow.checked;
    minInput.disabled = maxInput.disabled = !w;
    cellsInput.disabled = tolInput.disabled = w;
  };
  byWindow.addEventListener('change', syncBalance);
  byCount.addEventListener('change', syncBalance);

  const element = panel(
    '网格规划 · 划分',
    'planner-setup',
    'planner-setup',
    h('label', { class: 'row' }, '范围 ', modeSelect),
    areaName,
    h('fieldset', {}, h('legend', {}, '均衡方式'),
      h('label', { class: 'row' }, byWindow, ' 每格户数 ', minInput, ' – ', maxInput),
      h('label', { class: 'row' }, byCount, ' 网格数 ', cellsInput, ' 偏差 ±', tolInput, '%'),
    ),
    formError,
    h('label', { class: 'row', title: '主干道尽量作为网格边界；被主干道围住、户数无法整分成网格的小区群，跨越最少、最短的主干道与相邻区域合并，并在地图上标出' },
      barriers, ' 沿主干道划分（尽量不跨越）'),
    h('label', { class: 'row' }, nest, ' 按社区嵌套（网格不跨社区）'),
    // Expert settings: most planners never change them.
    h('details', { class: 'advanced', 'data-testid': 'advanced' }, h('summary', { 'data-testid': 'advanced-toggle' }, '高级'),
      h('label', { class: 'row small', title: '同样的设置，换一个序号会得到另一种划分；结果不满意时可换一个再试' }, '尝试序号 ', seedInput, '（换一个数字得到另一种划分）'),
      h('label', { class: 'row small', title: '到时间仍在搜索时，用到此为止最好的方案' }, '最多计算 ', timeInput, ' 秒')),
    h('div', { class: 'row buttons' }, runBtn, cancelBtn),
    h('div', { class: 'row' }, progress, progressText),
  );

  /** The form's own check, field by field, in Chinese: the first problem and the field it is in (null when none). */
  const problem = (): { field: HTMLInputElement; text: string } | null => {
    const notNumber = (i: HTMLInputElement, what: string) => (i.validity.badInput ? { field: i, text: `${what}须为数字，请只填数字。` } : null);
    if (byWindow.checked) {
      const bad = notNumber(minInput, '每格最少户数') ?? notNumber(maxInput, '每格最多户数');
      if (bad) return bad;
      if (minInput.value.trim() === '') return { field: minInput, text: '请填写每格最少户数（不限下限请填 0）。' };
      if (maxInput.value.trim() === '') return { field: maxInput, text: '请填写每格最多户数。' };
      const min = num(minInput);
      const max = num(maxInput);
      if (!(min >= 0)) return { field: minInput, text: message('form-min-households') };
      if (!(max > min)) return { field: maxInput, text: message('form-max-households', { min, max }) };
    } else {
      const bad = notNumber(cellsInput, '网格数') ?? notNumber(tolInput, '允许偏差');
      if (bad) return bad;
      const cells = num(cellsInput);
      if (!(Number.isInteger(cells) && cells >= 1 && cells <= 999)) return { field: cellsInput, text: message('form-cells') };
      const tol = num(tolInput);
      if (!(tol >= 1 && tol <= 50)) return { field: tolInput, text: message('form-tolerance') };
    }
    const bad = notNumber(seedInput, '尝试序号') ?? notNumber(timeInput, '计算时间');
    if (bad) return bad;
    if (seedInput.value.trim() !== '' && !Number.isInteger(num(seedInput))) return { field: seedInput, text: message('form-seed') };
    if (timeInput.value.trim() !== '' && !(num(timeInput) >= 1 && num(timeInput) <= 120)) return { field: timeInput, text: message('form-time-limit') };
    return null;
  };
  const fields = [minInput, maxInput, cellsInput, tolInput, seedInput, timeInput];
  /** Marks the field in error and says why beside the balance settings; returns the problem. */
  const check = (): ReturnType<typeof problem> => {
    const p = problem();
    for (const f of fields) f.removeAttribute('aria-invalid');
    formError.hidden = p === null;
    formError.textContent = p?.text ?? '';
    if (p) {
      p.field.setAttribute('aria-invalid', 'true');
      if (p.field === seedInput || p.field === timeInput) (p.field.closest('details') as HTMLDetailsElement | null)?.setAttribute('open', '');
    }
    return p;
  };
  for (const f of fields) f.addEventListener('input', () => void check());
  byWindow.addEventListener('change', () => void check());
  byCount.addEventListener('change', () => void check());

  const request = (area: SelectedArea | null): { body: PartitionRequest } | { error: string } => {
    const p = check();
    if (p) return { error: p.text };
    if (!area) return { error: message('form-no-area') };
    const seed = seedInput.value.trim() === '' ? 1 : num(seedInput);
    if (!Number.isInteger(seed)) return { error: message('form-seed') };
    const timeLimit = timeInput.value.trim() === '' ? 10 : num(timeInput);
    if (!(timeLimit >= 1 && timeLimit <= 120)) return { error: message('form-time-limit') };
    let balance: Pick<PartitionRequest, 'minHouseholds' | 'maxHouseholds' | 'cells' | 'tolerance'>;
    if (byWindow.checked) {
      const min = num(minInput);
      const max = num(maxInput);
      if (!(min >= 0)) return { error: message('form-min-households') };
      if (!(max > min)) return { error: message('form-max-households', { min, max: Number.isNaN(max) ? '空' : max }) };
      balance = { minHouseholds: min, maxHouseholds: max, cells: null, tolerance: null };
    } else {
      const cells = num(cellsInput);
      const tol = num(tolInput);
      if (!(Number.isInteger(cells) && cells >= 1 && cells <= 999)) return { error: message('form-cells') };
      if (!(tol >= 1 && tol <= 50)) return { error: message('form-tolerance') };
      balance = { cells, tolerance: tol / 100, minHouseholds: null, maxHouseholds: null };
    }
    return {
      body: {
        area: area.kind === 'polygon' ? { kind: 'polygon', code: null, polygon: area.polygon } : { kind: area.kind, code: area.code ?? null, polygon: null },
        barriers: barriers.checked,
        nest: nest.checked,
        seed,
        timeLimit,
        objective: null,
        ...balance,
      },
    };
  };

  return {
    element,
    areaName,
    modeSelect,
    runBtn,
    cancelBtn,
    showModeHint: (mode) => (areaName.textContent = modeHint[mode]),
    showJob(j) {
      progress.hidden = false;
      progress.value = j.fraction;
      progressText.textContent = `${stageName[j.stage] ?? '计算中'} ${(j.fraction * 100).toFixed(0)}% · ${j.elapsedSeconds.toFixed(1)} 秒`;
    },
    request,
  };
}
