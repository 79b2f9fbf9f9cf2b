// How to find a valve on site: the nearest named road (and how far from it), the compound it lies in or next to,
// and its DN — from the downloaded area's layers offline, or from the layers around the plan online. Valve records
// carry no well number in the demo data; the road and compound are what a crew can see.
import type { GeoJsonCollection } from './offline';
import { gkDistance } from './geo';

type Pt = [number, number];

/** Distance (m) from p to segment a–b, lon/lat in, metres via a local flat approximation. */
function segDistance(p: Pt, a: Pt, b: Pt): number {
  const kx = 111320 * Math.cos((p[1] * Math.PI) / 180);
  const ky = 110540;
  const ax = (a[0] - p[0]) * kx, ay = (a[1] - p[1]) * ky;
  const bx = (b[0] - p[0]) * kx, by = (b[1] - p[1]) * ky;
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
  return Math.hypot(ax + t * dx, ay + t * dy);
}

/** Lines of a GeoJSON geometry as lists of [lon, lat]. */
function lines(geometry: { type: string; coordinates: unknown } | null | undefined): Pt[][] {
  if (!geometry) return [];
  const c = geometry.coordinates as never;
  switch (geometry.type) {
    case 'LineString': return [c];
    case 'MultiLineString': case 'Polygon': return c;
    case 'MultiPolygon': return (c as Pt[][][]).flat();
    default: return [];
  }
}

function inRing(p: Pt, ring: Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** "中原路旁 6 米 · 建业小区内" for a valve at lon/lat; empty when nothing named is within 300 m. */
export function landmarkOf(lon: number, lat: number, roads?: GeoJsonCollection, compounds?: GeoJsonCollection): string {
  const p: Pt = [lon, lat];
  const parts: string[] = [];
  let best: { name: string; d: number } | null = null;
  for (const f of roads?.features ?? []) {
    const name = String(f.properties.name ?? '');
    if (!name) continue;
    for (const line of lines(f.geometry as never))
      for (let i = 1; i < line.length; i++) {
        const d = segDistance(p, line[i - 1], line[i]);
        if (d < (best?.d ?? 300)) best = { name, d };
      }
  }
  if (best) parts.push(`${best.name}旁 ${Math.round(best.d)} 米`);
  let comp: { name: string; d: number; inside: boolean } | null = null;
  for (const f of compounds?.features ?? []) {
    const name = String(f.properties.name ?? '');
    if (!name) continue;
    for (const ring of lines(f.geometry as never)) {
      if (ring.length > 2 && inRing(p, ring)) {
        comp = { name, d: 0, inside: true };
        break;
      }
      for (let i = 1; i < ring.length; i++) {
        const d = segDistance(p, ring[i - 1], ring[i]);
        if (d < (comp?.d ?? 150)) comp = { name, d, inside: false };
      }
    }
    if (comp?.inside) break;
  }
  if (comp) parts.push(comp.inside ? `${comp.name}内` : `近${comp.name}（${Math.round(comp.d)} 米）`);
  return parts.join(' · ');
}

/** Straight-line metres from the crew to a valve (EPSG:4547, as the server measures). */
export const walkDistance = (from: Pt, lon: number, lat: number): number => gkDistance(from[0], from[1], lon, lat);
