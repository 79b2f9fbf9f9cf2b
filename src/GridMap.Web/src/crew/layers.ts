// The crew map's own layers: the isolation plan (segment, cut-off pipes, valves to close in order, broken valves,
// the burst), the nearest pipe and the way to it, my position with its accuracy circle; and, offline, the
// downloaded area's layers drawn with the shared styles.
import type { FeatureLike } from 'ol/Feature';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import { Circle as CircleStyle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style';
import type { MapLayer } from '../map/layers';
import { cellStyle, compoundStyle, districtStyle, heatSourceStyle, pipeStyle, roadStyle, stationStyle, valveStyleFn } from '../map/styles';
import { AREA_LAYER_NAMES, AREA_LAYERS, type AreaLayer, type OfflineArea } from './offline';

/** Style of the plan and position features, by their `role` property. */
export const overlayStyle = (f: FeatureLike): Style | Style[] => {
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
    case 'proposed': // a pipe record under review: the line (or valve) it proposes, and where it was recorded from
      return new Style({
        stroke: new Stroke({ color: '#00897b', width: 4, lineDash: [10, 6] }),
        image: new CircleStyle({ radius: 7, fill: new Fill({ color: '#00897b' }), stroke: new Stroke({ color: '#fff', width: 2 }) }),
        zIndex: 8,
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

/** The downloaded area as map layers (offline, nothing to fetch). */
export function offlineLayers(area: OfflineArea): MapLayer[] {
  const fmt = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
  return AREA_LAYERS.map((id) => {
    const source = new VectorSource({ features: fmt.readFeatures(area.layers[id]) });
    const layer = new VectorLayer({ source, style: offlineStyles[id], declutter: id === 'stations' || id === 'roads' });
    layer.set('id', id);
    return { id, title: AREA_LAYER_NAMES[id], group: id === 'districts' || id === 'cells' || id === 'roads' ? 'basemap' : 'network', layer, minZoom: 0 } as MapLayer;
  });
}

/** The plan overlay and my position, above everything else. */
export function overlayLayers(overlay: VectorSource, position: VectorSource): MapLayer[] {
  return [
    { id: 'plan', title: '方案', group: 'network', layer: new VectorLayer({ source: overlay, style: overlayStyle, zIndex: 50 }), minZoom: 0 },
    { id: 'me', title: '我的位置', group: 'network', layer: new VectorLayer({ source: position, style: overlayStyle, zIndex: 60 }), minZoom: 0 },
  ];
}
