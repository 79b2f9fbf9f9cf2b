// The planner's own layers over the shared basemap: the selected area, the plan's cells (one colour each, labelled
// with households, deviation and staff), its compounds (click to move), allowed arterial-road crossings and the
// shared edge being redrawn.
import type Map from 'ol/Map';
import type Feature from 'ol/Feature';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import { Fill, Stroke, Style, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import { font } from '../map/styles';
import type { GeoGeometry, GeoJsonCollection, Plan } from '../api/types';
import { cellColour, int, pct } from './format';
import type { PlannerState } from './state';

export const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

/** A lon/lat GeoJSON geometry as a map feature. */
export const featureOf = (geometry: GeoGeometry, properties: Record<string, unknown> = {}): Feature =>
  geojson.readFeature({ type: 'Feature', geometry, properties }) as Feature;

/** Basemap layers the planner hides (they would clutter the plan); the switcher is not shown here. */
export const HIDDEN_BASE_LAYERS = ['pipes', 'valves', 'stations', 'heat_sources', 'staff', 'branches', 'cells'];

const cellStyle: StyleFunction = (f, resolution) => {
  const p = f.getProperties();
  const bad = p.withinBounds === false || p.contiguous === false;
  // Oversize / undersize cells are unavoidable with whole compounds: shown in their own colour, not as errors.
  const odd = !bad && (p.oversize === true || p.undersize === true);
  const tag = p.oversize ? '【超大】' : p.undersize ? '【不足额】' : '';
  const lines = [`${tag}${int(p.households)}户 ${pct(p.deviation)}`, `${p.staffName ?? '未分配网格员'}${p.locked ? ' 🔒' : ''}`];
  return new Style({
    fill: new Fill({ color: cellColour(p.idx, 0.42) }),
    stroke: new Stroke({
      color: bad ? '#c62828' : odd ? (p.oversize ? '#6a1b9a' : '#00838f') : '#263238',
      width: bad || odd ? 2.5 : 1.6,
      lineDash: bad ? [8, 5] : odd ? [2, 4] : undefined,
    }),
    text:
      resolution < 30
        ? new Text({
            text: lines.join('\n'),
            font: font(12, 600),
            fill: new Fill({ color: '#111' }),
            stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 3 }),
            overflow: resolution < 6,
          })
        : undefined,
  });
};

const crossingStyle: StyleFunction = (_f, resolution) =>
  new Style({
    stroke: new Stroke({ color: '#ef6c00', width: 4, lineDash: [2, 6], lineCap: 'round' }),
    text:
      resolution < 20
        ? new Text({ text: '跨主干道', font: font(11, 600), fill: new Fill({ color: '#e65100' }), stroke: new Stroke({ color: '#fff', width: 3 }), placement: 'line' })
        : undefined,
  });

export interface PlannerLayers {
  areaSource: VectorSource;
  cellsSource: VectorSource;
  compoundsSource: VectorSource;
  edgeSource: VectorSource;
  crossingSource: VectorSource;
  compoundsLayer: VectorLayer<VectorSource>;
}

/** Adds the planner's layers to the map; the compound style reads the selection from the state. */
export function addPlannerLayers(map: Map, state: PlannerState): PlannerLayers {
  const areaSource = new VectorSource();
  const cellsSource = new VectorSource();
  const compoundsSource = new VectorSource();
  const edgeSource = new VectorSource();
  const crossingSource = new VectorSource();
  const compoundStyle: StyleFunction = (f) => {
    const selected = f === state.selectedCompound;
    return new Style({
      fill: new Fill({ color: selected ? 'rgba(255,152,0,0.85)' : 'rgba(255,255,255,0.55)' }),
      stroke: new Stroke({ color: selected ? '#e65100' : '#37474f', width: selected ? 3 : 1 }),
    });
  };
  const areaLayer = new VectorLayer({
    source: areaSource,
    style: new Style({ stroke: new Stroke({ color: '#0d47a1', width: 3, lineDash: [10, 6] }), fill: new Fill({ color: 'rgba(13,71,161,0.06)' }) }),
  });
  const cellsLayer = new VectorLayer({ source: cellsSource, style: cellStyle, declutter: false });
  const compoundsLayer = new VectorLayer({ source: compoundsSource, style: compoundStyle });
  const edgeLayer = new VectorLayer({
    source: edgeSource,
    style: new Style({ stroke: new Stroke({ color: '#1565c0', width: 5, lineDash: [6, 4] }) }),
  });
  const crossingLayer = new VectorLayer({ source: crossingSource, style: crossingStyle });
  for (const l of [areaLayer, cellsLayer, compoundsLayer, crossingLayer, edgeLayer]) map.addLayer(l);
  return { areaSource, cellsSource, compoundsSource, edgeSource, crossingSource, compoundsLayer };
}

/** Replaces the drawn plan: cells, road crossings and compounds (keeping the selected compound selected). */
export function drawPlan(layers: PlannerLayers, state: PlannerState, plan: Plan, cells: GeoJsonCollection, compounds: GeoJsonCollection): void {
  layers.cellsSource.clear();
  layers.cellsSource.addFeatures(geojson.readFeatures(cells) as Feature[]);
  layers.crossingSource.clear();
  for (const x of plan.barrierCrossings ?? []) layers.crossingSource.addFeature(featureOf(x.line, { a: x.a, b: x.b, name: `${x.aName} — ${x.bName}` }));
  const selectedId = state.selectedCompound?.getId();
  layers.compoundsSource.clear();
  layers.compoundsSource.addFeatures(geojson.readFeatures(compounds) as Feature[]);
  state.selectedCompound = selectedId !== undefined ? (layers.compoundsSource.getFeatureById(selectedId) as Feature | null) : null;
}
