// Which pipes run near me: the server's nearest pipes (offline: the downloaded ones), each with distance,
// direction (an arrow turned by the compass), level, DN and depth; the closest one and the way to it on the map.
import Feature from 'ol/Feature';
import LineString from 'ol/geom/LineString';
import { fromLonLat } from 'ol/proj';
import { ApiError, humanMessage } from '../api/problem';
import { zh } from '../labels';
import { h } from '../ui/dom';
import type { CrewContext } from './context';
import { crewApi } from './crewApi';
import { compass, nearestPipes, type NearPipe } from './geo';
import type { Fix } from './state';

/** An arrow towards `deg` (relative to the phone's heading when known); a dot when the pipe is right here. */
function arrow(deg: number | null, heading: number | null): HTMLElement {
  const el = h('span', { class: 'crew-arrow', 'aria-hidden': 'true', 'data-bearing': deg ?? undefined }, deg === null ? '●' : '↑');
  if (deg !== null) el.style.transform = `rotate(${deg - (heading ?? 0)}deg)`;
  return el;
}

/** Returns refresh(fix): lists the pipes nearest the fix; a tap on one asks for its isolation plan. */
export function nearestPipesList(
  ctx: CrewContext,
  isolate: (pipe: number, burst: [number, number]) => void,
  record?: (pipe: number, anchor?: Element) => void,
): (fix: Fix) => Promise<void> {
  const { state, overlay } = ctx;
  const list = ctx.sheet.nearestList;
  let generation = 0;

  return async (f: Fix) => {
    const gen = ++generation;
    list.dataset.state = 'loading';
    let pipes: NearPipe[];
    let source = 'online';
    try {
      if (!state.online) throw new ApiError(0, 'offline');
      const r = await crewApi.nearest(f.lon, f.lat, 5);
      pipes = r.pipes.map((p) => ({ ...p, bearing_deg: p.bearing_deg ?? null, closest: [p.closest[0], p.closest[1]] }));
    } catch (e) {
      // The server answered with an error: say it. No answer (or offline from the start): use the downloaded area.
      if (state.online && !(e instanceof ApiError && e.isTransport)) {
        list.dataset.state = 'error';
        list.replaceChildren(h('li', {}, `查询失败：${humanMessage(e)}`));
        return;
      }
      if (!state.area) {
        list.dataset.state = 'error';
        list.replaceChildren(h('li', {}, '离线且未下载本区域数据。'));
        return;
      }
      source = 'offline';
      pipes = nearestPipes(state.area.layers.pipes.features as never, f.lon, f.lat, 5);
    }
    if (gen !== generation) return;
    state.nearest = pipes;
    list.dataset.state = 'ready';
    list.dataset.source = source;
    list.replaceChildren(
      ...pipes.map((p) =>
        h(
          'li',
          { class: 'crew-pipe-row' },
          h(
            'button',
            { type: 'button', class: 'crew-pipe', 'data-testid': `crew-pipe-${p.id}`, 'data-pipe': p.id, onclick: () => isolate(p.id, p.closest) },
            arrow(p.bearing_deg, state.heading),
            h('span', { class: 'crew-dist' }, `${zh.num1(p.distance_m)} 米`),
            h('span', { class: 'crew-dir' }, p.bearing_deg === null ? '脚下' : `${compass(p.bearing_deg)} ${Math.round(p.bearing_deg)}°`),
            h('span', { class: 'crew-attrs' }, `${zh.pipeLevel(p.level)}${zh.pipeFlow(p.flow)} DN${p.dn} · 埋深 ${zh.num1(p.depth_m)} 米 · #${p.id}`),
          ),
          record
            ? h('button', { type: 'button', class: 'crew-record-btn crew-pipe-record', 'data-testid': `crew-pipe-record-${p.id}`, title: '记录实测位置、埋深、漏标阀门、管径', onclick: (e: Event) => record(p.id, (e.currentTarget as HTMLElement).closest('li') ?? undefined) }, '记录')
            : null,
        ),
      ),
    );
    const top = pipes[0];
    overlay.getFeatures().filter((x) => x.get('role') === 'nearest' || x.get('role') === 'toPipe').forEach((x) => overlay.removeFeature(x));
    if (top) {
      // A line from me to the closest point of the nearest pipe: which way to walk, on the map too.
      overlay.addFeature(new Feature({ geometry: new LineString([fromLonLat([f.lon, f.lat]), fromLonLat(top.closest)]), role: 'toPipe' }));
      const feat = state.area?.layers.pipes.features.find((x) => Number(x.properties.id) === top.id);
      if (feat?.geometry) overlay.addFeature(new Feature({ geometry: new LineString((feat.geometry.coordinates as number[][]).map((c) => fromLonLat(c))), role: 'nearest' }));
    }
  };
}
