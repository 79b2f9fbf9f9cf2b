// 手动定位 — where am I when GPS fails (denied, no signal): search a compound (name or address), a station or a road
// by name, or a valve by its id; a result places the crew there (position.ts setManual). Online the server answers
// (compound search, the valve's feature, stations of the city); offline the downloaded area's layers do.
import { call, client } from '../api/client';
import { ApiError, humanMessage } from '../api/problem';
import { h } from '../ui/dom';
import type { CrewContext } from './context';
import { crewApi } from './crewApi';
import type { GeoJsonCollection } from './offline';
import { offlineStore } from './offline';
import type { PositionControl } from './position';

interface Hit {
  kind: string;
  label: string;
  detail: string;
  lon: number;
  lat: number;
}

/** A rough centre of a GeoJSON geometry (its coordinates' bounding box): enough to stand at a compound. */
function centre(geometry: { coordinates: unknown } | null | undefined): [number, number] | null {
  if (!geometry) return null;
  const nums = JSON.stringify(geometry.coordinates).match(/-?\d+\.?\d*(e-?\d+)?/g)?.map(Number) ?? [];
  if (nums.length < 2) return null;
  const xs = nums.filter((_, i) => i % 2 === 0);
  const ys = nums.filter((_, i) => i % 2 === 1);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

function fromFeatures(fc: GeoJsonCollection | undefined, q: string, kind: string, detail: (p: Record<string, unknown>) => string): Hit[] {
  if (!fc) return [];
  const out: Hit[] = [];
  for (const f of fc.features) {
    const name = String(f.properties.name ?? '');
    if (!name.includes(q)) continue;
    const c = centre(f.geometry as never);
    if (c) out.push({ kind, label: name, detail: detail(f.properties), lon: c[0], lat: c[1] });
    if (out.length >= 10) break;
  }
  return out;
}

let stationsCache: GeoJsonCollection | null = null;

async function searchOnline(q: string): Promise<Hit[]> {
  if (/^\d+$/.test(q)) {
    const valve = await call('OgcItem', client.GET('/ogc/collections/{collectionId}/items/{featureId}', { params: { path: { collectionId: 'valves', featureId: q } }, parseAs: 'json' }))
      .catch((e) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      });
    const c = centre((valve as { geometry?: { coordinates: unknown } } | null)?.geometry);
    return c ? [{ kind: '阀门', label: `#${q}`, detail: '', lon: c[0], lat: c[1] }] : [];
  }
  const compounds = await call('CompoundSearch', client.GET('/api/compounds', { params: { query: { q, limit: 8 } } }));
  const hits: Hit[] = compounds.map((c) => ({ kind: '小区', label: c.name, detail: [c.address, c.district_name].filter(Boolean).join(' · '), lon: c.centroid[0], lat: c.centroid[1] }));
  stationsCache ??= await crewApi.features('stations', '-180,-90,180,90', 5000).catch(() => null);
  return [...hits, ...fromFeatures(stationsCache ?? undefined, q, '换热站', () => '')];
}

async function searchOffline(q: string): Promise<Hit[]> {
  const area = await offlineStore.area();
  if (!area) return [];
  if (/^\d+$/.test(q)) {
    const topo = await offlineStore.topology();
    const i = topo?.valves.id.indexOf(Number(q)) ?? -1;
    if (topo && i >= 0) return [{ kind: '阀门', label: `#${q}`, detail: '', lon: topo.valves.lon[i], lat: topo.valves.lat[i] }];
    const f = area.layers.valves.features.find((x) => String(x.properties.id) === q);
    const c = centre(f?.geometry as never);
    return c ? [{ kind: '阀门', label: `#${q}`, detail: '', lon: c[0], lat: c[1] }] : [];
  }
  return [
    ...fromFeatures(area.layers.compounds, q, '小区', () => ''),
    ...fromFeatures(area.layers.stations, q, '换热站', () => ''),
    ...fromFeatures(area.layers.roads, q, '道路', () => ''),
  ].slice(0, 12);
}

/** Wires the search box of the sheet to `position.setManual`. */
export function positionSearch(ctx: CrewContext, position: PositionControl): void {
  const { searchInput, searchBtn, searchResults } = ctx.sheet;
  let generation = 0;
  const run = async () => {
    const q = searchInput.value.trim().replace(/^#/, '');
    if (!q) return;
    const gen = ++generation;
    searchResults.hidden = false;
    searchResults.dataset.state = 'loading';
    searchResults.replaceChildren(h('li', { class: 'muted' }, '正在搜索…'));
    let hits: Hit[];
    let offline = !ctx.state.online;
    try {
      hits = offline ? await searchOffline(q) : await searchOnline(q);
    } catch (e) {
      if (!(e instanceof ApiError && e.isTransport)) {
        searchResults.dataset.state = 'error';
        searchResults.replaceChildren(h('li', { class: 'crew-error' }, `搜索失败：${humanMessage(e)}`));
        return;
      }
      offline = true;
      hits = await searchOffline(q);
    }
    if (gen !== generation) return;
    searchResults.dataset.state = 'ready';
    if (!hits.length) {
      searchResults.replaceChildren(h('li', { class: 'muted' }, offline ? `离线数据中没有“${q}”：离线时只能搜索已下载范围内的小区、换热站、道路和阀门。` : `没有找到“${q}”。`));
      return;
    }
    searchResults.replaceChildren(
      ...hits.map((x, i) =>
        h('li', {},
          h('button', {
            type: 'button', class: 'crew-search-hit', 'data-testid': `crew-search-hit-${i}`,
            onclick: () => {
              searchResults.hidden = true;
              position.setManual(x.lon, x.lat, `${x.kind} ${x.label}`);
            },
          }, h('strong', {}, `${x.kind} · ${x.label}`), x.detail ? h('small', {}, x.detail) : null),
        ),
      ),
    );
  };
  searchBtn.addEventListener('click', () => void run());
}
