// 网格规划 (planner): pick an area (click a street / district / community, or draw a polygon), partition it
// into balanced grid cells in the background (progress + cancel), then adjust the preview by hand — move a
// compound to a neighbouring cell, redraw the edge two cells share (Modify + Snap), lock cells, assign staff
// automatically or by hand — and publish it as the area's next plan version. Every edit goes to the server,
// which accepts it or says why not; the answer is shown at once.
//
// This file composes the view: state.ts (what is shown), layers.ts (map layers and styles), panels/* (the DOM),
// actions.ts + job.ts + edgeEditor.ts (what the buttons and clicks do), planningApi.ts (the calls).
import './planner.css';
import type Feature from 'ol/Feature';
import type { FeatureLike } from 'ol/Feature';
import Draw from 'ol/interaction/Draw';
import type { Polygon } from 'ol/geom';
import { toLonLat } from 'ol/proj';
import { mapApi } from '../api/mapApi';
import { humanMessage } from '../api/problem';
import type { LayerInfo } from '../api/types';
import { buildLayers } from '../map/layers';
import { createMap } from '../map/createMap';
import { h } from '../ui/dom';
import type { View } from '../views/view';
import { createActions } from './actions';
import type { PlannerContext, PlannerHook } from './context';
import { createEdgeEditor } from './edgeEditor';
import { createJobRunner } from './job';
import { addPlannerLayers, HIDDEN_BASE_LAYERS } from './layers';
import { createCellsPanel } from './panels/cells';
import { createLegendPanel } from './panels/legend';
import { createPlanPanel } from './panels/plan';
import { createSetupPanel } from './panels/setup';
import { createState, type AreaKind } from './state';
import { collapsible } from './view';

export const planner: View = {
  title: '网格规划',
  async mount(root) {
    const [config, catalog] = await Promise.all([mapApi.config(), mapApi.layers().catch((): LayerInfo[] | null => null)]);
    const mapEl = h('div', { class: 'map', id: 'map', 'data-testid': 'map', role: 'application', 'aria-label': '网格规划地图' });
    const left = h('div', { class: 'side left planner-left' });
    const right = h('div', { class: 'side right planner-right' });
    root.replaceChildren(mapEl, left, right);

    const base = buildLayers(config, catalog);
    for (const id of HIDDEN_BASE_LAYERS) base.byId.get(id)?.layer.setVisible(false);
    // Compounds by retrofit status stay as context for picking an area, faded under the plan.
    base.byId.get('compounds')?.layer.setOpacity(0.35);
    const map = createMap(mapEl, config, base.layers.map((l) => l));

    const state = createState();
    const layers = addPlannerLayers(map, state);
    const setup = createSetupPanel();
    const planPanel = createPlanPanel();
    const loadedWaiters: (() => void)[] = [];
    const hook: PlannerHook = {
      map,
      plan: null,
      loaded: () => new Promise<void>((resolve) => loadedWaiters.push(resolve)),
      cellsSource: layers.cellsSource,
      compoundsSource: layers.compoundsSource,
    };
    // The cell table's handlers call the actions, which need the table: bound once both exist.
    const ctx: PlannerContext = { map, state, layers, setup, plan: planPanel, cells: null!, hook, loadedWaiters };
    const actions = createActions(ctx);
    ctx.cells = createCellsPanel({ assign: actions.assign, lock: actions.lock, focus: actions.focus });
    const job = createJobRunner(ctx, actions);
    const edges = createEdgeEditor(ctx, actions);
    const legend = createLegendPanel();
    left.append(setup.element, planPanel.element, legend);
    right.append(ctx.cells.element);
    // A laptop (1366×768) has 544 px of map between the columns: the legend starts folded there, and each column folds away.
    if (window.innerHeight < 900) legend.open = false;
    collapsible(map, left, '规划面板', 'collapse-left');
    collapsible(map, right, '网格列表', 'collapse-right');

    // ── setup: area mode (drawing a polygon or clicking), run, cancel
    const draw = new Draw({ source: layers.areaSource, type: 'Polygon' });
    draw.setActive(false);
    map.addInteraction(draw);
    draw.on('drawstart', () => layers.areaSource.clear());
    draw.on('drawend', (e) => {
      const g = (e.feature.getGeometry() as Polygon).clone().transform('EPSG:3857', 'EPSG:4326') as Polygon;
      state.area = { kind: 'polygon', polygon: { type: 'Polygon', coordinates: g.getCoordinates() }, name: '自绘范围' };
      setup.areaName.textContent = '自绘范围（多边形）';
      setup.runBtn.disabled = false;
    });
    setup.modeSelect.addEventListener('change', () => {
      state.mode = setup.modeSelect.value as AreaKind;
      draw.setActive(state.mode === 'polygon');
      setup.showModeHint(state.mode);
    });
    setup.runBtn.addEventListener('click', () => void job.run());
    setup.cancelBtn.addEventListener('click', () => void job.cancel());

    // ── plan panel: staff, publish, move, edge
    planPanel.autoBtn.addEventListener('click', () => void actions.autoStaff());
    planPanel.publishBtn.addEventListener('click', () => void actions.publish());
    planPanel.move.button.addEventListener('click', () => {
      const to = planPanel.move.target();
      if (to !== null) void actions.moveSelected(to);
    });
    planPanel.edgeA.addEventListener('change', () => edges.firstCellChanged());
    planPanel.edgeBtn.addEventListener('click', () => void edges.start());
    planPanel.edgeStop.addEventListener('click', () => edges.stop());

    // ── clicks: a compound of the plan → move panel; elsewhere → pick the area
    const select = (f: Feature | null) => {
      state.selectedCompound = f;
      if (f) actions.compoundHistory(Number(f.getId()), String(f.get('name') ?? f.getId()));
      layers.compoundsLayer.changed();
      void planPanel.renderMove(state);
      // The move tool and its answer come into view (the left column scrolls when a plan's notes are long).
      if (f) planPanel.move.element.scrollIntoView({ block: 'nearest' });
    };
    map.on('singleclick', (evt) => {
      if (state.mode === 'polygon' && draw.getActive()) return;
      if (state.editing) return;
      let hit: FeatureLike | null = null;
      map.forEachFeatureAtPixel(evt.pixel, (f) => {
        hit = f;
        return true;
      }, { layerFilter: (l) => l === layers.compoundsLayer, hitTolerance: 3 });
      if (hit) {
        select(hit as Feature);
        return;
      }
      if (state.selectedCompound) select(null);
      if (!state.job) {
        const [lon, lat] = toLonLat(evt.coordinate);
        void actions.pickArea(lon, lat);
      }
    });

    window.gridmapPlanner = hook;
    mapEl.dataset.ready = 'true';

    const m = /[?&]plan=(\d+)/.exec(location.hash);
    if (m) {
      try {
        await actions.loadPlan(Number(m[1]), true);
      } catch (e) {
        planPanel.say(`无法加载方案 #${m[1]}：${humanMessage(e)}`, 'error');
      }
    }

    return () => {
      job.dispose();
      map.setTarget(undefined);
      if (window.gridmapPlanner === hook) delete window.gridmapPlanner;
    };
  },
};
