// The map layers every view shares: a basemap drawn from GridMap's own data (districts, branch
// service areas, arterial roads, grid cells), the campaign layer (compounds by retrofit status) and
// the heating network (pipes, stations, heat sources, valves). Zoom ranges come from the server's
// layer catalog (/api/layers, i.e. tiles/catalog.json) so client and tile server agree.
import type BaseLayer from 'ol/layer/Base';
import TileLayer from 'ol/layer/Tile';
import VectorLayer from 'ol/layer/Vector';
import VectorTileLayer from 'ol/layer/VectorTile';
import VectorSource from 'ol/source/Vector';
import VectorTileSource from 'ol/source/VectorTile';
import XYZ from 'ol/source/XYZ';
import GeoJSON from 'ol/format/GeoJSON';
import MVT from 'ol/format/MVT';
import type { StyleLike } from 'ol/style/Style';
import { featuresUrl } from '../api/client';
import { session } from '../api/session';
import type { ClientConfig, LayerInfo } from '../api/types';
import { palette } from '../palette';
import {
  branchStyle,
  cellStyle,
  compoundStyle,
  districtStyle,
  heatSourceStyle,
  pipeStyle,
  roadStyle,
  staffStyle,
  stationStyle,
  valveStyleFn,
} from './styles';

export type LayerGroup = 'basemap' | 'campaign' | 'network';

export interface MapLayer {
  id: string;
  /** zh name shown in the layer switcher. */
  title: string;
  group: LayerGroup;
  layer: BaseLayer;
  /** Lowest zoom at which the layer shows anything (for the switcher's hint). */
  minZoom: number;
}

/** Fallback titles and zooms when /api/layers is unreachable; the catalog wins when present. */
const defaults: Record<string, { title: string; minZoom: number }> = {
  districts: { title: '行政区', minZoom: 0 },
  branches: { title: '分公司服务区', minZoom: 0 },
  roads: { title: '主干道', minZoom: 9 },
  cells: { title: '网格', minZoom: 10 },
  compounds: { title: '小区', minZoom: 10 },
  pipes: { title: '供热管网', minZoom: 11 },
  stations: { title: '换热站', minZoom: 11 },
  heat_sources: { title: '热源', minZoom: 0 },
  valves: { title: '阀门', minZoom: 14 },
  staff: { title: '网格员', minZoom: 12 },
};

/** Finest tile zoom requested; deeper views overzoom these tiles (MVT extent 4096 ≈ 1 cm at z16). */
const TILE_MAX_ZOOM = 16;

export interface LayerSet {
  layers: MapLayer[];
  byId: Map<string, MapLayer>;
  compoundsSource: VectorTileSource;
}

export function vectorTileLayer(id: string, info: { minZoom: number; maxZoom: number }, style: StyleLike, declutter = false) {
  const source = new VectorTileSource({
    format: new MVT(),
    url: `/tiles/${id}/{z}/{x}/{y}.mvt`,
    minZoom: Math.min(info.minZoom, TILE_MAX_ZOOM),
    maxZoom: Math.min(info.maxZoom, TILE_MAX_ZOOM),
  });
  // Tiles carry the sign-in cookie (same origin); when they start failing (401 after the sign-in expired), ask once.
  source.on('tileloaderror', () => session.checkAfterFailure());
  const layer = new VectorTileLayer({
    source,
    style,
    declutter,
    // OpenLayers' minZoom is exclusive; the catalog's is inclusive.
    minZoom: info.minZoom - 0.001,
    renderMode: 'hybrid',
    updateWhileInteracting: false,
  });
  layer.set('id', id);
  return layer;
}

export function geoJsonLayer(id: string, style: StyleLike, declutter = false) {
  const source = new VectorSource({ url: featuresUrl(id), format: new GeoJSON() });
  source.on('featuresloaderror', () => session.checkAfterFailure());
  const layer = new VectorLayer({ source, style, declutter });
  layer.set('id', id);
  return layer;
}

/**
 * Zoom below which the palette draws nothing of a layer even though the catalog serves it (dense point
 * layers: 20,000 valves at z14 would bury the compounds). No tiles are requested below it.
 */
const drawnFrom: Record<string, number> = {
  valves: palette.valve.minZoom,
  stations: palette.station.minZoom ?? 0,
  staff: palette.staff.minZoom ?? 0,
  pipes: Math.min(...palette.pipeLevel.map((l) => l.minZoom)),
};

export function buildLayers(config: ClientConfig, catalog: LayerInfo[] | null): LayerSet {
  const info = (id: string) => {
    const c = catalog?.find((l) => l.id === id);
    const d = defaults[id];
    const minZoom = Math.max(c?.minZoom ?? d.minZoom, drawnFrom[id] ?? 0);
    return { title: c?.title ?? d.title, minZoom, maxZoom: c?.maxZoom ?? 22 };
  };
  const layers: MapLayer[] = [];
  const add = (id: string, group: LayerGroup, layer: BaseLayer, visible = true, title?: string) => {
    const i = info(id);
    layer.setVisible(visible);
    layers.push({ id, title: title ?? i.title, group, layer, minZoom: i.minZoom });
  };

  if (config.basemapUrl) {
    const xyz = new TileLayer({ source: new XYZ({ url: config.basemapUrl, crossOrigin: 'anonymous' }) });
    xyz.set('id', 'basemap');
    layers.push({ id: 'basemap', title: '在线底图', group: 'basemap', layer: xyz, minZoom: 0 });
  }
  const districts = geoJsonLayer('districts', districtStyle);
  // Over a raster basemap the district fill would hide it; keep outlines and names only.
  if (config.basemapUrl) districts.setOpacity(0.55);
  add('districts', 'basemap', districts);
  add('cells', 'basemap', vectorTileLayer('cells', info('cells'), cellStyle, true), false);
  add('roads', 'basemap', vectorTileLayer('roads', info('roads'), roadStyle, true));

  const compounds = vectorTileLayer('compounds', info('compounds'), compoundStyle);
  add('compounds', 'campaign', compounds);
  add('branches', 'basemap', geoJsonLayer('branches', branchStyle, true));

  add('pipes', 'network', vectorTileLayer('pipes', info('pipes'), pipeStyle));
  // Valves sit at station inlets: draw stations over them so the station stays recognisable.
  add('valves', 'network', vectorTileLayer('valves', info('valves'), valveStyleFn));
  add('stations', 'network', vectorTileLayer('stations', info('stations'), stationStyle, true));
  add('heat_sources', 'network', geoJsonLayer('heat_sources', heatSourceStyle, true));
  add('staff', 'campaign', vectorTileLayer('staff', info('staff'), staffStyle), false);

  return {
    layers,
    byId: new Map(layers.map((l) => [l.id, l])),
    compoundsSource: compounds.getSource() as VectorTileSource,
  };
}
