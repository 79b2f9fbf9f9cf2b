// Offline package for a crew: the app shell (service worker /sw.js), the network topology of the whole city
// (for isolation plans) and the features of one area (pipes, valves, compounds, stations, heat sources and the
// basemap layers: districts, roads, grid cells), all kept in IndexedDB.
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
}

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

export const offlineStore = {
  area: () => get<OfflineArea>('area'),
  topology: () => get<Topology>('topology'),
  config: () => get<ClientConfig>('config'),
};

/** Downloads an area (WGS84 bbox) and the topology into IndexedDB; `progress` gets zh status lines. */
export async function downloadArea(name: string, bbox: [number, number, number, number], progress: (text: string) => void): Promise<OfflineArea> {
  const b = bbox.map((v) => v.toFixed(6)).join(',');
  progress('正在缓存应用…');
  await cacheAppShell().catch(() => false);
  progress('正在下载管网拓扑…');
  const topology = await crewApi.topology();
  const config = await mapApi.config();
  const layers = {} as Record<AreaLayer, GeoJsonCollection>;
  const truncated: AreaLayer[] = [];
  for (const id of AREA_LAYERS) {
    progress(`正在下载${AREA_LAYER_NAMES[id]}…`);
    const fc = await crewApi.features(id, b, 50000);
    layers[id] = fc;
    if (fc.truncated) truncated.push(id);
  }
  const area: OfflineArea = { name, bbox, savedAt: new Date().toISOString(), layers, truncated };
  progress('正在保存…');
  await put('topology', topology);
  await put('config', config);
  await put('area', area);
  return area;
}
