// The shared map page every view starts from: the map, its layers, legend with counts, layer
// switcher, details on click, hover tooltip, and the deterministic "ready" hook for browser tests.
import type Map from 'ol/Map';
import Overlay from 'ol/Overlay';
import type { Pixel } from 'ol/pixel';
import type { FeatureLike } from 'ol/Feature';
import type VectorTile from 'ol/VectorTile';
import { toLonLat, transformExtent } from 'ol/proj';
import type { Extent } from 'ol/extent';
import { mapApi } from '../api/mapApi';
import { humanMessage, isAbort } from '../api/problem';
import type { ClientConfig, LayerInfo } from '../api/types';
import { zh } from '../labels';
import { buildLayers, type LayerSet } from './layers';
import { createMap } from './createMap';
import { hiddenPipeLevels, hiddenStatuses, selection } from './styles';
import { createLegend, type Legend } from '../ui/legend';
import { createLayerSwitcher } from '../ui/layerSwitcher';
import {
  compoundFields,
  createDetailsPanel,
  heatSourceFields,
  kindLabel,
  pipeFields,
  pipeTitle,
  staffFields,
  stationFields,
  valveFields,
  type DetailsPanel,
} from '../ui/details';
import { h, isNarrow } from '../ui/dom';

export interface GridMapHook {
  map: Map;
  ready: Promise<void>;
  view: string;
  /** Compound features in the vector tiles loaded so far (not unique: a compound can straddle tiles). */
  compoundFeaturesLoaded: number;
}

declare global {
  interface Window {
    gridmap?: GridMapHook;
  }
}

export interface MapPage {
  map: Map;
  layers: LayerSet;
  legend: Legend;
  details: DetailsPanel;
  /** The demo city's extent from /api/config, in EPSG:3857. */
  cityExtent: Extent;
  /** The left-hand panel column, for views that add their own panels above the legend. */
  sideColumn: HTMLElement;
  ready: Promise<void>;
  /** Reloads legend counts, city-wide or for one district code. */
  loadStats(district?: string): Promise<void>;
  dispose(): void;
}

/** Clickable layers, most specific first: a valve on a pipe inside a compound opens the valve. */
const PICK_ORDER = ['valves', 'stations', 'heat_sources', 'staff', 'pipes', 'compounds'];

export interface MapPageOptions {
  /** Layer ids to start hidden (still listed in the layer switcher). */
  hiddenLayers?: string[];
}

export async function createMapPage(root: HTMLElement, viewName: string, options: MapPageOptions = {}): Promise<MapPage> {
  const [config, catalog] = await Promise.all([
    mapApi.config(),
    mapApi.layers().catch((): LayerInfo[] | null => null),
  ]);
  return buildPage(root, viewName, viewFromHash(config), catalog, options);
}

