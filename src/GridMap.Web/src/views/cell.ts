// #/cell/{code}: the overview map zoomed to one grid cell, outlined — where the QR code of a printed notice board
// (网格公示牌, GET /api/reports/noticeboard/{code}.pdf) leads. Not signed in: the sign-in page returns here afterwards.
// The cell's outline comes from the OGC API item of the `cells` layer (CRS84 GeoJSON).
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Fill, Stroke, Style, Text } from 'ol/style';
import { call, client } from '../api/client';
import { ApiError, humanMessage } from '../api/problem';
import { currentRoute } from '../api/signInRoute';
import { createMapPage } from '../map/mapPage';
import { h, panel } from '../ui/dom';
import type { View } from './view';

/** The cell code of the current route (#/cell/410105001001001 → "410105001001001"). */
export const cellCodeOfRoute = (): string => decodeURIComponent(currentRoute().split('?')[0].replace(/^\/cell\//, ''));

export const cell: View = {
  title: '网格',
  async mount(root) {
    const code = cellCodeOfRoute();
    const page = await createMapPage(root, 'overview');
    void page.loadStats();
    // The cell's card above the legend: code, name, the responsible grid worker, its compounds and households — or, for
    // a code no cell has (a mistyped address, a cell removed by a later plan), a clear message instead of a failed page.
    const card = h('div', { 'data-testid': 'cell-card' }, '正在查找网格…');
    page.sideColumn.prepend(panel('网格公示', 'cell-panel', 'cell-panel', card));
    let feature: unknown;
    try {
      feature = await call(
        'OgcItem',
        client.GET('/ogc/collections/{collectionId}/items/{featureId}', { params: { path: { collectionId: 'cells', featureId: code } } }),
      );
    } catch (e) {
      if (e instanceof ApiError && e.isUnauthenticated) throw e;
      const notFound = e instanceof ApiError && e.status === 404;
      card.replaceChildren(
        h(
          'div',
          { class: 'cell-missing', role: 'alert', 'data-testid': 'cell-not-found' },
          h('strong', {}, notFound ? `未找到网格 ${code}` : `无法加载网格 ${code}`),
          h('p', {}, notFound ? '该网格编号不存在或已被新的规划替换。请核对公示牌上的网格编号，或联系所属分公司。' : humanMessage(e)),
        ),
      );
      root.dataset.cell = '';
      return () => page.dispose();
    }
    const outline = new GeoJSON().readFeature(feature as object, { featureProjection: page.map.getView().getProjection() });
    const features = Array.isArray(outline) ? outline : [outline];
    const props = features[0]?.getProperties() ?? {};
    const name = String(props.name ?? code);
    const staff = props.staff_name ? String(props.staff_name) : '未指定';
    const count = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('zh-CN') : '—');
    card.replaceChildren(
      h(
        'dl',
        { class: 'cell-facts' },
        h('dt', {}, '网格编号'),
        h('dd', { 'data-testid': 'cell-code' }, code),
        h('dt', {}, '网格名称'),
        h('dd', { 'data-testid': 'cell-name' }, name),
        h('dt', {}, '网格员'),
        h('dd', { 'data-testid': 'cell-staff' }, staff),
        h('dt', {}, '小区数'),
        h('dd', { 'data-testid': 'cell-compounds' }, count(props.compounds)),
        h('dt', {}, '户数'),
        h('dd', { 'data-testid': 'cell-households' }, count(props.households)),
      ),
    );
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
