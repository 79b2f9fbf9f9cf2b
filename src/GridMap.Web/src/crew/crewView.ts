// 现场抢修 — the crew view, built for a phone: where am I (GPS with its accuracy), which pipes run near me (how
// far, which way, DN, depth, level), and for a burst which valves to close in which order, who loses heat, and a
// new plan at once when a valve turns out broken. Works offline over a downloaded area (see offline.ts).
//
// This file composes the view: state.ts, panels/sheet.ts (the page), layers.ts (map styles), position.ts (GPS and
// compass), nearest.ts (nearest pipes), valvePlan.ts (isolation plans), fieldRecords.ts (valve records, queued offline),
// downloads.ts (offline data), crewApi.ts.
import './crew.css';
import type OlMap from 'ol/Map';
import VectorSource from 'ol/source/Vector';
import { toLonLat, transformExtent } from 'ol/proj';
import { mapApi } from '../api/mapApi';
import type { ClientConfig } from '../api/types';
import { createMap } from '../map/createMap';
import { buildLayers, type MapLayer } from '../map/layers';
import { h } from '../ui/dom';
import type { View } from '../views/view';
import type { CrewContext } from './context';
import { offlineDownloads } from './downloads';
import { fieldRecords } from './fieldRecords';
import { pipeRecords } from './pipeRecords';
import { reviewQueue } from './reviews';
import { offlineLayers, overlayLayers } from './layers';
import { nearestPipesList } from './nearest';
import { offlineStore } from './offline';
import { createSheet } from './panels/sheet';
import { watchPosition } from './position';
import { positionSearch } from './search';
import { crewApi } from './crewApi';
import { session } from '../api/session';
import { createState } from './state';
import { valvePlans } from './valvePlan';

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DOMException('timeout', 'TimeoutError')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function mount(root: HTMLElement): Promise<() => void> {
  const cleanups: (() => void)[] = [];
  let online = true;
  let config: ClientConfig | undefined;
  try {
    config = await withTimeout(mapApi.config(), 5000);
  } catch {
    online = false;
  }
  const area = await offlineStore.area().catch(() => undefined);
  if (!config) config = await offlineStore.config().catch(() => undefined);
  if (!config) {
    root.replaceChildren(h('div', { class: 'fatal', role: 'alert', 'data-testid': 'crew-no-data' }, h('h2', {}, '无网络，且没有离线数据'), h('p', {}, '请在有网络时打开“现场抢修”并下载所在网格或区域。')));
    return () => {};
  }
  const state = createState(online, config, area);
  const sheet = createSheet(online);
  root.replaceChildren(sheet.page);

  let layers: MapLayer[];
  if (online) {
    const catalog = await mapApi.layers().catch(() => null);
    layers = buildLayers(config, catalog).layers;
  } else {
    layers = area ? offlineLayers(area) : [];
  }
  const overlay = new VectorSource();
  const position = new VectorSource();
  const map: OlMap = createMap(sheet.mapEl, config, [...layers, ...overlayLayers(overlay, position)]);
  cleanups.push(() => map.setTarget(undefined));
  if (!online && area) map.getView().fit(transformExtent(area.bbox, 'EPSG:4326', 'EPSG:3857'), { padding: [10, 10, 10, 10] });

  const ctx: CrewContext = { map, state, sheet, overlay, position, onDispose: (c) => cleanups.push(c) };
  offlineDownloads(ctx);
  let isolate: ReturnType<typeof valvePlans> = async () => {};
  const replan = () => {
    if (state.current) void isolate(state.current.pipe, state.current.burst, true);
  };
  const records = fieldRecords(ctx, replan);
  sheet.planBox.before(records.statusEl);
  const pipeRecs = pipeRecords(ctx);
  sheet.planBox.before(pipeRecs.statusEl);
  // Supervisors (network.review) review pipe records here; an accepted one changes the network, so the plan is redone.
  const reviews = reviewQueue(ctx, (r) => {
    if (r.status === 'accepted') replan();
  });
  sheet.offlineBox.after(reviews.el);
  isolate = valvePlans(ctx, (valve, anchor) => records.open(valve, anchor), (pipe, anchor) => pipeRecs.open(pipe, anchor));
  if (online) void records.flush().then(() => pipeRecs.flush());
  const refreshNearest = nearestPipesList(ctx, (pipe, burst) => void isolate(pipe, burst), (pipe, anchor) => pipeRecs.open(pipe, anchor));
  const locator = watchPosition(ctx, (fix) => void refreshNearest(fix));
  positionSearch(ctx, locator);
  // Start at the crew's branch, not the whole city (until the first fix centres the map on the crew).
  if (online) void startAtBranch(map, () => state.fix !== null);

  // Tap a pipe on the map.
  map.on('singleclick', (evt) => {
    if (locator.consumeLongPressClick()) return; // the press set the position
    let hit: number | null = null;
    map.forEachFeatureAtPixel(
      evt.pixel,
      (f) => {
        const id = Number(f.get('id'));
        if (!Number.isFinite(id)) return false;
        hit = id;
        return true;
      },
      { hitTolerance: 8, layerFilter: (l) => l.get('id') === 'pipes' },
    );
    const found = hit as number | null; // assigned in the callback, which control flow analysis does not follow
    if (found !== null) void isolate(found, toLonLat(evt.coordinate) as [number, number]);
  });

  // Test and debugging hook.
  (window as unknown as { gridmapCrew?: unknown }).gridmapCrew = { map, online, nearest: () => state.nearest, isolate, flushRecords: records.flush, flushPipeRecords: pipeRecs.flush, refreshReviews: reviews.refresh, setPosition: locator.setManual };
  sheet.mapEl.dataset.ready = 'true';

  return () => cleanups.forEach((c) => c());
}

/** Fits the map to the signed-in user's branch (its area from the branches layer); nothing for company-wide users. */
async function startAtBranch(map: OlMap, located: () => boolean): Promise<void> {
  try {
    const me = await session.me();
    if (me.branchId === null || me.branchId === undefined) return;
    const fc = await crewApi.features('branches', '-180,-90,180,90', 100);
    const b = fc.features.find((f) => Number(f.properties.id) === me.branchId);
    if (!b?.geometry || located()) return;
    const nums = JSON.stringify(b.geometry.coordinates).match(/-?\d+\.?\d*/g)!.map(Number);
    const xs = nums.filter((_, i) => i % 2 === 0);
    const ys = nums.filter((_, i) => i % 2 === 1);
    map.getView().fit(transformExtent([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], 'EPSG:4326', 'EPSG:3857'), { padding: [10, 10, 10, 10] });
    map.getTargetElement()?.setAttribute('data-start', 'branch');
  } catch {
    // No branch layer or no answer: the city view stays.
  }
}

export const crew: View = { title: '现场抢修', mount };
