// 现场抢修 — the crew view, built for a phone: where am I (GPS with its accuracy), which pipes run near me (how
// far, which way, DN, depth, level), and for a burst which valves to close in which order, who loses heat, and a
// new plan at once when a valve turns out broken. Works offline over a downloaded area (see offline.ts).
import './crew.css';
import Feature from 'ol/Feature';
import type OlMap from 'ol/Map';
import Point from 'ol/geom/Point';
import LineString from 'ol/geom/LineString';
import MultiLineString from 'ol/geom/MultiLineString';
import { circular } from 'ol/geom/Polygon';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import Draw, { createBox } from 'ol/interaction/Draw';
import { fromLonLat, toLonLat, transformExtent } from 'ol/proj';
import { buffer, createEmpty, extend, isEmpty } from 'ol/extent';
import { Circle as CircleStyle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style';
import type { FeatureLike } from 'ol/Feature';
import { api, type ClientConfig } from '../api';
import { createMap } from '../map/createMap';
import { buildLayers, type MapLayer } from '../map/layers';
import {
  cellStyle,
  compoundStyle,
  districtStyle,
  heatSourceStyle,
  pipeStyle,
  roadStyle,
  stationStyle,
  valveStyleFn,
} from '../map/styles';
import { h } from '../ui/dom';
import { zh } from '../labels';
import type { View } from '../views/view';
import { compass, formatDms, gk, gkDistance, nearestPipes, type NearPipe } from './geo';
import { OfflinePlanner, type CrewPlan } from './isolation';
import { AREA_LAYERS, downloadArea, offlineStore, type AreaLayer, type OfflineArea } from './offline';

interface Fix {
  lon: number;
  lat: number;
  accuracy: number;
}

interface PlanWithGeometry extends CrewPlan {
  geometry?: { segment: number[][][]; cut_off: number[][][] };
}

const LIMIT_KEY = 'gridmap.crew.accuracyLimit';

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!r.ok) {
    let msg = `${r.status}`;
    try {
      const p = (await r.json()) as { title?: string; detail?: string };
      msg = [p.title, p.detail].filter(Boolean).join('：') || msg;
    } catch {
      // not ProblemDetails
    }
    throw Object.assign(new Error(msg), { status: r.status });
  }
  return (await r.json()) as T;
}

function isNetworkError(e: unknown): boolean {
  return !(e instanceof Error && 'status' in e);
}

/** Compass heading of the phone (degrees from north), when the device reports one; arrows then point relative to it. */
let heading: number | null = null;

function arrow(deg: number | null): HTMLElement {
  const el = h('span', { class: 'crew-arrow', 'aria-hidden': 'true', 'data-bearing': deg ?? undefined }, deg === null ? '●' : '↑');
  if (deg !== null) el.style.transform = `rotate(${deg - (heading ?? 0)}deg)`;
  return el;
}

function turnArrows(root: HTMLElement) {
  for (const el of root.querySelectorAll<HTMLElement>('.crew-arrow[data-bearing]')) el.style.transform = `rotate(${Number(el.dataset.bearing) - (heading ?? 0)}deg)`;
}

