// One OpenLayers map in EPSG:3857 centred from /api/config, with the controls every view shares.
import Map from 'ol/Map';
import View from 'ol/View';
import { fromLonLat, transformExtent } from 'ol/proj';
import { defaults as defaultControls, ScaleLine, Zoom, ZoomToExtent } from 'ol/control';
import type { ClientConfig } from '../api/types';
import type { MapLayer } from './layers';

export function createMap(target: HTMLElement, config: ClientConfig, layers: MapLayer[]): Map {
  const extent3857 = transformExtent(config.extent, 'EPSG:4326', 'EPSG:3857');
  // Let the user pan a little beyond the demo city, but not lose it.
  const pad = Math.max(extent3857[2] - extent3857[0], extent3857[3] - extent3857[1]);
  const map = new Map({
    target,
    layers: layers.map((l) => l.layer),
    controls: defaultControls({ zoom: false, rotate: false, attribution: false }).extend([
      new Zoom({ zoomInTipLabel: '放大', zoomOutTipLabel: '缩小' }),
      new ZoomToExtent({ extent: extent3857, label: '⌂', tipLabel: '全市范围' }),
      new ScaleLine({ units: 'metric', bar: false, minWidth: 80 }),
    ]),
    view: new View({
      projection: 'EPSG:3857',
      center: fromLonLat(config.center),
      zoom: config.zoom,
      minZoom: 8,
      maxZoom: 20,
      extent: [extent3857[0] - pad, extent3857[1] - pad, extent3857[2] + pad, extent3857[3] + pad],
      constrainOnlyCenter: true,
    }),
  });
  return map;
}
