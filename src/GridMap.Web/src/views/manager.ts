// 改造进度看板 (manager view), wall screen first: headline figures on top (city-wide completion, households completed /
// total, open disputes, overdue follow-ups, the goal and "数据截至"), the map as a choropleth of the aggregated progress
// tiles (branch / district / street / cell × completion, main stage, consent, disputes, overdue follow-ups) and charts
// beside it (league table, completion over time, units behind schedule, open disputes).
// ONE statistics request per scope (GET /api/stats/progress, manager/dashboardApi.ts). A chart bar or a map click
// scopes everything to that unit (the map highlights and zooms to it, the charts show its parts); 返回全市 goes back.
import GeoJSON from 'ol/format/GeoJSON';
import { fromLonLat } from 'ol/proj';
import { getIntersection, isEmpty, type Extent } from 'ol/extent';
import type Feature from 'ol/Feature';
import type { FeatureLike } from 'ol/Feature';
import type VectorTileLayer from 'ol/layer/VectorTile';
import { Fill, Stroke, Style } from 'ol/style';
import { mapApi } from '../api/mapApi';
import { humanMessage, isAbort } from '../api/problem';
import type { LayerInfo, ProgressReport } from '../api/types';
import { createMapPage } from '../map/mapPage';
import { vectorTileLayer } from '../map/layers';
import { h, isNarrow } from '../ui/dom';
import { zh } from '../labels';
import { dashboardApi, type Level } from '../manager/dashboardApi';
import { levelLabel, measureById, measures } from '../manager/measures';
import { behindChart, leagueChart, timelineChart } from '../manager/charts';
import '../manager/manager.css';
import type { View } from './view';

interface Scope {
  /** null = the city; else `branch:ID` or `district:CODE`. */
  within: string | null;
  /** The level the charts list inside the scope. */
  by: Level;
}

const childOf = (within: string | null): Level => (within === null ? 'branch' : within.startsWith('branch:') ? 'district' : 'street');
const layerOf: Record<Level, string> = { branch: 'progress_branches', district: 'progress_districts', street: 'progress_streets', cell: 'progress_cells' };
const pct1 = new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const asOfFmt = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Shanghai' });

type OpenDispute = NonNullable<ProgressReport['disputes']>[number];

/** "2 起未结（1 起处理中）· 已 35 天 · 负责人 王芳", or what is known of a compound flagged without a dispute record. */
function disputeState(d: OpenDispute, now: number): string {
  if (d.openCount === 0) return '已标记争议，尚无纠纷记录';
  const parts = [`${zh.int(d.openCount)} 起未结${d.inProgress > 0 ? `（${zh.int(d.inProgress)} 起处理中）` : ''}`];
  if (d.oldestOpenedAt) {
    const days = Math.max(0, Math.floor((now - new Date(d.oldestOpenedAt).getTime()) / 86_400_000));
    parts.push(days === 0 ? '今日提出' : `已 ${zh.int(days)} 天`);
  }
  if (d.owner) parts.push(`负责人 ${d.owner}`);
  return parts.join(' · ');
}

export const manager: View = {
  title: '改造进度看板',
  async mount(root) {
    root.classList.add('dashboard-root');
    try {
      return await mountDashboard(root);
    } catch (e) {
      // Not signed in (401) or failed: the sign-in or error page that follows must not inherit the dashboard's grid.
      root.classList.remove('dashboard-root');
      throw e;
    }
  },
};