const overlayStyle = (f: FeatureLike): Style | Style[] => {
  const role = f.get('role') as string;
  switch (role) {
    case 'segment':
      return [new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 9 }) }), new Style({ stroke: new Stroke({ color: '#d50000', width: 5 }) })];
    case 'cutoff':
      return new Style({ stroke: new Stroke({ color: '#ff9800', width: 4, lineDash: [8, 6] }) });
    case 'nearest':
      return new Style({ stroke: new Stroke({ color: 'rgba(30,90,168,0.55)', width: 10 }) });
    case 'toPipe':
      return new Style({ stroke: new Stroke({ color: '#1e5aa8', width: 2, lineDash: [4, 4] }) });
    case 'valve':
      return new Style({
        image: new CircleStyle({ radius: 11, fill: new Fill({ color: f.get('required') ? '#d50000' : '#6a1b9a' }), stroke: new Stroke({ color: '#fff', width: 2 }) }),
        text: new Text({ text: String(f.get('order')), fill: new Fill({ color: '#fff' }), font: '700 12px sans-serif' }),
        zIndex: 10,
      });
    case 'broken':
      return new Style({
        image: new RegularShape({ points: 4, radius: 11, radius2: 0, angle: Math.PI / 4, stroke: new Stroke({ color: '#212121', width: 4 }) }),
        zIndex: 9,
      });
    case 'burst':
      return new Style({
        image: new RegularShape({ points: 8, radius: 12, radius2: 5, fill: new Fill({ color: '#ffd600' }), stroke: new Stroke({ color: '#b71c1c', width: 2 }) }),
        zIndex: 11,
      });
    case 'accuracy':
      return new Style({
        fill: new Fill({ color: f.get('poor') ? 'rgba(229,57,53,0.12)' : 'rgba(30,136,229,0.14)' }),
        stroke: new Stroke({ color: f.get('poor') ? '#e53935' : '#1e88e5', width: 1.5 }),
      });
    case 'me':
      return new Style({
        image: new CircleStyle({ radius: 8, fill: new Fill({ color: '#1e88e5' }), stroke: new Stroke({ color: '#fff', width: 3 }) }),
        zIndex: 12,
      });
    default:
      return new Style();
  }
};

const offlineStyles: Record<AreaLayer, typeof pipeStyle> = {
  districts: districtStyle,
  cells: cellStyle,
  roads: roadStyle,
  compounds: compoundStyle,
  pipes: pipeStyle,
  valves: valveStyleFn,
  stations: stationStyle,
  heat_sources: heatSourceStyle,
};

function offlineLayers(area: OfflineArea): MapLayer[] {
  const fmt = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
  return AREA_LAYERS.map((id) => {
    const source = new VectorSource({ features: fmt.readFeatures(area.layers[id]) });
    const layer = new VectorLayer({ source, style: offlineStyles[id], declutter: id === 'stations' || id === 'roads' });
    layer.set('id', id);
    return { id, title: id, group: id === 'districts' || id === 'cells' || id === 'roads' ? 'basemap' : 'network', layer, minZoom: 0 } as MapLayer;
  });
}

