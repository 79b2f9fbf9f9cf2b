// #/cell/{code}: the overview map zoomed to one grid cell, outlined — where the QR code of a printed notice board
// (网格公示牌, GET /api/reports/noticeboard/{code}.pdf) leads. Not signed in: the sign-in page returns here afterwards.
// The cell's outline comes from the OGC API item of the `cells` layer (CRS84 GeoJSON).
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Fill, Stroke, Style, Text } from 'ol/style';
import { call, client } from '../api/client';
import { currentRoute } from '../api/signInRoute';
import { createMapPage } from '../map/mapPage';
import type { View } from './view';

/** The cell code of the current route (#/cell/410105001001001 → "410105001001001"). */
export const cellCodeOfRoute = (): string => decodeURIComponent(currentRoute().split('?')[0].replace(/^\/cell\//, ''));

export const cell: View = {
  title: '网格',
  async mount(root) {
    const code = cellCodeOfRoute();
    const page = await createMapPage(root, 'overview');
    void page.loadStats();
    const feature = await call(
      'OgcItem',
      client.GET('/ogc/collections/{collectionId}/items/{featureId}', { params: { path: { collectionId: 'cells', featureId: code } } }),
    );
    const outline = new GeoJSON().readFeature(feature as object, { featureProjection: page.map.getView().getProjection() });
    const features = Array.isArray(outline) ? outline : [outline];
    const name = String(features[0]?.get('name') ?? code);
    const layer = new VectorLayer({
      source: new VectorSource({ features }),
      zIndex: 100,
      properties: { id: 'cell-highlight' },
      style: new Style({
        stroke: new Stroke({ color: '#c62828', width: 3 }),
        fill: new Fill({ color: 'rgba(198, 40, 40, 0.08)' }),
        text: new Text({ text: `网格 ${name}`, font: 'bold 14px sans-serif', fill: new Fill({ color: '#c62828' }), stroke: new Stroke({ color: '#fff', width: 3 }), overflow: true }),
      }),
    });
    page.map.addLayer(layer);
    const extent = features[0]?.getGeometry()?.getExtent();
    if (extent) page.map.getView().fit(extent, { padding: [60, 60, 60, 60], maxZoom: 17, duration: 0 });
    root.dataset.cell = code;
    return () => page.dispose();
  },
};
