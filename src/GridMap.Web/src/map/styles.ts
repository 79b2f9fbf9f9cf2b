// OpenLayers style functions built from the shared palette. Styles are cached by key: vector tiles
// call these once per feature per frame, and allocating a Style each time makes panning stutter.
import type { FeatureLike } from 'ol/Feature';
import { Circle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import { MultiPolygon, Point, Polygon } from 'ol/geom';
import type Geometry from 'ol/geom/Geometry';
import RenderFeature from 'ol/render/Feature';
import {
  palette,
  pipeFlowStyle,
  pipeLevelStyle,
  pipeWidth,
  statusStyle,
  valveCategory,
  valveStyle,
  type PointSymbol,
} from '../palette';

/** Web Mercator zoom level for a view resolution (m/px). */
export function zoomOf(resolution: number): number {
  return Math.log2(156543.03392804097 / resolution);
}

export function withAlpha(hex: string, alpha: number): string {
  const h = hex.replace('#', '');
  const n = parseInt(h.length === 3 ? h.replace(/./g, (c) => c + c) : h, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export function font(sizePx: number, weight = 400): string {
  return `${weight} ${sizePx}px ${palette.fontFamily}`;
}

const cache = new Map<string, Style | Style[]>();
function cached<T extends Style | Style[]>(key: string, make: () => T): T {
  let s = cache.get(key) as T | undefined;
  if (!s) {
    s = make();
    cache.set(key, s);
  }
  return s;
}

function label(text: string, color: string, size: number, extra: Partial<ConstructorParameters<typeof Text>[0]> = {}) {
  return new Text({
    text,
    font: font(size, 500),
    fill: new Fill({ color }),
    stroke: new Stroke({ color: 'rgba(255,255,255,0.92)', width: 3 }),
    overflow: false,
    ...extra,
  });
}

/** Selection shared by the compound and pipe styles; the view calls layer.changed() after setting it. */
export const selection = { compoundId: null as number | null, pipeId: null as number | null };

// ── compounds ─────────────────────────────────────────────────────────────────────────────────────

/** Statuses hidden from the map by the legend toggles. */
export const hiddenStatuses = new Set<string>();

/** Below this zoom most compounds are a few pixels across: each also gets a dot so its colour reads. */
const COMPOUND_DOT_BELOW_ZOOM = 13;

function interiorPoint(feature: FeatureLike): Geometry | RenderFeature | undefined {
  if (feature instanceof RenderFeature) {
    // z10–12 compound tiles carry one MultiPoint per status (compounds_overview.sql): draw the points themselves.
    if (feature.getType() === 'Point' || feature.getType() === 'MultiPoint') return feature;
    // MVT polygons (with or without holes or several parts) all arrive as type 'Polygon'.
    if (feature.getType() !== 'Polygon') return undefined;
    const flat = feature.getFlatInteriorPoint();
    return new Point([flat[0], flat[1]]);
  }
  return largestPartInterior(feature);
}

export const compoundStyle: StyleFunction = (feature, resolution) => {
  const status = feature.get('retrofit_status') as string | undefined;
  if (status && hiddenStatuses.has(status)) return undefined;
  const dispute = feature.get('dispute') === true || feature.get('dispute') === 'true';
  const s = statusStyle(status);
  if (zoomOf(resolution) < COMPOUND_DOT_BELOW_ZOOM) {
    return [
      cached(`c:far:${s.code}`, () => new Style({ fill: new Fill({ color: withAlpha(s.fill, palette.compound.fillOpacity) }) })) as Style,
      cached(`c:dot:${s.code}:${dispute}`, () =>
        new Style({
          geometry: interiorPoint,
          image: new Circle({
            radius: 3,
            fill: new Fill({ color: s.fill }),
            stroke: dispute
              ? new Stroke({ color: palette.compound.dispute.stroke, width: 1.5 })
              : new Stroke({ color: s.stroke, width: 0.75 }),
          }),
          zIndex: dispute ? 1 : 0,
        }),
      ) as Style,
    ];
  }
  const styles = [
    cached(`c:${s.code}:${dispute}`, () =>
      new Style({
        fill: new Fill({ color: withAlpha(s.fill, palette.compound.fillOpacity) }),
        stroke: dispute
          ? new Stroke({ color: palette.compound.dispute.stroke, width: palette.compound.dispute.width })
          : new Stroke({ color: s.stroke, width: palette.compound.strokeWidth }),
        zIndex: dispute ? 1 : 0,
      }),
    ),
  ];
  if (selection.compoundId !== null && Number(feature.get('id')) === selection.compoundId) {
    styles.push(
      cached('c:selected', () =>
        new Style({ stroke: new Stroke({ color: palette.compound.selected.stroke, width: palette.compound.selected.width }), zIndex: 2 }),
      ) as Style,
    );
  }
  return styles;
};

// ── pipes ─────────────────────────────────────────────────────────────────────────────────────────

/** Pipe levels hidden by the legend toggles. */
export const hiddenPipeLevels = new Set<string>();

export const pipeStyle: StyleFunction = (feature, resolution) => {
  const level = pipeLevelStyle(feature.get('level'));
  const z = zoomOf(resolution);
  if (z < level.minZoom || hiddenPipeLevels.has(level.code)) return undefined;
  const flow = pipeFlowStyle(feature.get('flow'));
  if (z < flow.minZoom) return undefined;
  const dn = Number(feature.get('dn')) || 0;
  const closed = feature.get('status') === 'closed';
  // Below z14 the city-wide network would merge into a band; thin it while keeping the DN order.
  const scale = z < 12.5 ? 0.4 : z < 14 ? 0.6 : z < 15 ? 0.8 : 1;
  const width = Math.max(0.75, pipeWidth(dn) * scale);
  const base = cached(`p:${level.code}:${flow.code}:${width}:${closed}`, () =>
    new Style({
      stroke: new Stroke({
        color: closed ? withAlpha(level.color, 0.45) : level.color,
        width,
        lineDash: flow.dash.length ? flow.dash : undefined,
        lineCap: flow.dash.length ? 'butt' : 'round',
      }),
      // Primary pipes over secondary over building pipes; larger DN on top.
      zIndex: (3 - palette.pipeLevel.indexOf(level)) * 10000 + dn,
    }),
  );
  if (selection.pipeId !== null && Number(feature.get('id')) === selection.pipeId) {
    // A halo under the pipe, both above every other pipe, so the selection reads as "this pipe".
    const onTop = base.clone();
    onTop.setZIndex(100001);
    return [
      cached(`p:sel:${width}`, () =>
        new Style({ stroke: new Stroke({ color: palette.compound.selected.stroke, width: width + 6 }), zIndex: 100000 }),
      ) as Style,
      onTop,
    ];
  }
  return base;
};

// ── point symbols ─────────────────────────────────────────────────────────────────────────────────

/**
 * The palette's point symbol as an OpenLayers image. Symbols are decluttering obstacles: always drawn,
 * and labels (station names, road names) make way for them rather than the other way round.
 */
export function symbolImage(sym: Pick<PointSymbol, 'shape' | 'fill' | 'stroke' | 'radius'>, scale = 1) {
  const radius = sym.radius * scale;
  const fill = new Fill({ color: sym.fill });
  const stroke = new Stroke({ color: sym.stroke, width: sym.shape === 'cross' ? 2.5 : 1.5 });
  const declutterMode = 'obstacle' as const;
  switch (sym.shape) {
    case 'square':
      return new RegularShape({ points: 4, radius: radius * Math.SQRT2, angle: Math.PI / 4, fill, stroke, declutterMode });
    case 'triangle':
      return new RegularShape({ points: 3, radius, fill, stroke, declutterMode });
    case 'cross':
      return new RegularShape({ points: 4, radius, radius2: 0, angle: Math.PI / 4, stroke, declutterMode });
    default:
      return new Circle({ radius, fill, stroke, declutterMode });
  }
}

function pointStyle(kind: string, sym: PointSymbol): StyleFunction {
  return (feature, resolution) => {
    const z = zoomOf(resolution);
    if (z < (sym.minZoom ?? 0)) return undefined;
    const name = feature.get('name') as string | undefined;
    const showLabel = name && z >= (sym.labelMinZoom ?? 99);
    const scale = z < 13 ? 0.75 : 1;
    const icon = cached(`${kind}:${scale}`, () => new Style({ image: symbolImage(sym, scale), zIndex: 10 }));
    if (!showLabel) return icon;
    return [
      icon,
      new Style({ text: label(name, '#1f1f1f', 12, { offsetY: -(sym.radius * scale * 1.5 + 9), placement: 'point' }), zIndex: 11 }),
    ];
  };
}

export const stationStyle = pointStyle('station', palette.station);
export const heatSourceStyle = pointStyle('heat', palette.heatSource);
export const staffStyle = pointStyle('staff', palette.staff);

export const valveStyleFn: StyleFunction = (feature, resolution) => {
  if (zoomOf(resolution) < palette.valve.minZoom) return undefined;
  const cat = valveCategory(feature.get('state'), asBool(feature.get('operable')));
  return cached(`v:${cat}`, () => new Style({ image: symbolImage(valveStyle(cat)), zIndex: 20 }));
};

function asBool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  return v === true || v === 'true' || v === 1;
}

// ── basemap ───────────────────────────────────────────────────────────────────────────────────────

/** Labels a multipolygon once, at the interior point of its largest part (not once per part). */
function largestPartInterior(feature: FeatureLike): Geometry | undefined {
  const g = feature.getGeometry();
  if (g instanceof Polygon) return g.getInteriorPoint();
  if (g instanceof MultiPolygon) {
    let best: Polygon | undefined;
    let bestArea = -1;
    for (const p of g.getPolygons()) {
      const a = p.getArea();
      if (a > bestArea) {
        bestArea = a;
        best = p;
      }
    }
    return best ? new Point(best.getInteriorPoint().getCoordinates().slice(0, 2)) : undefined;
  }
  return undefined;
}

const bm = palette.basemap;

export const districtStyle: StyleFunction = (feature, resolution) => {
  const base = cached('d', () =>
    new Style({ fill: new Fill({ color: bm.district.fill }), stroke: new Stroke({ color: bm.district.stroke, width: bm.district.width }) }),
  );
  const z = zoomOf(resolution);
  if (z > bm.district.labelMaxZoom) return base;
  return [
    base,
    new Style({
      geometry: largestPartInterior,
      text: label(String(feature.get('name') ?? ''), bm.district.labelColor, z < 11 ? 13 : 15),
      zIndex: 5,
    }),
  ];
};

export const branchStyle: StyleFunction = (feature, resolution) => {
  const base = cached('b', () =>
    new Style({ stroke: new Stroke({ color: bm.branch.stroke, width: bm.branch.width, lineDash: bm.branch.dash }) }),
  );
  const z = zoomOf(resolution);
  if (z > bm.branch.labelMaxZoom) return base;
  return [
    base,
    new Style({
      geometry: largestPartInterior,
      text: label(String(feature.get('name') ?? ''), bm.branch.labelColor, 16, { offsetY: 20, font: font(16, 700) }),
      zIndex: 6,
    }),
  ];
};

export const roadStyle: StyleFunction = (feature, resolution) => {
  const z = zoomOf(resolution);
  const k = z < 12 ? 0.5 : z < 14 ? 0.8 : 1.2;
  const styles: Style[] = [
    cached(`r:case:${k}`, () => new Style({ stroke: new Stroke({ color: bm.road.casing, width: bm.road.casingWidth * k }), zIndex: 0 })) as Style,
    cached(`r:fill:${k}`, () => new Style({ stroke: new Stroke({ color: bm.road.fill, width: bm.road.width * k }), zIndex: 1 })) as Style,
  ];
  const name = feature.get('name') as string | undefined;
  if (name && z >= bm.road.labelMinZoom) {
    styles.push(new Style({ text: label(name, bm.road.labelColor, 12, { placement: 'line', repeat: 600 }), zIndex: 2 }));
  }
  return styles;
};

export const cellStyle: StyleFunction = (feature, resolution) => {
  const base = cached('g', () =>
    new Style({ stroke: new Stroke({ color: bm.cell.stroke, width: bm.cell.width, lineDash: bm.cell.dash }) }),
  );
  if (zoomOf(resolution) < bm.cell.labelMinZoom) return base;
  const name = (feature.get('name') as string | undefined) ?? String(feature.get('code') ?? '');
  const staff = feature.get('staff_name') as string | undefined;
  return [base, new Style({ text: label(staff ? `${name}\n网格员 ${staff}` : name, bm.cell.labelColor, 11), zIndex: 3 })];
};
