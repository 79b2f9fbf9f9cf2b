// The planner's own layers over the shared basemap: the selected area, the plan's cells (one colour each, labelled
// with households, deviation and staff), its compounds (click to move), allowed arterial-road crossings and the
// shared edge being redrawn.
import type Map from 'ol/Map';
import Feature, { type FeatureLike } from 'ol/Feature';
import { MultiPolygon, Point, Polygon } from 'ol/geom';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import { Fill, Stroke, Style, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import { font } from '../map/styles';
import type { GeoGeometry, GeoJsonCollection, Plan } from '../api/types';
import { cellColour, int, pct, shortCode } from './format';
import type { PlannerState } from './state';

export const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

/** A lon/lat GeoJSON geometry as a map feature. */
export const featureOf = (geometry: GeoGeometry, properties: Record<string, unknown> = {}): Feature =>
  geojson.readFeature({ type: 'Feature', geometry, properties }) as Feature;

/** Basemap layers the planner hides (they would clutter the plan); the switcher is not shown here. */
export const HIDDEN_BASE_LAYERS = ['pipes', 'valves', 'stations', 'heat_sources', 'staff', 'branches', 'cells'];

/** Rough width in pixels of a label line at 12 px (CJK glyphs ≈ 12 px, digits and Latin ≈ 7 px): enough to decide
 * whether a label fits inside its cell. */
const textWidth = (s: string): number => [...s].reduce((w, ch) => w + (/[\u2e80-\uffff]/.test(ch) ? 12.5 : 7), 0);

/** Where a cell's label goes: inside its largest piece (a multi-part cell gets one label, not one per part). */
function labelPoint(f: FeatureLike): Point | undefined {
  const cached = (f as Feature).get?.('_labelPoint') as Point | undefined;
  if (cached) return cached;
  const g = f.getGeometry();
  let point: Point | undefined;
  if (g instanceof Polygon) point = g.getInteriorPoint();
  else if (g instanceof MultiPolygon) {
    const parts = g.getPolygons();
    const largest = parts.reduce((a, b) => (b.getArea() > a.getArea() ? b : a), parts[0]);
    point = largest?.getInteriorPoint();
  }
  if (point && f instanceof Feature) f.set('_labelPoint', point, true);
  return point;
}

/** The lines a cell's label can hold at this resolution: all (code, households and deviation, staff), fewer as the cell
 * shrinks on screen, none when even its code would not fit. Labels that would still collide are left out (declutter). */
export function labelLines(p: Record<string, unknown>, widthPx: number, heightPx: number): string[] {
  const tag = p.oversize ? '【超大】' : p.undersize ? '【不足额】' : '';
  const all = [shortCode(String(p.code)), `${tag}${int(Number(p.households))}户 ${pct(Number(p.deviation))}`, `${p.staffName ?? '未分配网格员'}${p.locked ? ' 🔒' : ''}`];
  for (let n = all.length; n >= 1; n--) {
    const lines = all.slice(0, n);
    if (Math.max(...lines.map(textWidth)) + 8 <= widthPx && lines.length * 15 + 4 <= heightPx) return lines;
  }
  return [];
}

const cellStyle: StyleFunction = (f, resolution) => {
  const p = f.getProperties();
  const bad = p.withinBounds === false || p.contiguous === false;
  // Oversize / undersize cells are unavoidable with whole compounds: shown in their own colour, not as errors.
  const odd = !bad && (p.oversize === true || p.undersize === true);
  const area = new Style({
    fill: new Fill({ color: cellColour(p.idx, 0.42) }),
    stroke: new Stroke({
      color: bad ? '#c62828' : odd ? (p.oversize ? '#6a1b9a' : '#00838f') : '#263238',
      width: bad || odd ? 2.5 : 1.6,
      lineDash: bad ? [8, 5] : odd ? [2, 4] : undefined,
    }),
  });
  const e = f.getGeometry()?.getExtent();
  // About two thirds of the bounding box is inside a typical cell: the label must fit that, not the box.
  const lines = e ? labelLines(p, ((e[2] - e[0]) / resolution) * 0.7, ((e[3] - e[1]) / resolution) * 0.7) : [];
  if (lines.length === 0) return area;
  const label = new Style({
    geometry: labelPoint,
    text: new Text({
      text: lines.join('\n'),
      font: font(12, 600),
      fill: new Fill({ color: '#111' }),
      stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 3 }),
      overflow: false,
    }),
  });
  return [area, label];
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
  const cellsLayer = new VectorLayer({ source: cellsSource, style: cellStyle, declutter: true });
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