function buildPage(root: HTMLElement, viewName: string, config: ClientConfig, catalog: LayerInfo[] | null, options: MapPageOptions): MapPage {
  const mapEl = h('div', { class: 'map', id: 'map', 'data-testid': 'map', 'data-ready': 'false', role: 'application', 'aria-label': '郑州供热串改并地图' });
  const sideColumn = h('div', { class: 'side left' });
  const rightColumn = h('div', { class: 'side right' });
  const banner = h('div', { class: 'banner', role: 'status', hidden: true });
  const status = h('div', { class: 'map-status', 'data-testid': 'map-status' });
  root.replaceChildren(mapEl, sideColumn, rightColumn, banner, status);

  const layers = buildLayers(config, catalog);
  for (const id of options.hiddenLayers ?? []) layers.byId.get(id)?.layer.setVisible(false);
  const map = createMap(mapEl, config, layers.layers);

  const legend = createLegend((code, visible) => {
    if (visible) hiddenStatuses.delete(code);
    else hiddenStatuses.add(code);
    layers.byId.get('compounds')?.layer.changed();
  }, (level, visible) => {
    if (visible) hiddenPipeLevels.delete(level);
    else hiddenPipeLevels.add(level);
    layers.byId.get('pipes')?.layer.changed();
  });
  sideColumn.append(legend.element);
  const details = createDetailsPanel();
  rightColumn.append(createLayerSwitcher(map, layers.layers), details.element);

  const showBanner = (text: string) => {
    banner.textContent = text;
    banner.hidden = false;
  };

  // ── ready hook: resolves once compound tiles with features have loaded and the map has rendered them.
  const hook: GridMapHook = { map, ready: Promise.resolve(), view: viewName, compoundFeaturesLoaded: 0 };
  let tileErrors = 0;
  hook.ready = new Promise<void>((resolve) => {
    layers.compoundsSource.on('tileloadend', (e) => {
      hook.compoundFeaturesLoaded += (e.tile as VectorTile<FeatureLike>).getFeatures()?.length ?? 0;
    });
    layers.compoundsSource.on('tileloaderror', () => {
      tileErrors++;
      showBanner(`小区瓦片加载失败（${tileErrors} 个），请检查服务器或稍后重试。`);
    });
    map.on('rendercomplete', () => {
      if (hook.compoundFeaturesLoaded > 0 && mapEl.dataset.ready !== 'true') {
        mapEl.dataset.ready = 'true';
        resolve();
      }
    });
  });
  window.gridmap = hook;

  // ── details on click
  let pending: AbortController | null = null;
  const compoundsLayer = layers.byId.get('compounds')?.layer;
  const pipesLayer = layers.byId.get('pipes')?.layer;
  const clearSelection = () => {
    selection.compoundId = null;
    selection.pipeId = null;
    compoundsLayer?.changed();
    pipesLayer?.changed();
  };
  details.onClose(() => {
    pending?.abort();
    clearSelection();
  });

  const pick = (pixel: Pixel): { layer: string; feature: FeatureLike } | null => {
    const hits = new globalThis.Map<string, FeatureLike>();
    map.forEachFeatureAtPixel(
      pixel,
      (feature, layer) => {
        const id = layer?.get('id') as string;
        // z10–12 compound tiles are points grouped by status, without ids: nothing to open (a click zooms in, below).
        if (feature.get('id') === undefined && id === 'compounds') return;
        if (!hits.has(id)) hits.set(id, feature);
      },
      { hitTolerance: 5, layerFilter: (l) => PICK_ORDER.includes(l.get('id')) },
    );
    for (const id of PICK_ORDER) {
      const f = hits.get(id);
      if (f) return { layer: id, feature: f };
    }
    return null;
  };

  const select = async (layer: string, feature: FeatureLike) => {
    pending?.abort();
    pending = new AbortController();
    const signal = pending.signal;
    const props = feature.getProperties();
    clearSelection();
    try {
      switch (layer) {
        case 'compounds': {
          selection.compoundId = Number(props.id);
          compoundsLayer?.changed();
          details.loading(kindLabel.compound);
          const c = await mapApi.compound(Number(props.id), signal);
          details.show(kindLabel.compound, c.name, compoundFields(c));
          details.campaign(c.id, signal);
          details.history('compound', String(c.id), signal);
          break;
        }
        case 'pipes': {
          selection.pipeId = Number(props.id);
          pipesLayer?.changed();
          details.loading(kindLabel.pipe);
          const p = await mapApi.pipe(Number(props.id), signal);
          details.show(kindLabel.pipe, pipeTitle(p), pipeFields(p));
          break;
        }
        case 'stations':
          details.show(kindLabel.station, String(props.name ?? '换热站'), stationFields(props));
          break;
        case 'heat_sources':
          details.show(kindLabel.heatSource, String(props.name ?? '热源'), heatSourceFields(props));
          break;
        case 'valves':
          details.show(kindLabel.valve, `阀门 #${props.id}`, valveFields(props));
          details.history('valve', String(props.id), signal);
          break;
        case 'staff':
          details.show(kindLabel.staff, String(props.name ?? '网格员'), staffFields(props));
          break;
      }
    } catch (e) {
      if (isAbort(e)) return;
      details.error(kindLabel[layer === 'pipes' ? 'pipe' : 'compound'], humanMessage(e));
    }
  };

  map.on('singleclick', (evt) => {
    // On a phone the open panels cover most of the map: a tap on the map means "show me the map".
    if (isNarrow()) root.querySelectorAll<HTMLDetailsElement>('details.panel[open]').forEach((d) => (d.open = false));
    const hit = pick(evt.pixel);
    if (!hit) {
      // Below z13 compounds are drawn as grouped points without ids: a click on them zooms in to where each one opens.
      const grouped = map.forEachFeatureAtPixel(evt.pixel, (f) => (f.get('id') === undefined ? true : undefined), {
        hitTolerance: 5,
        layerFilter: (l) => l.get('id') === 'compounds',
      });
      if (grouped) map.getView().animate({ center: evt.coordinate, zoom: Math.max(14, (map.getView().getZoom() ?? 12) + 2), duration: 300 });
      return;
    }
    void select(hit.layer, hit.feature);
    if (isNarrow()) {
      // The details sheet covers the lower half of a phone screen: bring what was tapped above it.
      const view = map.getView();
      const size = map.getSize();
      const res = view.getResolution();
      if (size && res && evt.pixel[1] > size[1] * 0.35) {
        const [x, y] = evt.coordinate;
        view.animate({ center: [x, y - size[1] * 0.25 * res], duration: 250 });
      }
    }
  });

  // ── hover tooltip (mouse only: on touch the click opens details directly)
  const tip = h('div', { class: 'tooltip', role: 'tooltip' });
  const tipOverlay = new Overlay({ element: tip, offset: [12, 12], positioning: 'top-left', stopEvent: false });
  map.addOverlay(tipOverlay);
  let frame = 0;
  map.on('pointermove', (evt) => {
    if (evt.dragging || (evt.originalEvent as PointerEvent).pointerType === 'touch') return;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const hit = pick(evt.pixel);
      mapEl.style.cursor = hit ? 'pointer' : '';
      if (!hit) {
        tipOverlay.setPosition(undefined);
        return;
      }
      tip.textContent = tooltipText(hit.layer, hit.feature.getProperties());
      tipOverlay.setPosition(evt.coordinate);
    });
  });
  mapEl.addEventListener('pointerleave', () => tipOverlay.setPosition(undefined));

  // ── zoom / coordinate readout
  const updateStatus = () => {
    const v = map.getView();
    const c = v.getCenter();
    const ll = c ? toLonLat(c) : [0, 0];
    status.textContent = `缩放 ${zh.num1(v.getZoom() ?? 0)} 级 · 中心 ${ll[0].toFixed(4)}°E, ${ll[1].toFixed(4)}°N`;
  };
  map.on('moveend', updateStatus);
  updateStatus();
  // Keep the view in the address (#/path?c=lon,lat,zoom) so a reload or a shared link opens the same place.
  map.on('moveend', () => {
    const v = map.getView();
    const c = v.getCenter();
    if (!c) return;
    const [lon, lat] = toLonLat(c);
    const path = location.hash.replace(/^#/, '').split('?')[0] || '/';
    history.replaceState(null, '', `#${path}?c=${lon.toFixed(5)},${lat.toFixed(5)},${(v.getZoom() ?? 0).toFixed(2)}`);
  });

  const loadStats = async (district?: string) => {
    try {
      legend.setStats(await mapApi.retrofitStats(district));
    } catch (e) {
      legend.setError(humanMessage(e));
    }
  };

  return {
    map,
    layers,
    legend,
    details,
    sideColumn,
    cityExtent: transformExtent(config.extent, 'EPSG:4326', 'EPSG:3857'),
    ready: hook.ready,
    loadStats,
    dispose() {
      pending?.abort();
      map.setTarget(undefined);
      hiddenStatuses.clear();
      hiddenPipeLevels.clear();
      clearSelection();
      if (window.gridmap === hook) delete window.gridmap;
    },
  };
}