async function mount(root: HTMLElement): Promise<() => void> {
  const cleanups: (() => void)[] = [];
  let online = true;
  let config: ClientConfig | undefined;
  try {
    config = await withTimeout(api.config(), 5000);
  } catch {
    online = false;
  }
  let area = await offlineStore.area().catch(() => undefined);
  if (!config) config = await offlineStore.config().catch(() => undefined);
  if (!config) {
    root.replaceChildren(h('div', { class: 'fatal', role: 'alert', 'data-testid': 'crew-no-data' }, h('h2', {}, '无网络，且没有离线数据'), h('p', {}, '请在有网络时打开“现场抢修”并下载所在网格或区域。')));
    return () => {};
  }

  let planner: OfflinePlanner | null = null;
  const ensurePlanner = async () => {
    if (planner) return planner;
    const topo = await offlineStore.topology();
    if (!topo) throw new Error('没有离线管网拓扑：请先下载区域');
    planner = new OfflinePlanner(topo);
    return planner;
  };

  // ── layout ────────────────────────────────────────────────────────────
  const mapEl = h('div', { class: 'crew-map', 'data-testid': 'crew-map' });
  const modeBadge = h('span', { class: `crew-mode ${online ? 'online' : 'offline'}`, 'data-testid': 'crew-mode', 'data-mode': online ? 'online' : 'offline' }, online ? '在线' : '离线');
  const accuracyEl = h('span', { 'data-testid': 'crew-accuracy' }, '定位中…');
  const warnEl = h('div', { class: 'crew-warning', 'data-testid': 'crew-accuracy-warning', hidden: true });
  const limitInput = h('input', { type: 'number', min: '1', max: '500', step: '1', value: localStorage.getItem(LIMIT_KEY) ?? '30', 'data-testid': 'crew-accuracy-limit', 'aria-label': '精度告警阈值（米）' });
  const wgsEl = h('div', { class: 'crew-coord', 'data-testid': 'crew-wgs84' }, 'WGS84：—');
  const gkEl = h('div', { class: 'crew-coord', 'data-testid': 'crew-cgcs2000' }, 'CGCS2000：—');
  const headingSlot = h('span', {});
  const nearestList = h('ol', { class: 'crew-nearest', 'data-testid': 'crew-nearest', 'data-state': 'waiting' });
  const planBox = h('section', { class: 'crew-plan', 'data-testid': 'crew-plan', 'data-state': 'none' }, h('p', { class: 'muted' }, '点选管段（列表或地图）生成关阀方案。'));
  const offlineStatus = h('div', { class: 'crew-offline-status', 'data-testid': 'crew-offline-status' });
  const downloadViewBtn = h('button', { type: 'button', 'data-testid': 'crew-download', disabled: !online }, '下载当前范围');
  const drawBtn = h('button', { type: 'button', 'data-testid': 'crew-draw', disabled: !online }, '画框下载');
  const cellBtn = h('button', { type: 'button', 'data-testid': 'crew-download-cell', disabled: !online }, '下载我的网格');

  const sheet = h(
    'div',
    { class: 'crew-sheet', 'data-testid': 'crew-panel' },
    h('div', { class: 'crew-row' }, modeBadge, h('span', { class: 'crew-acc' }, '精度 ', accuracyEl), h('label', { class: 'crew-limit' }, '告警 >', limitInput, '米')),
    warnEl,
    wgsEl,
    gkEl,
    h('h3', {}, '附近管段', headingSlot),
    nearestList,
    planBox,
    h('details', { class: 'crew-offline' }, h('summary', {}, '离线数据'), offlineStatus, h('div', { class: 'crew-buttons' }, cellBtn, downloadViewBtn, drawBtn)),
  );
  const page = h('div', { class: 'crew', 'data-testid': 'crew', 'data-mode': online ? 'online' : 'offline' }, mapEl, sheet);
  root.replaceChildren(page);

  // ── map ───────────────────────────────────────────────────────────────
  let layers: MapLayer[];
  if (online) {
    const catalog = await api.layers().catch(() => null);
    layers = buildLayers(config, catalog).layers;
  } else {
    layers = area ? offlineLayers(area) : [];
  }
  const overlay = new VectorSource();
  const position = new VectorSource();
  const map: OlMap = createMap(mapEl, config, [
    ...layers,
    { id: 'plan', title: '方案', group: 'network', layer: new VectorLayer({ source: overlay, style: overlayStyle, zIndex: 50 }), minZoom: 0 },
    { id: 'me', title: '我的位置', group: 'network', layer: new VectorLayer({ source: position, style: overlayStyle, zIndex: 60 }), minZoom: 0 },
  ]);
  cleanups.push(() => map.setTarget(undefined));
  if (!online && area) map.getView().fit(transformExtent(area.bbox, 'EPSG:4326', 'EPSG:3857'), { padding: [10, 10, 10, 10] });

  const renderOfflineStatus = () => {
    if (!area) {
      offlineStatus.textContent = '尚未下载离线数据。';
      offlineStatus.dataset.state = 'none';
      return;
    }
    const n = (id: AreaLayer) => area!.layers[id].features.length;
    offlineStatus.dataset.state = 'saved';
    offlineStatus.textContent = `已下载：${area.name}（${new Date(area.savedAt).toLocaleString('zh-CN')}）管段 ${n('pipes')}、阀门 ${n('valves')}、小区 ${n('compounds')}、换热站 ${n('stations')}${area.truncated.length ? `；部分图层不完整：${area.truncated.join('、')}` : ''}`;
  };
  renderOfflineStatus();
  // Online: say when the stored topology is older than the network on the server (pipes or valves changed since).
  if (online && area) {
    void Promise.all([offlineStore.topology(), getJson<{ version: number }>('/api/network/status')])
      .then(([topo, status]) => {
        if (topo && topo.version !== status.version) {
          offlineStatus.dataset.stale = 'true';
          offlineStatus.append(h('strong', { class: 'crew-error' }, ` 管网数据已更新（版本 ${topo.version} → ${status.version}），请重新下载。`));
        }
      })
      .catch(() => undefined);
  }

  // ── position ──────────────────────────────────────────────────────────
  let fix: Fix | null = null;
  let lastNearestAt: Fix | null = null;
  let centred = false;
  const limit = () => Math.max(1, Number(limitInput.value) || 30);
  limitInput.addEventListener('change', () => {
    localStorage.setItem(LIMIT_KEY, String(limit()));
    if (fix) showFix(fix);
  });

  function showFix(f: Fix) {
    const poor = f.accuracy > limit();
    accuracyEl.textContent = `±${zh.num1(f.accuracy)} 米`;
    accuracyEl.dataset.accuracy = String(f.accuracy);
    warnEl.hidden = !poor;
    warnEl.textContent = poor ? `定位精度 ±${Math.round(f.accuracy)} 米，差于 ${limit()} 米：距离和方向仅供参考，请到开阔处或核对现场标志。` : '';
    const [x, y] = gk(f.lon, f.lat);
    wgsEl.textContent = `WGS84：${f.lon.toFixed(6)}, ${f.lat.toFixed(6)}（${formatDms(f.lat, 'N', 'S')} ${formatDms(f.lon, 'E', 'W')}）`;
    gkEl.textContent = `CGCS2000 高斯-克吕格 3°带 114°E（EPSG:4547）：X ${y.toFixed(2)}  Y ${x.toFixed(2)}`;
    const me = new Feature({ geometry: new Point(fromLonLat([f.lon, f.lat])), role: 'me' });
    const circle = circular([f.lon, f.lat], Math.max(f.accuracy, 0.5), 64).transform('EPSG:4326', 'EPSG:3857');
    position.clear();
    position.addFeatures([new Feature({ geometry: circle, role: 'accuracy', poor }), me]);
  }

  const onFix = (p: GeolocationPosition) => {
    fix = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy };
    showFix(fix);
    if (!centred) {
      centred = true;
      map.getView().animate({ center: fromLonLat([fix.lon, fix.lat]), zoom: 18, duration: 0 });
    }
    if (!lastNearestAt || gkDistance(lastNearestAt.lon, lastNearestAt.lat, fix.lon, fix.lat) > 3) {
      lastNearestAt = fix;
      void refreshNearest(fix);
    }
  };
  const onFixError = (e: GeolocationPositionError) => {
    // A lost fix (tunnel, stairwell) keeps the last position and list on screen; only say the fix is stale.
    if (fix && e.code !== e.PERMISSION_DENIED) {
      accuracyEl.textContent = `±${zh.num1(fix.accuracy)} 米（信号暂失）`;
      return;
    }
    accuracyEl.textContent = e.code === e.PERMISSION_DENIED ? '未授权定位' : '无法定位';
    nearestList.dataset.state = 'error';
    nearestList.replaceChildren(h('li', { class: 'muted' }, `定位失败：${e.message || e.code}。请允许浏览器使用位置信息。`));
  };
  if ('geolocation' in navigator) {
    const watch = navigator.geolocation.watchPosition(onFix, onFixError, { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
    cleanups.push(() => navigator.geolocation.clearWatch(watch));
  } else accuracyEl.textContent = '此设备不支持定位';

  // Phone compass (Android: deviceorientationabsolute; iOS: webkitCompassHeading). Without one, arrows are
  // relative to north, like the map.
  const headingNote = h('span', { class: 'crew-dir', 'data-testid': 'crew-heading' }, '箭头以正北为上');
  let lastTurn = 0;
  const onOrientation = (e: DeviceOrientationEvent) => {
    const ios = (e as DeviceOrientationEvent & { webkitCompassHeading?: number }).webkitCompassHeading;
    const h2 = typeof ios === 'number' ? ios : e.absolute && e.alpha !== null ? (360 - e.alpha) % 360 : null;
    if (h2 === null) return;
    heading = h2;
    headingNote.textContent = `箭头按手机朝向（${Math.round(h2)}°）`;
    const now = performance.now();
    if (now - lastTurn > 150) {
      lastTurn = now;
      turnArrows(nearestList);
    }
  };
  headingSlot.replaceWith(headingNote);
  window.addEventListener('deviceorientationabsolute', onOrientation as EventListener);
  window.addEventListener('deviceorientation', onOrientation as EventListener);
  cleanups.push(() => {
    window.removeEventListener('deviceorientationabsolute', onOrientation as EventListener);
    window.removeEventListener('deviceorientation', onOrientation as EventListener);
    heading = null;
  });

  // ── nearest pipes ─────────────────────────────────────────────────────
  let nearest: NearPipe[] = [];
  let nearestGen = 0;
  async function refreshNearest(f: Fix) {
    const gen = ++nearestGen;
    nearestList.dataset.state = 'loading';
    let list: NearPipe[];
    let source = 'online';
    try {
      if (!online) throw new Error('offline');
      const r = await getJson<{ pipes: NearPipe[] }>(`/api/network/nearest?lon=${f.lon}&lat=${f.lat}&k=5`);
      list = r.pipes.map((p) => ({ ...p, bearing_deg: p.bearing_deg ?? null }));
    } catch (e) {
      if (online && !isNetworkError(e)) {
        nearestList.dataset.state = 'error';
        nearestList.replaceChildren(h('li', {}, `查询失败：${(e as Error).message}`));
        return;
      }
      if (!area) {
        nearestList.dataset.state = 'error';
        nearestList.replaceChildren(h('li', {}, '离线且未下载本区域数据。'));
        return;
      }
      source = 'offline';
      list = nearestPipes(area.layers.pipes.features as never, f.lon, f.lat, 5);
    }
    if (gen !== nearestGen) return;
    nearest = list;
    nearestList.dataset.state = 'ready';
    nearestList.dataset.source = source;
    nearestList.replaceChildren(
      ...list.map((p) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'crew-pipe', 'data-testid': `crew-pipe-${p.id}`, 'data-pipe': p.id, onclick: () => void isolate(p.id, p.closest) },
            arrow(p.bearing_deg),
            h('span', { class: 'crew-dist' }, `${zh.num1(p.distance_m)} 米`),
            h('span', { class: 'crew-dir' }, p.bearing_deg === null ? '脚下' : `${compass(p.bearing_deg)} ${Math.round(p.bearing_deg)}°`),
            h('span', { class: 'crew-attrs' }, `${zh.pipeLevel(p.level)}${zh.pipeFlow(p.flow)} DN${p.dn} · 埋深 ${zh.num1(p.depth_m)} 米 · #${p.id}`),
          ),
        ),
      ),
    );
    const top = list[0];
    overlay.getFeatures().filter((x) => x.get('role') === 'nearest' || x.get('role') === 'toPipe').forEach((x) => overlay.removeFeature(x));
    if (top) {
      // A line from me to the closest point of the nearest pipe: which way to walk, on the map too.
      overlay.addFeature(new Feature({ geometry: new LineString([fromLonLat([f.lon, f.lat]), fromLonLat(top.closest)]), role: 'toPipe' }));
      const feat = area?.layers.pipes.features.find((x) => Number(x.properties.id) === top.id);
      if (feat?.geometry) overlay.addFeature(new Feature({ geometry: new LineString((feat.geometry.coordinates as number[][]).map((c) => fromLonLat(c))), role: 'nearest' }));
    }
  }

  // ── isolation plan ────────────────────────────────────────────────────
  let current: { pipe: number; burst: [number, number] } | null = null;
  const broken = new Set<number>();
  const valveAt = new Map<number, [number, number]>();
  let planGen = 0;

  async function isolate(pipe: number, burstNear: [number, number], keepBroken = false) {
    if (!keepBroken || current?.pipe !== pipe) broken.clear();
    current = { pipe, burst: burstNear };
    const gen = ++planGen;
    planBox.dataset.state = 'loading';
    planBox.replaceChildren(h('p', { class: 'muted' }, `正在计算管段 #${pipe} 的关阀方案…`));
    const inoperable = [...broken].sort((a, b) => a - b);
    let plan: PlanWithGeometry;
    let source = 'online';
    try {
      if (!online) throw new Error('offline');
      plan = await getJson<PlanWithGeometry>(
        `/api/network/isolate?pipe=${pipe}&lon=${burstNear[0]}&lat=${burstNear[1]}&geometry=true${inoperable.length ? `&inoperable=${inoperable.join(',')}` : ''}`,
      );
    } catch (e) {
      if (online && !isNetworkError(e)) {
        planBox.dataset.state = 'error';
        planBox.replaceChildren(h('p', { class: 'crew-error' }, `无法生成方案：${(e as Error).message}`));
        return;
      }
      try {
        const p = await ensurePlanner();
        // The burst is the point of the pipe nearest the tap, as the server projects it.
        const feat = area?.layers.pipes.features.find((x) => Number(x.properties.id) === pipe);
        const at = feat ? nearestPipes([feat] as never, burstNear[0], burstNear[1], 1)[0] : undefined;
        plan = p.plan(pipe, at?.closest ?? burstNear, inoperable, gkDistance, at?.along_m);
        source = 'offline';
      } catch (err) {
        planBox.dataset.state = 'error';
        planBox.replaceChildren(h('p', { class: 'crew-error' }, `无法生成离线方案：${(err as Error).message}`));
        return;
      }
    }
    if (gen !== planGen) return;
    showPlan(plan, source);
  }

  function linesFor(ids: number[]): number[][][] {
    if (!area) return [];
    const want = new Set(ids);
    return area.layers.pipes.features.filter((f) => want.has(Number(f.properties.id)) && f.geometry).map((f) => f.geometry!.coordinates as number[][]);
  }

  function showPlan(plan: PlanWithGeometry, source: string) {
    overlay.getFeatures().filter((x) => x.get('role') !== 'nearest' && x.get('role') !== 'toPipe').forEach((x) => overlay.removeFeature(x));
    const seg = plan.geometry?.segment ?? linesFor(plan.segment_pipes);
    const cut = plan.geometry?.cut_off ?? linesFor(plan.cut_off_pipes);
    const toMerc = (lines: number[][][]) => lines.map((l) => l.map((c) => fromLonLat(c)));
    if (cut.length) overlay.addFeature(new Feature({ geometry: new MultiLineString(toMerc(cut)), role: 'cutoff' }));
    if (seg.length) overlay.addFeature(new Feature({ geometry: new MultiLineString(toMerc(seg)), role: 'segment' }));
    overlay.addFeature(new Feature({ geometry: new Point(fromLonLat(plan.burst)), role: 'burst' }));
    for (const v of plan.valves_to_close) {
      valveAt.set(v.id, [v.lon, v.lat]);
      overlay.addFeature(new Feature({ geometry: new Point(fromLonLat([v.lon, v.lat])), role: 'valve', order: v.order, required: v.required, valve: v.id }));
    }
    // Valves marked broken stay on the map, crossed out.
    for (const id of plan.inoperable) {
      const at = valveAt.get(id);
      if (at) overlay.addFeature(new Feature({ geometry: new Point(fromLonLat(at)), role: 'broken', valve: id }));
    }
    // Show the whole job: the burst, the segment and every valve to close (cut-off pipes may span the district).
    const ext = createEmpty();
    for (const f of overlay.getFeatures()) if (f.get('role') === 'segment' || f.get('role') === 'valve' || f.get('role') === 'burst') extend(ext, f.getGeometry()!.getExtent());
    if (!isEmpty(ext)) map.getView().fit(buffer(ext, 15), { padding: [30, 30, 30, 30], maxZoom: 19, duration: 0 });

    const valves = plan.valves_to_close.map((v) =>
      h(
        'li',
        { 'data-testid': `crew-valve-${v.id}`, 'data-valve': v.id, class: v.required ? 'required' : '' },
        h('span', { class: 'crew-order' }, String(v.order)),
        h('span', { class: 'crew-valve-text' }, `阀门 #${v.id} · 距爆管 ${zh.num1(v.distance_m)} 米`, h('small', {}, v.required ? '必须关闭（另一侧仍有水源）' : '建议关闭（另一侧同时停热）')),
        h('button', { type: 'button', class: 'crew-broken', 'data-testid': `crew-broken-${v.id}`, onclick: () => markBroken(v.id) }, '损坏/无法关闭'),
      ),
    );
    planBox.dataset.state = 'ready';
    planBox.dataset.source = source;
    planBox.dataset.pipe = String(plan.pipe);
    planBox.replaceChildren(
      ...[
      h('h3', {}, `管段 #${plan.pipe} 关阀方案`, h('span', { class: `crew-source ${source}` }, source === 'online' ? '服务器' : '离线计算')),
      h(
        'p',
        { class: 'crew-summary' },
        '停热 ',
        h('strong', { 'data-testid': 'crew-households', 'data-households': plan.affected_households }, `${zh.int(plan.affected_households)} 户`),
        ` · ${plan.affected_compounds.length} 个小区 · 隔离管段 ${plan.segment_pipes.length} 条 · 连带停热管段 ${plan.cut_off_pipes.length} 条`,
      ),
      plan.inoperable.length
        ? h(
            'p',
            { class: 'crew-broken-list', 'data-testid': 'crew-inoperable' },
            `已标记损坏：${plan.inoperable.map((id) => `#${id}`).join('、')} `,
            h('button', { type: 'button', onclick: () => { broken.clear(); if (current) void isolate(current.pipe, current.burst, true); } }, '全部撤销'),
          )
        : null,
      h('h4', {}, `需关闭阀门（按距离排序，共 ${plan.valves_to_close.length} 个）`),
      valves.length ? h('ol', { class: 'crew-valves', 'data-testid': 'crew-valves' }, ...valves) : h('p', { class: 'crew-error' }, '没有可关闭的阀门：需在上游停运。'),
      plan.valves_already_closed.length ? h('p', { class: 'muted' }, `已处于关闭状态：${plan.valves_already_closed.map((id) => `#${id}`).join('、')}`) : null,
      h('h4', {}, '受影响小区'),
      h(
        'ul',
        { class: 'crew-compounds', 'data-testid': 'crew-compounds' },
        ...plan.affected_compounds.slice(0, 200).map((c) => h('li', { 'data-compound': c.id }, `${c.name}`, h('span', {}, `${zh.int(c.households)} 户`))),
        plan.affected_compounds.length > 200 ? h('li', { class: 'muted' }, `…另有 ${plan.affected_compounds.length - 200} 个小区`) : null,
      ),
      ].filter((x): x is NonNullable<typeof x> => x !== null),
    );
    planBox.scrollIntoView({ block: 'start' });
  }

  function markBroken(valve: number) {
    broken.add(valve);
    if (current) void isolate(current.pipe, current.burst, true);
  }

  // Tap a pipe on the map.
  map.on('singleclick', (evt) => {
    let hit: { id: number } | null = null;
    map.forEachFeatureAtPixel(
      evt.pixel,
      (f) => {
        const id = Number(f.get('id'));
        if (!Number.isFinite(id)) return false;
        hit = { id };
        return true;
      },
      { hitTolerance: 8, layerFilter: (l) => l.get('id') === 'pipes' },
    );
    const found = hit as { id: number } | null;
    if (found) void isolate(found.id, toLonLat(evt.coordinate) as [number, number]);
  });

  // ── downloads ─────────────────────────────────────────────────────────
  async function download(name: string, bbox: [number, number, number, number]) {
    const w = (bbox[2] - bbox[0]) * 111e3 * Math.cos(((bbox[1] + bbox[3]) / 2) * (Math.PI / 180));
    const hgt = (bbox[3] - bbox[1]) * 111e3;
    if (w * hgt > 36e6) {
      offlineStatus.dataset.state = 'error';
      offlineStatus.textContent = `范围太大（约 ${(w / 1000).toFixed(1)} × ${(hgt / 1000).toFixed(1)} 公里）：请缩小到 6 × 6 公里以内。`;
      return;
    }
    for (const b of [downloadViewBtn, drawBtn, cellBtn]) b.disabled = true;
    offlineStatus.dataset.state = 'downloading';
    try {
      area = await downloadArea(name, bbox, (t) => (offlineStatus.textContent = t));
      planner = null;
      renderOfflineStatus();
    } catch (e) {
      offlineStatus.dataset.state = 'error';
      offlineStatus.textContent = `下载失败：${(e as Error).message}`;
    } finally {
      for (const b of [downloadViewBtn, drawBtn, cellBtn]) b.disabled = !online;
    }
  }

  downloadViewBtn.addEventListener('click', () => {
    const ext = transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326') as [number, number, number, number];
    void download('当前范围', ext);
  });

  let draw: Draw | null = null;
  drawBtn.addEventListener('click', () => {
    if (draw) return;
    const src = new VectorSource();
    draw = new Draw({ source: src, type: 'Circle', geometryFunction: createBox() });
    map.addInteraction(draw);
    offlineStatus.textContent = '在地图上拖出一个矩形范围…';
    draw.on('drawend', (e) => {
      const ext = transformExtent(e.feature.getGeometry()!.getExtent(), 'EPSG:3857', 'EPSG:4326') as [number, number, number, number];
      map.removeInteraction(draw!);
      draw = null;
      void download('画定范围', ext);
    });
  });

  cellBtn.addEventListener('click', async () => {
    if (!fix) {
      offlineStatus.textContent = '尚未定位，无法确定所在网格。';
      return;
    }
    const d = 0.00001;
    try {
      const fc = await getJson<{ features: { properties: Record<string, unknown>; geometry: { coordinates: number[][][] | number[][][][] } }[] }>(
        `/api/layers/cells/features?bbox=${fix.lon - d},${fix.lat - d},${fix.lon + d},${fix.lat + d}&limit=5`,
      );
      const cell = fc.features[0];
      if (!cell) {
        offlineStatus.textContent = '所在位置没有网格（尚未划分）：改为下载周边 1.5 公里。';
        const r = 0.0135;
        await download('周边 1.5 公里', [fix.lon - r * 1.2, fix.lat - r, fix.lon + r * 1.2, fix.lat + r]);
        return;
      }
      const coords = JSON.stringify(cell.geometry.coordinates).match(/-?\d+\.?\d*/g)!.map(Number);
      const xs = coords.filter((_, i) => i % 2 === 0);
      const ys = coords.filter((_, i) => i % 2 === 1);
      await download(`网格 ${String(cell.properties.name ?? cell.properties.code ?? '')}`, [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
    } catch (e) {
      offlineStatus.textContent = `下载失败：${(e as Error).message}`;
    }
  });

  // Test and debugging hook.
  (window as unknown as { gridmapCrew?: unknown }).gridmapCrew = { map, online, nearest: () => nearest, isolate };
  mapEl.dataset.ready = 'true';

  return () => cleanups.forEach((c) => c());
}

export const crew: View = { title: '现场抢修', mount };
