// 网格规划 (planner): pick an area (click a street / district / community, or draw a polygon), partition it
// into balanced grid cells in the background (progress + cancel), then adjust the preview by hand — move a
// compound to a neighbouring cell, redraw the edge two cells share (Modify + Snap), lock cells, assign staff
// automatically or by hand — and publish it as the area's next plan version. Every edit goes to the server,
// which accepts it or says why not; the answer is shown at once.
import './planner.css';
import type Map from 'ol/Map';
import Feature from 'ol/Feature';
import type { FeatureLike } from 'ol/Feature';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import { Fill, Stroke, Style, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import Draw from 'ol/interaction/Draw';
import Modify from 'ol/interaction/Modify';
import Snap from 'ol/interaction/Snap';
import type { LineString, Polygon } from 'ol/geom';
import { toLonLat, transformExtent } from 'ol/proj';
import { getCenter } from 'ol/extent';
import { api, type LayerInfo } from '../api';
import { buildLayers } from '../map/layers';
import { createMap } from '../map/createMap';
import { font } from '../map/styles';
import { h, panel } from '../ui/dom';
import type { View } from '../views/view';
import { planning, type AreaInfo, type CellStats, type GeoGeometry, type JobState, type Plan, type StaffList, type StaffTravel } from './planningApi';

type AreaKind = 'street' | 'district' | 'community' | 'polygon';

export interface PlannerHook {
  map: Map;
  /** The plan shown, once loaded (null before). */
  plan: Plan | null;
  /** Resolves after the next plan (re)load has been drawn. */
  loaded: () => Promise<void>;
  cellsSource: VectorSource;
  compoundsSource: VectorSource;
}

declare global {
  interface Window {
    gridmapPlanner?: PlannerHook;
  }
}

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
const HIDDEN = ['pipes', 'valves', 'stations', 'heat_sources', 'staff', 'branches', 'cells'];

/** A distinct colour per cell: golden-angle hues, so cells numbered close together (neighbours in reading order) differ. */
export function cellColour(idx: number, alpha: number): string {
  const hue = (idx * 137.508 + 25) % 360;
  const light = 52 + (idx % 3) * 8;
  return `hsla(${hue.toFixed(1)}, 68%, ${light}%, ${alpha})`;
}

const pct = (x: number) => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const int = (x: number) => Math.round(x).toLocaleString('zh-CN');

export const planner: View = {
  title: '网格规划',
  async mount(root) {
    const [config, catalog] = await Promise.all([api.config(), api.layers().catch((): LayerInfo[] | null => null)]);
    const mapEl = h('div', { class: 'map', id: 'map', 'data-testid': 'map', role: 'application', 'aria-label': '网格规划地图' });
    const left = h('div', { class: 'side left planner-left' });
    const right = h('div', { class: 'side right planner-right' });
    root.replaceChildren(mapEl, left, right);

    const base = buildLayers(config, catalog);
    for (const id of HIDDEN) base.byId.get(id)?.layer.setVisible(false);
    // Compounds by retrofit status stay as context for picking an area, faded under the plan.
    base.byId.get('compounds')?.layer.setOpacity(0.35);
    const map = createMap(mapEl, config, base.layers.map((l) => l));

    // ── state
    let plan: Plan | null = null;
    let staff: StaffList | null = null;
    let travel: StaffTravel | null = null;
    let area: { kind: AreaKind; code?: string; polygon?: GeoGeometry; name: string; key?: string } | null = null;
    let job: JobState | null = null;
    let selectedCompound: Feature | null = null;
    let mode: AreaKind = 'street';
    let loadedWaiters: (() => void)[] = [];

    // ── layers
    const areaSource = new VectorSource();
    const cellsSource = new VectorSource();
    const compoundsSource = new VectorSource();
    const edgeSource = new VectorSource();
    const crossingSource = new VectorSource();
    const cellStyle: StyleFunction = (f, resolution) => {
      const p = f.getProperties();
      const bad = p.withinBounds === false || p.contiguous === false;
      // Oversize / undersize cells are unavoidable with whole compounds: shown in their own colour, not as errors.
      const odd = !bad && (p.oversize === true || p.undersize === true);
      const tag = p.oversize ? '【超大】' : p.undersize ? '【不足额】' : '';
      const lines = [`${tag}${int(p.households)}户 ${pct(p.deviation)}`, `${p.staffName ?? '未分配网格员'}${p.locked ? ' 🔒' : ''}`];
      return new Style({
        fill: new Fill({ color: cellColour(p.idx, 0.42) }),
        stroke: new Stroke({
          color: bad ? '#c62828' : odd ? (p.oversize ? '#6a1b9a' : '#00838f') : '#263238',
          width: bad || odd ? 2.5 : 1.6,
          lineDash: bad ? [8, 5] : odd ? [2, 4] : undefined,
        }),
        text:
          resolution < 30
            ? new Text({
                text: lines.join('\n'),
                font: font(12, 600),
                fill: new Fill({ color: '#111' }),
                stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 3 }),
                overflow: resolution < 6,
              })
            : undefined,
      });
    };
    const compoundStyle: StyleFunction = (f) =>
      new Style({
        fill: new Fill({ color: f === selectedCompound ? 'rgba(255,152,0,0.85)' : 'rgba(255,255,255,0.55)' }),
        stroke: new Stroke({ color: f === selectedCompound ? '#e65100' : '#37474f', width: f === selectedCompound ? 3 : 1 }),
      });
    const areaLayer = new VectorLayer({
      source: areaSource,
      style: new Style({ stroke: new Stroke({ color: '#0d47a1', width: 3, lineDash: [10, 6] }), fill: new Fill({ color: 'rgba(13,71,161,0.06)' }) }),
    });
    const cellsLayer = new VectorLayer({ source: cellsSource, style: cellStyle, declutter: false });
    const compoundsLayer = new VectorLayer({ source: compoundsSource, style: compoundStyle });
    const edgeLayer = new VectorLayer({
      source: edgeSource,
      style: new Style({ stroke: new Stroke({ color: '#1565c0', width: 5, lineDash: [6, 4] }) }),
    });
    const crossingLayer = new VectorLayer({
      source: crossingSource,
      style: (_f, resolution) =>
        new Style({
          stroke: new Stroke({ color: '#ef6c00', width: 4, lineDash: [2, 6], lineCap: 'round' }),
          text:
            resolution < 20
              ? new Text({ text: '跨主干道', font: font(11, 600), fill: new Fill({ color: '#e65100' }), stroke: new Stroke({ color: '#fff', width: 3 }), placement: 'line' })
              : undefined,
        }),
    });
    for (const l of [areaLayer, cellsLayer, compoundsLayer, crossingLayer, edgeLayer]) map.addLayer(l);

    // ── left: area + parameters + run
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
    const seedInput = h('input', { type: 'number', value: 1, step: 1, 'data-testid': 'seed', 'aria-label': '随机种子' });
    const timeInput = h('input', { type: 'number', value: 10, min: 1, max: 120, step: 1, 'data-testid': 'time-limit', 'aria-label': '时间上限（秒）' });
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

    const setupPanel = panel(
      '网格规划 · 划分',
      'planner-setup',
      'planner-setup',
      h('label', { class: 'row' }, '范围 ', modeSelect),
      areaName,
      h('fieldset', {}, h('legend', {}, '均衡方式'),
        h('label', { class: 'row' }, byWindow, ' 每格户数 ', minInput, ' – ', maxInput),
        h('label', { class: 'row' }, byCount, ' 网格数 ', cellsInput, ' 偏差 ±', tolInput, '%'),
      ),
      h('label', { class: 'row', title: '主干道尽量作为网格边界；被主干道围住、户数无法整分成网格的小区群，跨越最少、最短的主干道与相邻区域合并，并在地图上标出' },
        barriers, ' 沿主干道划分（尽量不跨越）'),
      h('label', { class: 'row' }, nest, ' 按社区嵌套（网格不跨社区）'),
      h('label', { class: 'row small' }, '种子 ', seedInput, ' 时间上限 ', timeInput, ' 秒'),
      h('div', { class: 'row buttons' }, runBtn, cancelBtn),
      h('div', { class: 'row' }, progress, progressText),
    );

    // ── left: plan summary, actions, feedback, move + edge tools
    const statusEl = h('div', { class: 'plan-status', 'data-testid': 'plan-status' }, '还没有方案');
    const totalsEl = h('div', { class: 'plan-totals', 'data-testid': 'plan-totals' });
    const warningsEl = h('ul', { class: 'plan-warnings', 'data-testid': 'plan-warnings', hidden: true });
    const message = h('div', { class: 'plan-message', role: 'status', 'aria-live': 'polite', 'data-testid': 'plan-message', 'data-state': 'idle' });
    const autoBtn = h('button', { type: 'button', 'data-testid': 'plan-autostaff', disabled: true }, '自动分配网格员');
    const publishBtn = h('button', { type: 'button', class: 'primary', 'data-testid': 'plan-publish', disabled: true }, '发布方案');
    const moveTitle = h('div', { class: 'move-title', 'data-testid': 'move-compound' }, '点击地图上的小区，将其移入相邻网格');
    const moveTarget = h('select', { 'data-testid': 'move-target', 'aria-label': '移入网格', disabled: true });
    const moveBtn = h('button', { type: 'button', 'data-testid': 'move-apply', disabled: true }, '移入');
    const edgeA = h('select', { 'data-testid': 'edge-a', 'aria-label': '网格甲' });
    const edgeB = h('select', { 'data-testid': 'edge-b', 'aria-label': '网格乙' });
    const edgeBtn = h('button', { type: 'button', 'data-testid': 'edge-start', disabled: true }, '编辑共用边界');
    const edgeStop = h('button', { type: 'button', 'data-testid': 'edge-stop', hidden: true }, '结束编辑');
    const planPanel = panel(
      '方案',
      'planner-plan',
      'planner-plan',
      statusEl,
      totalsEl,
      warningsEl,
      h('div', { class: 'row buttons' }, autoBtn, publishBtn),
      message,
      h('div', { class: 'tool' }, h('h4', {}, '移动小区'), moveTitle, h('div', { class: 'row' }, moveTarget, moveBtn)),
      h('div', { class: 'tool' }, h('h4', {}, '调整边界'), h('div', { class: 'row' }, edgeA, ' 与 ', edgeB), h('div', { class: 'row buttons' }, edgeBtn, edgeStop),
        h('div', { class: 'hint' }, '拖动蓝色虚线上的节点（自动吸附到网格边界），松开后两侧网格同时更新。')),
    );
    const legend = panel(
      '图例',
      'planner-legend',
      'planner-legend',
      h('ul', { class: 'legend-list' },
        h('li', {}, h('span', { class: 'swatch cells' }), '网格（每格一种颜色），标注：户数 偏差 · 网格员'),
        h('li', {}, h('span', { class: 'swatch bad' }), '红色虚线：户数超出范围或不连通'),
        h('li', {}, h('span', { class: 'swatch oversize' }), '紫色点线【超大】：单个小区户数已超过每格上限，单独成格'),
        h('li', {}, h('span', { class: 'swatch undersize' }), '青色点线【不足额】：小区户数低于下限且无法与相邻小区合并'),
        h('li', {}, h('span', { class: 'swatch crossing' }), '橙色点线：网格在此跨越主干道（被围住的小区无法单独成格）'),
        h('li', {}, h('span', { class: 'swatch compound' }), '小区（点击可移动）；橙色为选中'),
        h('li', {}, h('span', { class: 'swatch edge' }), '正在编辑的共用边界'),
        h('li', {}, h('span', { class: 'swatch area' }), '选中的规划范围'),
      ),
    );
    left.append(setupPanel, planPanel, legend);

    // ── right: cell table
    const table = h('table', { class: 'cell-table', 'data-testid': 'plan-cells' });
    const staffSummary = h('div', { class: 'staff-summary', 'data-testid': 'staff-summary' });
    right.append(panel('网格列表', 'planner-cells', 'planner-cells', staffSummary, h('div', { class: 'table-wrap' }, table)));

    // 'warn': the request went through (data-state accepted) but the result needs the planner's attention.
    const say = (text: string, state: 'ok' | 'warn' | 'error' | 'info') => {
      message.textContent = text;
      message.dataset.state = state === 'ok' || state === 'warn' ? 'accepted' : state === 'error' ? 'rejected' : 'info';
      message.dataset.tone = state;
    };
    const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

    // ── area picking
    const draw = new Draw({ source: areaSource, type: 'Polygon' });
    draw.setActive(false);
    map.addInteraction(draw);
    draw.on('drawstart', () => areaSource.clear());
    draw.on('drawend', (e) => {
      const g = (e.feature.getGeometry() as Polygon).clone().transform('EPSG:3857', 'EPSG:4326') as Polygon;
      area = { kind: 'polygon', polygon: { type: 'Polygon', coordinates: g.getCoordinates() }, name: '自绘范围' };
      areaName.textContent = '自绘范围（多边形）';
      runBtn.disabled = false;
    });
    modeSelect.addEventListener('change', () => {
      mode = modeSelect.value as AreaKind;
      draw.setActive(mode === 'polygon');
      areaName.textContent = mode === 'polygon' ? '在地图上点击绘制多边形，双击结束' : `在地图上点击一个${{ street: '街道', district: '行政区', community: '社区' }[mode as 'street']}`;
    });
    const pickArea = async (lon: number, lat: number) => {
      try {
        const a: AreaInfo = await planning.areaAt(lon, lat, mode);
        area = { kind: a.kind, code: a.code, name: a.name, key: a.key };
        areaSource.clear();
        if (a.outline) areaSource.addFeature(geojson.readFeature({ type: 'Feature', geometry: a.outline, properties: {} }) as Feature);
        areaName.textContent = `${a.name}（${a.code}）· ${a.compounds} 个小区 · ${int(a.households)} 户`;
        areaName.dataset.code = a.code;
        runBtn.disabled = false;
        // An area already planned: offer its current version (404 = not planned yet).
        const current = await planning.current(a.key).catch(() => null);
        if (current && area?.key === a.key) {
          const open = h('button', { type: 'button', class: 'link', 'data-testid': 'open-current' }, `查看现行方案（第 ${current.version} 版）`);
          open.addEventListener('click', () => void loadPlan(current.id, true));
          areaName.append(' ', open);
        }
      } catch (e) {
        say(`未选中范围：${errText(e)}`, 'error');
      }
    };

    // ── partition job
    let poll = 0;
    const stageName: Record<string, string> = { queued: '排队中', adjacency: '计算邻接', search: '搜索方案', saving: '保存预览', done: '完成' };
    const showJob = (j: JobState) => {
      progress.hidden = false;
      progress.value = j.fraction;
      progressText.textContent = `${stageName[j.stage] ?? j.stage} ${(j.fraction * 100).toFixed(0)}% · ${j.elapsedSeconds.toFixed(1)} 秒`;
    };
    const finishJob = async (j: JobState) => {
      window.clearInterval(poll);
      job = null;
      cancelBtn.hidden = true;
      runBtn.disabled = false;
      if (j.status === 'succeeded' && j.planId !== null) {
        await loadPlan(j.planId, true);
        if (plan?.search?.feasible === false)
          say(`划分完成（用时 ${j.elapsedSeconds.toFixed(1)} 秒）：未找到每格都在户数范围内的方案，已生成最接近的预览（未发布）。超出范围的网格见下方提示和列表中标红的偏差，可移动小区调整或放宽户数范围。`, 'warn');
        else say(`划分完成：用时 ${j.elapsedSeconds.toFixed(1)} 秒，已生成预览方案（未发布）`, 'ok');
      } else if (j.status === 'cancelled') {
        say('已取消划分，没有保存任何结果', 'info');
      } else {
        say(`划分失败：${j.error ?? '未知原因'}。可以尝试：放宽每格户数范围、改用网格数、关闭主干道边界或更换种子。`, 'error');
      }
    };
    runBtn.addEventListener('click', async () => {
      if (!area) return;
      const params = {
        area: area.kind === 'polygon' ? { kind: 'polygon', polygon: area.polygon } : { kind: area.kind, code: area.code },
        barriers: barriers.checked,
        nest: nest.checked,
        seed: Number(seedInput.value) || 1,
        timeLimit: Number(timeInput.value) || 10,
        ...(byWindow.checked
          ? { minHouseholds: Number(minInput.value), maxHouseholds: Number(maxInput.value) }
          : { cells: Number(cellsInput.value), tolerance: Number(tolInput.value) / 100 }),
      };
      runBtn.disabled = true;
      say('正在划分…', 'info');
      try {
        job = await planning.start(params);
        showJob(job);
        cancelBtn.hidden = false;
        poll = window.setInterval(async () => {
          if (!job) return;
          try {
            const j = await planning.job(job.id);
            showJob(j);
            if (j.status !== 'queued' && j.status !== 'running') await finishJob(j);
          } catch (e) {
            window.clearInterval(poll);
            say(`无法获取进度：${errText(e)}`, 'error');
            runBtn.disabled = false;
          }
        }, 400);
      } catch (e) {
        runBtn.disabled = false;
        say(`无法开始划分：${errText(e)}`, 'error');
      }
    });
    cancelBtn.addEventListener('click', async () => {
      if (!job) return;
      try {
        showJob(await planning.cancel(job.id));
      } catch (e) {
        say(errText(e), 'error');
      }
    });

    // ── plan display
    const editable = () => plan?.status === 'preview';
    const cellOptions = (sel: HTMLSelectElement, exclude: number | null, placeholder: string) => {
      sel.replaceChildren(h('option', { value: '' }, placeholder), ...(plan?.cells ?? []).filter((c) => c.idx !== exclude).map((c) => h('option', { value: c.idx }, `${c.code.slice(-6)} ${c.name}`)));
    };
    // 路网距离: road km from the worker's base to the cell; an estimate (straight line × detour) is marked ≈ and says why.
    // Shown under the worker's name so the table keeps its width.
    const travelCell = (c: CellStats) => {
      const t = c.staffId === null ? undefined : travel?.cells.find((x) => x.idx === c.idx && x.staffId === c.staffId);
      if (!t) return h('div', { class: 'travel', 'data-testid': `cell-travel-${c.idx}` }, '');
      const estimate = t.source === 'estimate';
      return h('div', { class: `travel ${estimate ? 'estimate' : ''}`, 'data-testid': `cell-travel-${c.idx}`, 'data-source': t.source,
        title: estimate ? `估算：直线 ${t.straightKm.toFixed(2)} km × ${travel!.detourFactor}（${t.reason ?? ''}）` : `沿道路 ${t.km.toFixed(2)} km（直线 ${t.straightKm.toFixed(2)} km）` },
        `路网距离 ${estimate ? '≈' : ''}${t.km.toFixed(1)} km`);
    };
    const renderTable = () => {
      if (!plan) return;
      const head = h('tr', {}, ...['编号', '名称', '户数', '偏差', '紧凑度', '小区', '网格员 · 路网距离', '锁定'].map((t) => h('th', {}, t)));
      const rows = plan.cells.map((c: CellStats) => {
        const staffSel = h('select', { 'data-testid': `cell-staff-${c.idx}`, 'aria-label': `${c.name} 网格员`, disabled: !editable() });
        staffSel.append(h('option', { value: '' }, '— 未分配 —'));
        for (const s of staff?.staff ?? []) {
          const note = s.cell !== null && s.cell !== c.idx ? `（已负责 ${plan!.cells.find((x) => x.idx === s.cell)?.code.slice(-6) ?? s.cell}）` : s.busyElsewhere ? '（负责其他方案）' : '';
          staffSel.append(h('option', { value: s.id, selected: s.id === c.staffId }, `${s.name}${note}`));
        }
        if (c.staffId !== null && !(staff?.staff ?? []).some((s) => s.id === c.staffId)) staffSel.append(h('option', { value: c.staffId, selected: true }, c.staffName ?? String(c.staffId)));
        staffSel.addEventListener('change', async () => {
          try {
            plan = await planning.assignStaff(plan!.id, c.idx, staffSel.value === '' ? null : Number(staffSel.value));
            say(staffSel.value === '' ? `${c.name}：已取消网格员` : `${c.name}：网格员改为 ${staffSel.selectedOptions[0].textContent}（手动指定）`, 'ok');
          } catch (e) {
            say(`未接受：${errText(e)}`, 'error');
          }
          await loadPlan(plan!.id);
        });
        const lock = h('input', { type: 'checkbox', checked: c.locked, 'data-testid': `cell-lock-${c.idx}`, 'aria-label': `锁定 ${c.name}`, disabled: !editable() });
        lock.addEventListener('change', async () => {
          try {
            await planning.lock(plan!.id, c.idx, lock.checked);
            say(`${c.name} 已${lock.checked ? '锁定' : '解锁'}`, 'ok');
          } catch (e) {
            say(errText(e), 'error');
          }
          await loadPlan(plan!.id);
        });
        const badge = c.oversize ? h('span', { class: 'badge oversize', 'data-testid': `cell-oversize-${c.idx}`, title: '单个小区户数超过上限，单独成格' }, '超大')
          : c.undersize ? h('span', { class: 'badge undersize', 'data-testid': `cell-undersize-${c.idx}`, title: '户数低于下限，且无法与相邻小区合并' }, '不足额') : '';
        const tr = h('tr', { 'data-testid': `cell-row-${c.idx}`, class: `${c.withinBounds ? '' : 'out'} ${c.contiguous ? '' : 'broken'} ${c.oversize ? 'oversize' : ''} ${c.undersize ? 'undersize' : ''}` },
          h('td', {}, h('span', { class: 'dot', style: `background:${cellColour(c.idx, 0.9)}` }), c.code.slice(-6)),
          h('td', { class: 'name' }, badge, c.name),
          h('td', { class: 'num' }, int(c.households)),
          h('td', { class: `num ${c.withinBounds ? '' : 'warn'}` }, pct(c.deviation)),
          h('td', { class: 'num' }, c.polsbyPopper.toFixed(2)),
          h('td', { class: 'num' }, c.compounds),
          h('td', {}, staffSel, travelCell(c)),
          h('td', {}, lock),
        );
        tr.addEventListener('click', (e) => {
          if ((e.target as HTMLElement).closest('select,input')) return;
          const f = cellsSource.getFeatureById(c.idx);
          const g = f?.getGeometry();
          if (g) map.getView().fit(g.getExtent(), { padding: [80, 340, 80, 340], maxZoom: 17, duration: 300 });
        });
        return tr;
      });
      table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...rows));
      staffSummary.replaceChildren(
        h('div', {}, `未分配网格员的网格：${staff?.cellsWithoutStaff.length ?? 0} 个`, ...(staff?.cellsWithoutStaff.length ? [' (', staff.cellsWithoutStaff.map((c) => c.code.slice(-6)).join('、'), ')'] : [])),
        h('div', {}, `没有网格的网格员：${staff?.staffWithoutCells.length ?? 0} 人`, ...(staff?.staffWithoutCells.length ? [' (', staff.staffWithoutCells.slice(0, 12).map((s) => s.name).join('、'), staff.staffWithoutCells.length > 12 ? '…' : '', ')'] : [])),
        ...(travel ? [h('div', { 'data-testid': 'staff-travel', title: travel.method }, `网格员驻地到网格路网距离合计：${travel.totalKm.toFixed(1)} km${travel.estimated ? `（${travel.estimated} 个按直线×${travel.detourFactor}估算）` : ''}`)] : []),
      );
    };
    const renderSummary = () => {
      if (!plan) return;
      const p = plan;
      const statusText = p.status === 'preview' ? '预览（未发布，可编辑）' : p.status === 'published' ? `已发布 · 第 ${p.version} 版（现行方案）` : `已被第 ${p.supersededBy} 号方案取代 · 第 ${p.version} 版`;
      statusEl.textContent = `${p.area.name} · 方案 #${p.id} · ${statusText}`;
      statusEl.dataset.status = p.status;
      const bounds = p.params.cells ? `${p.params.cells} 格 ±${Math.round(Number(p.params.tolerance) * 100)}%` : `每格 ${int(p.lowerBound)}–${int(p.upperBound)} 户`;
      totalsEl.replaceChildren(
        h('div', {}, `${p.totals.cells} 个网格 · ${p.totals.compounds} 个小区 · ${int(p.totals.households)} 户（${bounds}）`),
        h('div', {}, `最大偏差 ${pct(p.totals.maxDeviation)} · 平均紧凑度 ${p.totals.meanPolsbyPopper.toFixed(3)} · ${p.totals.allContiguous ? '全部连通' : '有网格不连通'} · ${p.totals.allWithinBounds ? '户数均在范围内' : '有网格户数超出范围'}`),
        ...(p.totals.oversizeCells || p.totals.undersizeCells || p.barrierCrossings.length
          ? [h('div', { 'data-testid': 'plan-exceptions' }, `超大网格 ${p.totals.oversizeCells} 个 · 不足额网格 ${p.totals.undersizeCells} 个 · 跨主干道 ${p.barrierCrossings.length} 处`)]
          : []),
      );
      const warnings = (p.search?.warnings as string[] | undefined) ?? [];
      warningsEl.replaceChildren(...warnings.map((w) => h('li', {}, w)));
      warningsEl.hidden = warnings.length === 0;
      autoBtn.disabled = publishBtn.disabled = !editable();
      edgeBtn.disabled = !editable();
      cellOptions(edgeA, null, '网格甲');
      cellOptions(edgeB, null, '网格乙');
    };
    const loadPlan = async (id: number, fit = false) => {
      const [p, cells, compounds, s, t] = await Promise.all([planning.plan(id), planning.cellsGeoJson(id), planning.compoundsGeoJson(id), planning.staff(id),
        planning.staffTravel(id).catch((): StaffTravel | null => null)]);
      plan = p;
      staff = s;
      travel = t;
      // A drawn polygon stays the selected area when its plan loads, so the planner can run it again (other seed/window).
      if (area?.kind === 'polygon' && p.area.kind === 'polygon' && area.key === undefined) area.key = p.area.key;
      if (!area || area.key !== p.area.key) {
        area = p.area.kind === 'polygon' ? null : { kind: p.area.kind as AreaKind, code: p.area.code ?? undefined, name: p.area.name, key: p.area.key };
        areaName.textContent = `${p.area.name}${p.area.code ? `（${p.area.code}）` : ''}`;
        if (p.area.code) areaName.dataset.code = p.area.code;
        runBtn.disabled = area === null;
      }
      cellsSource.clear();
      cellsSource.addFeatures(geojson.readFeatures(cells) as Feature[]);
      crossingSource.clear();
      for (const x of p.barrierCrossings ?? []) {
        const f = geojson.readFeature({ type: 'Feature', geometry: x.line, properties: { a: x.a, b: x.b, name: `${x.aName} — ${x.bName}` } }) as Feature;
        crossingSource.addFeature(f);
      }
      const selectedId = selectedCompound?.getId();
      compoundsSource.clear();
      compoundsSource.addFeatures(geojson.readFeatures(compounds) as Feature[]);
      selectedCompound = selectedId !== undefined ? (compoundsSource.getFeatureById(selectedId) as Feature | null) : null;
      if (fit) {
        const ext = transformExtent(p.bbox, 'EPSG:4326', 'EPSG:3857');
        map.getView().fit(ext, { padding: [40, 330, 40, 340], maxZoom: 17 });
      }
      history.replaceState(null, '', `#/planner?plan=${id}`);
      renderSummary();
      renderTable();
      updateMovePanel();
      hook.plan = plan;
      const w = loadedWaiters;
      loadedWaiters = [];
      map.once('rendercomplete', () => w.forEach((r) => r()));
      map.render();
    };
    autoBtn.addEventListener('click', async () => {
      if (!plan) return;
      try {
        const r = await planning.autoStaff(plan.id);
        plan = r;
        const est = r.staffTravel.estimated ? `，其中 ${r.staffTravel.estimated} 个按直线估算` : '';
        say(`已自动分配网格员（同一分公司内路网距离总和最短，手动指定的保留）：合计 ${r.staffTravel.totalKm.toFixed(1)} km${est}；${plan.totals.cellsWithoutStaff} 个网格仍无网格员`, 'ok');
      } catch (e) {
        say(errText(e), 'error');
      }
      await loadPlan(plan!.id);
    });
    publishBtn.addEventListener('click', async () => {
      if (!plan) return;
      if (!plan.totals.allWithinBounds && !window.confirm('有网格户数超出范围，仍然发布？')) return;
      try {
        const r = await planning.publish(plan.id);
        say(`已发布为第 ${r.version} 版现行方案${r.superseded.length ? `，取代方案 #${r.superseded.join('、#')}` : ''}${r.orphanedCompounds ? `；${r.orphanedCompounds} 个范围外小区失去网格` : ''}`, 'ok');
      } catch (e) {
        say(`未发布：${errText(e)}`, 'error');
      }
      await loadPlan(plan!.id);
    });

    // ── move a compound
    const updateMovePanel = () => {
      const c = selectedCompound;
      if (!c || !plan) {
        moveTitle.textContent = '点击地图上的小区，将其移入相邻网格';
        moveTarget.replaceChildren();
        moveTarget.disabled = moveBtn.disabled = true;
        return;
      }
      const p = c.getProperties();
      const from = plan.cells.find((x) => x.idx === p.cell);
      moveTitle.textContent = `${p.name}（${int(p.households)} 户）· 当前网格 ${from?.code.slice(-6) ?? p.cell}`;
      moveTitle.dataset.compound = String(c.getId());
      // Nearest cells first: a compound can only join a cell it borders.
      const centre = getCenter(c.getGeometry()!.getExtent());
      const others = cellsSource
        .getFeatures()
        .filter((f) => f.get('idx') !== p.cell)
        .map((f) => {
          const q = f.getGeometry()!.getClosestPoint(centre);
          return { f, d: Math.hypot(q[0] - centre[0], q[1] - centre[1]) };
        })
        .sort((a, b) => a.d - b.d)
        .slice(0, 8);
      moveTarget.replaceChildren(...others.map(({ f }) => h('option', { value: f.get('idx') }, `${String(f.get('code')).slice(-6)} ${f.get('name')}（${int(f.get('households'))} 户）`)));
      moveTarget.disabled = moveBtn.disabled = !editable();
    };
    moveBtn.addEventListener('click', async () => {
      if (!plan || !selectedCompound) return;
      const to = Number(moveTarget.value);
      try {
        const r = await planning.move(plan.id, Number(selectedCompound.getId()), to);
        const a = r.plan.cells.find((c) => c.idx === r.fromCell)!;
        const b = r.plan.cells.find((c) => c.idx === r.toCell)!;
        say(`已移动：${a.code.slice(-6)} 现 ${int(a.households)} 户（${pct(a.deviation)}），${b.code.slice(-6)} 现 ${int(b.households)} 户（${pct(b.deviation)}）`, 'ok');
      } catch (e) {
        say(`未接受：${errText(e)}`, 'error');
      }
      await loadPlan(plan.id);
    });

    // ── edit a shared edge (Modify on the edge, Snap to cell outlines and compounds)
    const modify = new Modify({ source: edgeSource });
    const snapCells = new Snap({ source: cellsSource });
    const snapCompounds = new Snap({ source: compoundsSource });
    let editing: { a: number; b: number } | null = null;
    const stopEditing = () => {
      editing = null;
      edgeSource.clear();
      for (const i of [modify, snapCells, snapCompounds]) map.removeInteraction(i);
      edgeStop.hidden = true;
      edgeBtn.hidden = false;
    };
    edgeA.addEventListener('change', () => {
      const a = edgeA.value === '' ? null : Number(edgeA.value);
      // Neighbours of A first: cells whose outline touches A's extent.
      const fa = a === null ? null : cellsSource.getFeatureById(a);
      cellOptions(edgeB, a, '网格乙');
      if (fa) {
        const ext = fa.getGeometry()!.getExtent();
        const near = new Set(cellsSource.getFeaturesInExtent(ext).map((f) => f.get('idx')));
        [...edgeB.options].forEach((o) => {
          if (o.value !== '' && !near.has(Number(o.value))) o.remove();
        });
      }
    });
    edgeBtn.addEventListener('click', async () => {
      if (!plan || edgeA.value === '' || edgeB.value === '') {
        say('请先选择两个相邻网格', 'info');
        return;
      }
      const a = Number(edgeA.value);
      const b = Number(edgeB.value);
      try {
        const lines = await planning.edges(plan.id, a, b);
        if (lines.length === 0) {
          say('这两个网格没有共用边界', 'error');
          return;
        }
        stopEditing();
        editing = { a, b };
        edgeSource.addFeature(geojson.readFeature({ type: 'Feature', geometry: lines[0], properties: {} }) as Feature);
        map.addInteraction(modify);
        map.addInteraction(snapCells);
        map.addInteraction(snapCompounds);
        edgeBtn.hidden = true;
        edgeStop.hidden = false;
        say('拖动蓝色虚线上的节点调整边界；两端保持不动', 'info');
      } catch (e) {
        say(errText(e), 'error');
      }
    });
    edgeStop.addEventListener('click', stopEditing);
    modify.on('modifyend', async (e) => {
      if (!plan || !editing) return;
      const f = e.features.item(0) as Feature;
      const g = (f.getGeometry() as LineString).clone().transform('EPSG:3857', 'EPSG:4326') as LineString;
      const { a, b } = editing;
      try {
        const r = await planning.redraw(plan.id, a, b, { type: 'LineString', coordinates: g.getCoordinates() });
        say(`边界已更新${r.reassigned.length ? `，${r.reassigned.length} 个小区随边界换了网格` : ''}`, 'ok');
      } catch (err) {
        say(`未接受：${errText(err)}`, 'error');
      }
      await loadPlan(plan.id);
      try {
        const lines = await planning.edges(plan.id, a, b);
        edgeSource.clear();
        if (lines.length) edgeSource.addFeature(geojson.readFeature({ type: 'Feature', geometry: lines[0], properties: {} }) as Feature);
      } catch {
        stopEditing();
      }
    });

    // ── clicks: a compound of the plan → move panel; elsewhere → pick the area
    map.on('singleclick', (evt) => {
      if (mode === 'polygon' && draw.getActive()) return;
      if (editing) return;
      let hit: FeatureLike | null = null;
      map.forEachFeatureAtPixel(evt.pixel, (f) => {
        hit = f;
        return true;
      }, { layerFilter: (l) => l === compoundsLayer, hitTolerance: 3 });
      if (hit) {
        selectedCompound = hit as Feature;
        compoundsLayer.changed();
        updateMovePanel();
        return;
      }
      if (selectedCompound) {
        selectedCompound = null;
        compoundsLayer.changed();
        updateMovePanel();
      }
      if (!job) {
        const [lon, lat] = toLonLat(evt.coordinate);
        void pickArea(lon, lat);
      }
    });

    const hook: PlannerHook = {
      map,
      plan: null,
      loaded: () => new Promise<void>((resolve) => loadedWaiters.push(resolve)),
      cellsSource,
      compoundsSource,
    };
    window.gridmapPlanner = hook;
    mapEl.dataset.ready = 'true';

    const m = /[?&]plan=(\d+)/.exec(location.hash);
    if (m) {
      try {
        await loadPlan(Number(m[1]), true);
      } catch (e) {
        say(`无法加载方案 #${m[1]}：${errText(e)}`, 'error');
      }
    }

    return () => {
      window.clearInterval(poll);
      map.setTarget(undefined);
      if (window.gridmapPlanner === hook) delete window.gridmapPlanner;
    };
  },
};