function tooltipText(layer: string, p: Record<string, unknown>): string {
  switch (layer) {
    case 'compounds':
      // Households from z13, the name from z15 (the tile attributes: tiles/catalog.json).
      return `${p.name ?? '小区'} · ${zh.status(p.retrofit_status as string)}${p.households !== undefined ? ` · ${zh.int(Number(p.households))} 户` : ''}${p.dispute === true || p.dispute === 'true' ? ' · 存在纠纷' : ''}`;
    case 'pipes':
      return `${zh.pipeLevel(p.level as string)}${zh.pipeFlow(p.flow as string)} DN${p.dn}`;
    case 'stations':
      return `换热站 ${p.name ?? ''}`;
    case 'heat_sources':
      return `热源 ${p.name ?? ''}`;
    case 'valves':
      return `阀门 ${zh.valveState(p.state as string)}${p.operable === false || p.operable === 'false' ? '（无法操作）' : ''}`;
    case 'staff':
      return `网格员 ${p.name ?? ''}`;
    default:
      return '';
  }
}

/** The initial view from #…?c=lon,lat,zoom when present and sane, else the server's. */
function viewFromHash(config: ClientConfig): ClientConfig {
  const m = /[?&]c=(-?[\d.]+),(-?[\d.]+),([\d.]+)/.exec(location.hash);
  if (!m) return config;
  const [lon, lat, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [minLon, minLat, maxLon, maxLat] = config.extent;
  const pad = 1;
  if (![lon, lat, zoom].every(Number.isFinite) || lon < minLon - pad || lon > maxLon + pad || lat < minLat - pad || lat > maxLat + pad) return config;
  return { ...config, center: [lon, lat], zoom: Math.min(20, Math.max(8, zoom)) };
}
