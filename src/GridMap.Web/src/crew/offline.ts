// Offline package for a crew: the app shell (service worker /sw.js), the network topology of one area (its
// segments in full plus the rest of the city as supply zones, enough to plan every burst in the area as the server
// does; AreaTopology on the server) and the features of that area (pipes, valves, compounds, stations, heat sources
// and the basemap layers: districts, roads, grid cells), all kept in IndexedDB; refreshed only when the network
// changed (ETag).
import { mapApi } from '../api/mapApi';
import { message } from '../api/messages';
import type { ClientConfig, GeoJsonCollection } from '../api/types';
import { cacheAppShell } from '../offline/appShell';
import { crewApi } from './crewApi';
import type { Topology } from './isolation';

const DB_NAME = 'gridmap-crew';
const STORE = 'kv';

/** Layers stored for an area; the basemap is GridMap's own (districts, roads, cells). */
export const AREA_LAYERS = ['districts', 'cells', 'roads', 'compounds', 'pipes', 'valves', 'stations', 'heat_sources'] as const;
export type AreaLayer = (typeof AREA_LAYERS)[number];

/** zh names of the stored layers (progress lines, the "incomplete" note). */
export const AREA_LAYER_NAMES: Record<AreaLayer, string> = {
  districts: '行政区',
  cells: '网格',
  roads: '主干道',
  compounds: '小区',
  pipes: '管段',
  valves: '阀门',
  stations: '换热站',
  heat_sources: '热源',
};

export type { GeoJsonCollection };

export interface OfflineArea {
  name: string;
  bbox: [number, number, number, number];
  savedAt: string;
  layers: Record<AreaLayer, GeoJsonCollection>;
  truncated: AreaLayer[];
  /** ETag of the area's topology package (network version + bbox): a refresh sends it and gets 304 when unchanged. */
  etag?: string;
  /** Network version of the package. */
  version?: number;
  /** Bytes stored (JSON of topology and layers), and when the crew last checked for changes. */
  bytes?: number;
  checkedAt?: string;
}

/** Layers that change with the network (re-downloaded on a refresh); the basemap (districts, cells, roads) is kept. */
const NETWORK_LAYERS: AreaLayer[] = ['compounds', 'pipes', 'valves', 'stations', 'heat_sources'];

const bboxText = (bbox: [number, number, number, number]) => bbox.map((v) => v.toFixed(6)).join(',');

/** Size of the JSON text of a value, in bytes (UTF-8). */
const sizeOf = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function put(key: string, value: unknown): Promise<void> {
  const db = await openDb();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(value, key);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error(message('storage-failed')));
    });
  } finally {
    db.close();
  }
}

async function get<T>(key: string): Promise<T | undefined> {
  const db = await openDb();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const req = db.transaction(STORE, 'readonly').objectStore(STORE).get(key);
      req.onsuccess = () => resolve(req.result as T | undefined);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

async function del(key: string): Promise<void> {
  const db = await openDb();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).delete(key);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const offlineStore = {
  area: () => get<OfflineArea>('area'),
  topology: () => get<Topology>('topology'),
  config: () => get<ClientConfig>('config'),
  /** Photos of queued field records (pipeRecords.ts), kept until the server has them. */
  putPhoto: (key: string, photo: Blob) => put(`photo:${key}`, photo),
  photo: (key: string) => get<Blob>(`photo:${key}`),
  deletePhoto: (key: string) => del(`photo:${key}`),
};

/**
 * Downloads an area (WGS84 bbox) into IndexedDB: the topology package of that area (its segments in full, the rest
 * of the city as supply zones: AreaTopology on the server, docs/crew.md) and the area's layers; `progress` gets zh
 * status lines.
 */
export async function downloadArea(name: string, bbox: [number, number, number, number], progress: (text: string) => void): Promise<OfflineArea> {
  const b = bboxText(bbox);
  progress('正在缓存应用…');
  await cacheAppShell().catch(() => false);
  progress('正在下载本区域管网拓扑…');
  const pkg = (await crewApi.areaTopology(b))!;
  const config = await mapApi.config();
  const layers = {} as Record<AreaLayer, GeoJsonCollection>;
  const truncated: AreaLayer[] = [];
  for (const id of AREA_LAYERS) {
    progress(`正在下载${AREA_LAYER_NAMES[id]}…`);
    const fc = await crewApi.features(id, b, 50000);
    layers[id] = fc;
    if (fc.truncated) truncated.push(id);
  }
  const now = new Date().toISOString();
  const area: OfflineArea = {
    name, bbox, savedAt: now, checkedAt: now, layers, truncated, etag: pkg.etag, version: pkg.topology.version,
    bytes: sizeOf(pkg.topology) + sizeOf(layers),
  };
  progress('正在保存…');
  await put('topology', pkg.topology);
  await put('config', config);
  await put('area', area);
  return area;
}

/**
 * Refreshes a downloaded area: asks for its topology with the stored ETag; when the network has not changed the
 * server answers 304 and nothing is downloaded. Otherwise the new topology and the network layers (pipes, valves,
 * compounds, stations, heat sources) are downloaded again; the basemap is kept. Returns the area and whether it changed.
 */
export async function refreshArea(area: OfflineArea, progress: (text: string) => void): Promise<{ area: OfflineArea; changed: boolean }> {
  const b = bboxText(area.bbox);
  progress('正在检查管网是否有变化…');
  await cacheAppShell().catch(() => false);
  const pkg = await crewApi.areaTopology(b, area.etag);
  const now = new Date().toISOString();
  if (!pkg) {
    const same = { ...area, checkedAt: now };
    await put('area', same);
    return { area: same, changed: false };
  }
  const layers = { ...area.layers };
  const truncated = area.truncated.filter((id) => !NETWORK_LAYERS.includes(id));
  for (const id of NETWORK_LAYERS) {
    progress(`管网已变化，正在更新${AREA_LAYER_NAMES[id]}…`);
    const fc = await crewApi.features(id, b, 50000);
    layers[id] = fc;
    if (fc.truncated) truncated.push(id);
  }
  const updated: OfflineArea = {
    ...area, savedAt: now, checkedAt: now, layers, truncated, etag: pkg.etag, version: pkg.topology.version,
    bytes: sizeOf(pkg.topology) + sizeOf(layers),
  };
  await put('topology', pkg.topology);
  await put('area', updated);
  return { area: updated, changed: true };
}