async function mountDashboard(root: HTMLElement): Promise<() => void> {
  const head = h('section', { class: 'dash-head', 'data-testid': 'dash-head', 'aria-label': '全市改造进度要点' }, h('div', { class: 'hint' }, '正在统计…'));
  const mapHost = h('div', { class: 'dash-map', 'data-testid': 'dash-map' });
  const side = h('aside', { class: 'dash-side', 'aria-label': '统计图表' });
  root.replaceChildren(head, h('div', { class: 'dash-body' }, mapHost, side));

  // A manager reads coverage, not valves: the network layers start hidden (the switcher can show them).
  const sharedView = /[?&]c=/.test(location.hash); // a link (or reload) with a view keeps it; else the whole city
  const page = await createMapPage(mapHost, 'manager', { hiddenLayers: ['pipes', 'valves', 'stations'] });
  // The layer switcher starts folded: on the wall screen the map shows the choropleth, not a list of layers.
  const switcher = mapHost.querySelector<HTMLDetailsElement>('details[data-testid=layer-switcher]');
  if (switcher) switcher.open = false;
  const catalog = await mapApi.layers().catch((): LayerInfo[] => []);
  const abort = new AbortController();

  // ── state
  let level: Level = 'district';
  let measure = measureById('completed');
  let scope: Scope = { within: null, by: 'branch' };
  let selected: string | null = null;
  let report: ProgressReport | null = null;
  let requestGen = 0;

  // ── choropleth layers (one per level, only the chosen one visible), above the basemap, under the compounds.
  const styles = new globalThis.Map<string, Style>();
  const outline = new Style({ stroke: new Stroke({ color: '#0b2545', width: 4 }), zIndex: 5 });
  const styleFor = (lvl: Level) => (feature: FeatureLike) => {
    const props = feature.getProperties();
    const k = measure.classOf(props, lvl);
    const code = String(props.code);
    const dim = selected !== null && !inSelection(code, lvl);
    const key = `${measure.id}:${lvl}:${k}:${dim}`;
    let s = styles.get(key);
    if (!s) {
      const color = k < 0 ? '#ffffff' : measure.legend(lvl)[k].color;
      s = new Style({
        fill: new Fill({ color: hexAlpha(color, k < 0 ? 0.25 : dim ? 0.3 : 0.85) }),
        stroke: new Stroke({ color: dim ? 'rgba(80,80,80,0.35)' : '#4a4f55', width: lvl === 'cell' || lvl === 'street' ? 0.8 : 1.5 }),
      });
      styles.set(key, s);
    }
    return code === selected ? [s, outline] : s;
  };
  const choropleth = new globalThis.Map<Level, VectorTileLayer>();
  for (const lvl of Object.keys(layerOf) as Level[]) {
    const info = catalog.find((l) => l.id === layerOf[lvl]) ?? { minZoom: 0, maxZoom: 22 };
    const layer = vectorTileLayer(layerOf[lvl], info, styleFor(lvl)) as VectorTileLayer;
    layer.setZIndex(1);
    layer.setVisible(lvl === level);
    page.map.addLayer(layer);
    choropleth.set(lvl, layer);
  }
  const inSelection = (code: string, lvl: Level) => {
    if (selected === null) return true;
    if (code === selected) return true;
    // A finer unit inside the selected district (codes nest: street and cell codes start with the district's).
    return selected.length === 6 && (lvl === 'street' || lvl === 'cell') && code.startsWith(selected);
  };
  const redraw = () => choropleth.forEach((l) => l.changed());

  // ── controls and legend (on the map, top left)
  const levelSel = h('select', { 'aria-label': '分区层级', 'data-testid': 'level' },
    ...(Object.keys(layerOf) as Level[]).map((l) => h('option', { value: l, selected: l === level }, `按${levelLabel[l]}`))) as HTMLSelectElement;
  const measureSel = h('select', { 'aria-label': '着色指标', 'data-testid': 'measure' },
    ...measures.map((m) => h('option', { value: m.id }, m.label))) as HTMLSelectElement;
  const legendList = h('ul', { class: 'choro-legend', 'data-testid': 'choropleth-legend' });
  const legendTitle = h('div', { class: 'choro-title' });
  const backBtn = h('button', { type: 'button', class: 'back', 'data-testid': 'back-city', hidden: true }, '← 返回全市');
  const mapBox = h('div', { class: 'panel dash-mapbox', 'data-testid': 'map-controls' },
    h('div', { class: 'dash-controls' }, levelSel, measureSel), legendTitle, legendList, backBtn);
  page.sideColumn.replaceChildren(mapBox);
  const renderLegend = () => {
    legendTitle.textContent = `${levelLabel[level]} · ${measure.label}`;
    legendList.dataset.measure = measure.id;
    legendList.replaceChildren(
      ...measure.legend(level).map((c) => h('li', {}, h('span', { class: 'sw', style: `background:${c.color}` }), c.label)),
      h('li', { class: 'muted' }, h('span', { class: 'sw', style: 'background:#fff' }), '无改造任务'),
    );
  };
  levelSel.addEventListener('change', () => {
    level = levelSel.value as Level;
    choropleth.forEach((l, k) => l.setVisible(k === level));
    renderLegend();
  });
  measureSel.addEventListener('change', () => {
    measure = measureById(measureSel.value);
    renderLegend();
    redraw();
  });
  renderLegend();

  // ── the side column: scope title, league table, timeline, behind schedule, disputes
  const scopeTitle = h('h2', { class: 'dash-scope', 'data-testid': 'dash-scope' }, '全市');
  const leagueEl = h('div', { class: 'chart', 'data-testid': 'chart-league' });
  const leagueTitle = h('h3', {}, '各分公司完成率');
  const timelineEl = h('div', { class: 'chart chart-timeline', 'data-testid': 'chart-timeline' });
  const timelineNote = h('p', { class: 'note' });
  const behindEl = h('div', { class: 'chart', 'data-testid': 'chart-behind' });
  const behindTitle = h('h3', {}, '进度落后的网格');
  const disputeList = h('ol', { class: 'disputes', 'data-testid': 'dispute-list' });
  const disputeTitle = h('h3', {}, '未结争议');
  side.append(
    scopeTitle,
    h('section', { class: 'card' }, leagueTitle, leagueEl),
    h('section', { class: 'card' }, h('h3', {}, '已完成户数（累计）'), timelineEl, timelineNote),
    h('section', { class: 'card' }, behindTitle, behindEl),
    h('section', { class: 'card' }, disputeTitle, disputeList),
  );

  const league = leagueChart(leagueEl, (code) => choose(code, scope.by));
  const timeline = timelineChart(timelineEl);
  const behind = behindChart(behindEl, (code) => choose(code, (report?.behindLevel as Level) ?? 'street'));

  // ── the statistics request (one per scope) and what it fills
  const load = async () => {
    const mine = ++requestGen;
    side.dataset.loading = 'true';
    try {
      const r = await dashboardApi.progress(scope.by, scope.within, abort.signal);
      if (mine !== requestGen) return;
      report = r;
      renderAll();
    } catch (e) {
      if (isAbort(e)) return;
      head.replaceChildren(h('div', { class: 'legend-error', role: 'alert' }, `统计加载失败：${humanMessage(e)}`));
    } finally {
      if (mine === requestGen) side.dataset.loading = 'false';
    }
  };

  const renderAll = () => {
    if (!report) return;
    const t = report.total;
    side.dataset.scope = report.within ?? 'city';
    scopeTitle.textContent = report.within ? `${report.withinName} · ${levelLabel[report.by as Level]}进度` : '全市 · 各分公司进度';
    head.replaceChildren(
      figure('完成率（按户）', pct1.format(t.completedShare), 'headline-share', t.behind ? 'behind' : 'ok'),
      figure('已完成 / 总户数', [zh.int(t.householdsCompleted), h('span', { class: 'of' }, ` / ${zh.int(t.households)} 户`)], 'headline-households', 'wide'),
      figure('未结争议', [zh.int(t.disputes), h('span', { class: 'of' }, ' 个小区')], 'headline-disputes', t.disputes > 0 ? 'warn' : 'ok'),
      figure('逾期回访', [zh.int(t.overdueFollowUps), h('span', { class: 'of' }, ' 个小区')], 'headline-overdue', t.overdueFollowUps > 0 ? 'warn' : 'ok'),
      h('div', { class: 'figure goal', 'data-testid': 'headline-goal' },
        h('div', { class: 'label' }, `${report.withinName}目标`),
        t.target
          ? h('div', { class: 'value small' }, `${pct1.format(t.target.share)}，截止 ${t.target.deadline}`, h('br', {}),
              h('span', { class: t.behind ? 'behind' : 'ok' }, `今日应完成 ${pct1.format(t.target.expected)}（${t.behind ? '落后' : '达标'}）`))
          : h('div', { class: 'value small' }, '未设定'),
      ),
      h('div', { class: 'asof', 'data-testid': 'as-of', 'data-as-of': report.asOf }, `数据截至 ${asOfFmt.format(new Date(report.asOf))}`),
    );
    leagueTitle.textContent = `各${levelLabel[report.by as Level]}完成率（${report.withinName}）`;
    league.update([...report.rows]);
    leagueEl.dataset.codes = report.rows.filter((r) => r.households > 0).map((r) => r.code).join(',');
    timeline.update(report);
    const tl = report.timeline;
    timelineEl.dataset.last = String(tl?.total.at(-1) ?? '');
    timelineNote.textContent = tl?.historyStart
      ? `按各小区的改造阶段记录逐周统计，记录始于 ${asOfFmt.format(new Date(tl.historyStart))}`
      : '尚无阶段变更记录：曲线为当前已完成户数，记录开始后逐周更新。';
    const bl = (report.behindLevel as Level | null) ?? 'cell';
    behindTitle.textContent = `进度落后的${levelLabel[bl]}（与今日应完成相差）`;
    behind.update([...(report.behind ?? [])]);
    behindEl.dataset.codes = (report.behind ?? []).map((r) => r.code).join(',');
    const ds = report.disputes ?? [];
    const records = ds.reduce((n, d) => n + d.openCount, 0);
    disputeTitle.textContent = `未结争议（${zh.int(ds.length)} 个小区 · ${zh.int(records)} 起，最久的在前）`;
    const now = Date.now();
    disputeList.replaceChildren(
      ...ds.map((d) =>
        h('li', {},
          h('button', { type: 'button', 'data-compound': d.id, title: '在地图上查看', onclick: () => zoomToPoint(d.lon, d.lat) },
            h('span', { class: 'name' }, d.name), h('span', { class: 'where' }, `${d.districtName}${d.cellName ? ' · ' + d.cellName : ''} · ${zh.int(d.households)} 户 · ${zh.status(d.retrofitStatus)}`),
            h('span', { class: 'state', 'data-open': d.openCount, 'data-in-progress': d.inProgress }, disputeState(d, now)),
            d.notes ? h('span', { class: 'notes' }, d.notes) : null)),
      ),
    );
    if (ds.length === 0) disputeList.append(h('li', { class: 'muted' }, '无'));
  };

  // ── choosing a unit: highlight + zoom; branch/district also scope the charts (finer units scope to their district)
  const extents = new globalThis.Map<string, Extent>();
  const unitExtent = async (code: string, lvl: Level): Promise<Extent | null> => {
    const key = `${lvl}:${code}`;
    if (!extents.has(key)) {
      const fc = await mapApi.features(layerOf[lvl], { limit: 50000 }, abort.signal);
      for (const f of new GeoJSON().readFeatures(fc, { featureProjection: 'EPSG:3857' }) as Feature[]) {
        const c = String(f.get('code') ?? f.get('id') ?? f.getId());
        const g = f.getGeometry();
        if (g) extents.set(`${lvl}:${c}`, g.getExtent());
      }
    }
    return extents.get(key) ?? null;
  };
  const padding = () => (isNarrow() ? [40, 20, 40, 20] : [60, 40, 40, 340]);
  const zoomTo = async (code: string, lvl: Level) => {
    const e = await unitExtent(code, lvl).catch(() => null);
    if (!e) return;
    // Districts and branches reach far into the countryside; their old compounds are in the city.
    const inCity = lvl === 'branch' || lvl === 'district' ? getIntersection(e, page.cityExtent) : e;
    page.map.getView().fit(isEmpty(inCity) ? e : inCity, { padding: padding(), duration: 300, maxZoom: 16 });
    mapHost.dataset.zoomedTo = code;
  };
  const zoomToPoint = (lon: number, lat: number) => {
    page.map.getView().animate({ center: fromLonLat([lon, lat]), zoom: 16, duration: 300 });
    // Compounds become useful at this zoom.
    page.layers.byId.get('compounds')?.layer.setVisible(true);
  };

  const choose = (code: string, lvl: Level) => {
    selected = code;
    mapHost.dataset.selected = code;
    redraw();
    void zoomTo(code, lvl);
    const within = lvl === 'branch' ? `branch:${code}` : lvl === 'district' ? `district:${code}` : `district:${code.slice(0, 6)}`;
    if (within !== scope.within) {
      scope = { within, by: childOf(within) };
      void load();
    }
    backBtn.hidden = false;
  };
  backBtn.addEventListener('click', () => {
    selected = null;
    delete mapHost.dataset.selected;
    delete mapHost.dataset.zoomedTo;
    backBtn.hidden = true;
    redraw();
    page.map.getView().fit(page.cityExtent, { padding: padding(), duration: 300 });
    scope = { within: null, by: 'branch' };
    void load();
  });

  // A click on the choropleth picks the unit under it (the compounds and other layers keep their own details panel).
  page.map.on('singleclick', (e) => {
    const layer = choropleth.get(level);
    let hit: FeatureLike | null = null;
    page.map.forEachFeatureAtPixel(e.pixel, (f) => { hit = f; return true; }, { layerFilter: (l) => l === layer, hitTolerance: 2 });
    if (hit) choose(String((hit as FeatureLike).get('code')), level);
  });

  // Tests and the wall-screen operator reach the bars through this (page coordinates of a bar).
  const hook = (window as unknown as { gridmap?: Record<string, unknown> }).gridmap;
  if (hook) hook.dashboard = { leagueBar: (code: string) => league.barPoint(code), behindBar: (code: string) => behind.barPoint(code) };

  // Only while still on this view: a 401 meanwhile has sent the user to the sign-in page, whose address the map's
  // view-in-the-address update must not rewrite.
  if (!sharedView && location.hash.startsWith('#/manager')) page.map.getView().fit(page.cityExtent, { padding: padding() });
  await load();
  return () => {
    abort.abort();
    league.chart.dispose();
    timeline.chart.dispose();
    behind.chart.dispose();
    root.classList.remove('dashboard-root');
    page.dispose();
  };
}

/** A headline figure: the number large, its unit (span.of) smaller so long figures still fit a laptop's width. */
function figure(label: string, value: string | (string | HTMLElement)[], testId: string, tone = ''): HTMLElement {
  const parts = Array.isArray(value) ? value : [value];
  return h('div', { class: `figure ${tone}`, 'data-testid': testId }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, ...parts));
}

function hexAlpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}
