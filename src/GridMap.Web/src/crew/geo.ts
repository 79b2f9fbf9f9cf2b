// Coordinates for the crew: WGS84 ↔ CGCS2000 / 3-degree Gauss-Krüger CM 114E (EPSG:4547, metres), distances and
// bearings, and the nearest downloaded pipes when the server cannot be asked (offline).
import proj4 from 'proj4';

proj4.defs('EPSG:4547', '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs');
const toGk = proj4('EPSG:4326', 'EPSG:4547');

/** [lon, lat] → [x (easting), y (northing)] in EPSG:4547 metres. */
export function gk(lon: number, lat: number): [number, number] {
  const [x, y] = toGk.forward([lon, lat]);
  return [x, y];
}

export function wgs84(x: number, y: number): [number, number] {
  const [lon, lat] = toGk.inverse([x, y]);
  return [lon, lat];
}

/** Planar distance in EPSG:4547 metres (as the server orders valves). */
export function gkDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const [x1, y1] = gk(lon1, lat1);
  const [x2, y2] = gk(lon2, lat2);
  return Math.hypot(x2 - x1, y2 - y1);
}

/** Initial great-circle bearing from 1 to 2, degrees clockwise from true north, 0–360. */
export function bearing(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLon = (lon2 - lon1) * rad;
  const y = Math.sin(dLon) * Math.cos(lat2 * rad);
  const x = Math.cos(lat1 * rad) * Math.sin(lat2 * rad) - Math.sin(lat1 * rad) * Math.cos(lat2 * rad) * Math.cos(dLon);
  return ((Math.atan2(y, x) / rad) + 360) % 360;
}

/** 8-point compass direction in Chinese. */
export function compass(deg: number): string {
  const names = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'];
  return names[Math.round(deg / 45) % 8];
}

export function formatDms(value: number, pos: string, neg: string): string {
  const v = Math.abs(value);
  const d = Math.floor(v);
  const mFloat = (v - d) * 60;
  const m = Math.floor(mFloat);
  const s = (mFloat - m) * 60;
  return `${d}°${String(m).padStart(2, '0')}′${s.toFixed(2).padStart(5, '0')}″${value >= 0 ? pos : neg}`;
}

export interface PipeProps {
  id: number;
  level: string;
  flow: string;
  dn: number;
  depth_m: number;
  material?: string;
  status?: string;
}

export interface NearPipe extends PipeProps {
  distance_m: number;
  /** Metres along the pipe (from its first vertex, EPSG:4547) to the closest point; offline only. */
  along_m?: number;
  bearing_deg: number | null;
  closest: [number, number];
}

interface LineFeature {
  geometry: { type: string; coordinates: number[][] } | null;
  properties: Record<string, unknown>;
}

/** The k pipes nearest (lon, lat) among downloaded LineString features, measured in EPSG:4547 metres. */
export function nearestPipes(features: LineFeature[], lon: number, lat: number, k = 5): NearPipe[] {
  const [px, py] = gk(lon, lat);
  const out: NearPipe[] = [];
  for (const f of features) {
    if (!f.geometry || f.geometry.type !== 'LineString') continue;
    const cs = f.geometry.coordinates.map(([x, y]) => gk(x, y));
    let best = Infinity;
    let bx = 0;
    let by = 0;
    let bestAlong = 0;
    let walked = 0;
    for (let i = 1; i < cs.length; i++) {
      const [x0, y0] = cs[i - 1];
      const [x1, y1] = cs[i];
      const dx = x1 - x0;
      const dy = y1 - y0;
      const len2 = dx * dx + dy * dy;
      const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2)) : 0;
      const cx = x0 + t * dx;
      const cy = y0 + t * dy;
      const d = Math.hypot(cx - px, cy - py);
      const len = Math.sqrt(len2);
      if (d < best) {
        best = d;
        bx = cx;
        by = cy;
        bestAlong = walked + t * len;
      }
      walked += len;
    }
    if (!Number.isFinite(best)) continue;
    const closest = wgs84(bx, by);
    const p = f.properties;
    out.push({
      id: Number(p.id),
      level: String(p.level),
      flow: String(p.flow),
      dn: Number(p.dn),
      depth_m: Number(p.depth_m),
      material: p.material === undefined ? undefined : String(p.material),
      status: p.status === undefined ? undefined : String(p.status),
      distance_m: Math.round(best * 100) / 100,
      along_m: bestAlong,
      bearing_deg: best < 0.05 ? null : Math.round(bearing(lon, lat, closest[0], closest[1]) * 10) / 10,
      closest,
    });
  }
  out.sort((a, b) => a.distance_m - b.distance_m || a.id - b.id);
  return out.slice(0, k);
}
